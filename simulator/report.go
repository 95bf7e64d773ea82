package simulator

import (
	"math"
	"strings"
	"time"
)

// Comparison is the outcome of comparing policies on one trace, for one or
// more pod start-up delays: what the simulate command prints, charts and
// checks.
type Comparison struct {
	// Trace is the name of the demand series.
	Trace string
	// Start, Step and Steps describe the simulated trace.
	Start time.Time
	Step  time.Duration
	Steps int
	// CapacityPerPod is the demand one ready pod serves, in the trace's
	// unit.
	CapacityPerPod float64
	// TargetUtilisation is the reactive and cron policies' target, in (0, 1].
	TargetUtilisation float64
	// PricePerPodHour is the price of a pod for an hour, in $/hour.
	PricePerPodHour float64
	// Seed seeds every run.
	Seed uint64
	// Nodes is the node pool the runs used and its price, nil for
	// unlimited nodes (cost from the pod price).
	Nodes *NodeBilling
	// Parameters describe the policies and the what-ifs, in order, as
	// name and value, such as {"predictive.quantile", "0.9"}.
	Parameters []Parameter
	// Startups holds one StartupReport per start-up delay, in the order given.
	Startups []StartupReport
}

// Parameter is one named setting of a Comparison, for the reports.
type Parameter struct {
	Name, Value string
}

// StartupReport is the comparison of the policies for one start-up delay.
type StartupReport struct {
	// Startup describes the pods' start-up delay, such as "5m".
	Startup string
	// Oracle is the perfect-foresight bound the ratios refer to.
	Oracle Result
	// Results are the policies reported, in the order asked, each with
	// VsOracle filled; the oracle appears here only when asked for.
	Results []Result
}

// NewStartupReport returns the StartupReport of a Report, listing the policies named in order
// ("oracle" for the bound); names not found are skipped.
func NewStartupReport(startup string, rep Report, order []string) StartupReport {
	r := StartupReport{Startup: startup, Oracle: rep.Oracle}
	for _, name := range order {
		if name == rep.Oracle.Policy {
			r.Results = append(r.Results, rep.Oracle)
			continue
		}
		for _, res := range rep.Results {
			if res.Policy == name {
				r.Results = append(r.Results, res)
				break
			}
		}
	}
	return r
}

// Find returns the result of the named policy; the oracle is always found.
func (r StartupReport) Find(policy string) (Result, bool) {
	for _, res := range r.Results {
		if res.Policy == policy {
			return res, true
		}
	}
	if policy == r.Oracle.Policy {
		return r.Oracle, true
	}
	return Result{}, false
}

// The suffix of the metric names that are ratios to the oracle.
const vsOracle = "_vs_oracle"

// MetricNames returns the names of a Result's figures as the reports, the
// JSON and the assertions spell them: each base figure, then each ratio to
// the oracle (the base name followed by "_vs_oracle").
func MetricNames() []string {
	base := baseMetrics()
	out := make([]string, 0, 2*len(base))
	for _, m := range base {
		out = append(out, m.name)
	}
	for _, m := range base {
		out = append(out, m.name+vsOracle)
	}
	return out
}

// metric is one figure of a Result and its ratio to the oracle's.
type metric struct {
	name  string
	value func(Result) float64
	ratio func(Ratios) float64
}

func baseMetrics() []metric {
	return []metric{
		{"unserved_fraction", func(r Result) float64 { return r.UnservedFraction }, func(q Ratios) float64 { return q.UnservedFraction }},
		{"under_provisioned_fraction", func(r Result) float64 { return r.UnderProvisionedFraction }, func(q Ratios) float64 { return q.UnderProvisionedFraction }},
		{"pod_hours", func(r Result) float64 { return r.PodHours }, func(q Ratios) float64 { return q.PodHours }},
		{"cost", func(r Result) float64 { return r.Cost }, func(q Ratios) float64 { return q.Cost }},
		{"peak_replicas", func(r Result) float64 { return float64(r.PeakReplicas) }, func(q Ratios) float64 { return q.PeakReplicas }},
		{"scale_events", func(r Result) float64 { return float64(r.ScaleEvents) }, func(q Ratios) float64 { return q.ScaleEvents }},
	}
}

// Metric returns the figure of r called name (one of MetricNames); ok is
// false for an unknown name. Ratios come from r.VsOracle.
func (r Result) Metric(name string) (v float64, ok bool) {
	base, ratio := strings.CutSuffix(name, vsOracle)
	for _, m := range baseMetrics() {
		if m.name != base {
			continue
		}
		if ratio {
			return m.ratio(r.VsOracle), true
		}
		return m.value(r), true
	}
	return math.NaN(), false
}

// Labelled gives a policy another name in results and timelines, to
// compare variants of one policy, such as reactive at several target
// utilisations.
type Labelled struct {
	Policy
	// Label is the name reported.
	Label string
}

// Name returns the label.
func (l Labelled) Name() string { return l.Label }

// Validate validates the wrapped policy, when it can be.
func (l Labelled) Validate() error {
	if v, ok := l.Policy.(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}
