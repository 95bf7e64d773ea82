package forecast

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Calibration methods of prediction intervals.
const (
	// CalibrationRollingOrigin: the model was refitted on the history cut at a
	// few origins before its end and the bounds are quantiles of its errors
	// there, per horizon step.
	CalibrationRollingOrigin = "rolling-origin"
	// CalibrationInSample: the history was too short for refits; the bounds
	// are quantiles of the in-sample residuals widened by sqrt(h).
	CalibrationInSample = "in-sample"
	// CalibrationNone: not even in-sample residuals were available; the
	// bounds are NaN.
	CalibrationNone = "none"
)

// Calibration describes how prediction intervals were calibrated.
type Calibration struct {
	// Method is one of CalibrationRollingOrigin, CalibrationInSample and
	// CalibrationNone.
	Method string
	// Refits is the number of rolling-origin refits whose errors were used.
	Refits int
	// Relative is true when errors were taken as shifted log ratios,
	// log((actual+c)/(forecast+c)) with c half the history's median, so that
	// intervals scale with the level: for demand-like series, without
	// negative values and with at most 1 % zeros. False for absolute errors.
	Relative bool
	// Note explains a fallback, empty otherwise.
	Note string
}

const (
	// minPool is the number of errors each step's quantiles are taken from at
	// least, pooling neighbouring steps when one step has fewer.
	minPool = 24
	// minRefits and maxRefits bound the rolling-origin refits. Each origin
	// gives one sample of the errors that persist along the horizon (a level
	// misjudged), so more origins calibrate better: a short history, cheap to
	// refit, gets up to maxRefits (refitBudget steps refitted in all), a long
	// one minRefits, and a short horizon enough origins for minPool errors.
	minRefits, maxRefits = 3, 8
	refitBudget          = 8 * 4096
	// minResiduals is the fewest in-sample residuals the fallback accepts.
	minResiduals = 8
)

// errorBands holds the lower and upper error quantiles per horizon step:
// of log(actual/forecast) in rel (when relative), and of actual-forecast in
// abs, used for steps whose point forecast is not positive.
type errorBands struct {
	cal          Calibration
	relLo, relHi []float64
	absLo, absHi []float64
	nonNegative  bool
	shift        float64 // of the relative errors, see relShift
}

// refitErrors holds the errors of the rolling-origin refits, per refit and
// step (NaN where unknown): shifted log ratios (see relShift) in rel,
// actual-forecast in abs.
type refitErrors struct {
	rel, abs [][]float64
}

// calibrationOrigins returns the origins n-h, n-2h, ... of the refits.
func calibrationOrigins(n, h int) []int {
	k := min(max((minPool+h-1)/h, refitBudget/max(n, 1), minRefits), maxRefits)
	var out []int
	for o := n - h; o >= 1 && len(out) < k; o -= h {
		out = append(out, o)
	}
	return out
}

