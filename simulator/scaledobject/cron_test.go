package scaledobject

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/simulator"
)

// kedaActive is KEDA 2.21's cron scaler activity at t, as written in its
// GetMetricsAndActivity (pkg/scalers/cron_scaler.go).
func kedaActive(c *Cron, t time.Time) bool {
	now := t.In(c.loc)
	nextStart, nextEnd := c.start.Next(now), c.end.Next(now)
	if nextStart.Before(nextEnd) {
		return now.After(nextStart) && now.Before(nextEnd)
	}
	return now.After(nextStart) || now.Before(nextEnd)
}

// inWindows reports whether t falls in one of ws, as the simulator's cron
// policy counts it.
func inWindows(ws []simulator.CronWindow, t time.Time) bool {
	for _, w := range ws {
		d := t.Sub(w.Start)
		if d < 0 {
			continue
		}
		if w.Every > 0 {
			d %= w.Every
		}
		if d < w.End.Sub(w.Start) {
			return true
		}
	}
	return false
}

func cronOf(t *testing.T, start, end, tz string) *Cron {
	t.Helper()
	p := &problems{doc: &Document{}}
	c := parseCron(p, "metadata", map[string]string{"start": start, "end": end, "timezone": tz, "desiredReplicas": "5"})
	require.NoError(t, p.err())
	return c
}

// TestCronWindows checks the windows against KEDA's own rule at every
// minute of three weeks and one second either side of each boundary.
func TestCronWindows(t *testing.T) {
	from := time.Date(2026, 10, 15, 10, 0, 0, 0, time.UTC) // inside a 9-17 UTC window; DST ends in Europe on 10-25
	to := from.Add(21 * 24 * time.Hour)
	tests := []struct {
		name, start, end, tz string
		periodic             time.Duration // the one repeating window's period, 0 for a list
	}{
		{"daily UTC", "0 9 * * *", "0 17 * * *", "UTC", 24 * time.Hour},
		{"daily across midnight", "30 23 * * *", "30 0 * * *", "UTC", 24 * time.Hour},
		{"weekly", "0 8 * * 1", "0 20 * * 5", "UTC", 7 * 24 * time.Hour},
		{"daily in Berlin across the end of DST", "0 9 * * *", "0 17 * * *", "Europe/Berlin", 0},
		{"weekdays in New York", "0 8 * * 1-5", "0 10 * * 1-5", "America/New_York", 0},
		{"weekly start, daily end", "0 9 * * 1", "0 17 * * *", "UTC", 0},
		{"every 20 minutes for 5", "0/20 * * * *", "5/20 * * * *", "UTC", 20 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cronOf(t, tt.start, tt.end, tt.tz)
			ws, err := c.Windows(from, to)
			require.NoError(t, err)
			require.NotEmpty(t, ws)
			if tt.periodic > 0 {
				require.Len(t, ws, 1, "windows %v", ws)
				assert.Equal(t, tt.periodic, ws[0].Every)
			} else {
				assert.Greater(t, len(ws), 1)
			}
			for _, w := range ws {
				assert.Equal(t, 5, w.Replicas)
				assert.True(t, w.End.After(w.Start), "window %v", w)
			}
			check := func(at time.Time) {
				assert.Equal(t, kedaActive(c, at), inWindows(ws, at), "active at %s (%s)", at.In(c.loc), at)
			}
			for at := from; at.Before(to); at = at.Add(time.Minute) {
				check(at)
			}
			for _, w := range ws {
				for _, b := range []time.Time{w.Start, w.End} {
					if !b.Before(from) && b.Before(to) {
						check(b.Add(-time.Second))
						check(b.Add(time.Second))
					}
				}
			}
		})
	}
}

// TestCronWindowOpenAtStart keeps the real start of a window open when
// the span begins.
func TestCronWindowOpenAtStart(t *testing.T) {
	c := cronOf(t, "0 9 * * *", "0 17 * * *", "UTC")
	from := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ws, err := c.Windows(from, from.Add(2*time.Hour))
	require.NoError(t, err)
	require.Len(t, ws, 1)
	assert.Equal(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), ws[0].Start)
	assert.Equal(t, time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC), ws[0].End)
	assert.Zero(t, ws[0].Every)
	assert.NoError(t, simulator.Cron{Reactive: simulator.NewReactive(1), Windows: ws}.Validate())
}

// TestCronWindowsBounded refuses a span with too many state changes.
func TestCronWindowsBounded(t *testing.T) {
	c := cronOf(t, "* * * * *", "0/1 * * * *", "UTC") // the same instants in different words: KEDA accepts it
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ws, err := c.Windows(from, from.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, ws, 1, "always active: the next end never comes after the next start")
	_, err = c.Windows(from, from.Add(200*24*time.Hour))
	require.ErrorContains(t, err, "change state more than")
}
