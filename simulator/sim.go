package simulator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// sim is one discrete-event run on a virtual clock: time is an offset from
// the trace's start, and the clock jumps from one event to the next. The
// events are the HPA syncs (every SyncPeriod from the start), the KEDA
// polls (every PollingInterval from the start), the demand-step
// boundaries, pods becoming ready and zone losses. Between two events the
// demand rate and the ready pods are constant, so serving is integrated
// exactly. At one instant the events run in this order: pods becoming
// ready, zone losses, the KEDA poll, the HPA sync, the timeline sample.
type sim struct {
	job      Job
	set      Settings
	start    time.Time
	step     time.Duration
	end      time.Duration
	policy   Policy
	nodes    NodeCapacity
	rng      *rand.Rand
	pods     podSet
	hpa      hpaController
	keda     kedaController
	queue    backlog
	zones    []zoneEvent
	nextSync time.Duration
	nextPoll time.Duration
	// cur is the demand step in progress, which ends at boundary.
	cur      int
	boundary time.Duration
	// The policy's readings at evalAt, evaluated at most once per instant.
	metrics   []Metric
	evalAt    time.Duration
	evaluated bool
	tally     tally
	timeline  []Point
	stepOver  float64 // volume over capacity in the current step
	stepVol   float64 // demand volume of the current step
	err       error
}

// newRand returns the run's random source: PCG seeded from seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

func newSim(job Job) (*sim, error) {
	s := &sim{
		job: job, set: job.Settings, policy: job.Policy, nodes: job.Nodes,
		start: job.Demand.Start, step: job.Demand.Step,
		end:   time.Duration(job.Demand.Len()) * job.Demand.Step,
		rng:   newRand(job.Settings.Seed),
		hpa:   newHPAController(job.Settings.HPA, job.Settings.KEDA),
		keda:  kedaController{cfg: job.Settings.KEDA},
		queue: backlog{timeout: job.Settings.Queue.Timeout},
		zones: zoneOffsets(job),
	}
	if s.end/s.step != time.Duration(job.Demand.Len()) {
		return nil, fmt.Errorf("demand of %d steps of %v: longer than the virtual clock's range", job.Demand.Len(), s.step)
	}
	if job.Settings.Timeline {
		s.timeline = make([]Point, 0, job.Demand.Len())
	}
	n := initialReplicas(job)
	s.keda.everActive = n > 0
	s.nextSync, s.nextPoll = phases(job.Settings)
	s.pods.pods = make([]pod, 0, max(2*n, 16))
	for range n {
		s.createPod(0, true)
	}
	s.pods.advance(0)
	s.tally.peak = n
	return s, nil
}

// phases returns the offsets of the first HPA sync and KEDA poll: the
// pinned ones, or draws from a random source of its own seeded from the
// run's seed (so that the pods' start-up draws do not depend on it).
func phases(set Settings) (sync, poll time.Duration) {
	if set.PinPhases {
		return set.Phases.Sync, set.Phases.Poll
	}
	r := rand.New(rand.NewPCG(set.Seed^0x5851f42d4c957f2d, set.Seed+0x14057b7ef767814f))
	return time.Duration(r.Int64N(int64(set.HPA.SyncPeriod))), time.Duration(r.Int64N(int64(set.KEDA.PollingInterval)))
}

// run advances the clock to the end of the trace.
func (s *sim) run(ctx context.Context) error {
	s.cur, s.boundary = -1, 0
	for t := time.Duration(0); t < s.end; {
		if t == s.boundary {
			s.cur, s.boundary = s.cur+1, s.boundary+s.step
			if s.cur%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			s.events(t, true)
		} else {
			s.events(t, false)
		}
		if s.err != nil {
			return s.err
		}
		next := s.nextEvent(t)
		s.account(t, next)
		t = next
	}
	s.closeStep()
	s.tally.unserved += s.queue.total()
	return nil
}

// events runs everything that happens at t; atStep is set when t starts
// demand step s.cur.
func (s *sim) events(t time.Duration, atStep bool) {
	s.pods.advance(t)
	for len(s.zones) > 0 && s.zones[0].at == t {
		s.loseZone(t, s.zones[0].fraction)
		s.zones = s.zones[1:]
	}
	if t == s.nextPoll {
		s.poll(t)
		s.nextPoll += s.set.KEDA.PollingInterval
	}
	if t == s.nextSync {
		s.sync(t)
		s.nextSync += s.set.HPA.SyncPeriod
	}
	s.pods.advance(t)
	if atStep {
		s.record(s.cur)
	}
}

