package metricsource

import (
	"context"
	"fmt"
	"math"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// MaxRangeSteps bounds the steps of one Range call (80 MB of values), to
// turn a mistyped range or step into an error rather than an exhausted
// server.
const MaxRangeSteps = 10_000_000

// Range evaluates query at start, start+step, … up to end (inclusive) and
// returns the values as one regular series named by the query. Steps with
// no point, or a NaN or ±Inf point, are NaN. Ranges longer than the
// configured MaxPoints are fetched in several requests and stitched. Each
// request must return at most one series (else a *SeriesCountError); if no
// request returns any, the error wraps ErrEmpty. start is truncated to the
// millisecond, Prometheus' resolution; step must be a positive whole number
// of milliseconds.
func (p *Prometheus) Range(ctx context.Context, query string, start, end time.Time, step time.Duration) (timeseries.Series, error) {
	start = start.Truncate(time.Millisecond)
	n, err := rangeSteps(start, end, step)
	if err != nil {
		return timeseries.Series{}, fmt.Errorf("querying %s for %q: %w", p.server, query, err)
	}
	out := timeseries.Series{Name: query, Start: start.UTC(), Step: step, Values: make([]float64, n)}
	for i := range out.Values {
		out.Values[i] = math.NaN()
	}
	found := false
	for lo := 0; lo < n; lo += p.maxPoints {
		hi := min(lo+p.maxPoints, n)
		got, err := p.rangeChunk(ctx, query, out, lo, hi)
		if err != nil {
			return timeseries.Series{}, fmt.Errorf("querying %s for %q from %s to %s: %w", p.server, query,
				out.Time(lo).Format(time.RFC3339), out.Time(hi-1).Format(time.RFC3339), err)
		}
		found = found || got
	}
	if !found {
		return timeseries.Series{}, fmt.Errorf("querying %s for %q from %s to %s: %w", p.server, query,
			start.UTC().Format(time.RFC3339), out.Time(n-1).Format(time.RFC3339), ErrEmpty)
	}
	return out, nil
}

// rangeSteps returns the number of grid instants from start to end.
func rangeSteps(start, end time.Time, step time.Duration) (int, error) {
	switch {
	case step < time.Millisecond || step%time.Millisecond != 0:
		return 0, fmt.Errorf("step %s is not a positive whole number of milliseconds", step)
	case end.Before(start):
		return 0, fmt.Errorf("end %s before start %s", end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	n := end.Sub(start)/step + 1
	if n > MaxRangeSteps || n <= 0 {
		return 0, fmt.Errorf("range of %d steps of %s exceeds %d", n, step, MaxRangeSteps)
	}
	return int(n), nil
}

// rangeChunk fetches steps [lo, hi) of out in one request and stores its
// points; found reports whether the request returned a series.
func (p *Prometheus) rangeChunk(ctx context.Context, query string, out timeseries.Series, lo, hi int) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	r := v1.Range{Start: out.Time(lo), End: out.Time(hi - 1), Step: out.Step}
	val, _, _, err := p.api.QueryRange(ctx, query, r, v1.WithTimeout(p.timeout))
	if err != nil {
		return false, err
	}
	m, ok := val.(model.Matrix)
	switch {
	case !ok:
		return false, fmt.Errorf("%w: %s result", ErrResultType, resultType(val))
	case len(m) == 0:
		return false, nil
	case len(m) > 1:
		return false, &SeriesCountError{Count: len(m)}
	case len(m[0].Histograms) > 0:
		return false, fmt.Errorf("%w: native histograms", ErrResultType)
	}
	return true, place(out, lo, hi, m[0].Values)
}

// place stores points on out's grid between steps lo and hi.
func place(out timeseries.Series, lo, hi int, points []model.SamplePair) error {
	for _, pt := range points {
		t := pt.Timestamp.Time()
		i := out.Index(t)
		if i < lo || i >= hi || !out.Time(i).Equal(t) {
			return fmt.Errorf("point at %s off the requested grid (start %s, step %s); "+
				"if the server aligns ranges to the step, use a start that is a multiple of it",
				t.UTC().Format(time.RFC3339Nano), out.Start.Format(time.RFC3339Nano), out.Step)
		}
		if v := float64(pt.Value); !math.IsNaN(v) && !math.IsInf(v, 0) {
			out.Values[i] = v
		}
	}
	return nil
}
