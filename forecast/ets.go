package forecast

import (
	"context"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// etsKind is a non-seasonal exponential smoothing state-space model with
// additive errors: ETS(A,N,N), ETS(A,A,N) or ETS(A,Ad,N).
type etsKind int

const (
	etsSimple etsKind = iota // level only
	etsHolt                  // level and trend
	etsDamped                // level and damped trend
)

// Bounds of the damping parameter φ, as usual for ETS (Hyndman et al.,
// "Forecasting with Exponential Smoothing", 2008): below 0.8 the trend
// hardly matters, above 0.98 it is hard to tell from an undamped one.
const (
	etsMinPhi, etsMaxPhi = 0.8, 0.98
	etsMaxEvaluations    = 300
)

// etsTrend is a fitted non-seasonal ETS model: its parameters, its state
// after the last step and its corrected Akaike information criterion.
type etsTrend struct {
	kind              etsKind
	alpha, beta, phi  float64
	level, slope      float64
	sse, aicc         float64
	initLevel, initSl float64
}

// path returns the forecasts of the h steps after the last one:
// level + slope·(φ + … + φ^k) at step k.
func (e etsTrend) path(h int) []float64 {
	return dampedTrend{level: e.level, slope: e.slope, phi: e.phi}.path(h)
}

// fitETS fits ETS(A,N,N), ETS(A,A,N) and ETS(A,Ad,N) to a (NaN = missing)
// by maximum likelihood, which for additive Gaussian errors is least squares
// of the one-step errors, and returns the one with the lowest AICc. For given
// smoothing parameters the one-step errors are linear in the initial state,
// so the initial level and slope are solved for exactly and the search (a
// Nelder-Mead on the smoothing parameters) is over two or three dimensions.
func fitETS(ctx context.Context, a []float64, kinds ...etsKind) (etsTrend, error) {
	if len(kinds) == 0 {
		kinds = []etsKind{etsSimple, etsHolt, etsDamped}
	}
	best := etsTrend{aicc: math.Inf(1)}
	for _, k := range kinds {
		t, err := fitETSKind(ctx, a, k)
		if err != nil {
			return etsTrend{}, err
		}
		if t.aicc < best.aicc || math.IsInf(best.aicc, 1) && !math.IsNaN(t.aicc) {
			best = t
		}
	}
	return best, nil
}

// etsParams maps an unconstrained point to (α, β, φ) of kind k: α in
// (0, 1), β in (0, α), φ in [etsMinPhi, etsMaxPhi].
func etsParams(k etsKind, x []float64) (alpha, beta, phi float64) {
	alpha = 1e-4 + (1-2e-4)*logistic(x[0])
	phi = 1
	switch k {
	case etsHolt:
		beta = alpha * logistic(x[1])
	case etsDamped:
		beta = alpha * logistic(x[1])
		phi = etsMinPhi + (etsMaxPhi-etsMinPhi)*logistic(x[2])
	}
	return alpha, beta, phi
}

// fitETSKind fits one kind of model to a.
func fitETSKind(ctx context.Context, a []float64, k etsKind) (etsTrend, error) {
	dims := []int{1, 2, 3}[k]
	x0 := []float64{logit(0.2), logit(0.1), logit(0.5)}[:dims]
	prob := optimize.Problem{
		Func: func(x []float64) float64 {
			al, be, ph := etsParams(k, x)
			sse, _, _ := etsSSE(a, k, al, be, ph)
			return sse
		},
		Status: func() (optimize.Status, error) {
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		FuncEvaluations: etsMaxEvaluations,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-7, Iterations: 30},
	}
	x := x0
	if dims > 0 {
		res, err := optimize.Minimize(prob, x0, settings, &optimize.NelderMead{})
		if cerr := ctx.Err(); cerr != nil {
			return etsTrend{}, cerr
		}
		if err == nil && res != nil {
			x = res.X
		}
	}
	t := etsTrend{kind: k}
	t.alpha, t.beta, t.phi = etsParams(k, x)
	t.sse, t.initLevel, t.initSl = etsSSE(a, k, t.alpha, t.beta, t.phi)
	t.level, t.slope = etsRun(a, t, nil)
	n := float64(countPresent(a))
	params := float64([]int{3, 5, 6}[k]) // smoothing parameters, initial states and the error variance
	t.aicc = math.NaN()
	if n > params+1 && t.sse > 0 {
		t.aicc = n*math.Log(t.sse/n) + 2*params + 2*params*(params+1)/(n-params-1)
	} else if t.sse == 0 {
		t.aicc = math.Inf(-1)
	}
	return t, nil
}

// etsSSE returns the least sum of squared one-step errors of kind k with the
// given parameters over a, and the initial level and slope attaining it. The
// errors are e = e₀ + l₀·u + b₀·v, with e₀ the errors from a zero initial
// state and u, v those of a zero series from a unit initial level or slope.
func etsSSE(a []float64, k etsKind, alpha, beta, phi float64) (sse, l0, b0 float64) {
	var l, b, lu, bu, lv, bv float64 // states driven by a, by l₀ = 1, by b₀ = 1
	lv, bv = 0, 1
	lu = 1
	var see, seu, sev, suu, suv, svv float64
	for _, y := range a {
		pe, pu, pv := l+phi*b, lu+phi*bu, lv+phi*bv
		if math.IsNaN(y) {
			l, b, lu, bu, lv, bv = pe, phi*b, pu, phi*bu, pv, phi*bv
			continue
		}
		e, u, v := y-pe, -pu, -pv
		see, seu, sev = see+e*e, seu+e*u, sev+e*v
		suu, suv, svv = suu+u*u, suv+u*v, svv+v*v
		l, b = pe+alpha*e, phi*b+beta*e
		lu, bu = pu+alpha*u, phi*bu+beta*u
		lv, bv = pv+alpha*v, phi*bv+beta*v
	}
	if k == etsSimple || svv == 0 {
		if suu > 0 {
			l0 = -seu / suu
		}
		return max(see+l0*seu, 0), l0, 0
	}
	det := suu*svv - suv*suv
	if det <= 1e-12*suu*svv {
		if suu > 0 {
			l0 = -seu / suu
		}
		return max(see+l0*seu, 0), l0, 0
	}
	l0 = (-seu*svv + sev*suv) / det
	b0 = (-sev*suu + seu*suv) / det
	return max(see+l0*seu+b0*sev, 0), l0, b0
}

// etsRun runs the model t from its initial state over a and returns the
// state after the last step; it writes the one-step predictions into pred
// when not nil.
func etsRun(a []float64, t etsTrend, pred []float64) (level, slope float64) {
	l, b := t.initLevel, t.initSl
	for i, y := range a {
		p := l + t.phi*b
		if pred != nil {
			pred[i] = p
		}
		if math.IsNaN(y) {
			l, b = p, t.phi*b
			continue
		}
		e := y - p
		l, b = p+t.alpha*e, t.phi*b+t.beta*e
	}
	return l, b
}
