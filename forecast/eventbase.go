package forecast

import (
	"math"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// windowBase returns the base model's in-sample values with a value at every
// step of the past windows where it can find one, the reference the effects
// are learned against. Runs the base left empty inside a window are bridged
// from the values around them (see bridgeGaps); a window where the base has
// no value at all nearby, such as one older than the part of the history a
// model fits, takes the median of the masked history one and two periods
// before and after, with the longest detected period (see seasonalReference).
func windowBase(inSample []float64, masked timeseries.Series, spans []eventSpan) []float64 {
	base := append([]float64(nil), inSample...)
	in := inAnyWindow(spans, 0, len(base))
	bridgeGaps(base, in)
	var periods []int
	for i, v := range base {
		if !in[i] || !math.IsNaN(v) {
			continue
		}
		if periods == nil {
			periods = append(DetectPeriods(masked, 2), scalePeriod(masked))
		}
		base[i] = seasonalReference(masked.Values, i, periods)
	}
	return base
}

// seasonalReference is the median of the observed values of v at steps i±p
// and i±2p, for the longest period p of periods that has one; NaN if none.
func seasonalReference(v []float64, i int, periods []int) float64 {
	var best, buf []float64
	bestP := 0
	for _, p := range periods {
		if p <= bestP {
			continue
		}
		buf = buf[:0]
		for _, j := range []int{i - 2*p, i - p, i + p, i + 2*p} {
			if j >= 0 && j < len(v) && !math.IsNaN(v[j]) {
				buf = append(buf, v[j])
			}
		}
		if len(buf) > 0 {
			best, bestP = append(best[:0], buf...), p
		}
	}
	return medianOfSample(best)
}

// bridgeGaps fills the runs of NaN of v that lie in windows (where in is
// true) by linear interpolation between the values around the run, or the
// nearest one at an end: a base model that saw no normal demand at the phase
// of the masked windows may give none there, and the effects need a base.
func bridgeGaps(v []float64, in []bool) {
	for i := 0; i < len(v); i++ {
		if !in[i] || !math.IsNaN(v[i]) {
			continue
		}
		j := i
		for j < len(v) && in[j] && math.IsNaN(v[j]) {
			j++
		}
		fillRun(v, i, j)
		i = j
	}
}

// fillRun fills v[i:j] from its neighbours v[i-1] and v[j], where they exist
// and are known.
func fillRun(v []float64, i, j int) {
	left, right := math.NaN(), math.NaN()
	if i > 0 {
		left = v[i-1]
	}
	if j < len(v) {
		right = v[j]
	}
	for k := i; k < j; k++ {
		switch {
		case math.IsNaN(left):
			v[k] = right
		case math.IsNaN(right):
			v[k] = left
		default:
			v[k] = left + (right-left)*float64(k-i+1)/float64(j-i+1)
		}
	}
}
