package forecast

import (
	"math"
)

// stlOptions are the smoothing parameters of one STL decomposition (Seasonal
// and Trend decomposition by Loess, Cleveland et al., J. Official Statistics
// 6(1), 1990). Spans are in points and odd; every loess is local linear.
type stlOptions struct {
	period   int // seasonal period in steps, at least 2
	seasonal int // span of the cycle-subseries smoother
	trend    int // span of the trend smoother
	lowPass  int // span of the low-pass filter's final loess
	inner    int // passes of the inner loop
	outer    int // robustness passes (bisquare weights), 0 for none
}

// defaultSTLOptions returns the usual spans for period p and a seasonal
// span ns: the trend span is the smallest odd integer above
// 1.5p/(1 − 1.5/ns), the low-pass span the smallest odd integer above p. The
// inner loop runs once per robustness pass, twice without (Cleveland et
// al.'s advice).
func defaultSTLOptions(p, ns, outer int) stlOptions {
	inner := 1
	if outer == 0 {
		inner = 2
	}
	ns = nextOdd(max(ns, 7))
	nt := nextOdd(int(math.Ceil(1.5*float64(p)/(1-1.5/float64(ns)))) + 1)
	return stlOptions{period: p, seasonal: ns, trend: nt, lowPass: nextOdd(p + 1), inner: inner, outer: outer}
}

// nextOdd returns n if it is odd, else n+1.
func nextOdd(n int) int {
	if n%2 == 0 {
		return n + 1
	}
	return n
}

// jumpOf is the step between the points a loess of the given span is
// evaluated at, the others being interpolated: a tenth of the span.
func jumpOf(span int) int { return max(1, (span+9)/10) }

// stl decomposes y (no NaN) into seasonal and trend components for
// o.period, y = seasonal + trend + remainder, with robustness weights
// against outliers when o.outer > 0.
func stl(y []float64, o stlOptions) (seasonal, trend []float64) {
	n, p := len(y), o.period
	seasonal, trend = make([]float64, n), make([]float64, n)
	rw := make([]float64, n)
	for i := range rw {
		rw[i] = 1
	}
	s := stlScratch{
		work:  make([]float64, n),
		cycle: make([]float64, n+2*p),
		sub:   make([]float64, n/p+1),
		subW:  make([]float64, n/p+1),
		subC:  make([]float64, n/p+3),
		ma:    make([]float64, n+p+1),
		ma2:   make([]float64, n+2),
		low:   make([]float64, n),
	}
	for k := 0; ; k++ {
		for range max(o.inner, 1) {
			s.innerPass(y, rw, seasonal, trend, o)
		}
		if k >= o.outer {
			return seasonal, trend
		}
		robustnessWeights(y, seasonal, trend, rw)
	}
}

// stlScratch holds the buffers of one STL decomposition.
type stlScratch struct {
	work, cycle, sub, subW, subC, ma, ma2, low []float64
}

// innerPass runs one pass of STL's inner loop, updating seasonal and trend.
func (s *stlScratch) innerPass(y, rw, seasonal, trend []float64, o stlOptions) {
	n, p := len(y), o.period
	for i := range y {
		s.work[i] = y[i] - trend[i]
	}
	s.cycleSubseries(s.work, rw, o)
	// Low-pass filter of the cycle-subseries: moving means over p, p and 3,
	// then a loess; what remains of the cycle-subseries is the seasonal.
	movingMean(s.cycle[:n+2*p], p, s.ma)
	movingMean(s.ma[:n+p+1], p, s.ma2)
	movingMean(s.ma2[:n+2], 3, s.ma)
	loess(s.ma[:n], nil, o.lowPass, jumpOf(o.lowPass), s.low)
	for i := range n {
		seasonal[i] = s.cycle[p+i] - s.low[i]
		s.work[i] = y[i] - seasonal[i]
	}
	loess(s.work, rw, o.trend, jumpOf(o.trend), trend)
}

