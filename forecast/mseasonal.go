package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Errors returned by the models of this package; they are wrapped, so test
// them with errors.Is.
var (
	// ErrNoData is returned when a history has no non-missing value.
	ErrNoData = errors.New("no data")
	// ErrShortHistory is returned when a history is too short for a model.
	ErrShortHistory = errors.New("history too short")
	// ErrNonPositive is returned when a model needs a positive history (a
	// multiplicative or log model) and a value is zero or negative.
	ErrNonPositive = errors.New("non-positive value")
)

// Transform is the variance-stabilising transform MultiSeasonal fits in.
type Transform int

const (
	// TransformAuto picks a Box-Cox exponent from the data (see
	// MultiSeasonal); it never transforms a history with a negative value,
	// nor takes the log of one with a zero.
	TransformAuto Transform = iota
	// TransformNone fits the values as they are: additive seasonality.
	TransformNone
	// TransformLog fits their logarithm: multiplicative seasonality. The
	// history must be positive.
	TransformLog
)

// DefaultMaxFitCycles is the default of MultiSeasonalOptions.MaxFitCycles.
const DefaultMaxFitCycles = 6

// minPresent is the fewest non-missing values MultiSeasonal fits.
const minPresent = 3

// MultiSeasonalOptions configures a MultiSeasonal model. The zero value
// detects up to two periods, picks the transform from the data and cleans
// the history.
type MultiSeasonalOptions struct {
	// Periods are the seasonal periods in steps. Nil detects them with
	// DetectPeriods; periods under 2 steps or without two full cycles in the
	// history are dropped.
	Periods []int
	// MaxPeriods caps the number of detected periods; 0 means 2 (a day and
	// a week).
	MaxPeriods int
	// Transform is the transform fitted in; the default is TransformAuto.
	Transform Transform
	// MaxFitCycles bounds the fitted window to that many cycles of the
	// longest period (and at least 8 of the shortest); 0 means
	// DefaultMaxFitCycles, and without periods the window is capped at
	// DefaultHoltWintersFitPoints steps. A window less than half present is
	// extended back until it holds half its size in values.
	MaxFitCycles int
	// NoClean disables the outage and spike cleaning (see Clean).
	NoClean bool
}

// MultiSeasonal is prescale's production model: a robust multi-seasonal
// decomposition with a damped trend, cheap enough to be refitted at every
// scaling decision (a few milliseconds for four weeks of one-minute data).
//
// A fit cleans the history (Clean), picks a transform, then decomposes the
// fitted window into a trend, one seasonal profile per period and a level:
//
//   - Transform: with TransformAuto and a positive history, the Box-Cox
//     exponent is λ = 1 − β, clamped to [0, 1] and rounded to a quarter,
//     where β is the slope of log standard deviation on log mean over the
//     cycles of the shortest period (Guerrero's idea: β = 1 when the
//     amplitude scales with the level, which makes the log the right
//     transform, β = 0 when it does not). Without enough cycles to tell (3,
//     with log means that vary), a seasonal history gets the log and a
//     non-seasonal one none. A history with zeros (counts in quiet
//     minutes) takes the same exponent but at least ¼, Box-Cox being
//     defined at zero for a positive exponent; one with a negative value
//     is not transformed.
//   - Trend: the centred moving mean over the longest period.
//   - Seasonal profiles, per phase, as 25%-trimmed means of the detrended
//     values, smoothed by a centred moving mean over 1/24 of the shortest
//     period (an hour of a day; no smoothing for hourly data): each longer
//     period (a week) as an offset over the shortest (a day), estimated over
//     the whole window and shrunk towards zero by the James-Stein factor
//     1 − noise/signal, so that a week that is noise adds nothing; the
//     shortest profile from the last 7 values at each phase, so that it
//     follows a drifting daily shape.
//   - Level and trend of the deseasonalised values: the slope of their
//     least-squares line over the window, the level as the mean of the last
//     cycle of the shortest period brought to the last step along that
//     slope. The slope is damped by 0.98 per 1/24 of the shortest period.
//     Without periods, the level is simple exponential smoothing, its
//     parameter fitted by golden-section search.
//
// Forecasts are brought back from the transform and kept within the range
// of the fitted window widened by its span on each side (and at or above
// zero for a non-negative history), a guard against extrapolating a burst.
type MultiSeasonal struct {
	opts MultiSeasonalOptions
}

// NewMultiSeasonal returns a MultiSeasonal model with the given options.
func NewMultiSeasonal(opts MultiSeasonalOptions) *MultiSeasonal {
	if opts.MaxPeriods <= 0 {
		opts.MaxPeriods = 2
	}
	if opts.MaxFitCycles <= 0 {
		opts.MaxFitCycles = DefaultMaxFitCycles
	}
	opts.Periods = slices.Clone(opts.Periods)
	return &MultiSeasonal{opts: opts}
}

// Name returns "mseasonal".
func (m *MultiSeasonal) Name() string { return "mseasonal" }

