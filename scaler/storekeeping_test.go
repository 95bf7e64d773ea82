package scaler

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// putHistory writes steps of one-minute history under key, as a trigger
// registered before a restart would have, at the store clock's time.
func putHistory(t *testing.T, st *store.Store, key string, steps int) {
	t.Helper()
	v := make([]float64, steps)
	for i := range v {
		v[i] = float64(i)
	}
	require.NoError(t, st.AppendHistory(key, timeseries.Series{Start: beforeRamp.Add(-30 * 24 * time.Hour), Step: time.Minute, Values: v}))
}

// storeKeys lists the store's keys.
func storeKeys(t *testing.T, st *store.Store) []string {
	t.Helper()
	keys, err := st.Keys()
	require.NoError(t, err)
	return keys
}

// TestSweepStoreAfterRestart: keys found at start-up whose trigger KEDA
// does not ask about again are deleted idleAfter after the start (not
// after their last write: the scaler may have been down longer than
// that), and a trigger asked about again keeps its key.
func TestSweepStoreAfterRestart(t *testing.T) {
	e := newTestEnv(t, beforeRamp, func(o *Options) { o.IdleAfter = time.Hour })
	r := ref("checkout", fastMeta())
	back := e.target(t, r).key // computes the key; forgotten again below
	e.srv.evictIdle(e.clock.Now().Add(2 * time.Hour))
	require.Empty(t, e.srv.all())

	e.clock.Advance(-3 * time.Hour)
	putHistory(t, e.store, "shop/gone/prescale-00000001", 100) // last written 3 h before the restart
	e.clock.Advance(2*time.Hour + 50*time.Minute)
	putHistory(t, e.store, back, 100) // last written 10 min before the restart
	e.clock.Advance(10 * time.Minute)
	started := e.clock.Now()

	tests := []struct {
		name     string
		after    time.Duration // since the start
		register bool
		want     []string
	}{
		{"at start-up nothing is deleted", 0, false, []string{back, "shop/gone/prescale-00000001"}},
		{"within idleAfter of the start", 50 * time.Minute, true, []string{back, "shop/gone/prescale-00000001"}},
		{"idleAfter after the start", 61 * time.Minute, false, []string{back}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.Set(started.Add(tc.after))
			if tc.register {
				e.target(t, r)
			}
			_, err := e.srv.SweepStore(context.Background(), started)
			require.NoError(t, err)
			assert.ElementsMatch(t, tc.want, storeKeys(t, e.store))
		})
	}
}

// TestChangedQueryKeyDeleted: a trigger whose query changed gets a new
// metric and store key; the old key is deleted once no trigger uses it.
func TestChangedQueryKeyDeleted(t *testing.T) {
	e := newTestEnv(t, beforeRamp, func(o *Options) { o.IdleAfter = time.Hour })
	started := e.clock.Now()
	oldRef := ref("checkout", fastMeta())
	newRef := ref("checkout", fastMeta("query", "sum(rate(http_requests_total[2m]))"))
	for _, r := range []*externalscaler.ScaledObjectRef{oldRef, newRef} {
		_, err := e.srv.decide(context.Background(), e.target(t, r))
		require.NoError(t, err)
		e.refit(t, r)
		e.srv.flush()
	}
	oldKey, newKey := e.target(t, oldRef).key, e.target(t, newRef).key
	require.NotEqual(t, oldKey, newKey)
	require.ElementsMatch(t, []string{oldKey, newKey}, storeKeys(t, e.store))
	for range 8 { // KEDA asks about the new trigger only
		e.clock.Advance(10 * time.Minute)
		_, err := e.srv.decide(context.Background(), e.target(t, newRef))
		require.NoError(t, err)
		e.srv.flush()
		e.srv.evictIdle(e.clock.Now())
		_, err = e.srv.SweepStore(context.Background(), started)
		require.NoError(t, err)
	}
	assert.Equal(t, []string{newKey}, storeKeys(t, e.store))
}

// TestSweepStoreBudget: over the size budget, unused keys go first, the
// least recently written first; then every trigger's history is cut; and
// the file is compacted once much of it is free.
func TestSweepStoreBudget(t *testing.T) {
	const steps = 40_000 // 320 KB a key
	tests := []struct {
		name        string
		budget      int64
		unused      int
		registered  int
		wantEvicted bool
		wantTrimmed bool
	}{
		{"under budget", 64 << 20, 10, 2, false, false},
		{"unused keys evicted", 2 << 20, 10, 2, true, false},
		{"histories cut", 1 << 20, 4, 6, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, beforeRamp, func(o *Options) { o.IdleAfter = time.Hour; o.StoreMaxBytes = tc.budget })
			e.srv.compactMinFree = 1 << 20
			started := e.clock.Now()
			for i := range tc.unused {
				putHistory(t, e.store, fmt.Sprintf("shop/unused-%02d/m", i), steps)
				e.clock.Advance(time.Minute)
			}
			var regKeys []string
			for i := range tc.registered {
				tg := e.target(t, ref(fmt.Sprintf("app-%d", i), fastMeta("step", "1m", "historyWindow", "4w")))
				putHistory(t, e.store, tg.key, steps)
				regKeys = append(regKeys, tg.key)
			}
			sw, err := e.srv.SweepStore(context.Background(), started)
			require.NoError(t, err)
			assert.Empty(t, sw.Orphans)
			assert.Equal(t, tc.wantEvicted, len(sw.Evicted) > 0, "evicted %q", sw.Evicted)
			for i, k := range sw.Evicted {
				assert.Equal(t, fmt.Sprintf("shop/unused-%02d/m", i), k, "evicted out of write order")
			}
			assert.Len(t, storeKeys(t, e.store), tc.unused+tc.registered-len(sw.Evicted))
			assert.Equal(t, tc.wantTrimmed, sw.HistoryKept > 0, "history kept: %v", sw.HistoryKept)
			for _, k := range regKeys {
				h, err := e.store.History(k)
				require.NoError(t, err, "a registered trigger's history was deleted")
				if tc.wantTrimmed {
					assert.Less(t, h.Len(), steps)
				} else {
					assert.Equal(t, steps, h.Len())
				}
			}
			if tc.wantEvicted || tc.wantTrimmed {
				assert.LessOrEqual(t, sw.After.UsedBytes(), tc.budget, "store still over its budget")
				assert.True(t, sw.Compacted, "free pages %d of %d not compacted", sw.After.FreeBytes, sw.After.FileBytes)
				assert.Less(t, sw.After.FileBytes, sw.Before.FileBytes)
			}
		})
	}
}
