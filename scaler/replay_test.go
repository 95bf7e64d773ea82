package scaler

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/datasets"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// nasaReplay returns the bundled NASA trace's replay and calendar, as the
// default configuration builds them.
func nasaReplay(t testing.TB) (*Replay, Events) {
	t.Helper()
	c := DefaultConfig()
	_, replays, err := sources(c, datasets.FS())
	if err != nil {
		t.Fatal(err)
	}
	cals, err := calendars(c, datasets.FS(), replays)
	if err != nil {
		t.Fatal(err)
	}
	return replays["nasa"], cals["nasa-1995"]
}

func newYork(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestReplayCycle(t *testing.T) {
	r, _ := nasaReplay(t)
	ny := newYork(t)
	if want := time.Date(1995, 7, 3, 0, 0, 0, 0, ny); !r.first.Equal(want) || r.Weeks() != 8 {
		t.Fatalf("cycle starts %s with %d weeks, want %s and 8 (1995-07-03 to 08-28)", r.first, r.Weeks(), want)
	}
	tests := []struct {
		name string
		wall time.Time
	}{
		{"summer afternoon", time.Date(2026, 7, 14, 14, 5, 0, 0, ny)},
		{"winter morning, other UTC offset", time.Date(2026, 1, 15, 9, 41, 0, 0, ny)},
		{"sunday before midnight", time.Date(2031, 3, 2, 23, 59, 0, 0, ny)},
		{"before the anchor", time.Date(1999, 12, 31, 12, 0, 0, 0, ny)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := r.TraceTime(tt.wall)
			if tr.Weekday() != tt.wall.Weekday() || tr.Hour() != tt.wall.Hour() || tr.Minute() != tt.wall.Minute() {
				t.Errorf("wall %s replays trace %s: weekday or time of day differ", tt.wall, tr)
			}
			if tr.Before(r.first) || !tr.Before(addDays(r.first, 56)) {
				t.Errorf("trace time %s outside the cycle", tr)
			}
			back := r.wallTime(mustCycle(r, tt.wall), tr)
			if !back.Equal(tt.wall) {
				t.Errorf("wallTime(TraceTime(%s)) = %s", tt.wall, back)
			}
		})
	}
	a, b := time.Date(2026, 7, 14, 14, 5, 0, 0, ny), time.Date(2026, 7, 21, 14, 5, 0, 0, ny)
	if got := r.TraceTime(b).Sub(r.TraceTime(a)); got != 7*24*time.Hour && got != -7*7*24*time.Hour {
		t.Errorf("a week later replays %s later, want one week (or the wrap to the cycle start)", got)
	}
}

func mustCycle(r *Replay, t time.Time) int {
	k, _, _ := r.position(t)
	return k
}

func TestReplayInstantAndRange(t *testing.T) {
	r, _ := nasaReplay(t)
	ny := newYork(t)
	ctx := context.Background()
	end := time.Date(2026, 7, 15, 12, 0, 0, 0, ny)
	rng, err := r.Range(ctx, "ignored", end.Add(-3*time.Hour), end, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if rng.Len() != 181 {
		t.Fatalf("range of 3h at 1m has %d steps, want 181", rng.Len())
	}
	for i := 0; i < rng.Len(); i += 17 {
		at := rng.Time(i)
		smp, err := r.Instant(ctx, "ignored", at)
		want := r.trace.Values[r.trace.Index(r.TraceTime(at))]
		switch {
		case math.IsNaN(want):
			if !errors.Is(err, metricsource.ErrEmpty) || !math.IsNaN(rng.Values[i]) {
				t.Errorf("at %s the trace is missing: Instant err %v, Range %v", at, err, rng.Values[i])
			}
		case err != nil || smp.Value != want || rng.Values[i] != want:
			t.Errorf("at %s: Instant %v (%v), Range %v, trace %v", at, smp.Value, err, rng.Values[i], want)
		}
	}
	if _, err := r.Instant(canceled(), "q", end); !errors.Is(err, context.Canceled) {
		t.Errorf("Instant with a canceled context: %v", err)
	}
}

// TestReplayMissingIsEmpty replays the 1995-07-28..31 gap of the trace.
func TestReplayMissingIsEmpty(t *testing.T) {
	r, _ := nasaReplay(t)
	ny := newYork(t)
	// Saturday of cycle week 4 (trace 1995-07-29), in cycle 0 from the anchor.
	wall := time.Date(2001, 1, 27, 12, 0, 0, 0, ny)
	if tr := r.TraceTime(wall); tr.Year() != 1995 || tr.Month() != 7 || tr.Day() != 29 {
		t.Fatalf("wall %s replays %s, want 1995-07-29", wall, tr)
	}
	if _, err := r.Instant(context.Background(), "q", wall); !errors.Is(err, metricsource.ErrEmpty) {
		t.Errorf("Instant in the trace's gap: %v, want ErrEmpty", err)
	}
	if _, err := r.Range(context.Background(), "q", wall, wall.Add(time.Hour), time.Minute); !errors.Is(err, metricsource.ErrEmpty) {
		t.Errorf("Range in the trace's gap: %v, want ErrEmpty", err)
	}
}

func TestReplayEvents(t *testing.T) {
	r, ev := nasaReplay(t)
	ny := newYork(t)
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, ny)
	occ := ev.Occurrences(from, from.Add(17*7*24*time.Hour))
	var launches []calendar.Occurrence
	for _, o := range occ {
		if o.Type == "launch" {
			launches = append(launches, o)
		}
	}
	if len(launches) < 2 {
		t.Fatalf("%d launches replayed over 17 weeks, want 2 or 3 (one per 8-week cycle): %v", len(launches), occ)
	}
	for i, o := range launches {
		st := o.Start.In(ny)
		if st.Weekday() != time.Thursday || st.Hour() != 9 || st.Minute() != 41 || o.End.Sub(o.Start) != time.Hour {
			t.Errorf("launch replayed at %s (to %s), want a Thursday 09:41 for an hour", st, o.End.In(ny))
		}
		if tr := r.TraceTime(o.Start); tr.Month() != 7 || tr.Day() != 13 {
			t.Errorf("launch replayed at %s which replays trace %s, want 1995-07-13", st, tr)
		}
		if i > 0 && o.Start.Sub(launches[i-1].Start).Round(time.Hour) != 8*7*24*time.Hour {
			t.Errorf("launches %s and %s are not one cycle apart", launches[i-1].Start, o.Start)
		}
	}
	if got := ev.Types(); len(got) < 2 {
		t.Errorf("Types = %v, want launch and the holidays", got)
	}
}

func TestNewReplayShortTrace(t *testing.T) {
	s := timeseries.Series{Name: "short", Start: time.Date(2025, 1, 7, 0, 0, 0, 0, time.UTC), Step: time.Hour, Values: make([]float64, 24*8)}
	if _, err := NewReplay(s, nil); !errors.Is(err, ErrShortTrace) {
		t.Errorf("8 days from a Tuesday: %v, want ErrShortTrace", err)
	}
	s.Values = make([]float64, 24*13)
	r, err := NewReplay(s, nil)
	if err != nil || r.Weeks() != 1 {
		t.Errorf("13 days from a Tuesday: %v, weeks %v; want one week", err, r)
	}
}

// canceled returns a canceled context.
func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