// cycleSubseries smooths each phase's subseries of x by loess, extended by
// one point at each end, into s.cycle: s.cycle[p+i] is the smoothed value at
// step i, s.cycle[j] for j < p and j ≥ n+p the extensions before and after.
func (s *stlScratch) cycleSubseries(x, rw []float64, o stlOptions) {
	n, p := len(x), o.period
	for ph := range p {
		m := 0
		for i := ph; i < n; i += p {
			s.sub[m], s.subW[m] = x[i], rw[i]
			m++
		}
		sub, w, out := s.sub[:m], s.subW[:m], s.subC[:m+2]
		loess(sub, w, o.seasonal, jumpOf(o.seasonal), out[1:m+1])
		out[0] = loessAt(sub, w, -1, 0, min(o.seasonal, m)-1, o.seasonal, out[1])
		out[m+1] = loessAt(sub, w, float64(m), max(0, m-o.seasonal), m-1, o.seasonal, out[m])
		for k, v := range out {
			if j := ph + k*p; j < n+2*p {
				s.cycle[j] = v
			}
		}
	}
}

// movingMean writes the means of x over windows of w consecutive values
// into out[0 : len(x)-w+1].
func movingMean(x []float64, w int, out []float64) {
	sum := 0.0
	for i := range w {
		sum += x[i]
	}
	out[0] = sum / float64(w)
	for i := w; i < len(x); i++ {
		sum += x[i] - x[i-w]
		out[i-w+1] = sum / float64(w)
	}
}

// loess writes into out the local linear loess of y at every index, with
// tricube weights over the span nearest points times the robustness
// weights rw (all 1 when nil). It is evaluated every jump points and at the
// last, and linearly interpolated between.
func loess(y, rw []float64, span, jump int, out []float64) {
	n := len(y)
	if n == 0 {
		return
	}
	q := min(span, n)
	prev := -1
	for i := 0; ; i += jump {
		i = min(i, n-1)
		l := min(max(i-q/2, 0), n-q)
		fallback := y[i]
		if prev >= 0 {
			fallback = out[prev]
		}
		out[i] = loessAt(y, rw, float64(i), l, l+q-1, span, fallback)
		if prev >= 0 {
			for j := prev + 1; j < i; j++ {
				t := float64(j-prev) / float64(i-prev)
				out[j] = out[prev] + t*(out[i]-out[prev])
			}
		}
		prev = i
		if i == n-1 {
			return
		}
	}
}

// loessAt returns the local linear fit at x of y[l..r] (inclusive) with
// tricube distance weights times rw; the bandwidth is the larger distance
// from x to l or r, widened by half the shortfall when the span exceeds the
// points. It returns fallback when the weights vanish.
func loessAt(y, rw []float64, x float64, l, r, span int, fallback float64) float64 {
	h := max(x-float64(l), float64(r)-x)
	if span > len(y) {
		h += float64((span - len(y)) / 2)
	}
	if h <= 0 {
		return y[l]
	}
	var sw, sx float64
	for j := l; j <= r; j++ {
		w := tricubeAt(math.Abs(float64(j)-x) / h)
		if rw != nil {
			w *= rw[j]
		}
		sw += w
		sx += w * float64(j)
	}
	if sw <= 0 {
		return fallback
	}
	mx := sx / sw
	var sxx, sxy, sy float64
	for j := l; j <= r; j++ {
		w := tricubeAt(math.Abs(float64(j)-x) / h)
		if rw != nil {
			w *= rw[j]
		}
		d := float64(j) - mx
		sxx += w * d * d
		sxy += w * d * y[j]
		sy += w * y[j]
	}
	fit := sy / sw
	if rng := float64(len(y) - 1); sxx > 0 && math.Sqrt(sxx/sw) > 1e-3*rng {
		fit += sxy / sxx * (x - mx)
	}
	return fit
}

// tricubeAt is (1 − u³)³ for u < 1, else 0.
func tricubeAt(u float64) float64 {
	if u >= 1 {
		return 0
	}
	c := 1 - u*u*u
	return c * c * c
}

// robustnessWeights writes into rw the bisquare weights of the remainder
// y − seasonal − trend: (1 − (r/6m)²)² with m the median absolute remainder.
func robustnessWeights(y, seasonal, trend, rw []float64) {
	abs := make([]float64, len(y))
	for i := range y {
		abs[i] = math.Abs(y[i] - seasonal[i] - trend[i])
		rw[i] = abs[i]
	}
	h := 6 * medianInPlace(abs)
	for i, r := range rw {
		switch u := r / h; {
		case h == 0:
			rw[i] = 1
		case u < 1:
			rw[i] = (1 - u*u) * (1 - u*u)
		default:
			rw[i] = 0
		}
	}
}
