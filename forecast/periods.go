package forecast

import (
	"math"
	"slices"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"gonum.org/v1/gonum/dsp/fourier"
)

// Constants of the rule documented on DetectPeriods.
const (
	// acfMaxLen is the longest series the autocorrelation is computed on;
	// longer ones are first averaged over blocks of consecutive steps.
	acfMaxLen = 2048
	// minCycles is the number of full cycles a period needs in the history.
	minCycles = 2
	// genericCycles is the number of full cycles a period found away from
	// the calendar needs.
	genericCycles = 4
	// minPeakGain is how much r(p) must exceed r(p/2), the opposite phase.
	minPeakGain = 0.1
	// minMultipleGain is how much r(p) must exceed the mean of r(p−q) and
	// r(p+q) when p is a multiple of an accepted period q.
	minMultipleGain = 0.02
	// combMargin is how much better the multiples of a lag near a calendar
	// period must correlate for that lag to replace the calendar period.
	combMargin = 0.05
	// refineMultiples is the number of multiples of a lag near a calendar
	// period that the autocorrelation must cover for the lag to be judged.
	refineMultiples = 3
	// minGenericACF is the autocorrelation a period found away from the
	// calendar must reach.
	minGenericACF = 0.3
	// peakTolerance: among the peaks found away from the calendar, the
	// shortest within this much of the highest is taken, not a multiple.
	peakTolerance = 0.1
)

// DetectPeriods returns up to maxPeriods seasonal periods of y, in steps,
// shortest first; nil when y shows no seasonality or is too short.
//
// The rule. The autocorrelation r of the linearly detrended series is
// computed by FFT (gonum dsp/fourier) in O(n log n) and NaN-aware: missing
// steps are left out of every lagged product and of its normaliser, so no
// value is invented for them. Series longer than 2048 steps are first
// averaged over blocks of consecutive steps, as many as divide the
// shortest calendar period (one day, or one week of daily steps) into
// whole blocks, or none when no block length does (the periods found are
// multiples of the block length). The values correlated are winsorised to
// their median ± 5 robust standard deviations, so that a few bursts (news,
// spam, a hundred times the typical value) do not make the whole
// autocorrelation and hide a daily cycle.
//
// Calendar periods come first: one day, then one week, converted to steps
// with y.Step, each considered only with at least two full cycles of
// history. A lag within 10% of the calendar period replaces it when the mean
// of r over its multiples beats the calendar period's by 0.05 (a 23-hour
// cycle, a drifting clock); this is judged only when r covers at least
// three multiples. The period is accepted when r(p) exceeds
// r(p/2), the opposite phase, by 0.1, in the series as it is or, failing
// that, in the series less its moving mean over p (a slower swing, such as
// a yearly cycle of daily data, lifts r at p/2 as much as at p); a multiple
// of an accepted period q must instead beat the mean of r(p−q) and r(p+q)
// by 0.02, so that a week is reported only when the days of the week
// differ.
//
// Slots left are filled, one at a time, from the autocorrelation of the
// series less the mean profiles of the periods accepted so far. Candidates
// are the local maxima p of r with r(p) ≥ 0.3, four full cycles of history
// and the test above (the multiples test for a multiple of an accepted
// period, such as 52 weeks of daily data), not within a block of such a
// multiple; the shortest candidate within 0.1 of the highest is taken, so
// that a period is preferred to its multiples.
func DetectPeriods(y timeseries.Series, maxPeriods int) []int {
	n := y.Len()
	if maxPeriods <= 0 || n < 2*minCycles {
		return nil
	}
	f := blockLength(n, calendarPeriods(y.Step))
	x := winsorise(blockMeans(y.Values, f))
	d := periodDetector{x: x, r: autocorrelation(x), f: f, n: n}
	for _, p := range calendarPeriods(y.Step) {
		if len(d.accepted) < maxPeriods && n >= minCycles*p && p >= 2*f {
			d.tryCalendar(d.refine(p))
		}
	}
	for len(d.accepted) < maxPeriods {
		if len(d.accepted) > 0 {
			d.r = autocorrelation(removeProfiles(x, d.accepted, f))
		}
		if !d.addBestPeak() {
			break
		}
	}
	slices.Sort(d.accepted)
	return d.accepted
}

