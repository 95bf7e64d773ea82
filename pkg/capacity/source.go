package capacity

import (
	"fmt"
	"math"
	"time"
)

// Defaults of ReplicasFrom.
const (
	// DefaultQuantile is the quantile of forecast demand provisioned for.
	DefaultQuantile = 0.9
	// DefaultReplicasColumn is the simulation column read as replicas.
	DefaultReplicasColumn = "desired_replicas"
)

// ReplicasFrom says where a workload's replicas over time come from when
// the planning file does not list them: a forecast of a demand trace
// (Trace), or a timeline written by the simulator (Simulation). Paths are
// relative to the planning file's directory unless absolute.
//
// Config.Problem leaves the Replicas of such a workload zero: its caller
// reads the source and sets them (prescale plan does).
type ReplicasFrom struct {
	// Trace is a CSV file of the workload's demand (requests/s or any
	// load measure). Its replicas are ceil(demand / CapacityPerPod): the
	// observed demand over the part of the timeline the trace covers, the
	// forecast demand after it.
	Trace string `json:"trace,omitempty"`
	// TimeCol and ValueCol name the trace's columns (defaults "timestamp"
	// and "value").
	TimeCol  string `json:"timeCol,omitempty"`
	ValueCol string `json:"valueCol,omitempty"`
	// TimeZone is the IANA zone of timestamps without a UTC offset;
	// empty means UTC.
	TimeZone string `json:"timeZone,omitempty"`
	// Resample, when set, averages the trace onto this coarser step
	// before forecasting (a mean, so the units stay CapacityPerPod's).
	Resample Duration `json:"resample,omitempty"`
	// CapacityPerPod is the demand one replica serves, in the trace's
	// units; required with Trace.
	CapacityPerPod float64 `json:"capacityPerPod,omitempty"`
	// Horizon is how far past the trace's end to forecast; zero means up
	// to the end of spec.timeline.
	Horizon Duration `json:"horizon,omitempty"`
	// Model names the forecasting model (the forecast package's names);
	// empty means "auto".
	Model string `json:"model,omitempty"`
	// Quantile is the quantile of the forecast demand to provision for, in
	// (0, 1); zero means DefaultQuantile, and 0.5 is the point forecast.
	Quantile float64 `json:"quantile,omitempty"`
	// Calendar is a calendar file (.yaml or .ics) of known events whose
	// effect the forecast learns and applies.
	Calendar string `json:"calendar,omitempty"`

	// Simulation is a timeline CSV of the simulator, with the columns
	// timestamp, policy, demand, desired_replicas and ready_replicas.
	Simulation string `json:"simulation,omitempty"`
	// Policy selects the simulation's rows by their policy column;
	// required with Simulation.
	Policy string `json:"policy,omitempty"`
	// Column is the simulation column read as replicas,
	// "desired_replicas" (the default) or "ready_replicas".
	Column string `json:"column,omitempty"`
}

// WithDefaults returns r with its defaults applied: Quantile, and Column
// for a simulation.
func (r ReplicasFrom) WithDefaults() ReplicasFrom {
	if r.Trace != "" && r.Quantile == 0 {
		r.Quantile = DefaultQuantile
	}
	if r.Simulation != "" && r.Column == "" {
		r.Column = DefaultReplicasColumn
	}
	return r
}

// validate checks the source; timeline reports a spec.timeline section,
// which a forecast without a horizon needs.
func (r ReplicasFrom) validate(errs *fieldErrors, path string, timeline bool) {
	switch {
	case r.Trace != "" && r.Simulation != "":
		errs.add(path+".simulation", "give trace or simulation, not both")
	case r.Trace != "":
		r.validateTrace(errs, path, timeline)
	case r.Simulation != "":
		r.validateSimulation(errs, path)
	default:
		errs.add(path, "needs trace (a demand trace to forecast) or simulation (a simulator timeline)")
	}
}

// validateTrace checks the fields of a forecast source.
func (r ReplicasFrom) validateTrace(errs *fieldErrors, path string, timeline bool) {
	if c := r.CapacityPerPod; !(c > 0) || math.IsInf(c, 0) {
		errs.add(path+".capacityPerPod", "must be a positive demand per replica, in the trace's units, got %g", c)
	}
	if q := r.Quantile; !(q >= 0 && q < 1) {
		errs.add(path+".quantile", "must be in (0, 1), such as 0.9, got %g", q)
	}
	switch {
	case r.Horizon < 0:
		errs.add(path+".horizon", "must not be negative")
	case r.Horizon == 0 && !timeline:
		errs.add(path+".horizon", "required without spec.timeline")
	}
	if r.Resample < 0 {
		errs.add(path+".resample", "must not be negative")
	}
	if _, err := time.LoadLocation(r.TimeZone); err != nil {
		errs.add(path+".timeZone", "unknown time zone %q: use an IANA name such as Europe/Paris", r.TimeZone)
	}
	for _, f := range []struct{ name, value string }{{"policy", r.Policy}, {"column", r.Column}} {
		if f.value != "" {
			errs.add(path+"."+f.name, "only applies to a simulation")
		}
	}
}

// validateSimulation checks the fields of a simulator timeline source.
func (r ReplicasFrom) validateSimulation(errs *fieldErrors, path string) {
	if r.Policy == "" {
		errs.add(path+".policy", "required: the policy whose replicas to plan for")
	}
	switch r.Column {
	case "", "desired_replicas", "ready_replicas":
	default:
		errs.add(path+".column", "must be desired_replicas or ready_replicas, got %q", r.Column)
	}
	set := []struct {
		name string
		set  bool
	}{
		{"timeCol", r.TimeCol != ""}, {"valueCol", r.ValueCol != ""}, {"timeZone", r.TimeZone != ""},
		{"resample", r.Resample != 0}, {"capacityPerPod", r.CapacityPerPod != 0}, {"horizon", r.Horizon != 0},
		{"model", r.Model != ""}, {"quantile", r.Quantile != 0}, {"calendar", r.Calendar != ""},
	}
	for _, f := range set {
		if f.set {
			errs.add(fmt.Sprintf("%s.%s", path, f.name), "only applies to a trace")
		}
	}
}
