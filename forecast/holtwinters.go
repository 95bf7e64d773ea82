package forecast

import (
	"context"
	"fmt"
	"math"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"gonum.org/v1/gonum/optimize"
)

// Seasonality says how a seasonal component combines with the level.
type Seasonality int

const (
	// Additive seasonality adds a per-phase offset to the level.
	Additive Seasonality = iota
	// Multiplicative seasonality scales the level by a per-phase factor;
	// the history must then be positive.
	Multiplicative
)

// String returns "additive" or "multiplicative".
func (s Seasonality) String() string {
	if s == Multiplicative {
		return "multiplicative"
	}
	return "additive"
}

// DefaultHoltWintersFitPoints is the default of
// HoltWintersOptions.MaxFitPoints: Holt-Winters is fitted on at most the
// last 4096 steps of a history (but on at least 3 periods), which bounds a
// fit to at most 400 passes of the recursions over that window (a few
// milliseconds).
const DefaultHoltWintersFitPoints = 4096

// hwMaxEvaluations caps the objective evaluations of one Nelder-Mead run.
const hwMaxEvaluations = 400

// HoltWintersOptions configures a HoltWinters model.
type HoltWintersOptions struct {
	// Period is the seasonal period in steps; 0 detects the primary period
	// (see NewSeasonalNaive), and 1 means no seasonality.
	Period int
	// Seasonality is Additive (the default) or Multiplicative.
	Seasonality Seasonality
	// Damped damps the trend: the trend of the k-th forecast step is
	// multiplied by φ + φ² + … + φ^k with φ in (0.8, 0.98), fitted.
	Damped bool
	// MaxFitPoints is the number of most recent steps fitted; 0 means
	// DefaultHoltWintersFitPoints. At least 3 periods are always kept, and a
	// window less than half present is extended back until it holds half
	// its size in values.
	MaxFitPoints int
	// NoClean disables the outage and spike cleaning (see Clean) of the
	// fitted steps.
	NoClean bool
}

// HoltWinters is the Holt-Winters (triple exponential smoothing) method with
// one seasonal period: level, trend (optionally damped) and seasonal
// components, their smoothing parameters fitted by Nelder-Mead to minimise
// the one-step-ahead squared error. A missing step skips the update: the
// state is carried forward by its own prediction.
type HoltWinters struct {
	opts HoltWintersOptions
}

// NewHoltWinters returns a Holt-Winters model with the given options.
func NewHoltWinters(opts HoltWintersOptions) *HoltWinters {
	if opts.MaxFitPoints <= 0 {
		opts.MaxFitPoints = DefaultHoltWintersFitPoints
	}
	opts.Period = max(opts.Period, 0)
	return &HoltWinters{opts: opts}
}

// Name returns "holt-winters".
func (m *HoltWinters) Name() string { return "holt-winters" }

// Fit fits the smoothing parameters to the last MaxFitPoints steps of y. It
// returns ErrNoData when y has no value, ErrShortHistory when the fitted
// window holds fewer than two periods and two steps, ErrNonPositive for
// multiplicative seasonality on a history with a value ≤ 0, and ctx.Err()
// when ctx ends during the fit.
func (m *HoltWinters) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := m.opts.Period
	if p == 0 {
		p = primaryPeriod(ctx, y)
	}
	start := windowStart(y.Values, min(y.Len(), max(m.opts.MaxFitPoints, 3*p)))
	w := y.Slice(start, y.Len())
	if !m.opts.NoClean {
		w, _ = Clean(w, []int{p})
	}
	if err := m.check(w, p); err != nil {
		return nil, fmt.Errorf("fitting holt-winters to %q: %w", y.Name, err)
	}
	hw := hwFilter{y: w.Values, period: p, mult: m.opts.Seasonality == Multiplicative, damped: m.opts.Damped}
	hw.initState()
	x, err := hw.optimize(ctx)
	if err != nil {
		return nil, err
	}
	fit := &hwFit{inSample: make([]float64, y.Len())}
	for i := range start {
		fit.inSample[i] = math.NaN()
	}
	fit.state = hw.run(hw.params(x), fit.inSample[start:])
	fit.hw = hw
	return fit, nil
}

