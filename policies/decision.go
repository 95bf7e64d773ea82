package policies

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrNoSafeValue is returned by Decide when the live demand is unknown and
// there is no forecast, event floor or previous decision to fall back on:
// the caller should report an error so that KEDA's own fallback applies.
var ErrNoSafeValue = errors.New("no safe value: live demand unknown and no forecast, event floor or previous decision")

// Observation is one measured value of the demand metric.
type Observation struct {
	// Value is the demand, NaN when unknown (no data, NaN or Inf from the
	// metric source).
	Value float64
	// At is when the value was measured.
	At time.Time
}

// Forecast is the demand forecast at the policy's quantile on a regular grid:
// Values[i] covers [Start + i*Step, Start + (i+1)*Step). NaN is unknown.
type Forecast struct {
	Start  time.Time
	Step   time.Duration
	Values []float64
	// Growth, when not nil, is the demand's growth distribution learned at
	// the same refit, for risk-based targets (Policy.Risk).
	Growth *GrowthTable
}

// Floor is a minimum replica count a known calendar event requires while
// its window [Start, End) is in force.
type Floor struct {
	Event      string
	Start, End time.Time
	Replicas   int
}

// Inputs is everything Decide may look at. Nothing in it may describe the
// future except the forecast and the calendar floors.
type Inputs struct {
	// Now is the instant of the decision.
	Now time.Time
	// Live is the latest good measurement of the demand.
	Live Observation
	// StaleAfter is how old Live may be and still count as live; 0 means
	// it never goes stale.
	StaleAfter time.Duration
	// Forecast is the demand forecast; empty when none is available.
	Forecast Forecast
	// Floors are the calendar floors of the workload.
	Floors []Floor
	// Anchor is the highest live demand over the window of the growth
	// table's anchor (Forecast.Growth.AnchorSteps steps of its history,
	// the live value included; see Recent), the value a risk-based target
	// multiplies by the learned growth. NaN or zero means Live.
	Anchor float64
	// Replicas is the scale target's replica count as the HPA reads it
	// (its spec), for Policy.Tolerance; 0 when unknown.
	Replicas int
	// Previous is the last decision served, for the rate limits and as the
	// value to hold when the live demand is unknown and no forecast covers
	// the lead time; nil when there is none.
	Previous *Decision
}

// LiveKnown reports whether in.Live counts as the live demand at in.Now: a
// finite value no older than StaleAfter. A risk-based decision with a
// growth table reads the forecast's values only when it does not: they are
// its fallback.
func (in Inputs) LiveKnown() bool {
	v := in.Live.Value
	return !math.IsNaN(v) && !math.IsInf(v, 0) && (in.StaleAfter <= 0 || in.Now.Sub(in.Live.At) <= in.StaleAfter)
}

// Source names the term that set a decision's value.
type Source string

// The sources of a decision's value.
const (
	SourceLive           Source = "live"
	SourceForecast       Source = "forecast"
	SourceEvent          Source = "event"
	SourceRisk           Source = "risk"
	SourceHeadroom       Source = "headroom"
	SourceHold           Source = "hold-last"
	SourceTolerance      Source = "tolerance"
	SourceMinReplicas    Source = "min-replicas"
	SourceMaxReplicas    Source = "max-replicas"
	SourceScaleUpLimit   Source = "scale-up-limit"
	SourceScaleDownLimit Source = "scale-down-limit"
)

