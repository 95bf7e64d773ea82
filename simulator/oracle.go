package simulator

import (
	"context"
	"math"
	"time"
)

// Oracle is the perfect-foresight lower bound. It bypasses KEDA and the
// HPA: it reads the whole trace and keeps, at every step, just enough ready
// pods to serve the demand at full capacity (ceil(demand / capacity),
// clamped to [KEDA.MinReplicaCount, KEDA.MaxReplicaCount]), each pod
// created exactly its (drawn) start-up delay before it is first needed.
//
// The need is split in levels: level k is needed while the need is at
// least k. Each level is served by pods that live from their creation to
// the end of a need interval; a gap in a level shorter than the start-up
// delay of the pod that would follow it is bridged by keeping the pod
// (cheaper than restarting it), and a pod may exist at the trace's start
// for free, as the policies' initial pods do. For a fixed delay this
// minimises the billed pod-time among all schedules that are never short
// of capacity, so no policy that is never under-provisioned bills less.
// On a zone loss the oracle knows in advance: the replacement of each lost
// pod was started its delay earlier and is ready at the instant of the
// loss, so for that delay the oracle may run more than maxReplicaCount
// pods. Node capacity (Job.Nodes) and the scrape lag do not apply to it.
//
// Oracle implements Policy only to be passed to Run; Run never calls its
// Metrics.
type Oracle struct{}

// Name returns "oracle".
func (Oracle) Name() string { return "oracle" }

// Metrics returns dst unchanged; Run schedules the oracle directly.
func (Oracle) Metrics(_ time.Time, _ Observations, dst []Metric) []Metric { return dst }

// span is one oracle pod: created, ready, and ended.
type span struct{ created, ready, end time.Duration }

// oracle is the state of the level sweep.
type oracle struct {
	job   Job
	step  time.Duration
	delay func() time.Duration
	spans []span
	open  []int           // per level: index in spans of its last pod, or -1
	until []time.Duration // per level: end of its last need interval
}

func runOracle(ctx context.Context, job Job) (Result, error) {
	s := job.Settings
	needs := make([]int, job.Demand.Len())
	for i, d := range job.Demand.Values {
		needs[i] = need(d, s.Pods.Capacity, s.KEDA.MinReplicaCount, s.KEDA.MaxReplicaCount)
	}
	return scheduleOracle(ctx, job, needs)
}

// scheduleOracle runs the oracle's schedule for needs (the ready pods
// wanted at each step) and scores it against job's demand.
func scheduleOracle(ctx context.Context, job Job, needs []int) (Result, error) {
	s := job.Settings
	rng := newRand(s.Seed)
	o := &oracle{job: job, step: job.Demand.Step}
	o.delay = func() time.Duration { return s.Pods.Startup.Draw(rng) + s.Pods.Warmup }
	prev := 0
	for i, n := range needs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
		}
		o.change(time.Duration(i)*o.step, prev, n)
		prev = n
	}
	end := time.Duration(len(needs)) * o.step
	o.change(end, prev, 0)
	for _, z := range zoneOffsets(job) {
		o.loseZone(z, rng.IntN)
	}
	return o.score(needs), nil
}

// change handles the need moving from prev to n at t: levels above n end
// their interval, levels above prev start one.
func (o *oracle) change(t time.Duration, prev, n int) {
	for k := n; k < prev; k++ {
		o.until[k] = t
		o.spans[o.open[k]].end = t
	}
	for k := prev; k < n; k++ {
		o.startLevel(t, k)
	}
}

// startLevel serves level k from t: the level's last pod is kept when the
// gap since it is at most the next pod's start-up delay, else a new pod is
// created that delay before t. A level never served before behaves as if
// its interval had just ended at the trace's start.
func (o *oracle) startLevel(t time.Duration, k int) {
	if k == len(o.open) {
		o.open = append(o.open, -1)
		o.until = append(o.until, 0)
	}
	d := o.delay()
	if gap := t - o.until[k]; gap <= d {
		if o.open[k] < 0 {
			o.open[k] = len(o.spans)
			o.spans = append(o.spans, span{})
		}
		o.spans[o.open[k]].end = never
		return
	}
	o.open[k] = len(o.spans)
	o.spans = append(o.spans, span{created: t - d, ready: t, end: never})
}

// loseZone splits round(fraction × ready pods) of the pods ready at the
// loss: each ends there, and its replacement is created its delay before.
func (o *oracle) loseZone(z zoneEvent, pick func(int) int) {
	var alive []int
	for i, sp := range o.spans {
		if sp.ready <= z.at && z.at < sp.end {
			alive = append(alive, i)
		}
	}
	k := int(math.Round(z.fraction * float64(len(alive))))
	for j := range k {
		r := j + pick(len(alive)-j)
		alive[j], alive[r] = alive[r], alive[j]
		i := alive[j]
		d := o.delay()
		o.spans = append(o.spans, span{created: z.at - d, ready: z.at, end: o.spans[i].end})
		o.spans[i].end = z.at
	}
}