// blockLength returns the number of consecutive steps averaged into one
// block before the autocorrelation of n steps: at least n/acfMaxLen
// (rounded up), and a divisor of the shortest calendar period, with at
// least two blocks in it, so that the calendar periods fall on whole
// blocks; 1 (no averaging) when no such divisor exists, as for a week of
// daily steps. Without a calendar period, n/acfMaxLen rounded up.
func blockLength(n int, calendar []int) int {
	f := (n + acfMaxLen - 1) / acfMaxLen
	if f <= 1 || len(calendar) == 0 {
		return max(f, 1)
	}
	p := calendar[0]
	for d := f; 2*d <= p; d++ {
		if p%d == 0 {
			return d
		}
	}
	return 1
}

// calendarPeriods returns one day and one week in steps of step, leaving out
// those that are not a whole number of steps or are shorter than 2 steps.
func calendarPeriods(step time.Duration) []int {
	var out []int
	for _, d := range []time.Duration{24 * time.Hour, 7 * 24 * time.Hour} {
		if step > 0 && d%step == 0 && d/step >= 2 {
			out = append(out, int(d/step))
		}
	}
	return out
}

// periodDetector applies the rule of DetectPeriods to the block means x (f
// steps each) of a history of n steps and their autocorrelation r.
type periodDetector struct {
	x, r     []float64
	f, n     int
	accepted []int
	rejected []int
}

// at returns the autocorrelation at a lag of p steps, NaN outside r.
func (d *periodDetector) at(p int) float64 {
	k := int(math.Round(float64(p) / float64(d.f)))
	if k < 0 || k >= len(d.r) {
		return math.NaN()
	}
	return d.r[k]
}