// Decision is the value served to KEDA and how it came about.
type Decision struct {
	// At is the instant of the decision.
	At time.Time
	// Mode is the policy's mode.
	Mode Mode
	// Value is the metric value served, in demand units.
	Value float64
	// Replicas is what the HPA derives from Value: ceil(Value/TargetPerPod).
	Replicas int
	// Source is the term that set Value.
	Source Source
	// Live is the live demand used, NaN when unknown or stale.
	Live float64
	// ForecastPeak is the highest forecast over [At, At+LeadTime], NaN when
	// no forecast covers it; ForecastAt is the start of its step.
	ForecastPeak float64
	ForecastAt   time.Time
	// EventFloor is the highest active calendar floor in demand units, or
	// for a risk-based target the event's learned floor (Growth.Floor); 0
	// when none. Event is the event that set it.
	EventFloor float64
	Event      string
	// Anchor is the value a risk-based target multiplies by the growth:
	// the highest live demand over the anchor window (Inputs.Anchor), at
	// least Live.
	Anchor float64
	// Growth is the growth ratio applied to Anchor by a risk-based target
	// (NaN when none applied), GrowthEvent the event whose learned growth
	// it was (empty for the hour's).
	Growth      float64
	GrowthEvent string
	// Predictive is the value predictive mode serves; in shadow mode it is
	// reported while Value is the reactive one.
	Predictive float64
	// Degraded is true when the live demand was unknown or stale.
	Degraded bool

	steps, shadow stepList
}

// Step is one step of a decision: a term that raised the value, or a clamp
// that bounded it. Value is the value after the step; Ref is the step's
// reference (the previous value of a rate limit, the replica bound of a
// replica clamp).
type Step struct {
	Source Source
	Value  float64
	Ref    float64
}

// stepList holds a decision's steps without allocating.
type stepList struct {
	s [8]Step
	n int
}

func (l *stepList) add(s Step) {
	if l.n < len(l.s) {
		l.s[l.n] = s
		l.n++
	}
}

// Steps returns the steps of the decision, in order.
func (d *Decision) Steps() []Step { return d.steps.s[:d.steps.n] }

// Reasons explains each step of the decision in words, in order; in shadow
// mode the last line tells what predictive mode would have served.
func (d *Decision) Reasons() []string {
	out := make([]string, 0, d.steps.n+1)
	for _, s := range d.Steps() {
		out = append(out, d.explain(s))
	}
	if d.Mode == ModeShadow && d.shadow.n > 0 {
		last := d.shadow.s[d.shadow.n-1]
		out = append(out, fmt.Sprintf("shadow: predictive would serve %.4g (%s)", d.Predictive, last.Source))
	}
	return out
}

func (d *Decision) explain(s Step) string {
	switch s.Source {
	case SourceLive:
		return fmt.Sprintf("live demand %.4g", s.Value)
	case SourceForecast:
		return fmt.Sprintf("forecast peak %.4g at %s, within the lead time", s.Value, d.ForecastAt.UTC().Format(time.RFC3339))
	case SourceEvent:
		if !math.IsNaN(d.Growth) {
			return fmt.Sprintf("event %q floor %.4g: the demand usually seen at its time of day x the level its past occurrences reached", d.Event, s.Value)
		}
		return fmt.Sprintf("event %q floor %.4g", d.Event, s.Value)
	case SourceRisk:
		if d.GrowthEvent != "" {
			return fmt.Sprintf("recent demand %.4g x %.3g, the growth learned for event %q over the lead time: %.4g", d.Anchor, d.Growth, d.GrowthEvent, s.Value)
		}
		return fmt.Sprintf("recent demand %.4g x %.3g, the growth learned for this hour over the lead time: %.4g", d.Anchor, d.Growth, s.Value)
	case SourceHeadroom:
		return fmt.Sprintf("x%.3g headroom (a target utilisation %.3g of the HPA's): %.4g", s.Ref, 1/s.Ref, s.Value)
	case SourceTolerance:
		if s.Ref > 0 {
			return fmt.Sprintf("raised past the HPA's tolerance over the %.0f running replicas' target, so that it scales up: %.4g", s.Ref, s.Value)
		}
		return fmt.Sprintf("raised by the HPA's tolerance, the running replicas unknown: %.4g", s.Value)
	case SourceHold:
		return fmt.Sprintf("live demand unknown: holding last served value %.4g", s.Value)
	case SourceMinReplicas:
		return fmt.Sprintf("raised to minReplicas %.0f: %.4g", s.Ref, s.Value)
	case SourceMaxReplicas:
		return fmt.Sprintf("capped at maxReplicas %.0f: %.4g", s.Ref, s.Value)
	case SourceScaleUpLimit:
		return fmt.Sprintf("scale-up limited to %.4g from last served %.4g", s.Value, s.Ref)
	case SourceScaleDownLimit:
		return fmt.Sprintf("scale-down limited to %.4g from last served %.4g", s.Value, s.Ref)
	}
	return fmt.Sprintf("%s %.4g", s.Source, s.Value)
}

