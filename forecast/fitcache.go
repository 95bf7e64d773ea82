package forecast

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// fitCache shares work among the candidates of one Auto fit: SeasonalAR
// fits MultiSeasonal on the very histories the mseasonal candidate is fitted
// on, at every fold and on the whole history, and with a calendar both learn
// the event effects against the same in-sample values; doing each once
// halves that cost. The candidates also detect the periods of the same
// histories (snaive and Holt-Winters the same primary one). A MultiSeasonal
// fit is keyed by the model's options and the history's start, step and
// values, the periods by the history and their number, the effects by the
// in-sample values, the history and the event spans; the history is
// compared in full on a hit, so that a collision of hashes recomputes
// rather than shares. A result asked for while another goroutine computes
// it waits for that one. Cached results are read-only.
type fitCache struct {
	mu      sync.Mutex
	entries map[any]*cachedValue
}

type fitKey struct {
	opts  string
	start time.Time
	step  time.Duration
	n     int
	hash  uint64
}

type cachedValue struct {
	values []float64 // the history the value was computed from
	once   sync.Once
	v      any
	err    error
}

type fitCacheKey struct{}

// withFitCache returns ctx carrying a new fitCache, or ctx itself when it
// already carries one.
func withFitCache(ctx context.Context) context.Context {
	if fitCacheFrom(ctx) != nil {
		return ctx
	}
	return context.WithValue(ctx, fitCacheKey{}, &fitCache{entries: map[any]*cachedValue{}})
}

// fitCacheFrom returns ctx's fitCache, nil without one.
func fitCacheFrom(ctx context.Context) *fitCache {
	c, _ := ctx.Value(fitCacheKey{}).(*fitCache)
	return c
}

// fit returns the cached fit of the model with options opts to y, calling
// fit to compute it the first time.
func (c *fitCache) fit(opts any, y timeseries.Series, fit func() (Fit, error)) (Fit, error) {
	key := fitKey{opts: fmt.Sprintf("%+v", opts), start: y.Start, step: y.Step, n: y.Len(), hash: hashValues(y.Values)}
	v, err := c.do(key, y.Values, func() (any, error) { return fit() })
	f, _ := v.(Fit)
	return f, err
}

// do returns the cached value of key for the history values, calling
// compute to compute it the first time, or every time when key's entry
// was computed from other values.
func (c *fitCache) do(key any, values []float64, compute func() (any, error)) (any, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &cachedValue{values: values}
		c.entries[key] = e
	}
	c.mu.Unlock()
	if ok && !sameBits(e.values, values) {
		return compute()
	}
	e.once.Do(func() { e.v, e.err = compute() })
	return e.v, e.err
}

// sameBits reports whether a and b hold the same values bit for bit (NaN
// equal to NaN).
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) > 0 && &a[0] == &b[0] {
		return true
	}
	for i, x := range a {
		if math.Float64bits(x) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// periodsKey identifies DetectPeriods' result for one history.
type periodsKey struct {
	start      time.Time
	step       time.Duration
	n          int
	hash       uint64
	maxPeriods int
}

// detectPeriods is DetectPeriods(y, maxPeriods), computed once per history
// in an Auto fit (see fitCache).
func detectPeriods(ctx context.Context, y timeseries.Series, maxPeriods int) []int {
	c := fitCacheFrom(ctx)
	if c == nil {
		return DetectPeriods(y, maxPeriods)
	}
	key := periodsKey{start: y.Start, step: y.Step, n: y.Len(), hash: hashValues(y.Values), maxPeriods: maxPeriods}
	v, _ := c.do(key, y.Values, func() (any, error) { return DetectPeriods(y, maxPeriods), nil })
	return slices.Clone(v.([]int))
}

// hashValues is FNV-1a over the bits of the values, a word at a time.
func hashValues(v []float64) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, x := range v {
		h = (h ^ math.Float64bits(x)) * prime
	}
	return h
}
