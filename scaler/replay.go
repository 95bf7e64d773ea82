package scaler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Replay is a Source that replays a recorded trace as if it were live: the
// wall clock is mapped onto the trace's time of week, so a query evaluated
// on a Tuesday at 14:05 answers what the trace recorded on a Tuesday at
// 14:05, and the answers follow the trace's daily and weekly shape.
//
// The trace's whole weeks (Monday 00:00 to Monday 00:00 in its time zone)
// form a cycle that the wall clock walks through week by week, then
// repeats. A range ending at the replay point is therefore the trace before
// it, wrapping to the cycle's end when it reaches back past the cycle's
// start. Every query gets the same trace: the query text is ignored. A
// Replay is immutable and safe for concurrent use.
type Replay struct {
	trace timeseries.Series
	loc   *time.Location
	// first is the trace's first local Monday 00:00; weeks the whole weeks
	// from it.
	first time.Time
	weeks int
}

// replayAnchor is the wall-clock Monday at which cycle 0 starts.
const replayAnchorYear, replayAnchorMonth, replayAnchorDay = 2001, time.January, 1

// ErrShortTrace reports a replay trace without one whole week.
var ErrShortTrace = errors.New("replay trace holds no whole week (Monday to Monday)")

// NewReplay returns a Replay of trace, whose local time of week is read in
// loc (nil means UTC). The trace must hold at least one whole week.
func NewReplay(trace timeseries.Series, loc *time.Location) (*Replay, error) {
	if loc == nil {
		loc = time.UTC
	}
	if trace.Step <= 0 || trace.Len() == 0 {
		return nil, fmt.Errorf("replay of %q: %w", trace.Name, ErrShortTrace)
	}
	first := nextMonday(trace.Start.In(loc))
	weeks := 0
	for !addDays(first, 7*(weeks+1)).After(trace.End()) {
		weeks++
	}
	if weeks == 0 {
		return nil, fmt.Errorf("replay of %q from %s to %s: %w", trace.Name,
			trace.Start.Format(time.RFC3339), trace.End().Format(time.RFC3339), ErrShortTrace)
	}
	return &Replay{trace: trace, loc: loc, first: first, weeks: weeks}, nil
}

// Weeks returns the number of whole weeks in the replay cycle.
func (r *Replay) Weeks() int { return r.weeks }

// TraceTime returns the instant of the trace that the wall-clock instant t
// replays.
func (r *Replay) TraceTime(t time.Time) time.Time {
	_, day, clock := r.position(t)
	y, m, d := r.first.Date()
	return time.Date(y, m, d+day, 0, 0, 0, int(clock), r.loc)
}

// WallTime returns the wall-clock instant of the replay's first cycle
// that replays the trace instant u: TraceTime(WallTime(u)) is u for any u
// within the cycle's whole weeks. A clock pinned to it makes the replay
// answer as the trace stood at u.
func (r *Replay) WallTime(u time.Time) time.Time { return r.wallTime(0, u) }

// position returns the cycle number of t, its day in the cycle and its
// local time of day.
func (r *Replay) position(t time.Time) (cycle, day int, clock time.Duration) {
	lt := t.In(r.loc)
	h, mi, s := lt.Clock()
	clock = time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(s)*time.Second +
		time.Duration(lt.Nanosecond())
	days := civilDays(lt) - civilDays(time.Date(replayAnchorYear, replayAnchorMonth, replayAnchorDay, 0, 0, 0, 0, time.UTC))
	n := 7 * r.weeks
	cycle = floorDivInt(days, n)
	return cycle, days - cycle*n, clock
}

// wallTime returns the wall-clock instant that replays the trace instant u
// in cycle k: the inverse of TraceTime within one cycle.
func (r *Replay) wallTime(k int, u time.Time) time.Time {
	lu := u.In(r.loc)
	h, mi, s := lu.Clock()
	day := civilDays(lu) - civilDays(r.first) + k*7*r.weeks
	return time.Date(replayAnchorYear, replayAnchorMonth, replayAnchorDay+day, h, mi, s, lu.Nanosecond(), r.loc)
}

// value returns the trace's value at the wall-clock instant t.
func (r *Replay) value(t time.Time) float64 {
	i := r.trace.Index(r.TraceTime(t))
	if i < 0 || i >= r.trace.Len() {
		return math.NaN()
	}
	return r.trace.Values[i]
}

// Instant returns the trace's value at the trace time at replays. A step
// the trace misses is an error wrapping metricsource.ErrEmpty, as a
// Prometheus query finding no sample would be.
func (r *Replay) Instant(ctx context.Context, query string, at time.Time) (metricsource.Sample, error) {
	if err := ctx.Err(); err != nil {
		return metricsource.Sample{}, err
	}
	v := r.value(at)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return metricsource.Sample{}, fmt.Errorf("replaying %q at %s (trace time %s): %w", r.trace.Name,
			at.UTC().Format(time.RFC3339), r.TraceTime(at).Format(time.RFC3339), metricsource.ErrEmpty)
	}
	return metricsource.Sample{Value: v, Time: at.UTC().Truncate(time.Millisecond)}, nil
}

// Range returns the trace's values at the trace times that start, start+step,
// … up to end replay, as metricsource.Prometheus.Range would: missing steps
// NaN, an error wrapping metricsource.ErrEmpty when all are.
func (r *Replay) Range(ctx context.Context, query string, start, end time.Time, step time.Duration) (timeseries.Series, error) {
	start = start.Truncate(time.Millisecond)
	if step <= 0 || end.Before(start) {
		return timeseries.Series{}, fmt.Errorf("replaying %q: range from %s to %s with step %s", r.trace.Name,
			start.Format(time.RFC3339), end.Format(time.RFC3339), step)
	}
	n := int64(end.Sub(start)/step) + 1
	if n > metricsource.MaxRangeSteps {
		return timeseries.Series{}, fmt.Errorf("replaying %q: range of %d steps exceeds %d", r.trace.Name, n, metricsource.MaxRangeSteps)
	}
	out := timeseries.Series{Name: query, Start: start.UTC(), Step: step, Values: make([]float64, n)}
	found := false
	for i := range out.Values {
		if i%4096 == 0 && ctx.Err() != nil {
			return timeseries.Series{}, ctx.Err()
		}
		v := r.value(out.Time(i))
		found = found || !math.IsNaN(v)
		out.Values[i] = v
	}
	if !found {
		return timeseries.Series{}, fmt.Errorf("replaying %q from %s to %s: %w", r.trace.Name,
			start.Format(time.RFC3339), end.Format(time.RFC3339), metricsource.ErrEmpty)
	}
	return out, nil
}

// nextMonday returns the first local Monday 00:00 at or after t.
func nextMonday(t time.Time) time.Time {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	if day.Before(t) {
		day = addDays(day, 1)
	}
	return addDays(day, (8-int(day.Weekday()))%7)
}

// addDays adds n calendar days to t, keeping its local clock.
func addDays(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d+n, h, mi, s, t.Nanosecond(), t.Location())
}

// civilDays returns the number of days from 1970-01-01 to t's local date.
func civilDays(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// floorDivInt returns a/b rounded towards minus infinity, for b > 0.
func floorDivInt(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