// nextEvent returns the instant of the first event after t.
func (s *sim) nextEvent(t time.Duration) time.Duration {
	next := min(s.nextSync, s.nextPoll, s.boundary, s.end)
	if r := s.pods.next(); r > t {
		next = min(next, r)
	}
	if len(s.zones) > 0 {
		next = min(next, s.zones[0].at)
	}
	return next
}

// poll runs KEDA's scale loop.
func (s *sim) poll(t time.Duration) {
	cur := int32(s.pods.len())
	if n := s.keda.poll(t, cur, s.readings(t)); n != cur {
		s.scaleTo(t, int(n))
	}
}

// sync runs the HPA controller.
func (s *sim) sync(t time.Duration) {
	ms := s.keda.cache
	if !s.set.KEDA.UseCachedMetrics {
		ms = s.readings(t)
	}
	cur := int32(s.pods.len())
	if n := s.hpa.reconcile(t, cur, int32(s.pods.nReady), ms); n != cur {
		s.scaleTo(t, int(n))
	}
}

// readings evaluates the policy at t, once per instant.
func (s *sim) readings(t time.Duration) []Metric {
	if s.evaluated && s.evalAt == t {
		return s.metrics
	}
	s.metrics = s.policy.Metrics(s.start.Add(t), s.observe(t), s.metrics[:0])
	s.evalAt, s.evaluated = t, true
	for i, m := range s.metrics {
		if !(m.Target >= 0.0005) || math.IsInf(m.Target, 0) { // milli(Target) must be positive
			s.err = fmt.Errorf("policy %s: metric %d: target %v: must be at least 0.001", s.policy.Name(), i, m.Target)
		}
	}
	s.keda.fallback(s.metrics, int32(s.pods.len()), int32(s.pods.nReady))
	return s.metrics
}

// scaleTo sets the replica count at t: new pods are created at once, extra
// pods terminated at once in the ReplicaSet's deletion order.
func (s *sim) scaleTo(t time.Duration, n int) {
	for s.pods.len() < n {
		s.createPod(t, false)
	}
	released := false
	for s.pods.len() > n {
		if p := s.pods.pop(t); p.ready != never && s.nodes != nil {
			s.nodes.Release(s.start.Add(t))
			released = true
		}
	}
	if released {
		s.reschedule(t)
	}
	s.tally.events++
	s.tally.peak = max(s.tally.peak, n)
}

// createPod creates a pod at t. An initial pod whose node is ready at once
// is ready at once; any other pod is ready after its node is, plus a drawn
// start-up delay and the warm-up.
func (s *sim) createPod(t time.Duration, initial bool) {
	start := t
	if s.nodes != nil {
		at, ok := s.nodes.Bind(s.start.Add(t))
		if !ok {
			s.pods.insert(pod{ready: never, created: t})
			return
		}
		start = at.Sub(s.start)
	}
	if initial && start == t {
		s.pods.insert(pod{ready: t, created: t})
		return
	}
	ready := start + s.set.Pods.Startup.Draw(s.rng) + s.set.Pods.Warmup
	s.pods.insert(pod{ready: ready, created: t})
}

// reschedule binds the pending pods, oldest first, while nodes have room.
func (s *sim) reschedule(t time.Duration) {
	for s.pods.unscheduled > 0 {
		at, ok := s.nodes.Bind(s.start.Add(t))
		if !ok {
			return
		}
		p := s.pods.takeUnscheduled()
		p.ready = at.Sub(s.start) + s.set.Pods.Startup.Draw(s.rng) + s.set.Pods.Warmup
		s.pods.insert(p)
	}
}

// loseZone terminates the pods of the lost nodes and re-creates them, as
// their ReplicaSet does at once.
func (s *sim) loseZone(t time.Duration, fraction float64) {
	bound := s.pods.len() - s.pods.unscheduled
	k := int(math.Round(fraction * float64(bound)))
	if s.nodes != nil {
		k = s.nodes.Fail(s.start.Add(t), fraction)
	}
	k = s.pods.loseRandom(t, k, s.rng.IntN)
	for range k {
		s.createPod(t, false)
	}
}
