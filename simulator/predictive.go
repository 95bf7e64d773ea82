package simulator

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// Defaults of PredictiveConfig, those of the scaler.
const (
	// DefaultRefitInterval is how often the predictive policy refits its
	// forecast, as the scaler does.
	DefaultRefitInterval = time.Hour
	// DefaultFitWindow is the history the forecast is fitted on: four weeks.
	DefaultFitWindow = 28 * 24 * time.Hour
	// DefaultMinHistory is the history needed before the first refit: six
	// hours, enough to learn the growth over the lead time (pooled over
	// the hours while each hour has too few samples). The forecasting
	// model itself waits for MinForecastHistory.
	DefaultMinHistory = 6 * time.Hour
	// DefaultPredictiveModel is the simulate command's forecasting model:
	// mseasonal, the model cheap enough to refit every hour.
	DefaultPredictiveModel = "mseasonal"
	// DefaultForecastStep is the simulate command's forecast step: finer
	// traces are aggregated to it, as per-minute noise is not forecastable.
	DefaultForecastStep = 10 * time.Minute
	// DefaultPredictiveUtilisation is the simulate command's target
	// utilisation of the predictive policy, 1/(1+0.1): the HPA leaves the
	// replicas alone while the served value is within its tolerance (0.1 by
	// default) above their target, so a target of 1/(1+tolerance) of the
	// capacity keeps the served value within the ready capacity. The
	// forecast quantile, taken over the busiest step, is the headroom.
	DefaultPredictiveUtilisation = 1 / 1.1
	// DefaultRisk is the simulate command's risk quantile of the
	// predictive policy (policies.Policy.Risk): the demand to come is
	// expected within what it serves nine times in ten. prescale tune
	// chooses it from the workload's own history for an SLO.
	DefaultRisk = 0.9
	// DefaultEventShift is how early or late an event may run by default
	// (policies.GrowthOptions.Shift).
	DefaultEventShift = 15 * time.Minute
	// DefaultLeadMargin is added to the pods' start-up to make the
	// predictive lead time: the metric lag (30 s), KEDA's poll (30 s) and
	// the HPA's sync (15 s) rounded up to a minute.
	DefaultLeadMargin = time.Minute
)

// maxAnchor bounds the anchor windows a risk-based Predictive keeps live
// values for (policies.DefaultAnchors' longest, with room).
const maxAnchor = time.Hour

// PredictiveConfig configures a Predictive policy.
type PredictiveConfig struct {
	// Policy is the decision's configuration, as the scaler holds it: mode,
	// TargetPerPod (the demand per pod served at the target utilisation),
	// LeadTime (pod start-up and warm-up, plus the metric and controller
	// delays), replica bounds and rate limits. It must be valid.
	Policy policies.Policy
	// Forecaster makes the forecasts; it must not be nil.
	Forecaster Forecaster
	// RefitInterval is the time between two forecasts; 0 means
	// DefaultRefitInterval. Each forecast covers RefitInterval + LeadTime
	// past its instant, so a decision always finds its lead time covered.
	RefitInterval time.Duration
	// FitWindow is the length of history each forecast is fitted on; 0
	// means DefaultFitWindow.
	FitWindow time.Duration
	// MinHistory is the known history needed before the first forecast;
	// 0 means DefaultMinHistory. Before it the policy serves the live
	// demand and the floors.
	MinHistory time.Duration
	// Floors are the calendar floors, in replicas, as the scaler reads them
	// from the calendar (see EventFloors).
	Floors []policies.Floor
	// Past is the demand before the simulated trace, on its grid and ending
	// where it starts, prepended to what the policy observes; its Values
	// may be nil. It stands for the metric history a scaler finds in
	// Prometheus on its first day.
	Past timeseries.Series
	// StaleAfter is how old the live demand may be and still count as live
	// (policies.Inputs.StaleAfter); 0 means it never goes stale.
	StaleAfter time.Duration
	// Activation is the scaler's activationValue: the trigger is active
	// for KEDA when the served value exceeds it (default 0).
	Activation float64
}

// withDefaults fills the zero durations.
func (c PredictiveConfig) withDefaults() PredictiveConfig {
	if c.RefitInterval == 0 {
		c.RefitInterval = DefaultRefitInterval
	}
	if c.FitWindow == 0 {
		c.FitWindow = DefaultFitWindow
	}
	if c.MinHistory == 0 {
		c.MinHistory = DefaultMinHistory
	}
	return c
}

