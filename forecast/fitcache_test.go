package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitCacheComputesOncePerHistory(t *testing.T) {
	c := fitCacheFrom(withFitCache(context.Background()))
	require.NotNil(t, c)
	var calls atomic.Int32
	compute := func(v int) func() (any, error) {
		return func() (any, error) { calls.Add(1); return v, nil }
	}
	a := []float64{1, math.NaN(), 3}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			v, err := c.do("k", append([]float64(nil), a...), compute(1))
			assert.NoError(t, err)
			assert.Equal(t, 1, v)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, calls.Load(), "one computation for equal histories, NaN included")

	// The same key for other values (a collision of hashes) is recomputed,
	// not shared.
	v, err := c.do("k", []float64{1, 2, 3}, compute(2))
	require.NoError(t, err)
	assert.Equal(t, 2, v)
	assert.EqualValues(t, 2, calls.Load())

	ctx := withFitCache(context.Background())
	assert.Same(t, fitCacheFrom(ctx), fitCacheFrom(withFitCache(ctx)), "a nested fit keeps its caller's cache")
	assert.Nil(t, fitCacheFrom(context.Background()))
}

func TestDetectPeriodsCached(t *testing.T) {
	y := noisyDaily(24*21, 0.1, rand.New(rand.NewPCG(1, 2)))
	ctx := withFitCache(context.Background())
	for _, k := range []int{1, 2} {
		want := DetectPeriods(y, k)
		assert.Equal(t, want, detectPeriods(ctx, y, k))
		got := detectPeriods(ctx, y, k)
		assert.Equal(t, want, got, "from the cache")
		if len(got) > 0 {
			got[0] = -1 // a caller's copy: the cache is unchanged
			assert.Equal(t, want, detectPeriods(ctx, y, k))
		}
	}
}
