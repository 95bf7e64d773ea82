package scaler

import (
	"context"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Source measures demand: a trigger's query evaluated now (on the gRPC
// path, under a short deadline) and over a range (in the background, to
// backfill and refresh the history). *metricsource.Prometheus and *Replay
// implement it. Implementations must be safe for concurrent use.
type Source interface {
	// Instant evaluates query at the instant at; an error, or a value that
	// is not finite, means the live demand is unknown.
	Instant(ctx context.Context, query string, at time.Time) (metricsource.Sample, error)
	// Range evaluates query at start, start+step, … up to end, missing
	// steps NaN.
	Range(ctx context.Context, query string, start, end time.Time, step time.Duration) (timeseries.Series, error)
}

// Events gives the occurrences of known events: *calendar.Calendar and the
// calendars a Replay shifts onto the wall clock implement it.
// Implementations must be safe for concurrent use.
type Events interface {
	// Occurrences returns the occurrences whose affected window overlaps
	// [from, to), sorted by start.
	Occurrences(from, to time.Time) []calendar.Occurrence
	// Types returns the distinct occurrence types, sorted.
	Types() []string
}
