package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// EffectMode says how an event's effect combines with the normal demand.
type EffectMode string

const (
	// EffectRatio multiplies the normal demand: 2 doubles it.
	EffectRatio EffectMode = "ratio"
	// EffectDifference adds to the normal demand, in the series' units.
	EffectDifference EffectMode = "difference"
)

// EffectSource says where an event type's effect comes from.
type EffectSource string

const (
	// SourceLearned marks an effect learned from past occurrences in the history.
	SourceLearned EffectSource = "learned"
	// SourceBusiness marks the business-given Uplift of the calendar, used
	// when the history holds no past occurrence of the type.
	SourceBusiness EffectSource = "business"
	// SourceNone marks a type with neither past occurrences nor an Uplift:
	// its occurrences leave the forecast unchanged.
	SourceNone EffectSource = "none"
)

// EventEffect reports the effect a fit gives to one event type.
type EventEffect struct {
	// Type is the calendar's event type.
	Type string
	// Occurrences is the number of past occurrences the effect was learned
	// from (zero unless Source is SourceLearned).
	Occurrences int
	// Mode is how MeanUplift applies to the normal demand.
	Mode EffectMode
	// MeanUplift is the mean effect over the event itself (lead and lag
	// excluded): a multiplier in ratio mode (1.8 means +80 %), an amount in the
	// series' units in difference mode.
	MeanUplift float64
	// Source says whether the effect was learned or given by the business.
	Source EffectSource
	// Weight is the weight of the learned profile against the prior (no
	// effect, or the business Uplift), in [0, 1]: few or discordant past
	// occurrences weigh less. Zero unless Source is SourceLearned.
	Weight float64
}

// effectReporter is a fit that knows the event effects it applies.
type effectReporter interface {
	EventEffects() []EventEffect
}

// WithEvents wraps base so that it accounts for known events.
//
// Fitting masks the affected windows [WindowStart, WindowEnd) of the
// occurrences that fall in the history as missing, so that base learns the
// normal demand; then it learns, per event type, the effect profile along the
// window from the ratio (or difference) of the actual values to base's
// in-sample values there. Forecasts apply the profiles to the occurrences in
// the horizon; a type with no past occurrence uses the occurrence's
// business-given Uplift, or no effect without one.
//
// The choices, documented where they are made: occurrences of different
// durations align on the event's start for the lead and the event, on its
// end for the lag (partLead); each offset takes the median over the past
// occurrences, smoothed over neighbouring offsets (learnProfile) and shrunk
// toward the prior by the occurrences' number and agreement (shrinkWeight);
// ratio or difference is decided on the data (chooseMode); overlapping
// occurrences do not compound (adjust).
//
// The wrapper's Name is base's. Without events it forecasts as base does.
// WithEvents of an *Auto returns an Auto whose candidates are each wrapped,
// so that the choice is made among event-aware candidates on the actual
// history.
func WithEvents(base Model, events []calendar.Occurrence) Model {
	events = append([]calendar.Occurrence(nil), events...)
	if a, ok := base.(*Auto); ok {
		wrapped := *a
		wrapped.Candidates = make([]Model, len(a.Candidates))
		for i, c := range a.Candidates {
			wrapped.Candidates[i] = WithEvents(c, events)
		}
		return &wrapped
	}
	return &eventModel{base: base, events: events}
}

type eventModel struct {
	base   Model
	events []calendar.Occurrence
}

func (m *eventModel) Name() string { return m.base.Name() }

// Fit masks the past event windows of y, fits the base model on the rest and
// learns the event effects. If masking leaves base too little history, the
// base is fitted on y unmasked and only business uplifts apply.
func (m *eventModel) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	spans := eventSpans(y.Start, y.Step, m.events)
	masked, maskedAny := maskSpans(y, spans)
	base, err := m.base.Fit(ctx, masked)
	learn := true
	if err != nil && maskedAny && (errors.Is(err, ErrShortHistory) || errors.Is(err, ErrNoData)) {
		base, err = m.base.Fit(ctx, y)
		learn = false
	}
	if err != nil {
		return nil, err
	}
	f := &eventFit{base: base, model: m, start: y.Start, step: y.Step, n: y.Len(), spans: spans}
	in := base.InSample()
	c := fitCacheFrom(ctx)
	if c == nil || len(in) == 0 {
		f.learn(y, masked, in, learn)
		return f, nil
	}
	key := learnKey{in: &in[0], n: len(in), start: y.Start, step: y.Step, hash: hashValues(y.Values),
		learn: learn, spans: fmt.Sprint(spans)}
	v, _ := c.do(key, y.Values, func() (any, error) {
		l := *f
		l.learn(y, masked, in, learn)
		return &l, nil
	})
	l := v.(*eventFit)
	f.baseIn, f.mode, f.profiles, f.inSample, f.effects = l.baseIn, l.mode, l.profiles, l.inSample, l.effects
	return f, nil
}

