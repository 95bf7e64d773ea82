package forecast

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Defaults of MSTLOptions.
const (
	// DefaultMSTLIterations is the default number of passes over the periods.
	DefaultMSTLIterations = 2
	// DefaultMSTLRobustPasses is the default number of robustness passes of
	// each STL decomposition: two take the effect of an isolated spike 50
	// times the seasonal amplitude down to a fifth of that amplitude, one
	// leaves twice the amplitude.
	DefaultMSTLRobustPasses = 2
)

// MSTLOptions configures an MSTL model. The zero value uses a day and a week
// as periods (when the step divides them and the history holds two cycles),
// two passes and two robustness passes.
type MSTLOptions struct {
	// Periods are the seasonal periods in steps. Nil means a day and a week
	// in steps of the series, 24 and 168 for hourly data, 48 and 336 for
	// half-hourly data. Periods under 2 steps or without two full cycles in
	// the history are dropped.
	Periods []int
	// Iterations is the number of passes over the periods; 0 means
	// DefaultMSTLIterations.
	Iterations int
	// RobustPasses is the number of robustness passes of each STL (loess
	// refits with bisquare weights of the remainder); 0 means
	// DefaultMSTLRobustPasses, a negative value none.
	RobustPasses int
}

// MSTL is the reference multi-seasonal baseline: an MSTL decomposition
// (Bandara, Hyndman and Bergmeir, 2021) with an exponential smoothing trend,
// the method of statsforecast's MSTL with an AutoETS trend, implemented
// here. Its Name is "mstl".
//
// A fit interpolates missing steps linearly and decomposes the whole history:
// for each period, shortest first, the period's seasonal component is added
// back to the deseasonalised series and extracted again by STL (local linear
// loess; seasonal spans 11, 15, ... by period rank, trend span the smallest
// odd integer above 1.5p/(1 − 1.5/span), low-pass span above p, loess
// evaluated every tenth of its span and interpolated between), twice over
// the periods; each STL runs its inner loop once per robustness pass, twice
// without robustness. The deseasonalised history (trend plus remainder) is
// then fitted by ETS(A,N,N), ETS(A,A,N) and ETS(A,Ad,N) by least squares of
// the one-step errors, over its last DefaultHoltWintersFitPoints steps at
// most, and the one with the lowest AICc forecasts the trend; each
// seasonal component repeats its last cycle. Values are fitted as they
// are, with no transform and no cleaning: it is a baseline.
type MSTL struct {
	opts MSTLOptions
}

// NewMSTL returns an MSTL model with the given options.
func NewMSTL(opts MSTLOptions) *MSTL {
	if opts.Iterations <= 0 {
		opts.Iterations = DefaultMSTLIterations
	}
	switch {
	case opts.RobustPasses == 0:
		opts.RobustPasses = DefaultMSTLRobustPasses
	case opts.RobustPasses < 0:
		opts.RobustPasses = 0
	}
	opts.Periods = slices.Clone(opts.Periods)
	return &MSTL{opts: opts}
}

// Name returns "mstl".
func (m *MSTL) Name() string { return "mstl" }

// Fit decomposes y and fits the trend. It returns ErrNoData when y has no
// value, ErrShortHistory when it has fewer than 3, and ctx.Err() when ctx
// is done.
func (m *MSTL) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n := countPresent(y.Values); n < minPresent {
		err := ErrShortHistory
		if n == 0 {
			err = ErrNoData
		}
		return nil, fmt.Errorf("fitting mstl to %q: %d values: %w", y.Name, n, err)
	}
	ps := m.opts.Periods
	if ps == nil {
		ps = calendarPeriods(y.Step)
	}
	ps = usablePeriods(ps, y.Len())
	filled := interpolateMissing(y.Values)
	comps, deseason, smooth := mstlDecompose(filled, ps, m.opts.Iterations, m.opts.RobustPasses)
	trend, err := fitETS(ctx, deseason[max(0, len(deseason)-DefaultHoltWintersFitPoints):])
	if err != nil {
		return nil, err
	}
	return &mstlFit{periods: ps, seasonal: comps, smooth: smooth, n: len(deseason), trend: trend}, nil
}

// mstlDecompose returns the seasonal components of y (no NaN) for the sorted
// periods ps, the deseasonalised series and the trend of the last STL (the
// deseasonalised series itself without periods).
func mstlDecompose(y []float64, ps []int, iterations, robust int) (comps [][]float64, deseason, trend []float64) {
	deseason = slices.Clone(y)
	trend = deseason
	comps = make([][]float64, len(ps))
	for i := range comps {
		comps[i] = make([]float64, len(y))
	}
	for range iterations {
		for i, p := range ps {
			for t := range deseason {
				deseason[t] += comps[i][t]
			}
			comps[i], trend = stl(deseason, defaultSTLOptions(p, 7+4*(i+1), robust))
			for t := range deseason {
				deseason[t] -= comps[i][t]
			}
		}
	}
	return comps, deseason, trend
}

// interpolateMissing returns v with its NaN values interpolated linearly
// between the nearest values, and carried flat before the first and after
// the last.
func interpolateMissing(v []float64) []float64 {
	out := slices.Clone(v)
	prev := -1
	for i, x := range out {
		if math.IsNaN(x) {
			continue
		}
		switch {
		case prev < 0:
			for j := range i {
				out[j] = x
			}
		case i-prev > 1:
			for j := prev + 1; j < i; j++ {
				t := float64(j-prev) / float64(i-prev)
				out[j] = out[prev] + t*(x-out[prev])
			}
		}
		prev = i
	}
	for j := prev + 1; j < len(out) && prev >= 0; j++ {
		out[j] = out[prev]
	}
	return out
}

// mstlFit is a fitted MSTL.
type mstlFit struct {
	periods  []int
	seasonal [][]float64 // per period, over the history
	smooth   []float64   // the STL trend over the history
	n        int         // steps in the history
	trend    etsTrend
}

// Forecast returns the ETS forecast of the trend plus, per period, the
// seasonal component of the same phase in the last cycle.
func (f *mstlFit) Forecast(h int) []float64 {
	out := f.trend.path(h)
	n := f.n
	for j, s := range f.seasonal {
		p := f.periods[j]
		for k := range out {
			out[k] += s[n-p+k%p]
		}
	}
	return out
}

// InSample returns the smoothed fit of the history: the STL trend plus the
// seasonal components.
func (f *mstlFit) InSample() []float64 {
	out := slices.Clone(f.smooth)
	for _, s := range f.seasonal {
		for i := range out {
			out[i] += s[i]
		}
	}
	return out
}