// rollingErrors refits model on y cut at each calibration origin, the
// refits running concurrently, and returns the errors of the refits that
// fitted; clamp clamps their forecasts at zero. Its error is ctx's.
func rollingErrors(ctx context.Context, model Model, y timeseries.Series, h int, clamp bool) (refitErrors, error) {
	origins := calibrationOrigins(y.Len(), h)
	rel, abs := make([][]float64, len(origins)), make([][]float64, len(origins))
	shift := relShift(y.Values)
	var wg sync.WaitGroup
	for i, o := range origins {
		wg.Go(func() {
			if f, err := model.Fit(ctx, y.Slice(0, o)); err == nil {
				rel[i], abs[i] = foldErrors(y.Values[o:o+h], f.Forecast(h), clamp, shift)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return refitErrors{}, err
	}
	var r refitErrors
	for i := range origins {
		if abs[i] != nil {
			r.rel, r.abs = append(r.rel, rel[i]), append(r.abs, abs[i])
		}
	}
	return r, nil
}

// foldErrors returns the relative and absolute errors of forecast; the
// relative ones are shifted log ratios (see relShift).
func foldErrors(actual, forecast []float64, clamp bool, shift float64) (rel, abs []float64) {
	rel, abs = nanSlice(len(actual)), nanSlice(len(actual))
	for j := range min(len(actual), len(forecast)) {
		a, p := actual[j], forecast[j]
		if clamp {
			p = max(p, 0)
		}
		abs[j] = a - p
		rel[j] = shiftedLogRatio(a, p, shift)
	}
	return rel, abs
}

// shiftedLogRatio is log((a+shift)/(p+shift)), NaN when either side is not
// positive.
func shiftedLogRatio(a, p, shift float64) float64 {
	if a+shift > 0 && p+shift > 0 {
		return math.Log((a + shift) / (p + shift))
	}
	return math.NaN()
}

// relShift is the shift of the relative errors of a positive series: a
// tenth of the median of its positive values. Relative errors are taken as
// log((actual+shift)/(forecast+shift)), so that they scale with the level
// where the demand is well above its typical level, and stay bounded where
// it is near zero: a forecast of 1 against an actual of 20 in a quiet hour
// must not become a ratio of 20 applied to the busy hours that follow. The
// percentile is estimated on at most 4,096 evenly spaced values.
func relShift(v []float64) float64 {
	stride := max(1, len(v)/4096)
	var xs []float64
	for i := 0; i < len(v); i += stride {
		if x := v[i]; x > 0 {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2] / 10
}

// calibrate turns the refits' errors into bands over h steps at the given
// level (see Calibration), falling back to the residuals of fit, the model
// fitted on all of y, when fewer than two refits fitted.
func calibrate(r refitErrors, y timeseries.Series, fit Fit, h int, level float64) errorBands {
	b := errorBands{nonNegative: nonNegativeSeries(y.Values), shift: relShift(y.Values)}
	b.cal.Relative = positiveSeries(y.Values)
	if len(r.abs) >= 2 {
		b.cal.Method, b.cal.Refits = CalibrationRollingOrigin, len(r.abs)
		b.absLo, b.absHi = stepQuantiles(r.abs, level)
		if b.cal.Relative {
			b.relLo, b.relHi = stepQuantiles(r.rel, level)
		}
		return b
	}
	b.inSampleBands(y.Values, fit.InSample(), h, level)
	return b
}

// stepQuantiles returns, per step, the (1-level)/2 and (1+level)/2
// quantiles of errs[origin][step]. Each step pools the errors of its
// neighbouring steps, widening until it holds minPool of them, which smooths
// the bands; the bands are then made to contain zero and to widen, never
// narrow, with the horizon.
func stepQuantiles(errs [][]float64, level float64) (lo, hi []float64) {
	h := len(errs[0])
	lo, hi = make([]float64, h), make([]float64, h)
	var pool []float64
	for j := range h {
		for w := h / 16; ; w++ {
			pool = pool[:0]
			for _, e := range errs {
				for _, x := range e[max(j-w, 0):min(j+w+1, h)] {
					if !math.IsNaN(x) {
						pool = append(pool, x)
					}
				}
			}
			if len(pool) >= minPool || (j-w <= 0 && j+w >= h-1) {
				break
			}
		}
		lo[j], hi[j] = sampleQuantiles(pool, level)
	}
	monotoneBands(lo, hi)
	return lo, hi
}

// monotoneBands makes lo non-increasing and hi non-decreasing along the
// horizon, and both contain zero (NaN steps take the previous step's value).
func monotoneBands(lo, hi []float64) {
	pl, ph := 0.0, 0.0
	for j := range lo {
		if math.IsNaN(lo[j]) || lo[j] > pl {
			lo[j] = pl
		}
		if math.IsNaN(hi[j]) || hi[j] < ph {
			hi[j] = ph
		}
		pl, ph = lo[j], hi[j]
	}
}

// inSampleBands is the fallback: quantiles of the residuals of the fit over
// the history, widened by sqrt(step) along the horizon.
func (b *errorBands) inSampleBands(actual, fitted []float64, h int, level float64) {
	var rel, abs []float64
	for i := range min(len(actual), len(fitted)) {
		a, f := actual[i], fitted[i]
		if math.IsNaN(a) || math.IsNaN(f) {
			continue
		}
		abs = append(abs, a-f)
		if r := shiftedLogRatio(a, f, b.shift); !math.IsNaN(r) {
			rel = append(rel, r)
		}
	}
	if len(abs) < minResiduals || b.cal.Relative && len(rel) < minResiduals {
		b.cal.Method = CalibrationNone
		b.cal.Note = fmt.Sprintf("only %d in-sample residuals, %d needed: no interval", len(abs), minResiduals)
		b.absLo, b.absHi = nanSlice(h), nanSlice(h)
		b.cal.Relative = false
		return
	}
	b.cal.Method = CalibrationInSample
	b.cal.Note = "history too short for rolling-origin refits: in-sample residual quantiles scaled by sqrt(h)"
	b.absLo, b.absHi = scaledBands(abs, h, level)
	if b.cal.Relative {
		b.relLo, b.relHi = scaledBands(rel, h, level)
	}
}

// scaledBands returns the quantiles of res scaled by sqrt(j+1) at step j.
func scaledBands(res []float64, h int, level float64) (lo, hi []float64) {
	ql, qh := sampleQuantiles(res, level)
	ql, qh = min(ql, 0), max(qh, 0)
	lo, hi = make([]float64, h), make([]float64, h)
	for j := range h {
		s := math.Sqrt(float64(j + 1))
		lo[j], hi[j] = ql*s, qh*s
	}
	return lo, hi
}

// bounds returns the interval bounds of the point forecasts.
func (b errorBands) bounds(point []float64) (lower, upper []float64) {
	lower, upper = make([]float64, len(point)), make([]float64, len(point))
	for j, p := range point {
		k := min(j, len(b.absLo)-1)
		if b.cal.Relative && p+b.shift > 0 {
			lower[j] = (p+b.shift)*math.Exp(b.relLo[k]) - b.shift
			upper[j] = (p+b.shift)*math.Exp(b.relHi[k]) - b.shift
		} else {
			lower[j], upper[j] = p+b.absLo[k], p+b.absHi[k]
		}
		if b.nonNegative {
			lower[j], upper[j] = max(lower[j], 0), max(upper[j], 0)
		}
	}
	return lower, upper
}

// sampleQuantiles returns the (1-level)/2 and (1+level)/2 quantiles of xs
// (linear interpolation between order statistics), reordering xs.
func sampleQuantiles(xs []float64, level float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	return orderQuantile(xs, (1-level)/2), orderQuantile(xs, (1+level)/2)
}

// orderQuantile returns the p-quantile of the sorted xs.
func orderQuantile(xs []float64, p float64) float64 {
	pos := p * float64(len(xs)-1)
	i := int(pos)
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// nonNegativeSeries reports whether no observed value of v is negative.
func nonNegativeSeries(v []float64) bool {
	for _, x := range v {
		if x < 0 {
			return false
		}
	}
	return true
}