// Decide computes the metric value to serve for p at in.Now. It is pure:
// the same inputs give the same decision. p must be valid (see
// Policy.Validate).
func Decide(p Policy, in Inputs) (Decision, error) {
	d := Decision{At: in.Now, Mode: p.Mode, Live: math.NaN(), ForecastPeak: math.NaN(), Growth: math.NaN()}
	if in.LiveKnown() {
		d.Live = math.Max(in.Live.Value, 0)
	} else {
		d.Degraded = true
	}
	d.ForecastPeak, d.ForecastAt = forecastPeak(in.Forecast, in.Now, in.Now.Add(p.LeadTime))
	d.EventFloor, d.Event = eventFloor(p, in.Floors, in.Now, in.Now.Add(p.LeadTime))
	d.Anchor = d.Live
	if a := in.Anchor; a > d.Live && !math.IsInf(a, 0) {
		d.Anchor = a
	}
	if g := in.Forecast.Growth; p.Risk > 0 && g != nil && !math.IsNaN(d.Live) {
		r := g.Ratio(in.Live.At, p.Risk)
		d.Growth, d.GrowthEvent = r.Ratio, r.Event
		// A risk-based target takes the event's learned floor, not the
		// calendar's.
		d.EventFloor, d.Event = 0, ""
		if r.Floor > 0 {
			d.EventFloor, d.Event = r.Floor, r.Event
		}
	}

	pred, err := decide(p, in, &d, true)
	if err != nil {
		return Decision{}, err
	}
	d.Predictive = pred.value
	if p.Mode == ModePredictive {
		d.Value, d.Source, d.steps = pred.value, pred.source, pred.steps
	} else {
		react, err := decide(p, in, &d, false)
		if err != nil {
			return Decision{}, err
		}
		d.Value, d.Source, d.steps, d.shadow = react.value, react.source, react.steps, pred.steps
	}
	d.Replicas = p.Replicas(d.Value)
	return d, nil
}

type outcome struct {
	value  float64
	source Source
	steps  stepList
}

// raise lifts the value to v if v is higher.
func (o *outcome) raise(v float64, s Source) {
	if v > o.value || math.IsNaN(o.value) {
		o.set(v, s, 0)
	}
}

// set records a step that sets the value.
func (o *outcome) set(v float64, s Source, ref float64) {
	o.value, o.source = v, s
	o.steps.add(Step{Source: s, Value: v, Ref: ref})
}

// decide applies the terms and the clamps, predictive or reactive.
func decide(p Policy, in Inputs, d *Decision, predictive bool) (outcome, error) {
	o := outcome{value: math.NaN()}
	if !math.IsNaN(d.Live) {
		o.raise(d.Live, SourceLive)
	}
	risk := predictive && !math.IsNaN(d.Growth)
	if risk {
		o.raise(d.Anchor*d.Growth, SourceRisk)
		if d.EventFloor > 0 {
			o.raise(d.EventFloor, SourceEvent)
		}
	}
	if predictive && !risk && !math.IsNaN(d.ForecastPeak) {
		o.raise(d.ForecastPeak, SourceForecast)
	}
	if h := p.headroom(); predictive && h != 1 && !math.IsNaN(o.value) {
		o.set(o.value*h, SourceHeadroom, h)
	}
	if predictive && !risk && d.EventFloor > 0 {
		o.raise(d.EventFloor, SourceEvent)
	}
	blind := math.IsNaN(d.Live) && (!predictive || math.IsNaN(d.ForecastPeak))
	if blind && in.Previous != nil && !math.IsNaN(in.Previous.Value) {
		o.raise(in.Previous.Value, SourceHold)
	}
	if math.IsNaN(o.value) {
		return o, ErrNoSafeValue
	}
	if predictive && p.Tolerance > 0 && p.headroom() < 1+p.Tolerance {
		tolerance(p, in.Replicas, &o)
	}
	rateLimit(p, in, d, &o)
	if floor := float64(p.MinReplicas) * p.TargetPerPod; o.value < floor {
		o.set(floor, SourceMinReplicas, float64(p.MinReplicas))
	}
	if ceil := float64(p.MaxReplicas) * p.TargetPerPod; p.MaxReplicas > 0 && o.value > ceil {
		o.set(ceil, SourceMaxReplicas, float64(p.MaxReplicas))
	}
	return o, nil
}

