package forecast

import (
	"math"
	"slices"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Constants of the cleaning rules documented on Clean.
const (
	// nearZeroFrac: a value is near zero when |v| is at most this fraction
	// of the typical (median) value at its phase.
	nearZeroFrac = 0.1
	// minOutageRun is the fewest near-zero values an outage holds.
	minOutageRun = 3
	// outageChance is the largest chance, for near-zero values arising as
	// often as they do at each phase, of a run that is taken as an outage.
	outageChance = 1e-4
	// spikeNeighbours is the number of same-phase neighbours (in the cycles
	// around a step) whose median is the step's seasonal baseline.
	spikeNeighbours = 4
	// spikeSigmas is the Hampel threshold, in robust standard deviations of
	// the residuals against the baseline.
	spikeSigmas = 5
	// scaleValues is the fewest residuals a phase's robust scale is taken
	// over, pooling neighbouring phases when cycles are few.
	scaleValues = 16
	// madToSigma turns a median absolute deviation into a standard
	// deviation for Gaussian noise.
	madToSigma = 1.4826
)

// CleanReport counts what Clean treated.
type CleanReport struct {
	// OutageRuns is the number of runs of zero or near-zero values taken as
	// telemetry outages.
	OutageRuns int
	// OutagePoints is the number of values in those runs, set to missing.
	OutagePoints int
	// Spikes is the number of outliers replaced by their seasonal baseline.
	Spikes int
}

// Treated returns the number of steps Clean changed.
func (r CleanReport) Treated() int { return r.OutagePoints + r.Spikes }

// Clean returns a copy of y fit for model fitting, and what it changed; y is
// not modified. It is meant for fitting only: report the original values.
// periods are the seasonal periods of y in steps (those under 2 steps or
// without two cycles in y are ignored).
//
// Outages. A value is near zero when it is within 10% of zero of the typical
// value at its phase (the median at that phase of the shortest period, or of
// all values without periods). Let q be, at each phase, the share of
// near-zero values (with one added to both counts). A run of at least 3
// near-zero values (missing steps inside do not break it) is an outage when
// the product of q over the run is below 1e-4: zeros that are rare at those
// phases, many in a row, are missing telemetry, not an absence of demand,
// and become NaN. Zeros that are common at their phases (quiet nights) are
// kept. A run still under way at the end of y and longer than the shortest
// period (one step without periods) is also kept: it can no longer be told
// from a real stop, and the models must follow the data.
//
// Spikes. A step's seasonal baseline is the median of its 4 nearest
// same-phase values in the neighbouring cycles of the longest period with at
// least 3 cycles in y (of the 4 nearest steps without periods). A step is an
// outlier (a Hampel filter) when its residual from that baseline exceeds 5
// robust standard deviations (scaled median absolute residual) at its phase
// of the shortest period, pooled over neighbouring phases to at least 16
// residuals and not below the median of that scale over the phases. A run
// of outliers is replaced by the baseline when it is at
// most max(2, p/24) steps long for the shortest period p (longer runs are
// level shifts or events, which the models must follow, not erase) and each
// of its values also differs by as much from the median of its 4 nearest
// steps (so that a quiet value among recurring bursts is not taken for one).
func Clean(y timeseries.Series, periods []int) (timeseries.Series, CleanReport) {
	out := y.Clone()
	var rep CleanReport
	short, long := cleaningPeriods(periods, y.Len())
	rep.OutageRuns, rep.OutagePoints = maskOutages(out.Values, short)
	rep.Spikes = replaceSpikes(out.Values, short, long)
	return out, rep
}

// cleaningPeriods returns the shortest usable period and the longest period
// with at least 3 cycles in n steps (both 1 when none qualifies; long is
// short when only short qualifies).
func cleaningPeriods(periods []int, n int) (short, long int) {
	short, long = 1, 1
	for _, p := range usablePeriods(periods, n) {
		if short == 1 {
			short = p
		}
		if n >= 3*p {
			long = p
		}
	}
	if long == 1 {
		long = short
	}
	return short, long
}

// maskOutages sets to NaN the outage runs of v (see Clean) for period p and
// returns how many runs and values it masked.
func maskOutages(v []float64, p int) (runs, points int) {
	threshold, logQ := nearZeroStats(v, p)
	start, logChance := -1, 0.0
	flush := func(end int) {
		trailing := end == len(v) && end-start > p
		if start >= 0 && !trailing && logChance < math.Log(outageChance) &&
			countPresent(v[start:end]) >= minOutageRun {
			runs++
			for i := start; i < end; i++ {
				if !math.IsNaN(v[i]) {
					v[i] = math.NaN()
					points++
				}
			}
		}
		start, logChance = -1, 0
	}
	for i, x := range v {
		switch {
		case math.IsNaN(x):
		case math.Abs(x) <= threshold[i%p]:
			if start < 0 {
				start = i
			}
			logChance += logQ[i%p]
		default:
			flush(i)
		}
	}
	flush(len(v))
	return runs, points
}

// nearZeroStats returns, for each phase of period p, the near-zero
// threshold (nearZeroFrac of the median magnitude there) and the log of the
// smoothed share of near-zero values there.
func nearZeroStats(v []float64, p int) (threshold, logQ []float64) {
	threshold, logQ = make([]float64, p), make([]float64, p)
	buf := make([]float64, 0, len(v)/p+1)
	for ph := range p {
		buf = buf[:0]
		for i := ph; i < len(v); i += p {
			if !math.IsNaN(v[i]) {
				buf = append(buf, math.Abs(v[i]))
			}
		}
		threshold[ph] = nearZeroFrac * medianInPlace(buf)
		near := 0
		for _, x := range buf {
			if x <= threshold[ph] {
				near++
			}
		}
		logQ[ph] = math.Log(float64(near+1) / float64(len(buf)+2))
	}
	return threshold, logQ
}

// replaceSpikes replaces the spikes of v (see Clean), seen against the
// same-phase baseline of period long with scales per phase of period short,
// and returns how many steps it replaced.
func replaceSpikes(v []float64, short, long int) int {
	base := seasonalBaseline(v, long)
	limit := spikeLimits(v, base, short)
	maxRun := max(2, short/24)
	off := func(i int, ref float64) bool { return math.Abs(v[i]-ref) > limit[i%short] }
	replaced := 0
	for i := 0; i < len(v); {
		if !off(i, base[i]) {
			i++
			continue
		}
		j, isolated := i, true
		for ; j < len(v) && off(j, base[j]); j++ {
			isolated = isolated && off(j, neighbourMedian(v, j, 1))
		}
		if j-i <= maxRun && isolated {
			copy(v[i:j], base[i:j])
			replaced += j - i
		}
		i = j
	}
	return replaced
}

// spikeLimits returns, per phase of period p, spikeSigmas robust standard
// deviations of the residuals v − base there, pooled over the neighbouring
// phases needed to hold scaleValues residuals (+Inf where there are none),
// and at least the median of these limits over the phases.
func spikeLimits(v, base []float64, p int) []float64 {
	res := make([]float64, len(v))
	for i := range v {
		res[i] = math.Abs(v[i] - base[i])
	}
	cycles := max(1, len(v)/p)
	half := min(p/2, (scaleValues+cycles-1)/cycles/2)
	limit := make([]float64, p)
	buf := make([]float64, 0, (2*half+1)*(cycles+1))
	for ph := range p {
		buf = buf[:0]
		for d := -half; d <= half; d++ {
			for i := (ph + d + p) % p; i < len(res); i += p {
				if !math.IsNaN(res[i]) {
					buf = append(buf, res[i])
				}
			}
		}
		limit[ph] = math.Inf(1)
		if len(buf) >= spikeNeighbours {
			limit[ph] = spikeSigmas * madToSigma * medianInPlace(buf)
		}
	}
	// No phase's scale is below the median phase's: a phase whose values
	// all agree (MAD 0) must not turn every small deviation into a spike.
	floor := medianInPlace(slices.Clone(limit))
	for i, l := range limit {
		limit[i] = max(l, floor)
	}
	return limit
}

// neighbourMedian returns the median of the spikeNeighbours nearest
// non-missing values at steps i±k·p, k ≥ 1 (NaN when there are none).
func neighbourMedian(v []float64, i, p int) float64 {
	var buf [spikeNeighbours]float64
	nb := buf[:0]
	for k := 1; len(nb) < spikeNeighbours; k++ {
		lo, hi := i-k*p, i+k*p
		if lo < 0 && hi >= len(v) {
			break
		}
		if lo >= 0 && !math.IsNaN(v[lo]) {
			nb = append(nb, v[lo])
		}
		if hi < len(v) && !math.IsNaN(v[hi]) && len(nb) < spikeNeighbours {
			nb = append(nb, v[hi])
		}
	}
	if len(nb) == 4 {
		// The median of four is the mean of the two middle values.
		return (nb[0] + nb[1] + nb[2] + nb[3] - min(nb[0], nb[1], nb[2], nb[3]) - max(nb[0], nb[1], nb[2], nb[3])) / 2
	}
	return medianInPlace(nb)
}

// seasonalBaseline returns for each step the median of its spikeNeighbours
// nearest non-missing same-phase values (steps t±k·p, k ≥ 1), NaN when there
// are none.
func seasonalBaseline(v []float64, p int) []float64 {
	base := make([]float64, len(v))
	for i := range v {
		base[i] = neighbourMedian(v, i, p)
	}
	return base
}

// countPresent returns the number of non-NaN values in v.
func countPresent(v []float64) int {
	n := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			n++
		}
	}
	return n
}

// nanMean returns the mean of the non-NaN values of v, NaN when none.
func nanMean(v []float64) float64 {
	s, n := 0.0, 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// medianInPlace returns the median of v (which must hold no NaN), reordering
// v; NaN when v is empty. Short slices are sorted, longer ones selected in
// linear expected time.
func medianInPlace(v []float64) float64 {
	n := len(v)
	switch {
	case n == 0:
		return math.NaN()
	case n <= 8:
		insertionSort(v)
		if n%2 == 1 {
			return v[n/2]
		}
		return (v[n/2-1] + v[n/2]) / 2
	}
	hi := selectKth(v, n/2)
	if n%2 == 1 {
		return hi
	}
	return (slices.Max(v[:n/2]) + hi) / 2
}

// selectKth reorders v so that v[k] is its k-th smallest value with no
// larger value before it, and returns v[k] (Hoare's selection with a
// median-of-three pivot).
func selectKth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		pivot := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// insertionSort sorts a short v in place.
func insertionSort(v []float64) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}