// check validates the fitted window w for period p.
func (m *HoltWinters) check(w timeseries.Series, p int) error {
	present := countPresent(w.Values)
	switch {
	case present == 0:
		return ErrNoData
	case w.Len() < 2*p+2 || present < p+2:
		return fmt.Errorf("%d steps (%d present) for period %d: %w", w.Len(), present, p, ErrShortHistory)
	}
	if m.opts.Seasonality == Multiplicative {
		for i, v := range w.Values {
			if v <= 0 {
				return fmt.Errorf("multiplicative seasonality, value %g at step %d: %w", v, i, ErrNonPositive)
			}
		}
	}
	return nil
}

// hwParams are the smoothing parameters of the Holt-Winters recursions.
type hwParams struct{ alpha, beta, gamma, phi float64 }

// hwState is the Holt-Winters state after the last step: level, trend and
// the seasonal components, seasonal[k] being that of the k-th step ahead's
// phase (k mod period).
type hwState struct {
	params       hwParams
	level, trend float64
	seasonal     []float64
}

// hwFilter runs the Holt-Winters recursions over a window y.
type hwFilter struct {
	y              []float64
	period         int
	mult, damped   bool
	level0, trend0 float64
	seasonal0      []float64
	scale          float64
	work           []float64 // seasonal state of the running pass
}

// initState sets the initial state from the first (up to) three cycles:
// the trend from the change of their means, the seasonal components from
// the values less their cycle's mean and the trend within the cycle, and
// the level one step before the window. It also sets the objective's scale.
func (f *hwFilter) initState() {
	p := f.period
	cycles := min(3, len(f.y)/p)
	means := make([]float64, cycles)
	for c := range means {
		means[c] = nanMean(f.y[c*p : (c+1)*p])
	}
	f.trend0 = 0
	if cycles >= 2 && !math.IsNaN(means[0]) && !math.IsNaN(means[cycles-1]) {
		f.trend0 = (means[cycles-1] - means[0]) / float64((cycles-1)*p)
	}
	centre := float64(p-1) / 2
	f.seasonal0 = make([]float64, p)
	for ph := range p {
		sum, n := 0.0, 0
		for c := range cycles {
			v, level := f.y[c*p+ph], means[c]+f.trend0*(float64(ph)-centre)
			if math.IsNaN(v) || math.IsNaN(level) {
				continue
			}
			if f.mult {
				sum += v / level
			} else {
				sum += v - level
			}
			n++
		}
		switch {
		case n > 0:
			f.seasonal0[ph] = sum / float64(n)
		case f.mult:
			f.seasonal0[ph] = 1
		}
	}
	f.level0 = nanMean(means) - f.trend0*(centre+1+float64(p*(cycles-1))/2)
	f.scale = nanVariance(f.y)
	if !(f.scale > 0) {
		f.scale = 1
	}
}

// params maps an unconstrained point of the optimizer to smoothing
// parameters through the logistic function: α, γ/(1−α), β/α in (0,1) and
// φ in (0.8, 0.98) (1 without damping).
func (f *hwFilter) params(x []float64) hwParams {
	a := logistic(x[0])
	p := hwParams{alpha: a, beta: a * logistic(x[1]), gamma: (1 - a) * logistic(x[2]), phi: 1}
	if f.damped {
		p.phi = 0.8 + 0.18*logistic(x[3])
	}
	return p
}

// optimize returns the unconstrained point minimising the mean squared
// one-step error, honouring ctx.
func (f *hwFilter) optimize(ctx context.Context) ([]float64, error) {
	x0 := []float64{logit(0.3), logit(0.1), logit(0.1)}
	if f.damped {
		x0 = append(x0, logit(0.5))
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 { return f.cost(f.params(x)) },
		Status: func() (optimize.Status, error) {
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		FuncEvaluations: hwMaxEvaluations,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-6, Relative: 1e-6, Iterations: 30},
	}
	res, err := optimize.Minimize(prob, x0, settings, &optimize.NelderMead{})
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil || res == nil {
		return x0, nil
	}
	return res.X, nil
}