// rateLimit bounds the change from the previous served value. The scale-up
// limit never holds the value below the live demand.
func rateLimit(p Policy, in Inputs, d *Decision, o *outcome) {
	prev := in.Previous
	if prev == nil || !(prev.Value > 0) || !in.Now.After(prev.At) {
		return
	}
	minutes := in.Now.Sub(prev.At).Minutes()
	if p.MaxScaleUpPerMinute > 0 {
		ceil := prev.Value * (1 + p.MaxScaleUpPerMinute*minutes)
		if !math.IsNaN(d.Live) {
			ceil = math.Max(ceil, d.Live)
		}
		if o.value > ceil {
			o.set(ceil, SourceScaleUpLimit, prev.Value)
		}
	}
	if p.MaxScaleDownPerMinute > 0 {
		floor := prev.Value * math.Max(0, 1-p.MaxScaleDownPerMinute*minutes)
		if o.value < floor {
			o.set(floor, SourceScaleDownLimit, prev.Value)
		}
	}
}

// tolerance works around the HPA's scale-up tolerance (Policy.Tolerance):
// with the running replicas known, a value asking for more pods than run
// but within 1+Tolerance of their target is raised to the next milli
// (KEDA's precision) above that bound, so that the HPA, which then
// proposes ceil(value/TargetPerPod), scales up; with them unknown, the
// value is multiplied by 1+Tolerance.
func tolerance(p Policy, replicas int, o *outcome) {
	if replicas <= 0 {
		o.set(o.value*(1+p.Tolerance), SourceTolerance, 0)
		return
	}
	bound := float64(replicas) * p.TargetPerPod * (1 + p.Tolerance)
	if o.value > float64(replicas)*p.TargetPerPod && o.value <= bound {
		o.set((math.Floor(bound*1000)+1)/1000, SourceTolerance, float64(replicas))
	}
}

// forecastPeak returns the highest known forecast value whose step overlaps
// [from, to], and the start of that step; NaN when none does.
func forecastPeak(f Forecast, from, to time.Time) (float64, time.Time) {
	peak, at := math.NaN(), time.Time{}
	if f.Step <= 0 || len(f.Values) == 0 {
		return peak, at
	}
	first := int(math.Floor(float64(from.Sub(f.Start)) / float64(f.Step)))
	last := int(math.Floor(float64(to.Sub(f.Start)) / float64(f.Step)))
	first, last = max(first, 0), min(last, len(f.Values)-1)
	for i := first; i <= last; i++ {
		v := f.Values[i]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if math.IsNaN(peak) || v > peak {
			peak, at = v, f.Start.Add(time.Duration(i)*f.Step)
		}
	}
	return peak, at
}

// eventFloor returns the highest floor, in demand units, of the events whose
// window overlaps [from, to]: pods asked for now are ready when the event
// starts.
func eventFloor(p Policy, floors []Floor, from, to time.Time) (float64, string) {
	best, name := 0.0, ""
	for _, f := range floors {
		if f.Start.After(to) || !f.End.After(from) {
			continue
		}
		if v := float64(f.Replicas) * p.TargetPerPod; v > best {
			best, name = v, f.Event
		}
	}
	return best, name
}
