package timeseries

import (
	"fmt"
	"math"
	"time"
)

// Resample returns s on a coarser grid. The new step must be a positive
// whole multiple of s.Step (ErrStepMultiple otherwise), and agg must not be
// AggNone; s is not modified.
//
// Buckets are aligned to the Unix epoch: bucket k covers [k*step,
// (k+1)*step) after 1970-01-01T00:00:00Z, so 1-minute data resampled to 1h
// starts on a whole UTC hour, and to 24h on a UTC midnight. Each source
// value goes to the bucket containing its start instant. The result runs
// from the bucket of s's first value to the bucket of its last.
//
// Missing data: a bucket holds m = step/s.Step source steps; those that are
// NaN, and those outside s in the first and last buckets, are missing. A
// bucket with no observed value is NaN under every aggregation. Mean, max,
// min and last use the observed values however few. Sum corrects for
// missing values instead of under-counting: with n of m observed, a bucket
// with n >= m/2 is sum*m/n (the observed rate scaled to the whole bucket),
// and one with fewer than half observed is NaN. A fully observed bucket is
// the plain sum.
func Resample(s Series, step time.Duration, agg Aggregation) (Series, error) {
	if err := checkResample(s, step, agg); err != nil {
		return Series{}, fmt.Errorf("resampling %q to %s: %w", s.Name, step, err)
	}
	m := int(step / s.Step)
	_, off := floorDivMod(s.Start.UnixNano(), int64(step))
	lead := int(off / int64(s.Step)) // steps of the first bucket before s starts
	out := Series{Name: s.Name, Start: s.Start.Add(-time.Duration(off)).UTC(), Step: step}
	if len(s.Values) == 0 {
		return out, nil
	}
	out.Values = make([]float64, (lead+len(s.Values)+m-1)/m)
	acc := accumulator{agg: agg}
	for b := range out.Values {
		lo := max(0, b*m-lead)
		hi := min(len(s.Values), (b+1)*m-lead)
		acc.reset()
		for _, v := range s.Values[lo:hi] {
			acc.add(v)
		}
		out.Values[b] = bucketValue(&acc, m)
	}
	return out, nil
}

// bucketValue applies the coverage rule of Resample to a bucket of m steps.
func bucketValue(acc *accumulator, m int) float64 {
	n := acc.n
	if acc.agg != AggSum || n == 0 || n == m {
		return acc.value()
	}
	if 2*n < m {
		return math.NaN()
	}
	return acc.sum * float64(m) / float64(n)
}

func checkResample(s Series, step time.Duration, agg Aggregation) error {
	switch {
	case agg == AggNone || !agg.valid():
		return fmt.Errorf("aggregation %q: want sum, mean, max, min or last", agg)
	case s.Step <= 0:
		return fmt.Errorf("source step %s is not positive", s.Step)
	case step <= 0 || step%s.Step != 0:
		return fmt.Errorf("%w %s", ErrStepMultiple, s.Step)
	case uint64(len(s.Values)) > uint64(math.MaxInt64/int64(s.Step)) || !inRange(s.Start) || !inRange(s.End()):
		return fmt.Errorf("series from %s to %s: %w", s.Start, s.End(), ErrTimeRange)
	}
	return nil
}