// cost returns the mean squared one-step error under p, relative to the
// variance of the window (+Inf when the recursions diverge).
func (f *hwFilter) cost(p hwParams) float64 {
	st := f.run(p, nil)
	if math.IsNaN(st.level) || math.IsInf(st.level, 0) {
		return math.Inf(1)
	}
	return st.sse
}

// hwRun is the outcome of one pass of the recursions.
type hwRun struct {
	hwState
	sse float64
}

// run applies the recursions with parameters p over the window and returns
// the final state and the scaled mean squared error. With pred not nil it
// writes the one-step predictions into it and returns the seasonal
// components too (the final pass); without, it only scores p.
//
// The level and trend recursions are written as two linear maps of the
// previous level and trend, which gives the same values as the textbook
// form (up to rounding) with half its chain of dependent operations per
// step: the new trend β(l'−l) + (1−β)φb is βA − αβl + φ(1−αβ)b, with A the
// observation's share α(v−s) (α·v/s multiplicative) of the new level
// l' = A + (1−α)l + (1−α)φb.
func (f *hwFilter) run(p hwParams, pred []float64) hwRun {
	per := f.period
	if len(f.work) != per {
		f.work = make([]float64, per)
	}
	s := f.work
	copy(s, f.seasonal0)
	l, b := f.level0, f.trend0
	sse, n := 0.0, 0
	c1, c2 := 1-p.alpha, (1-p.alpha)*p.phi // new level: A + c1·l + c2·b
	e1, e2 := -p.alpha*p.beta, p.phi*(1-p.alpha*p.beta)
	g1 := 1 - p.gamma
	ph := 0
	for t, v := range f.y {
		trend := p.phi * b
		var yhat float64
		if f.mult {
			yhat = (l + trend) * s[ph]
		} else {
			yhat = l + trend + s[ph]
		}
		if pred != nil {
			pred[t] = yhat
		}
		if math.IsNaN(v) {
			l, b = l+trend, trend
		} else {
			e := v - yhat
			sse += e * e
			n++
			var a float64
			if f.mult {
				a = p.alpha * v / s[ph]
			} else {
				a = p.alpha * (v - s[ph])
			}
			l, b = a+c1*l+c2*b, p.beta*a+e1*l+e2*b
			if f.mult {
				s[ph] = p.gamma*v/l + g1*s[ph]
			} else {
				s[ph] = p.gamma*(v-l) + g1*s[ph]
			}
		}
		if ph++; ph == per {
			ph = 0
		}
	}
	st := hwState{params: p, level: l, trend: b}
	if pred != nil {
		// Rotate so that seasonal[k] belongs to the k-th step ahead.
		next := len(f.y) % per
		st.seasonal = append(append(make([]float64, 0, per), s[next:]...), s[:next]...)
	}
	return hwRun{hwState: st, sse: sse / float64(max(n, 1)) / f.scale}
}

// hwFit is a fitted HoltWinters.
type hwFit struct {
	hw       hwFilter
	state    hwRun
	inSample []float64
}

// Forecast returns the h-step forecast: level plus the (damped) trend,
// combined with the seasonal component of each step's phase.
func (f *hwFit) Forecast(h int) []float64 {
	st := f.state
	out := make([]float64, max(h, 0))
	trend, damp := 0.0, 1.0
	for k := range out {
		damp *= st.params.phi
		trend += damp * st.trend
		s := st.seasonal[k%len(st.seasonal)]
		if f.hw.mult {
			out[k] = (st.level + trend) * s
		} else {
			out[k] = st.level + trend + s
		}
	}
	return out
}

// InSample returns the one-step-ahead predictions over the fitted window,
// NaN before it.
func (f *hwFit) InSample() []float64 { return f.inSample }

// logistic maps ℝ onto (0,1).
func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logit is the inverse of logistic.
func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// nanVariance returns the variance of the non-NaN values of v (NaN when
// there are none).
func nanVariance(v []float64) float64 {
	m := nanMean(v)
	s, n := 0.0, 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += (x - m) * (x - m)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}