// comb returns the mean autocorrelation at the multiples of a lag of k
// blocks that r covers.
func (d *periodDetector) comb(k int) float64 {
	s, n := 0.0, 0
	for j := k; j < len(d.r); j += k {
		if !math.IsNaN(d.r[j]) {
			s += d.r[j]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// refine returns the lag within 10% of the calendar period p whose
// multiples correlate best, when it beats p's by combMargin; otherwise p,
// which it also keeps when r covers fewer than refineMultiples multiples.
func (d *periodDetector) refine(p int) int {
	k := int(math.Round(float64(p) / float64(d.f)))
	if len(d.r) <= refineMultiples*(k+k/10) {
		return p
	}
	base := d.comb(k)
	best, bestS := k, base
	for q := max(2, k-k/10); q <= k+k/10; q++ {
		if s := d.comb(q); s > bestS {
			best, bestS = q, s
		}
	}
	if best == k || !(bestS > base+combMargin) {
		return p
	}
	return best * d.f
}

// try tests period p and records it as accepted or rejected.
func (d *periodDetector) try(p int) {
	if d.passes(p) {
		d.accepted = append(d.accepted, p)
	} else {
		d.rejected = append(d.rejected, p)
	}
}

// tryCalendar tests the calendar period p as try does and, when it fails
// only the opposite-phase test, tests it again on the series less its
// moving mean over p: a slower swing (a yearly cycle in daily data) lifts
// the autocorrelation at p/2 as much as at p and can hide a weekly cycle
// the local detrending shows.
func (d *periodDetector) tryCalendar(p int) {
	if d.passes(p) {
		d.accepted = append(d.accepted, p)
		return
	}
	if d.multipleOfAccepted(p) {
		d.rejected = append(d.rejected, p)
		return
	}
	k := int(math.Round(float64(p) / float64(d.f)))
	r := autocorrelation(lessMovingMean(d.x, k))
	if k < len(r) && r[k] > 0 && r[k]-r[k/2] >= minPeakGain {
		d.accepted = append(d.accepted, p)
		return
	}
	d.rejected = append(d.rejected, p)
}

// multipleOfAccepted reports whether p is a multiple of an accepted
// period, which passes judges by the neighbouring-multiples test instead
// of the opposite phase.
func (d *periodDetector) multipleOfAccepted(p int) bool {
	for _, q := range d.accepted {
		if q < p && p%q == 0 {
			return true
		}
	}
	return false
}

// lessMovingMean returns x less its NaN-aware centred moving mean over k
// values (NaN where x is).
func lessMovingMean(x []float64, k int) []float64 {
	sum, cnt := make([]float64, len(x)+1), make([]int, len(x)+1)
	for i, v := range x {
		sum[i+1], cnt[i+1] = sum[i], cnt[i]
		if !math.IsNaN(v) {
			sum[i+1] += v
			cnt[i+1]++
		}
	}
	out := make([]float64, len(x))
	for i, v := range x {
		lo, hi := max(0, i-k/2), min(len(x), i-k/2+k)
		if n := cnt[hi] - cnt[lo]; n > 0 && !math.IsNaN(v) {
			out[i] = v - (sum[hi]-sum[lo])/float64(n)
		} else {
			out[i] = math.NaN()
		}
	}
	return out
}

// passes reports whether period p passes the opposite-phase test, or the
// neighbouring-multiples test when it is a multiple of an accepted period.
func (d *periodDetector) passes(p int) bool {
	rp := d.at(p)
	if math.IsNaN(rp) || rp <= 0 {
		return false
	}
	for _, q := range slices.Backward(d.accepted) {
		if q < p && p%q == 0 {
			lo, hi := d.at(p-q), d.at(p+q)
			if math.IsNaN(hi) {
				hi = lo
			}
			return rp-(lo+hi)/2 >= minMultipleGain
		}
	}
	return rp-d.at(p/2) >= minPeakGain
}

// addBestPeak accepts the best generic period (see DetectPeriods) and
// reports whether there was one.
func (d *periodDetector) addBestPeak() bool {
	var lags []int
	bestR := math.Inf(-1)
	maxLag := min(len(d.r)-2, d.n/(genericCycles*d.f))
	for k := 2; k <= maxLag; k++ {
		if d.r[k] < minGenericACF || d.r[k] < d.r[k-1] || d.r[k] < d.r[k+1] {
			continue
		}
		if p := k * d.f; !d.known(p) && d.passes(p) {
			lags = append(lags, k)
			bestR = max(bestR, d.r[k])
		}
	}
	for _, k := range lags {
		if d.r[k] >= bestR-peakTolerance {
			d.accepted = append(d.accepted, k*d.f)
			return true
		}
	}
	return false
}

// known reports whether p lies within one block of a multiple of an
// accepted period, but not on it, or of a rejected one. A multiple itself
// is judged by the neighbouring-multiples test (passes): a yearly cycle of
// 52 weeks in daily data is a multiple of the week.
func (d *periodDetector) known(p int) bool {
	for _, q := range d.accepted {
		if m := p % q; m != 0 && (m <= d.f || q-m <= d.f) {
			return true
		}
		if p == q {
			return true
		}
	}
	for _, q := range d.rejected {
		if abs(p-q) <= d.f {
			return true
		}
	}
	return false
}

// blockMeans averages v over consecutive blocks of f steps, ignoring NaN; a
// block with no value is NaN. f ≤ 1 returns v itself.
func blockMeans(v []float64, f int) []float64 {
	if f <= 1 {
		return v
	}
	out := make([]float64, 0, (len(v)+f-1)/f)
	for i := 0; i < len(v); i += f {
		out = append(out, nanMean(v[i:min(i+f, len(v))]))
	}
	return out
}

// removeProfiles returns a copy of the block means x less, in turn, the
// mean profile of each period (in steps of f-step blocks).
func removeProfiles(x []float64, periods []int, f int) []float64 {
	out := slices.Clone(x)
	for _, p := range periods {
		q := max(1, int(math.Round(float64(p)/float64(f))))
		sum, cnt := make([]float64, q), make([]float64, q)
		for i, v := range out {
			if !math.IsNaN(v) {
				sum[i%q] += v
				cnt[i%q]++
			}
		}
		for i := range out {
			if cnt[i%q] > 0 {
				out[i] -= sum[i%q] / cnt[i%q]
			}
		}
	}
	return out
}

// autocorrelation returns the NaN-aware autocorrelation of v less its
// least-squares line, for lags 0 to about len(v)/2. A lag without any
// complete pair is NaN.
func autocorrelation(v []float64) []float64 {
	n := len(v)
	x := detrend(v)
	mask := make([]float64, n)
	missing := false
	for i, xi := range x {
		if math.IsNaN(xi) {
			x[i], missing = 0, true
		} else {
			mask[i] = 1
		}
	}
	m := 1
	for m < 2*n {
		m *= 2
	}
	fft := fourier.NewFFT(m)
	num := lagProducts(fft, x)
	var den []float64
	if missing {
		den = lagProducts(fft, mask)
	} else {
		// Every pair is complete: lag k has n−k of them, times the FFT
		// length as lagProducts counts.
		den = make([]float64, n)
		for k := range den {
			den[k] = float64((n - k) * m)
		}
	}
	r := make([]float64, min(n/2+2, n))
	for k := range r {
		r[k] = math.NaN()
		if den[k] >= 0.5 && num[0] > 0 {
			r[k] = (num[k] / den[k]) / (num[0] / den[0])
		}
	}
	return r
}

// lagProducts returns, for each lag k, the sum over t of x[t]·x[t+k] (times
// the FFT length), through an FFT at least twice as long as x.
func lagProducts(fft *fourier.FFT, x []float64) []float64 {
	buf := make([]float64, fft.Len())
	copy(buf, x)
	c := fft.Coefficients(nil, buf)
	for i, v := range c {
		c[i] = complex(real(v)*real(v)+imag(v)*imag(v), 0)
	}
	return fft.Sequence(buf, c)
}

// detrend returns a copy of v less its NaN-aware least-squares line.
func detrend(v []float64) []float64 {
	b, c := nanLine(v)
	out := make([]float64, len(v))
	for i, y := range v {
		out[i] = y - c - b*float64(i)
	}
	return out
}

// nanLine returns the slope b and intercept c of the least-squares line
// c + b·i through the non-NaN values of v (b = 0 with fewer than two; c is
// NaN with none).
func nanLine(v []float64) (b, c float64) {
	var sx, sy, sxx, sxy, n float64
	for i, y := range v {
		if math.IsNaN(y) {
			continue
		}
		x := float64(i)
		sx, sy, sxx, sxy, n = sx+x, sy+y, sxx+x*x, sxy+x*y, n+1
	}
	if n == 0 {
		return 0, math.NaN()
	}
	if den := n*sxx - sx*sx; n >= 2 && den > 0 {
		b = (n*sxy - sx*sy) / den
	}
	return b, (sy - b*sx) / n
}

// abs returns |x|.
func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// winsoriseSigmas is how many robust standard deviations from the median
// winsorise lets a value lie.
const winsoriseSigmas = 5

// winsorise returns a copy of v with its values clamped to the median ±
// winsoriseSigmas robust standard deviations (the scaled median absolute
// deviation), NaN kept: a few bursts a hundred times the typical value
// would otherwise make the whole autocorrelation and hide a daily cycle.
// Without spread (a MAD of zero) v is returned as it is.
func winsorise(v []float64) []float64 {
	present := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) {
			present = append(present, x)
		}
	}
	if len(present) == 0 {
		return v
	}
	med := medianInPlace(present)
	for i, x := range present {
		present[i] = math.Abs(x - med)
	}
	s := madToSigma * medianInPlace(present)
	if !(s > 0) {
		return v
	}
	lo, hi := med-winsoriseSigmas*s, med+winsoriseSigmas*s
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x
		if !math.IsNaN(x) {
			out[i] = min(max(x, lo), hi)
		}
	}
	return out
}
