package simulator

import (
	"math"
	"slices"
	"time"
)

// score turns the oracle's pods into a Result. Ready pods change only at
// step boundaries (a zone-loss replacement is ready the instant its
// predecessor ends), so each step is scored as a whole.
func (o *oracle) score(needs []int) Result {
	n := len(needs)
	alive := make([]int, n+1) // difference arrays over steps
	ready := make([]int, n+1)
	var podTime time.Duration
	moves := make([]move, 0, 2*len(o.spans))
	for _, sp := range o.spans {
		created := max(sp.created, 0)
		podTime += sp.end - created
		addSteps(alive, o.ceilStep(created), o.ceilStep(sp.end))
		addSteps(ready, o.ceilStep(sp.ready), o.ceilStep(sp.end))
		moves = append(moves, move{created, 1}, move{sp.end, -1})
	}
	var t tally
	t.peak, t.events = sweep(moves, time.Duration(n)*o.step)
	s := o.job.Settings
	var timeline []Point
	if s.Timeline {
		timeline = make([]Point, 0, n)
	}
	secs := o.step.Seconds()
	a, r := 0, 0
	for i, d := range o.job.Demand.Values {
		a += alive[i]
		r += ready[i]
		unserved := math.NaN()
		if !math.IsNaN(d) {
			capRate := float64(r) * s.Pods.Capacity
			over := max(d-capRate, 0) * secs
			t.demand += d * secs
			t.unserved += over
			t.known += secs
			if capRate < d {
				t.under += secs
			}
			unserved = 0
			if d > 0 {
				unserved = over / (d * secs)
			}
		}
		if timeline != nil {
			timeline = append(timeline, Point{Time: o.job.Demand.Time(i), Demand: d, Desired: a, Ready: r, Unserved: unserved})
		}
	}
	res := t.result(Oracle{}.Name(), o.job, podTime)
	res.Timeline = timeline
	return res
}

// ceilStep returns the first step starting at or after t.
func (o *oracle) ceilStep(t time.Duration) int {
	return int((t + o.step - 1) / o.step)
}

// addSteps adds 1 to steps [from, to) of the difference array d.
func addSteps(d []int, from, to int) {
	to = min(to, len(d)-1)
	if from < to {
		d[from]++
		d[to]--
	}
}

// move is a change of the pod count at an instant.
type move struct {
	at    time.Duration
	delta int
}

// sweep returns the peak pod count and the number of instants strictly
// inside (0, end) at which the count changes.
func sweep(moves []move, end time.Duration) (peak, changes int) {
	slices.SortFunc(moves, func(a, b move) int {
		if a.at != b.at {
			return cmpDuration(a.at, b.at)
		}
		return a.delta - b.delta
	})
	count := 0
	for i := 0; i < len(moves); {
		j, net := i, 0
		for ; j < len(moves) && moves[j].at == moves[i].at; j++ {
			net += moves[j].delta
			count += moves[j].delta
			peak = max(peak, count)
		}
		if net != 0 && moves[i].at > 0 && moves[i].at < end {
			changes++
		}
		i = j
	}
	return peak, changes
}

func cmpDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