// validate checks c after defaults, naming the field at fault.
func (c PredictiveConfig) validate() error {
	if err := c.Policy.Validate(); err != nil {
		return fieldErr("predictive.policy", "%v", err)
	}
	switch {
	case c.Forecaster == nil:
		return fieldErr("predictive.forecaster", "must be set")
	case c.RefitInterval < 0:
		return fieldErr("predictive.refitInterval", "must be positive")
	case c.FitWindow < 0:
		return fieldErr("predictive.fitWindow", "must be positive")
	case c.MinHistory < 0:
		return fieldErr("predictive.minHistory", "must be positive")
	case c.StaleAfter < 0:
		return fieldErr("predictive.staleAfter", "must not be negative")
	case !(c.Activation >= 0) || math.IsInf(c.Activation, 0):
		return fieldErr("predictive.activation", "must be a finite number >= 0")
	case len(c.Past.Values) > 0 && c.Past.Step <= 0:
		return fieldErr("predictive.past.step", "must be positive")
	}
	return nil
}

// Predictive is prescale's policy as the KEDA external scaler runs it: at
// every reading it calls policies.Decide, the scaler's own decision
// function, with the live metric, the latest forecast and the calendar
// floors, and serves the decision's value against TargetPerPod.
//
// The forecast is refitted every RefitInterval (on a schedule from the
// trace's start) on the last FitWindow of the history observed then,
// Observations.History: the steps completed by the scrape horizon, nothing
// later. Between refits the last forecast is used, as in production. A
// failed fit keeps the previous forecast.
//
// A Predictive is stateful (its forecast and its previous decision): give
// each run its own, and do not share it between goroutines.
type Predictive struct {
	cfg       PredictiveConfig
	forecast  policies.Forecast
	deferred  *deferredFit      // the forecast of the last refit, not fitted yet
	fitted    policies.Forecast // the last forecast fitted, for a deferred fit that fails
	nextRefit time.Time
	scheduled bool
	prev      policies.Decision
	hasPrev   bool
	recent    *policies.Recent
	stats     PredictiveStats
}

// PredictiveStats counts what a Predictive did during its run.
type PredictiveStats struct {
	// Refits is the number of forecasts attempted; FitErrors how many
	// failed (the previous forecast was kept).
	Refits, FitErrors int
	// LastError is the last fit error, nil when none.
	LastError error
	// Decisions counts the decisions by the source that set their value.
	Decisions map[policies.Source]int
}

// NewPredictive returns a Predictive for cfg, with defaults filled, or an
// error naming the invalid field.
func NewPredictive(cfg PredictiveConfig) (*Predictive, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Floors = slices.Clone(cfg.Floors)
	return &Predictive{cfg: cfg, recent: policies.NewRecent(maxAnchor), stats: PredictiveStats{Decisions: map[policies.Source]int{}}}, nil
}

// Name returns "predictive".
func (*Predictive) Name() string { return "predictive" }

// Config returns the configuration with its defaults filled.
func (p *Predictive) Config() PredictiveConfig { return p.cfg }

// Stats returns the counts of the run so far.
func (p *Predictive) Stats() PredictiveStats {
	s := p.stats
	s.Decisions = maps.Clone(p.stats.Decisions)
	return s
}

// deferredFit is a refit whose forecasting model a risk-based Predictive
// fits only when a decision reads it.
type deferredFit struct {
	at      time.Time
	history timeseries.Series
	horizon int
}

// Metrics refits the forecast when it is due, decides, and appends the
// decision's value with its target. A decision that has no safe value
// (policies.ErrNoSafeValue) is a failed reading: NaN.
func (p *Predictive) Metrics(now time.Time, obs Observations, dst []Metric) []Metric {
	if p.due(now) {
		p.refit(now, obs)
	}
	in := policies.Inputs{
		Now:        now,
		Live:       policies.Observation{Value: obs.Value(), At: obs.Horizon()},
		StaleAfter: p.cfg.StaleAfter,
		Floors:     p.cfg.Floors,
		Replicas:   obs.Replicas(),
	}
	if p.deferred != nil && !in.LiveKnown() {
		p.fitDeferred()
	}
	in.Forecast = p.forecast
	if p.hasPrev {
		in.Previous = &p.prev
	}
	p.recent.Add(now, in.Live)
	if g := p.forecast.Growth; g != nil && g.Anchor > 0 {
		// The anchor is the highest live value seen within the window, as
		// the scaler keeps it.
		in.Anchor = p.recent.Max(obs.Horizon(), g.Anchor)
	}
	target := p.cfg.Policy.TargetPerPod
	d, err := policies.Decide(p.cfg.Policy, in)
	if err != nil {
		return append(dst, Metric{Value: math.NaN(), Target: target})
	}
	p.prev, p.hasPrev = d, true
	p.stats.Decisions[d.Source]++
	return append(dst, Metric{Value: d.Value, Target: target, Active: d.Value > p.cfg.Activation})
}

