package simulator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// CachedForecaster is a Forecaster that fits the Forecaster it wraps once
// per history and horizon and hands every caller the same forecast, so
// that the points of a Sweep, whose predictive policies observe one trace
// and refit on one schedule, share one fit per refit instead of one per
// point. It is safe for concurrent use: callers asking for a forecast
// being fitted wait for it (one fit per key, as with singleflight).
//
// A forecast is keyed by the history's end, length and step and by the
// horizon, not by the history's values: every caller must forecast the
// same demand (one trace, one PredictiveConfig.Past), as the runs of one
// RunFrontier do. The wrapped forecaster's output must depend on the
// history and the horizon only — never on the knob a Sweep varies (a
// quantile read from the forecast, say) — or points would be handed
// forecasts made for another knob. It must also be deterministic, which
// QuantileForecaster is: the forecasts, hence the results, are then
// identical to the uncached ones.
//
// Forecasts are kept for the CachedForecaster's life, a few hundred bytes
// per refit; use one per sweep or frontier. A fit that fails with its
// context's error is not kept, other errors are.
type CachedForecaster struct {
	inner      Forecaster
	mu         sync.Mutex
	entries    map[forecastKey]*forecastEntry
	fits, hits atomic.Int64
}

// forecastKey identifies a forecast: the history's end (Unix ns), length
// and step, and the horizon in steps (growthOnly for a growth table
// learned alone).
type forecastKey struct {
	end             int64
	length, horizon int
	step            time.Duration
}

// forecastEntry is a forecast fitted or being fitted; done is closed when
// f and err are set.
type forecastEntry struct {
	done chan struct{}
	f    policies.Forecast
	err  error
}

// CacheStats counts a CachedForecaster's work.
type CacheStats struct {
	// Fits is the number of forecasts fitted (and growth tables learned
	// alone, see GrowthLearner) by the wrapped forecaster;
	// Hits the number of forecasts served from a fit made for another
	// caller (waits for a fit in progress included).
	Fits, Hits int
}

// NewCachedForecaster returns a CachedForecaster wrapping f, which must
// not be nil.
func NewCachedForecaster(f Forecaster) *CachedForecaster {
	return &CachedForecaster{inner: f, entries: map[forecastKey]*forecastEntry{}}
}

// Forecast implements Forecaster: the wrapped forecaster's forecast for
// history and horizon, fitted at the first call with their key. Each
// caller receives its own copy of Values; anything else the forecast
// points to is shared between the callers, who must only read it.
func (c *CachedForecaster) Forecast(ctx context.Context, history timeseries.Series, horizon int) (policies.Forecast, error) {
	return c.get(ctx, history, horizon, func() (policies.Forecast, error) { return c.inner.Forecast(ctx, history, horizon) })
}

// growthOnly is the horizon that keys a growth table learned alone.
const growthOnly = -1

// LearnGrowth implements GrowthLearner when the wrapped forecaster does
// (errors.ErrUnsupported otherwise): the growth table learned from
// history, once per history key.
func (c *CachedForecaster) LearnGrowth(ctx context.Context, history timeseries.Series) (*policies.GrowthTable, error) {
	gl, ok := c.inner.(GrowthLearner)
	if !ok {
		return nil, fmt.Errorf("learning growth: %T learns none: %w", c.inner, errors.ErrUnsupported)
	}
	f, err := c.get(ctx, history, growthOnly, func() (policies.Forecast, error) {
		g, err := gl.LearnGrowth(ctx, history)
		return policies.Forecast{Growth: g}, err
	})
	return f.Growth, err
}

// get returns the entry keyed by history and horizon, fitting it with fit
// at the first call.
func (c *CachedForecaster) get(ctx context.Context, history timeseries.Series, horizon int, fit func() (policies.Forecast, error)) (policies.Forecast, error) {
	k := forecastKey{end: history.End().UnixNano(), length: history.Len(), horizon: horizon, step: history.Step}
	for {
		c.mu.Lock()
		e, found := c.entries[k]
		if !found {
			e = &forecastEntry{done: make(chan struct{})}
			c.entries[k] = e
		}
		c.mu.Unlock()
		if !found {
			c.fill(k, e, fit)
		} else {
			select {
			case <-e.done:
			case <-ctx.Done():
				return policies.Forecast{}, ctx.Err()
			}
			if isContextErr(e.err) && ctx.Err() == nil {
				continue // the fitting caller gave up; fit again for this one
			}
			c.hits.Add(1)
		}
		f := e.f
		f.Values = slices.Clone(f.Values)
		return f, e.err
	}
}

// fill fits e's forecast and publishes it; a fit cut short by its context
// is dropped from the cache so that a later caller fits again.
func (c *CachedForecaster) fill(k forecastKey, e *forecastEntry, fit func() (policies.Forecast, error)) {
	defer close(e.done)
	c.fits.Add(1)
	e.f, e.err = fit()
	if isContextErr(e.err) {
		c.mu.Lock()
		delete(c.entries, k)
		c.mu.Unlock()
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Stats returns the counts so far.
func (c *CachedForecaster) Stats() CacheStats {
	return CacheStats{Fits: int(c.fits.Load()), Hits: int(c.hits.Load())}
}

// Validate validates the wrapped forecaster, when it can be.
func (c *CachedForecaster) Validate() error {
	if v, ok := c.inner.(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}
