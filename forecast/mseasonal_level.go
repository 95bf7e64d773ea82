package forecast

import (
	"math"
)

// dampingPerDayTwentyFourth is the damping of the trend per 1/24 of the
// shortest period (per hour for a daily period); per step without periods.
const dampingPerDayTwentyFourth = 0.98

// dampedTrend is the level and damped trend of a deseasonalised series.
type dampedTrend struct {
	level float64 // at the last step
	slope float64 // per step
	phi   float64 // damping per step
	alpha float64 // smoothing parameter without periods, else 0
	cycle int     // the shortest period, 1 without periods
}

// path returns the level plus damped trend at the h steps after the last
// one: level + slope·(φ + φ² + … + φ^k) at step k.
func (d dampedTrend) path(h int) []float64 {
	out := make([]float64, max(h, 0))
	sum, damp := 0.0, 1.0
	for k := range out {
		damp *= d.phi
		sum += damp
		out[k] = d.level + d.slope*sum
	}
	return out
}

// fitTrend estimates the level and damped trend of the deseasonalised
// window a for the sorted periods ps (see MultiSeasonal).
func fitTrend(a []float64, ps []int) dampedTrend {
	slope, _ := nanLine(a)
	if len(ps) == 0 {
		alpha := goldenSection(func(x float64) float64 { _, mse := ses(a, x, nil); return mse }, 0.001, 0.999)
		level, _ := ses(a, alpha, nil)
		return dampedTrend{level: level, slope: slope, phi: dampingPerDayTwentyFourth, alpha: alpha, cycle: 1}
	}
	p := ps[0]
	sum, idx, n := 0.0, 0.0, 0
	for i := len(a) - 1; i >= 0 && n < p; i-- {
		if !math.IsNaN(a[i]) {
			sum += a[i]
			idx += float64(i)
			n++
		}
	}
	level := sum/float64(n) + slope*(float64(len(a)-1)-idx/float64(n))
	phi := math.Pow(dampingPerDayTwentyFourth, 24/float64(p))
	return dampedTrend{level: level, slope: slope, phi: phi, cycle: p}
}

// smoothed returns the in-sample level of the transformed window z with the
// seasonal components s removed: the centred mean over the shortest period
// (extended along the slope to the last step, flat to the first), or the
// one-step predictions of exponential smoothing without periods.
func (d dampedTrend) smoothed(z []float64, s seasonal) []float64 {
	a := make([]float64, len(z))
	for i, v := range z {
		a[i] = v - s.at(i)
	}
	if d.cycle == 1 {
		pred := make([]float64, len(a))
		ses(a, d.alpha, pred)
		return pred
	}
	lv := centredMean(a, d.cycle)
	n := len(lv)
	for i := n - 1; i >= 0 && math.IsNaN(lv[i]); i-- {
		lv[i] = d.level - d.slope*float64(n-1-i)
	}
	fillEdges(lv)
	return lv
}

// ses runs simple exponential smoothing with parameter alpha over a,
// skipping NaN, and returns the final level and the mean squared one-step
// error; it writes the one-step predictions into pred when not nil (NaN
// before the first value).
func ses(a []float64, alpha float64, pred []float64) (level, mse float64) {
	level = math.NaN()
	sse, n := 0.0, 0
	for i, v := range a {
		if pred != nil {
			pred[i] = level
		}
		switch {
		case math.IsNaN(v):
		case math.IsNaN(level):
			level = v
		default:
			e := v - level
			sse += e * e
			n++
			level += alpha * e
		}
	}
	return level, sse / float64(max(n, 1))
}

// goldenSection returns the minimiser of the unimodal f on [lo, hi] to
// within 1e-4 of the interval.
func goldenSection(f func(float64) float64, lo, hi float64) float64 {
	g := (math.Sqrt(5) - 1) / 2
	c, d := hi-g*(hi-lo), lo+g*(hi-lo)
	fc, fd := f(c), f(d)
	for hi-lo > 1e-4 {
		if fc < fd {
			hi, d, fd = d, c, fc
			c = hi - g*(hi-lo)
			fc = f(c)
		} else {
			lo, c, fc = c, d, fd
			d = lo + g*(hi-lo)
			fd = f(d)
		}
	}
	return (lo + hi) / 2
}

// autoLambda returns the Box-Cox exponent of TransformAuto for the positive
// window v (see MultiSeasonal).
func autoLambda(v []float64, ps []int) float64 {
	if len(ps) == 0 {
		return 1
	}
	p := ps[0]
	var lm, ls []float64
	for c := 0; (c+1)*p <= len(v); c++ {
		seg := v[c*p : (c+1)*p]
		if 2*countPresent(seg) < p {
			continue
		}
		mu, sd := nanMean(seg), math.Sqrt(nanVariance(seg))
		if sd > 0 {
			lm, ls = append(lm, math.Log(mu)), append(ls, math.Log(sd))
		}
	}
	beta, ok := slopeOf(lm, ls)
	if !ok {
		return 0
	}
	// The exponent is rounded to a quarter: its estimate is not finer than
	// that, and quarter powers are fast and exact with square roots.
	return math.Round(4*min(1, max(0, 1-beta))) / 4
}

// slopeOf returns the least-squares slope of y on x, and false when there
// are fewer than 3 points or x hardly varies (variance below 1e-3).
func slopeOf(x, y []float64) (float64, bool) {
	if len(x) < 3 {
		return 0, false
	}
	mx, my := nanMean(x), nanMean(y)
	var sxy, sxx float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	if sxx < 1e-3 {
		return 0, false
	}
	return sxy / sxx, true
}

// boxCox returns the Box-Cox transform (v^λ − 1)/λ of v > 0 for λ in
// {0, ¼, ½, ¾, 1}: the log for 0, v itself for 1.
func boxCox(v, lambda float64) float64 {
	switch lambda {
	case 1:
		return v
	case 0:
		return math.Log(v)
	case 0.5:
		return (math.Sqrt(v) - 1) / 0.5
	case 0.25:
		return (math.Sqrt(math.Sqrt(v)) - 1) / 0.25
	case 0.75:
		r := math.Sqrt(v)
		return (r*math.Sqrt(r) - 1) / 0.75
	}
	return (math.Pow(v, lambda) - 1) / lambda
}

// invBoxCox inverts boxCox; values below the transform's range map to 0.
func invBoxCox(v, lambda float64) float64 {
	switch lambda {
	case 1:
		return v
	case 0:
		return math.Exp(v)
	}
	x := lambda*v + 1
	switch {
	case x <= 0:
		return 0
	case lambda == 0.5:
		return x * x
	case lambda == 0.25:
		return (x * x) * (x * x)
	case lambda == 0.75:
		c := math.Cbrt(x)
		return x * c
	}
	return math.Pow(x, 1/lambda)
}
