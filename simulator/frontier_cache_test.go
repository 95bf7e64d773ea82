package simulator

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// countingForecaster counts its fits; with gate set each fit waits for it
// to close (or for its context to end). Its forecast encodes the key.
type countingForecaster struct {
	calls atomic.Int64
	gate  chan struct{}
	err   error
}

func (f *countingForecaster) Forecast(ctx context.Context, y timeseries.Series, h int) (policies.Forecast, error) {
	f.calls.Add(1)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return policies.Forecast{}, ctx.Err()
		}
	}
	return policies.Forecast{Start: y.End(), Step: y.Step, Values: []float64{float64(y.Len()), float64(h)}}, f.err
}

func TestCachedForecasterKeys(t *testing.T) {
	y := minuteTrace(1, 2, 3, 4, 5, 6)
	tests := []struct {
		name      string
		a, b      timeseries.Series
		ha, hb    int
		wantCalls int64
	}{
		{"same history and horizon", y, y, 10, 10, 1},
		{"same key, other values: one fit (one trace per cache)", y, minuteTrace(9, 9, 9, 9, 9, 9), 10, 10, 1},
		{"other horizon", y, y, 10, 11, 2},
		{"other length, same end", y, y.Slice(1, 6), 10, 10, 2},
		{"other end, same length", y.Slice(0, 5), y.Slice(1, 6), 10, 10, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inner := &countingForecaster{}
			c := NewCachedForecaster(inner)
			fa, err := c.Forecast(context.Background(), tc.a, tc.ha)
			require.NoError(t, err)
			fb, err := c.Forecast(context.Background(), tc.b, tc.hb)
			require.NoError(t, err)
			assert.Equal(t, tc.wantCalls, inner.calls.Load(), "fits")
			assert.Equal(t, CacheStats{Fits: int(tc.wantCalls), Hits: 2 - int(tc.wantCalls)}, c.Stats())
			if tc.wantCalls == 1 {
				assert.Equal(t, fa, fb)
			}
		})
	}
}

// Callers asking at once for one key wait for a single fit.
func TestCachedForecasterConcurrentCallersShareOneFit(t *testing.T) {
	inner := &countingForecaster{gate: make(chan struct{})}
	c := NewCachedForecaster(inner)
	y := minuteTrace(1, 2, 3)
	const callers = 16
	got := make([]policies.Forecast, callers)
	var started, wg sync.WaitGroup
	started.Add(callers)
	for i := range callers {
		wg.Go(func() {
			started.Done()
			f, err := c.Forecast(context.Background(), y, 5)
			assert.NoError(t, err)
			got[i] = f
		})
	}
	started.Wait()
	time.Sleep(10 * time.Millisecond) // let the callers reach the cache
	close(inner.gate)
	wg.Wait()
	assert.EqualValues(t, 1, inner.calls.Load(), "fits for %d concurrent callers", callers)
	assert.Equal(t, CacheStats{Fits: 1, Hits: callers - 1}, c.Stats())
	for i := range got {
		assert.Equal(t, got[0], got[i], "caller %d", i)
	}
}

func TestCachedForecasterCopiesValues(t *testing.T) {
	c := NewCachedForecaster(&countingForecaster{})
	y := minuteTrace(1, 2, 3)
	f, err := c.Forecast(context.Background(), y, 5)
	require.NoError(t, err)
	f.Values[0] = -1
	g, err := c.Forecast(context.Background(), y, 5)
	require.NoError(t, err)
	assert.Equal(t, []float64{3, 5}, g.Values, "a caller's change reached the cache")
}

func TestCachedForecasterErrors(t *testing.T) {
	y := minuteTrace(1, 2, 3)
	t.Run("a fit error is kept", func(t *testing.T) {
		boom := errors.New("boom")
		inner := &countingForecaster{err: boom}
		c := NewCachedForecaster(inner)
		for range 2 {
			_, err := c.Forecast(context.Background(), y, 5)
			require.ErrorIs(t, err, boom)
		}
		assert.EqualValues(t, 1, inner.calls.Load())
	})
	t.Run("a cancelled fit is not", func(t *testing.T) {
		inner := &countingForecaster{gate: make(chan struct{})}
		c := NewCachedForecaster(inner)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Forecast(ctx, y, 5)
		require.ErrorIs(t, err, context.Canceled)
		close(inner.gate)
		f, err := c.Forecast(context.Background(), y, 5)
		require.NoError(t, err)
		assert.Equal(t, []float64{3, 5}, f.Values)
		assert.EqualValues(t, 2, inner.calls.Load(), "the cancelled fit was not refitted")
	})
}

// The points of a predictive sweep give the same results through one
// cached forecaster as with their own: the cache changes the cost only.
func TestCachedForecasterSameResults(t *testing.T) {
	both := syntheticDemand(5*24*60, time.Minute, 2000, 3)
	past, demand := both.Slice(0, 2*24*60), both.Slice(2*24*60, both.Len())
	s := predictiveTestSettings()
	s.Timeline = false
	s.KEDA.MaxReplicaCount = 500
	knobs := []float64{0.6, 0.8, 1}
	var made []*Predictive
	sweep := func(f Forecaster) Sweep {
		return Sweep{Name: "predictive", Knob: "utilisation", Values: knobs, New: func(u, _ float64) (Policy, error) {
			cfg := predictiveTestConfig(f)
			cfg.Policy.TargetPerPod, cfg.Past, cfg.RefitInterval = 50*u, past, 2*time.Hour
			p, err := NewPredictive(cfg)
			made = append(made, p)
			return p, err
		}}
	}
	base := FrontierBase{Demand: demand, Settings: s}
	plain, err := RunFrontier(context.Background(), base, []Sweep{sweep(realForecaster())}, 0)
	require.NoError(t, err)
	cache := NewCachedForecaster(realForecaster())
	cached, err := RunFrontier(context.Background(), base, []Sweep{sweep(cache)}, 0)
	require.NoError(t, err)
	refits := made[0].Stats().Refits
	require.Positive(t, refits)
	for _, p := range made {
		st := p.Stats()
		require.Zero(t, st.FitErrors, "fit errors: %v", st.LastError)
		require.Equal(t, refits, st.Refits)
	}
	require.Equal(t, gobBytes(t, plain), gobBytes(t, cached), "cached results differ")
	assert.Equal(t, CacheStats{Fits: refits, Hits: (len(knobs) - 1) * refits}, cache.Stats())
	assert.NotEqual(t, plain.Curves[0].Points[0].PodHours, plain.Curves[0].Points[2].PodHours, "the knob changes nothing")
}