// due reports whether a refit is scheduled at or before now, and advances
// the schedule past now.
func (p *Predictive) due(now time.Time) bool {
	if !p.scheduled {
		p.nextRefit, p.scheduled = now, true
	}
	if now.Before(p.nextRefit) {
		return false
	}
	for !now.Before(p.nextRefit) {
		p.nextRefit = p.nextRefit.Add(p.cfg.RefitInterval)
	}
	return true
}

// refit forecasts from the history observed at now, over the time until
// the next refit plus the lead time. Refits are short (milliseconds) and
// bounded, so they do not take the run's context: Run checks it between
// events.
//
// A risk-based policy whose forecaster is a GrowthLearner learns the
// growth alone here and defers the model's fit to the first decision that
// reads it (the live demand unknown): the decisions are the same, as a
// risk-based decision with a growth table reads nothing else of the
// forecast. If that deferred fit fails, the last forecast fitted serves.
func (p *Predictive) refit(now time.Time, obs Observations) {
	y, ok := p.history(obs)
	if !ok {
		return
	}
	until := p.nextRefit.Add(p.cfg.Policy.LeadTime)
	h := int((until.Sub(y.End())+y.Step-1)/y.Step) + 1
	p.stats.Refits++
	if gl, ok := p.cfg.Forecaster.(GrowthLearner); ok && p.cfg.Policy.Risk > 0 {
		g, err := gl.LearnGrowth(context.Background(), y)
		if err == nil && g != nil {
			p.forecast = policies.Forecast{Growth: g}
			p.deferred = &deferredFit{at: now, history: y, horizon: h}
			return
		}
		// No growth learned: the forecast serves every decision.
	}
	p.deferred = nil
	f, err := p.cfg.Forecaster.Forecast(context.Background(), y, h)
	if err != nil {
		p.fitFailed(now, err)
		growth := p.forecast.Growth
		if f.Growth != nil {
			growth = f.Growth // the growth was learned: the model alone failed
		}
		p.forecast = p.fitted
		p.forecast.Growth = growth
		return
	}
	p.forecast, p.fitted = f, f
}

// fitDeferred fits the forecast of the last refit, keeping its growth.
func (p *Predictive) fitDeferred() {
	d := p.deferred
	p.deferred = nil
	growth := p.forecast.Growth
	f, err := p.cfg.Forecaster.Forecast(context.Background(), d.history, d.horizon)
	if err != nil {
		p.fitFailed(d.at, err)
		f = p.fitted
	} else {
		p.fitted = f
	}
	f.Growth = growth
	p.forecast = f
}

// fitFailed counts a failed fit of the forecast made at at.
func (p *Predictive) fitFailed(at time.Time, err error) {
	p.stats.FitErrors++
	p.stats.LastError = fmt.Errorf("forecast at %s: %w", at.UTC().Format(time.RFC3339), err)
}

// history returns the last FitWindow of the observed history, Past
// included, as a copy; ok is false when less than MinHistory is known.
func (p *Predictive) history(obs Observations) (timeseries.Series, bool) {
	seen := obs.History()
	y := seen
	if past := p.cfg.Past; len(past.Values) > 0 {
		if past.Step != seen.Step || !past.End().Equal(seen.Start) {
			p.stats.LastError = fmt.Errorf("past demand ends at %v in steps of %v, not at the trace's start %v in steps of %v: ignored",
				past.End(), past.Step, seen.Start, seen.Step)
		} else {
			y = timeseries.Series{Name: seen.Name, Start: past.Start, Step: seen.Step,
				Values: append(slices.Clone(past.Values), seen.Values...)}
		}
	}
	if !knownFor(y, p.cfg.MinHistory) {
		return timeseries.Series{}, false
	}
	w := int(p.cfg.FitWindow / y.Step)
	if w < 1 {
		w = 1
	}
	lo := max(y.Len()-w, 0)
	out := y.Slice(lo, y.Len())
	out.Values = slices.Clone(out.Values)
	return out, true
}

// knownFor reports whether y holds known values for at least d, counting
// from its end and stopping as soon as it does.
func knownFor(y timeseries.Series, d time.Duration) bool {
	need := int((d + y.Step - 1) / y.Step)
	for i := y.Len() - 1; i >= 0 && need > 0; i-- {
		if !math.IsNaN(y.Values[i]) {
			need--
		}
	}
	return need <= 0
}
