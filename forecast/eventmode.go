package forecast

import (
	"math"

	"github.com/prescale-dev/prescale/pkg/calendar"
)

// effect returns the effect of an event on one step, in the space the
// profiles are aggregated in: the log of actual/base in ratio mode, the
// difference otherwise; NaN when it is undefined.
func (m EffectMode) effect(actual, base float64) float64 {
	if m == EffectRatio {
		if actual > 0 && base > 0 {
			return math.Log(actual / base)
		}
		return math.NaN()
	}
	return actual - base
}

// apply returns base with the effect e applied.
func (m EffectMode) apply(base, e float64) float64 {
	if m == EffectRatio {
		return base * math.Exp(e)
	}
	return base + e
}

// prior returns the business-given multiplier uplift as an effect on base.
func (m EffectMode) prior(base, uplift float64) float64 {
	if m == EffectRatio {
		return math.Log(uplift)
	}
	return base * (uplift - 1)
}

// chooseMode decides how event effects combine with the normal demand. A
// series with negative values, or more than a few zeros (see
// positiveSeries), can only take differences. Otherwise
// both modes are scored by leave-one-out: each past occurrence of a type with
// at least two is predicted from the profile of the others, and the mode with
// the smaller total absolute error wins. Ratio, the natural choice for
// demand, is kept unless difference errs at least 5 % less, and when there is
// nothing to compare.
func chooseMode(samples map[string][]occSample, positive bool) EffectMode {
	if !positive {
		return EffectDifference
	}
	ratio, diff := looError(samples, EffectRatio), looError(samples, EffectDifference)
	if diff < 0.95*ratio {
		return EffectDifference
	}
	return EffectRatio
}

// looError is the total absolute leave-one-out error of mode (see chooseMode).
func looError(samples map[string][]occSample, mode EffectMode) float64 {
	total := 0.0
	for _, occs := range samples {
		if len(occs) < 2 {
			continue
		}
		for j, o := range occs {
			prof := learnProfile(occs, j, mode)
			total += sampleError(prof, o, mode)
		}
	}
	return total
}

// sampleError is the absolute error of prof predicting occurrence o.
func sampleError(prof effectProfile, o occSample, mode EffectMode) float64 {
	s := eventSpan{occ: calendar.Occurrence{Uplift: o.uplift}}
	s.start = len(o.actual[partLead])
	s.end = s.start + len(o.actual[partEvent])
	s.to = s.end + len(o.actual[partLag])
	total := 0.0
	for i := s.from; i < s.to; i++ {
		p, k, _ := s.locate(i)
		a, b := o.actual[p][k], o.base[p][k]
		if math.IsNaN(a) || math.IsNaN(b) {
			continue
		}
		if e := prof.effect(s, i, b, mode); !math.IsNaN(e) {
			total += math.Abs(a - mode.apply(b, e))
		}
	}
	return total
}
