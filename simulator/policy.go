package simulator

import (
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Policy is an autoscaling policy as KEDA runs it: a set of triggers, each
// giving the HPA one external metric with an AverageValue target. The HPA
// computes one replica proposal per metric and keeps the largest, as it
// does for the several triggers of one ScaledObject (Kubernetes docs,
// "Horizontal Pod Autoscaling", algorithm details: multiple metrics).
//
// A Policy sees the demand only through Observations, which stop at the
// scrape horizon: it cannot look ahead. Oracle is the one exception and is
// run apart (see Oracle).
type Policy interface {
	// Name identifies the policy in results and timelines.
	Name() string
	// Metrics appends to dst one Metric per trigger, evaluated at now, and
	// returns the extended slice. Run calls it at each HPA sync (or each
	// KEDA poll with UseCachedMetrics) and at each KEDA poll, at most once
	// per instant, with now non-decreasing. It must not keep dst or obs.
	Metrics(now time.Time, obs Observations, dst []Metric) []Metric
}

// Metric is one trigger's reading, as KEDA serves it to the HPA.
type Metric struct {
	// Value is the metric value (requests/s, replicas…); NaN marks a failed
	// query: the HPA then ignores this metric, and refuses to scale down
	// while any metric fails (Kubernetes docs, "Horizontal Pod
	// Autoscaling": "If any of these metrics cannot be converted...").
	// KEDA sends values with milli precision; Run rounds them alike.
	Value float64
	// Target is the trigger's target, in Value's unit; it must be
	// positive. For an AverageValue target (the default) it is per pod and
	// the HPA proposes ceil(Value / Target) replicas; for a Value target
	// the HPA proposes ceil(Value / Target × ready pods).
	Target float64
	// Type is the trigger's metricType: AverageValueMetric (KEDA's
	// default) or ValueMetric.
	Type MetricType
	// Active reports the trigger active for KEDA's activation phase
	// (Value above the trigger's activation threshold; for a cron trigger,
	// inside its window). KEDA scales from zero when any trigger is active
	// and to zero after CooldownPeriod when none is.
	Active bool
}

// MetricType is a KEDA trigger's metricType, the HPA metric target type.
type MetricType int

// The metric target types KEDA gives the HPA for an external trigger.
const (
	// AverageValueMetric divides the metric by the target per pod: the
	// HPA proposes ceil(value / target) replicas, whatever runs now.
	AverageValueMetric MetricType = iota
	// ValueMetric compares the whole metric with the target: the HPA
	// proposes ceil(value / target × ready pods), so the proposal scales
	// with the pods that are ready now.
	ValueMetric
)

// String returns the Kubernetes spelling: AverageValue or Value.
func (t MetricType) String() string {
	switch t {
	case AverageValueMetric:
		return "AverageValue"
	case ValueMetric:
		return "Value"
	}
	return fmt.Sprintf("MetricType(%d)", int(t))
}

// Observations is what a policy may know at an instant: the demand metric
// up to the scrape horizon, now minus the scrape lag. It holds no reference
// to later demand, so no policy can look ahead.
type Observations struct {
	start        time.Time
	name         string
	step         time.Duration
	now, horizon time.Duration // offsets from start
	value        float64
	history      []float64 // capacity == length
	replicas     int
}

// Replicas returns the scale target's replica count at the evaluation, as
// the HPA reads it.
func (o Observations) Replicas() int { return o.replicas }

// Now returns the instant of the evaluation.
func (o Observations) Now() time.Time { return o.start.Add(o.now) }

// Horizon returns the latest instant whose demand the metric reflects:
// Now minus Settings.Metrics.Lag.
func (o Observations) Horizon() time.Time { return o.start.Add(o.horizon) }

// Value returns the metric as a query would return it now: the demand rate
// at the horizon, or its mean over Settings.Metrics.Window before the
// horizon. It is NaN when no demand is known there.
func (o Observations) Value() float64 { return o.value }

// History returns the demand steps that ended at or before the horizon, in
// the trace's unit, NaN where missing. Its capacity equals its length: it
// cannot be resliced into the future. Callers must not modify it.
func (o Observations) History() timeseries.Series {
	return timeseries.Series{Name: o.name, Start: o.start, Step: o.step, Values: o.history}
}
