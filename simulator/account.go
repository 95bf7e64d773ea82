package simulator

import (
	"math"
	"time"
)

// account scores the interval [a, b), in which the demand rate and the
// ready pods are constant: served = min(demand, ready × capacity), the rest
// is unserved or, with a queue, queued. Missing demand is not scored.
func (s *sim) account(a, b time.Duration) {
	d := s.job.Demand.Values[s.cur]
	if math.IsNaN(d) {
		if s.queue.timeout > 0 {
			s.tally.unserved += s.queue.expire(a)
		}
		return
	}
	dt := float64(b-a) * 1e-9 // seconds
	capRate := float64(s.pods.nReady) * s.set.Pods.Capacity
	arrive, capv := d*dt, capRate*dt
	over := max(arrive-capv, 0)
	if capRate < d {
		s.tally.under += dt
	}
	s.tally.known += dt
	s.tally.demand += arrive
	s.stepOver += over
	s.stepVol += arrive
	if s.queue.timeout > 0 {
		s.tally.unserved += s.queue.step(a, capv, arrive)
	} else {
		s.tally.unserved += over
	}
}

// record opens the timeline point of step i after closing the previous one.
func (s *sim) record(i int) {
	s.closeStep()
	if s.timeline == nil {
		return
	}
	s.timeline = append(s.timeline, Point{
		Time:    s.job.Demand.Time(i),
		Demand:  s.job.Demand.Values[i],
		Desired: s.pods.len(),
		Ready:   s.pods.nReady,
	})
}

// closeStep sets the unserved fraction of the last timeline point.
func (s *sim) closeStep() {
	if n := len(s.timeline); n > 0 {
		p := &s.timeline[n-1]
		switch {
		case math.IsNaN(p.Demand):
			p.Unserved = math.NaN()
		case s.stepVol > 0:
			p.Unserved = s.stepOver / s.stepVol
		}
	}
	s.stepOver, s.stepVol = 0, 0
}

// observe builds what the policy may see at t: the metric at the horizon
// t - Lag and the demand steps completed by then.
func (s *sim) observe(t time.Duration) Observations {
	h := t - s.set.Metrics.Lag
	v := s.job.Demand.Values
	n := 0 // steps completed by h
	if h > 0 {
		n = int(min(h/s.step, time.Duration(len(v))))
	}
	value := math.NaN()
	switch {
	case s.set.Metrics.Window > 0:
		value = s.scrape(h)
	case h >= 0:
		value = v[min(n, len(v)-1)] // the step in force at h
	}
	return Observations{
		start: s.start, name: s.job.Demand.Name, step: s.step,
		now: t, horizon: h, value: value, history: v[:n:n], replicas: s.pods.len(),
	}
}

// scrape returns the demand metric at horizon h with a Window: the
// time-weighted mean of the demand over [h-Window, h), ignoring missing
// steps; NaN when nothing is known.
func (s *sim) scrape(h time.Duration) float64 {
	v := s.job.Demand.Values
	lo := max(h-s.set.Metrics.Window, 0)
	var sum, weight float64
	for t := lo; t < h; {
		i := int(t / s.step)
		if i >= len(v) {
			break
		}
		next := min(time.Duration(i+1)*s.step, h)
		if !math.IsNaN(v[i]) {
			dt := float64(next - t)
			sum += v[i] * dt
			weight += dt
		}
		t = next
	}
	if weight == 0 {
		return math.NaN()
	}
	return sum / weight
}

// result assembles the Result at the end of the run.
func (s *sim) result() Result {
	podTime := s.pods.billed + s.pods.liveTime(s.end)
	r := s.tally.result(s.policy.Name(), s.job, podTime)
	r.Timeline = s.timeline
	return r
}
