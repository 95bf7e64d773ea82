package demo

import (
	"time"

	"github.com/prescale-dev/prescale/simulator"
)

// timeline returns a one-minute timeline of the desired (and ready)
// replicas and demands given.
func timeline(desired []int, demand []float64) []simulator.Point {
	t0 := time.Date(1995, 7, 13, 8, 0, 0, 0, time.UTC)
	out := make([]simulator.Point, len(desired))
	for i := range out {
		out[i] = simulator.Point{Time: t0.Add(time.Duration(i) * time.Minute), Desired: desired[i], Ready: desired[i], Demand: demand[i]}
	}
	return out
}
