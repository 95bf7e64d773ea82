package forecast

import (
	"math"
	"slices"
)

// Constants of the decomposition documented on MultiSeasonal.
const (
	// recentValues is the number of most recent values per phase the
	// shortest seasonal profile is estimated from.
	recentValues = 7
	// trimFraction is the fraction of values trimmed from each end for the
	// profiles' trimmed means.
	trimFraction = 0.25
)

// seasonal holds one profile per period; profiles[j][i mod p_j] is the
// component of period p_j at step i of the fitted window.
type seasonal struct {
	profiles [][]float64
}

// at returns the sum of the seasonal components at step i.
func (s seasonal) at(i int) float64 {
	v := 0.0
	for _, p := range s.profiles {
		v += p[i%len(p)]
	}
	return v
}

// decompose splits z (NaN = missing) into seasonal profiles for the sorted
// periods ps and the deseasonalised series.
func decompose(z []float64, ps []int) (seasonal, []float64) {
	if len(ps) == 0 {
		return seasonal{}, z
	}
	trend := centredMean(z, ps[len(ps)-1])
	fillEdges(trend)
	resid := make([]float64, len(z))
	for i, v := range z {
		resid[i] = v - trend[i]
	}
	s := seasonal{profiles: make([][]float64, len(ps))}
	longer := longerProfiles(resid, ps)
	copy(s.profiles[1:], longer)
	for i := range resid {
		for _, w := range longer {
			resid[i] -= w[i%len(w)]
		}
	}
	s.profiles[0] = smoothCircular(profile(resid, ps[0], recentValues), profileWidth(ps[0]))
	a := make([]float64, len(z))
	for i, v := range z {
		a[i] = v - s.at(i)
	}
	return s, a
}

// longerProfiles returns the profiles of the periods after the first, each
// an offset over the shortest period's profile estimated over the same
// window, smoothed and shrunk (see MultiSeasonal).
func longerProfiles(resid []float64, ps []int) [][]float64 {
	if len(ps) < 2 {
		return nil
	}
	p1 := ps[0]
	var base, full []float64
	if ps[1]%p1 == 0 {
		// The shortest profile is the fold of the next one: cheaper than
		// trimming every cycle of the shortest period, and consistent.
		full = profile(resid, ps[1], 0)
		base = fold(full, p1)
	} else {
		base = profile(resid, p1, 0)
	}
	r := make([]float64, len(resid))
	for i, v := range resid {
		r[i] = v - base[i%p1]
	}
	width := profileWidth(p1)
	out := make([][]float64, 0, len(ps)-1)
	for j, p := range ps[1:] {
		var w []float64
		if j == 0 && full != nil {
			w = full
			for i := range w {
				w[i] -= base[i%p1]
			}
		} else {
			w = profile(r, p, 0)
		}
		w = smoothCircular(w, width)
		k := shrinkage(w, r)
		for i := range w {
			w[i] *= k
		}
		for i := range r {
			r[i] -= w[i%p]
		}
		out = append(out, w)
	}
	return out
}

// fold returns the mean of profile w over the phases of period p (which
// divides len(w)).
func fold(w []float64, p int) []float64 {
	out := make([]float64, p)
	for i, v := range w {
		out[i%p] += v
	}
	for i := range out {
		out[i] /= float64(len(w) / p)
	}
	return out
}

// profileWidth returns the number of phases profiles are smoothed over for
// a shortest period p: 1/24 of it (an hour of a daily period), at least 1.
func profileWidth(p int) int { return max(1, p/24) }

// profile returns, for each phase of period p, the trimmed mean of the k
// most recent non-missing values of r at that phase (all of them when k is
// 0), centred to mean zero; phases without values get zero.
func profile(r []float64, p, k int) []float64 {
	prof := make([]float64, p)
	buf := make([]float64, 0, len(r)/p+1)
	n := len(r)
	for ph := range p {
		buf = buf[:0]
		last := ph + (n-1-ph)/p*p
		for i := last; i >= 0 && (k == 0 || len(buf) < k); i -= p {
			if !math.IsNaN(r[i]) {
				buf = append(buf, r[i])
			}
		}
		prof[ph] = trimmedMean(buf)
	}
	centre(prof)
	return prof
}

// trimmedMean returns the mean of v without its trimFraction smallest and
// largest values, reordering v; NaN when v is empty.
func trimmedMean(v []float64) float64 {
	n := len(v)
	if n == 0 {
		return math.NaN()
	}
	k := int(trimFraction * float64(n))
	switch {
	case k == 0:
	case n <= 16:
		insertionSort(v)
	default:
		selectKth(v, k)
		selectKth(v[k:], n-2*k-1)
	}
	s := 0.0
	for _, x := range v[k : n-k] {
		s += x
	}
	return s / float64(n-2*k)
}

// centre subtracts the mean of the non-NaN values of v from them and sets
// the NaN ones to zero.
func centre(v []float64) {
	mu := nanMean(v)
	for i, x := range v {
		if math.IsNaN(x) {
			v[i] = 0
		} else {
			v[i] = x - mu
		}
	}
}

// shrinkage returns the James-Stein factor max(0, 1 − noise/signal) of a
// profile w estimated as per-phase means of r: signal is the mean square of
// w, noise the variance of r around w divided by the values per phase.
func shrinkage(w, r []float64) float64 {
	p := len(w)
	ss, n := 0.0, 0
	for i, v := range r {
		if !math.IsNaN(v) {
			d := v - w[i%p]
			ss += d * d
			n++
		}
	}
	signal := 0.0
	for _, x := range w {
		signal += x * x
	}
	signal /= float64(p)
	if n == 0 || signal == 0 {
		return 0
	}
	noise := ss / float64(n) / (float64(n) / float64(p))
	return max(0, 1-noise/signal)
}

// smoothCircular returns the circular moving mean of v over width values
// (rounded up to odd); width ≤ 1 returns v.
func smoothCircular(v []float64, width int) []float64 {
	half := width / 2
	if half == 0 || len(v) < width {
		return v
	}
	n := len(v)
	out := make([]float64, n)
	s := 0.0
	for j := -half; j <= half; j++ {
		s += v[(j+n)%n]
	}
	for i := range v {
		out[i] = s / float64(2*half+1)
		s += v[(i+half+1)%n] - v[(i-half+n)%n]
	}
	return out
}

// centredMean returns the NaN-aware mean of z over the window of w steps
// centred on each step, NaN where fewer than half the window is present or
// the window does not fit.
func centredMean(z []float64, w int) []float64 {
	n := len(z)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	sum, cnt := 0.0, 0
	for i := range n {
		if !math.IsNaN(z[i]) {
			sum += z[i]
			cnt++
		}
		if i >= w && !math.IsNaN(z[i-w]) {
			sum -= z[i-w]
			cnt--
		}
		if i >= w-1 && 2*cnt >= w {
			out[i-w/2] = sum / float64(cnt)
		}
	}
	return out
}

// fillEdges replaces the NaN values of v by the nearest earlier value, or
// the first value for leading ones; all-NaN v is left as is.
func fillEdges(v []float64) {
	first := slices.IndexFunc(v, func(x float64) bool { return !math.IsNaN(x) })
	if first < 0 {
		return
	}
	for i := range first {
		v[i] = v[first]
	}
	for i := first + 1; i < len(v); i++ {
		if math.IsNaN(v[i]) {
			v[i] = v[i-1]
		}
	}
}
