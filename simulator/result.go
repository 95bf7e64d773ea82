package simulator

import (
	"math"
	"time"
)

// Result scores one policy on one trace. Volumes are demand × seconds (a
// number of requests when the demand is in requests/s). Steps whose demand
// is missing (NaN) count neither as served nor as unserved, and their time
// is left out of UnderProvisionedFraction; pods are billed through them.
type Result struct {
	// Policy is the policy's Name.
	Policy string
	// Seed is the seed of the run's random source.
	Seed uint64
	// Start is the trace's first instant.
	Start time.Time
	// Step is the trace's step.
	Step time.Duration
	// Steps is the trace's number of steps.
	Steps int
	// DemandVolume is the known demand over the trace.
	DemandVolume float64
	// UnservedVolume is the demand that found no ready capacity (or, with a
	// queue, timed out in it or was still queued at the end).
	UnservedVolume float64
	// UnservedFraction is UnservedVolume / DemandVolume, 0 without demand.
	UnservedFraction float64
	// UnderProvisionedFraction is the fraction of the known time during
	// which ready capacity was below the demand.
	UnderProvisionedFraction float64
	// PodHours is the pod time billed, from each pod's creation (or the
	// trace's start) to its termination (or the trace's end), in hours.
	PodHours float64
	// Cost is PodHours × Settings.Pods.PricePerHour, in $; CompareNodes
	// sets it to NodeHours × the node price.
	Cost float64
	// NodeHours is the node time billed, in hours; CompareNodes fills it,
	// it is 0 with unlimited nodes.
	NodeHours float64
	// PeakReplicas is the largest number of pods at any instant.
	PeakReplicas int
	// ScaleEvents counts the changes of the replica count made by the HPA
	// or KEDA (for the oracle: the instants at which its pod count changes).
	ScaleEvents int
	// VsOracle holds each figure divided by the oracle's; Compare fills it,
	// Run leaves it zero.
	VsOracle Ratios
	// Timeline holds one Point per demand step when Settings.Timeline is
	// set.
	Timeline []Point
}

// Point is the state of one demand step, for the CLI's timeline CSV.
type Point struct {
	// Time is the step's start.
	Time time.Time
	// Demand is the step's demand, NaN when missing.
	Demand float64
	// Desired is the replica count set (the scale target's spec) right
	// after the decisions taken at Time.
	Desired int
	// Ready is the number of ready pods at Time.
	Ready int
	// Unserved is the fraction of the step's demand that arrived when no
	// ready capacity was free (with a queue it may still be served later);
	// NaN when the demand is missing, 0 when it is zero.
	Unserved float64
}

// Ratios holds a Result's figures divided by the oracle's. A ratio is 1
// when both figures are 0 and +Inf when only the oracle's is.
type Ratios struct {
	// UnservedFraction is Result.UnservedFraction over the oracle's.
	UnservedFraction float64
	// UnderProvisionedFraction is Result.UnderProvisionedFraction over the
	// oracle's.
	UnderProvisionedFraction float64
	// PodHours is Result.PodHours over the oracle's.
	PodHours float64
	// Cost is Result.Cost over the oracle's.
	Cost float64
	// PeakReplicas is Result.PeakReplicas over the oracle's.
	PeakReplicas float64
	// ScaleEvents is Result.ScaleEvents over the oracle's.
	ScaleEvents float64
}

// Relative returns r's figures divided by oracle's.
func (r Result) Relative(oracle Result) Ratios {
	return Ratios{
		UnservedFraction:         ratio(r.UnservedFraction, oracle.UnservedFraction),
		UnderProvisionedFraction: ratio(r.UnderProvisionedFraction, oracle.UnderProvisionedFraction),
		PodHours:                 ratio(r.PodHours, oracle.PodHours),
		Cost:                     ratio(r.Cost, oracle.Cost),
		PeakReplicas:             ratio(float64(r.PeakReplicas), float64(oracle.PeakReplicas)),
		ScaleEvents:              ratio(float64(r.ScaleEvents), float64(oracle.ScaleEvents)),
	}
}

func ratio(x, base float64) float64 {
	switch {
	case x == 0 && base == 0:
		return 1
	case base == 0:
		return math.Inf(1)
	}
	return x / base
}

// tally accumulates a run's figures.
type tally struct {
	demand, unserved float64 // volumes
	known, under     float64 // seconds
	peak, events     int
}

// result turns the tally into a Result.
func (t tally) result(name string, job Job, podTime time.Duration) Result {
	s := job.Settings
	hours := podTime.Hours()
	r := Result{
		Policy: name, Seed: s.Seed,
		Start: job.Demand.Start, Step: job.Demand.Step, Steps: job.Demand.Len(),
		DemandVolume: t.demand, UnservedVolume: t.unserved,
		PodHours: hours, Cost: hours * s.Pods.PricePerHour,
		PeakReplicas: t.peak, ScaleEvents: t.events,
	}
	if t.demand > 0 {
		r.UnservedFraction = t.unserved / t.demand
	}
	if t.known > 0 {
		r.UnderProvisionedFraction = t.under / t.known
	}
	return r
}
