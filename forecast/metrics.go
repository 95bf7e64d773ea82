package forecast

import "math"

// SMAPE returns the symmetric mean absolute percentage error of forecast
// against actual, in percent, as the M4 competition defines it: the mean over
// the steps of 200·|a−f| / (|a|+|f|). Steps whose actual or forecast is NaN
// are skipped, and so are steps where both are zero (0/0, a perfect forecast
// of nothing, contributes no information). It returns NaN when no step
// counts. It panics if the slices differ in length.
func SMAPE(actual, forecast []float64) float64 {
	mustSameLen(len(actual), len(forecast))
	sum, n := 0.0, 0
	for i, a := range actual {
		f := forecast[i]
		if math.IsNaN(a) || math.IsNaN(f) {
			continue
		}
		den := math.Abs(a) + math.Abs(f)
		if den == 0 {
			continue
		}
		sum += 200 * math.Abs(a-f) / den
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// MASE returns the mean absolute scaled error of forecast against actual:
// the mean |a−f| over the steps, divided by the mean absolute error of the
// seasonal naive method of period m (|y_t − y_{t−m}|) inside history. Steps
// and pairs with a NaN are skipped. It returns NaN when no step or pair
// counts, +Inf when the history is exactly m-periodic (zero scale) but the
// forecast errs, and NaN when it is and the forecast does not. m < 1 is
// treated as 1. It panics if actual and forecast differ in length.
func MASE(history, actual, forecast []float64, m int) float64 {
	mustSameLen(len(actual), len(forecast))
	m = max(m, 1)
	scale, ns := 0.0, 0
	for t := m; t < len(history); t++ {
		d := history[t] - history[t-m]
		if math.IsNaN(d) {
			continue
		}
		scale += math.Abs(d)
		ns++
	}
	mae, n := 0.0, 0
	for i, a := range actual {
		d := a - forecast[i]
		if math.IsNaN(d) {
			continue
		}
		mae += math.Abs(d)
		n++
	}
	if n == 0 || ns == 0 {
		return math.NaN()
	}
	return (mae / float64(n)) / (scale / float64(ns))
}

// Coverage returns the fraction (0..1) of the non-missing actual values that
// lie inside their interval [lower, upper], bounds included. Steps where
// actual or a bound is NaN are skipped; it returns NaN when none counts. It
// panics if the slices differ in length.
func Coverage(actual, lower, upper []float64) float64 {
	mustSameLen(len(actual), len(lower))
	mustSameLen(len(actual), len(upper))
	in, n := 0, 0
	for i, a := range actual {
		lo, hi := lower[i], upper[i]
		if math.IsNaN(a) || math.IsNaN(lo) || math.IsNaN(hi) {
			continue
		}
		n++
		if a >= lo && a <= hi {
			in++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(in) / float64(n)
}

// mustSameLen panics when two slices that a metric pairs up differ in length,
// a programmer error.
func mustSameLen(a, b int) {
	if a != b {
		panic("forecast: metric inputs differ in length")
	}
}
