package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // time zones in tests do not depend on the host

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func TestOnWallClock(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	seq := func(start time.Time, step time.Duration, n int) timeseries.Series {
		y := timeseries.Series{Start: start, Step: step, Values: make([]float64, n)}
		for i := range y.Values {
			y.Values[i] = float64(i)
		}
		return y
	}
	t.Run("no change of offset: as it is", func(t *testing.T) {
		_, ok := onWallClock(seq(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Hour, 48), 24, berlin)
		assert.False(t, ok)
	})
	t.Run("UTC or none: as it is", func(t *testing.T) {
		y := seq(time.Date(2025, 3, 29, 0, 0, 0, 0, time.UTC), time.Hour, 48)
		_, ok := onWallClock(y, 24, time.UTC)
		assert.False(t, ok)
		_, ok = onWallClock(y, 24, nil)
		assert.False(t, ok)
	})
	t.Run("daily steps across summer time: as it is", func(t *testing.T) {
		_, ok := onWallClock(seq(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 24*time.Hour, 60), 7, berlin)
		assert.False(t, ok)
	})
	t.Run("clocks forward in the history: a slot missing", func(t *testing.T) {
		// 2025-03-30 01:00 UTC: Berlin's 02:00 becomes 03:00.
		y := seq(time.Date(2025, 3, 29, 23, 0, 0, 0, time.UTC), time.Hour, 4) // 00:00, 01:00, 03:00, 04:00 in Berlin
		c, ok := onWallClock(y, 2, berlin)
		require.True(t, ok)
		assert.Equal(t, time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC), c.w.Start)
		require.Equal(t, 5, c.w.Len())
		assert.Equal(t, []float64{0, 1}, c.w.Values[:2])
		assert.True(t, math.IsNaN(c.w.Values[2]), "02:00 never happened")
		assert.Equal(t, []float64{2, 3}, c.w.Values[3:])
		assert.Equal(t, []int{0, 1}, c.next)
	})
	t.Run("clocks back in the horizon: two steps read one slot", func(t *testing.T) {
		// 2025-10-26 01:00 UTC: Berlin's 03:00 becomes 02:00 again.
		y := seq(time.Date(2025, 10, 25, 22, 0, 0, 0, time.UTC), time.Hour, 2) // 00:00, 01:00 in Berlin
		c, ok := onWallClock(y, 3, berlin)                                     // 02:00 CEST, 02:00 CET, 03:00 CET
		require.True(t, ok)
		assert.Equal(t, []int{0, 0, 1}, c.next)
		assert.Equal(t, 2, c.horizon())
		assert.Equal(t, []float64{7, 7, 8}, c.back([]float64{7, 8}))
	})
	t.Run("events on the wall clock", func(t *testing.T) {
		y := seq(time.Date(2025, 3, 29, 0, 0, 0, 0, time.UTC), time.Hour, 48)
		c, ok := onWallClock(y, 24, berlin)
		require.True(t, ok)
		at := time.Date(2025, 3, 31, 7, 0, 0, 0, time.UTC) // 09:00 in Berlin
		got := c.events([]calendar.Occurrence{{Name: "standup", Type: "meeting", Start: at, End: at.Add(time.Hour), Lead: time.Hour}})
		require.Len(t, got, 1)
		assert.Equal(t, time.Date(2025, 3, 31, 9, 0, 0, 0, time.UTC), got[0].Start)
		assert.Equal(t, time.Hour, got[0].Lead)
	})
}

// TestForecastOnTheWallClock forecasts the week after Berlin's change to
// summer time of a half-hourly series whose morning rise follows Berlin's
// clock: on the wall clock the rise stays at its hour; on the UTC grid
// the profile of the weeks before puts it an hour late.
func TestForecastOnTheWallClock(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(3, 8))
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	y := timeseries.Series{Name: "office", Start: start, Step: 30 * time.Minute, Values: make([]float64, 5*7*48)}
	for i := range y.Values {
		lt := y.Time(i).In(berlin)
		v := 100.0
		if h := lt.Hour(); h >= 8 && h < 18 && lt.Weekday() != time.Saturday && lt.Weekday() != time.Sunday {
			v = 400
		}
		y.Values[i] = v * (1 + 0.02*rng.NormFloat64())
	}
	n := 26 * 48 // the history ends with Friday 2025-03-28
	hist, actual := y.Slice(0, n), y.Values[n:n+7*48]
	mae := func(loc *time.Location) float64 {
		r, err := Forecast(context.Background(), hist, len(actual), Options{Model: "mseasonal", Location: loc})
		require.NoError(t, err)
		s := 0.0
		for k, v := range actual {
			s += math.Abs(v - r.Point[k])
		}
		return s / float64(len(actual))
	}
	utc, local := mae(nil), mae(berlin)
	t.Logf("MAE of the week after the change: UTC grid %.1f, Berlin's wall clock %.1f", utc, local)
	assert.Less(t, local, utc/2)
}
