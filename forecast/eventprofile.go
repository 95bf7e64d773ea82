package forecast

import (
	"math"
	"slices"
)

// occSample holds one past occurrence's actual values and base in-sample
// values along the parts of its window, NaN where the history has none.
type occSample struct {
	uplift       float64
	actual, base [numParts][]float64
}

// collectSamples gathers, per event type, the past occurrences with at least
// one step where both the actual and the base value are known.
func collectSamples(actual, base []float64, spans []eventSpan) map[string][]occSample {
	n := min(len(actual), len(base))
	out := map[string][]occSample{}
	for _, s := range spans {
		o := occSample{uplift: s.occ.Uplift}
		for p := range numParts {
			o.actual[p] = nanSlice(s.partLen(p))
			o.base[p] = nanSlice(s.partLen(p))
		}
		usable := false
		for i := max(s.from, 0); i < min(s.to, n); i++ {
			p, k, _ := s.locate(i)
			o.actual[p][k], o.base[p][k] = actual[i], base[i]
			usable = usable || !math.IsNaN(actual[i]) && !math.IsNaN(base[i])
		}
		if usable {
			out[s.occ.Type] = append(out[s.occ.Type], o)
		}
	}
	return out
}

// effectProfile is the learned effect of one event type per window part and
// offset, in the space of EffectMode.effect, the number n of past
// occurrences it was learned from and the weight it has against the prior.
type effectProfile struct {
	parts  [numParts][]float64
	n      int
	weight float64
}

// effect returns the effect the profile gives step i of span s whose base
// value is base: the learned value shrunk toward the prior (no effect, or the
// occurrence's business Uplift during the event) by the profile's weight.
func (p effectProfile) effect(s eventSpan, i int, base float64, mode EffectMode) float64 {
	part, k, ok := s.locate(i)
	if !ok || math.IsNaN(base) {
		return math.NaN()
	}
	prior := 0.0
	if part == partEvent && s.occ.Uplift > 0 {
		prior = mode.prior(base, s.occ.Uplift)
	}
	if p.n == 0 {
		return prior
	}
	return p.weight*p.at(part, k) + (1-p.weight)*prior
}

// at returns the learned effect at offset k of part: past the learned end,
// the event keeps its last level and the lead and lag fade to no effect.
func (p effectProfile) at(part, k int) float64 {
	v := p.parts[part]
	switch {
	case k < len(v):
		return v[k]
	case part == partEvent && len(v) > 0:
		return v[len(v)-1]
	}
	return 0
}

// learnProfiles learns one profile per event type in mode.
func learnProfiles(samples map[string][]occSample, mode EffectMode) map[string]effectProfile {
	out := make(map[string]effectProfile, len(samples))
	for typ, occs := range samples {
		out[typ] = learnProfile(occs, -1, mode)
	}
	return out
}

// learnProfile aggregates the occurrences (all but the one at index skip) of
// a type: at each offset, the median of their effects, robust to one odd
// occurrence; offsets none of them observed are interpolated; the profile is
// then smoothed over neighbouring offsets and given its weight (see
// shrinkWeight).
func learnProfile(occs []occSample, skip int, mode EffectMode) effectProfile {
	var prof effectProfile
	used := make([]bool, len(occs))
	var buf []float64
	var size, spread weighted
	for p := range numParts {
		n := 0
		for j, o := range occs {
			if j != skip {
				n = max(n, len(o.actual[p]))
			}
		}
		v := make([]float64, n)
		for k := range v {
			buf = buf[:0]
			for j, o := range occs {
				if j == skip || k >= len(o.actual[p]) {
					continue
				}
				if e := mode.effect(o.actual[p][k], o.base[p][k]); !math.IsNaN(e) {
					buf, used[j] = append(buf, e), true
				}
			}
			spread.add(sampleVariance(buf), 1)
			v[k] = medianOfSample(buf)
			size.add(v[k]*v[k], 1)
		}
		prof.parts[p] = smoothProfile(fillGaps(v))
	}
	for _, u := range used {
		if u {
			prof.n++
		}
	}
	prof.weight = shrinkWeight(prof.n, size.mean(), spread.mean())
	return prof
}

// shrinkWeight is the weight of a profile learned from n occurrences against
// the prior "no effect", the empirical-Bayes weight of a mean of n noisy
// observations: n*m2 / (n*m2 + s2), where m2 is the mean squared effect (the
// size of what was learned) and s2 the mean variance of the effect across
// occurrences (how much they disagree). Consistent occurrences keep their
// effect, few or discordant ones are pulled toward no effect; a single
// occurrence, whose spread is unknown, gets the weight 1/2.
func shrinkWeight(n int, m2, s2 float64) float64 {
	switch {
	case n == 0:
		return 0
	case n == 1 || math.IsNaN(s2):
		return 0.5
	}
	nm := float64(n) * m2
	if nm+s2 == 0 {
		return 1
	}
	return nm / (nm + s2)
}

// sampleVariance returns the unbiased variance of xs, NaN for fewer than two.
func sampleVariance(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return ss / float64(len(xs)-1)
}

// fillGaps replaces the NaN of v by linear interpolation between the nearest
// known offsets, or by the nearest one at the ends; it returns nil when v
// has no known value.
func fillGaps(v []float64) []float64 {
	last := -1
	for k, x := range v {
		if math.IsNaN(x) {
			continue
		}
		if last < 0 {
			for j := range k {
				v[j] = x
			}
		}
		for j := last + 1; last >= 0 && j < k; j++ {
			v[j] = v[last] + (x-v[last])*float64(j-last)/float64(k-last)
		}
		last = k
	}
	if last < 0 {
		return nil
	}
	for j := last + 1; j < len(v); j++ {
		v[j] = v[last]
	}
	return v
}

// smoothProfile smooths v with a triangular kernel whose half-width grows as
// the square root of its length: profiles of one to three steps (a daily
// series and a one-day event) are kept as they are, a day-long event at one
// minute is smoothed over about twenty minutes on each side.
func smoothProfile(v []float64) []float64 {
	w := int(math.Sqrt(float64(len(v)))) / 2
	if w == 0 {
		return v
	}
	out := make([]float64, len(v))
	for k := range v {
		sum, wsum := 0.0, 0.0
		for j := max(k-w, 0); j <= min(k+w, len(v)-1); j++ {
			c := float64(w + 1 - max(j-k, k-j))
			sum, wsum = sum+c*v[j], wsum+c
		}
		out[k] = sum / wsum
	}
	return out
}

// medianOfSample returns the median of xs, reordering it; NaN when empty.
func medianOfSample(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}

func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}