// Fit fits the model to y. It returns ErrNoData when y has no value,
// ErrShortHistory when the fitted window keeps fewer than 3 values,
// ErrNonPositive for TransformLog on a history with a value ≤ 0, and
// ctx.Err() when ctx is done.
func (m *MultiSeasonal) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c := fitCacheFrom(ctx); c != nil {
		return c.fit(m.opts, y, func() (Fit, error) { return m.fit(ctx, y) })
	}
	return m.fit(ctx, y)
}

// fit is Fit without the cache.
func (m *MultiSeasonal) fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	if countPresent(y.Values) == 0 {
		return nil, fmt.Errorf("fitting mseasonal to %q: %w", y.Name, ErrNoData)
	}
	ps := m.opts.Periods
	if ps == nil {
		ps = detectPeriods(ctx, y, m.opts.MaxPeriods)
	}
	ps = usablePeriods(ps, y.Len())
	start := windowStart(y.Values, m.window(y.Len(), ps))
	w := y.Slice(start, y.Len())
	if !m.opts.NoClean {
		w, _ = Clean(w, ps)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n := countPresent(w.Values); n < minPresent {
		return nil, fmt.Errorf("fitting mseasonal to %q: %d values in the last %d steps: %w",
			y.Name, n, w.Len(), ErrShortHistory)
	}
	lambda, err := m.lambda(w.Values, ps)
	if err != nil {
		return nil, fmt.Errorf("fitting mseasonal to %q: %w", y.Name, err)
	}
	return newMSFit(w.Values, ps, lambda, start), nil
}

// usablePeriods returns the sorted distinct periods of ps that have at
// least 2 steps and two full cycles in n steps.
func usablePeriods(ps []int, n int) []int {
	var out []int
	for _, p := range ps {
		if p >= 2 && n >= minCycles*p && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// window returns the number of most recent steps of n to fit.
func (m *MultiSeasonal) window(n int, ps []int) int {
	if len(ps) == 0 {
		return min(n, DefaultHoltWintersFitPoints)
	}
	return min(n, max(m.opts.MaxFitCycles*ps[len(ps)-1], 8*ps[0]))
}

// windowStart returns the first step of the fitted window: size steps
// before the end, or earlier if that is needed for the window to hold
// size/2 values (a sparse history).
func windowStart(v []float64, size int) int {
	start := len(v) - size
	need := size/2 - countPresent(v[start:])
	for ; need > 0 && start > 0; start-- {
		if !math.IsNaN(v[start-1]) {
			need--
		}
	}
	return start
}

// lambda returns the Box-Cox exponent to fit v in.
func (m *MultiSeasonal) lambda(v []float64, ps []int) (float64, error) {
	positive := !slices.ContainsFunc(v, func(x float64) bool { return x <= 0 })
	switch m.opts.Transform {
	case TransformNone:
		return 1, nil
	case TransformLog:
		if !positive {
			return 0, ErrNonPositive
		}
		return 0, nil
	}
	if slices.ContainsFunc(v, func(x float64) bool { return x < 0 }) {
		return 1, nil
	}
	if !positive {
		return max(0.25, autoLambda(v, ps)), nil
	}
	return autoLambda(v, ps), nil
}

// msFit is a fitted MultiSeasonal.
type msFit struct {
	z        []float64 // transformed, cleaned window
	start    int       // index of the window in the history
	lambda   float64
	seasonal seasonal
	trend    dampedTrend
	lo, hi   float64 // forecast guard, in the original units

	once     sync.Once
	inSample []float64
}

// newMSFit fits the decomposition to the cleaned window v (which starts at
// step start of the history) in the Box-Cox transform lambda.
func newMSFit(v []float64, ps []int, lambda float64, start int) *msFit {
	z := make([]float64, len(v))
	for i, x := range v {
		z[i] = boxCox(x, lambda)
	}
	s, a := decompose(z, ps)
	f := &msFit{z: z, start: start, lambda: lambda, seasonal: s, trend: fitTrend(a, ps)}
	f.lo, f.hi = forecastGuard(v)
	return f
}

// Forecast returns the h-step forecast: level plus damped trend plus the
// seasonal profiles, brought back from the transform and guarded.
func (f *msFit) Forecast(h int) []float64 {
	out := f.trend.path(h)
	n := len(f.z)
	for k, v := range out {
		v += f.seasonal.at(n + k)
		out[k] = min(max(invBoxCox(v, f.lambda), f.lo), f.hi)
	}
	return out
}

// InSample returns the fitted values: the smoothed level of the
// deseasonalised history plus the seasonal profiles at each step (one-step
// exponential-smoothing predictions without periods), NaN before the fitted
// window.
func (f *msFit) InSample() []float64 {
	f.once.Do(func() {
		f.inSample = make([]float64, f.start+len(f.z))
		for i := range f.start {
			f.inSample[i] = math.NaN()
		}
		lv := f.trend.smoothed(f.z, f.seasonal)
		for i, l := range lv {
			f.inSample[f.start+i] = invBoxCox(l+f.seasonal.at(i), f.lambda)
		}
	})
	return f.inSample
}

// forecastGuard returns the bounds forecasts are kept in: the range of v
// widened by its span on each side, and not below zero when v is not.
func forecastGuard(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if !math.IsNaN(x) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	span := hi - lo
	if lo >= 0 {
		return 0, hi + span
	}
	return lo - span, hi + span
}