// learnKey identifies the effects learned against one base's in-sample
// values (shared by the candidates of an Auto fit built on the same
// MultiSeasonal fit, see fitCache) on one history and calendar.
type learnKey struct {
	in    *float64
	n     int
	start time.Time
	step  time.Duration
	hash  uint64
	learn bool
	spans string
}

// learn learns the effects of the past occurrences of y against the base's
// in-sample values in (see WithEvents); without learn, only business
// uplifts apply.
func (f *eventFit) learn(y, masked timeseries.Series, in []float64, learn bool) {
	f.baseIn = windowBase(in, masked, f.spans)
	var samples map[string][]occSample
	if learn {
		samples = collectSamples(y.Values, f.baseIn, f.spans)
	}
	f.mode = chooseMode(samples, positiveSeries(y.Values))
	f.profiles = learnProfiles(samples, f.mode)
	f.inSample = append([]float64(nil), f.baseIn...)
	f.adjust(f.inSample, 0)
	f.effects = f.report()
}

// eventFit is a base fit with the learned event effects applied.
type eventFit struct {
	base     Fit
	model    *eventModel
	start    time.Time
	step     time.Duration
	n        int
	spans    []eventSpan
	baseIn   []float64 // base in-sample values, bridged over the windows
	mode     EffectMode
	profiles map[string]effectProfile
	inSample []float64
	effects  []EventEffect
}

// Forecast returns the base forecast with the effects of the occurrences in
// the horizon applied.
func (f *eventFit) Forecast(h int) []float64 {
	p := append([]float64(nil), f.base.Forecast(h)...)
	bridgeGaps(p, inAnyWindow(f.spans, f.n, len(p)))
	f.adjust(p, f.n)
	return p
}

// InSample returns the base in-sample values with the learned effects applied
// over the past event windows.
func (f *eventFit) InSample() []float64 { return f.inSample }

// EventEffects returns the effect of every event type of the calendar, sorted
// by type.
func (f *eventFit) EventEffects() []EventEffect { return f.effects }

// resolved returns the base fit's resolved model, wrapped with the same events.
func (f *eventFit) resolved() (Model, string) {
	m, name := resolve(f.model.base, f.base)
	return WithEvents(m, f.model.events), name
}

// adjust applies the event effects to values, whose element j is the grid
// step offset+j. Where occurrences overlap, the strongest effect wins rather
// than compounding them, because each type's profile was learned from windows
// that already include the overlaps.
func (f *eventFit) adjust(values []float64, offset int) {
	best := make(map[int]float64)
	for _, s := range f.spans {
		lo, hi := max(s.from, offset), min(s.to, offset+len(values))
		prof := f.profiles[s.occ.Type]
		for i := lo; i < hi; i++ {
			base := values[i-offset]
			e := prof.effect(s, i, base, f.mode)
			if math.IsNaN(e) || e == 0 {
				continue
			}
			if old, ok := best[i]; !ok || math.Abs(e) > math.Abs(old) {
				best[i] = e
			}
		}
	}
	for i, e := range best {
		values[i-offset] = f.mode.apply(values[i-offset], e)
	}
}

// report summarises the effect of each event type over its past event steps.
func (f *eventFit) report() []EventEffect {
	types := map[string]float64{}
	for _, s := range f.spans {
		if _, ok := types[s.occ.Type]; !ok || types[s.occ.Type] == 0 {
			types[s.occ.Type] = s.occ.Uplift
		}
	}
	out := make([]EventEffect, 0, len(types))
	for typ, uplift := range types {
		e := EventEffect{Type: typ, Mode: EffectRatio, MeanUplift: 1, Source: SourceNone}
		if p := f.profiles[typ]; p.n > 0 {
			e.Occurrences, e.Mode, e.Source, e.Weight = p.n, f.mode, SourceLearned, p.weight
			e.MeanUplift = f.meanEventEffect(typ)
		} else if uplift > 0 {
			e.MeanUplift, e.Source = uplift, SourceBusiness
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

// meanEventEffect is the mean applied effect over the event steps of the past
// occurrences of typ: a multiplier in ratio mode, an amount otherwise.
func (f *eventFit) meanEventEffect(typ string) float64 {
	base := f.baseIn
	prof := f.profiles[typ]
	sum, n := 0.0, 0
	for _, s := range f.spans {
		if s.occ.Type != typ {
			continue
		}
		for i := max(s.start, 0); i < min(s.end, f.n); i++ {
			if e := prof.effect(s, i, base[i], f.mode); !math.IsNaN(e) {
				if f.mode == EffectRatio {
					e = math.Exp(e)
				}
				sum, n = sum+e, n+1
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// positiveSeries reports whether v is a demand-like series that suits
// relative treatment (effects as ratios, interval errors as log ratios): it
// has observed values, none negative, and at most one in a hundred zero, so
// that the zeros of an outage do not turn a traffic series additive. Steps
// with a zero are left out of the ratios.
func positiveSeries(v []float64) bool {
	n, zeros := 0, 0
	for _, x := range v {
		switch {
		case math.IsNaN(x):
			continue
		case x < 0:
			return false
		case x == 0:
			zeros++
		}
		n++
	}
	return n > 0 && zeros*100 <= n
}
