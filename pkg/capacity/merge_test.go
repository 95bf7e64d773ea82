package capacity

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMergeOnce checks the merge move on zones whose nodes are given: it
// merges when one node holds them all for less, and not when capacity,
// anti-affinity or minNodes make the merge impossible or no cheaper.
func TestMergeOnce(t *testing.T) {
	small := nodeType{cap: vec{2000, 8 << 30, 30}, price: 0.1127}
	big := func(cpu int64) nodeType { return nodeType{cap: vec{cpu, 32 << 30, 110}, price: 0.30} }
	pod := vec{250, 1 << 30, 1}
	tests := []struct {
		name     string
		big      nodeType
		anti     bool
		minNodes int
		wantBins int
		wantType int
	}{
		{"three nodes into one cheaper", big(6000), false, 0, 1, 1},
		{"too little CPU", big(5000), false, 0, 3, 0},
		{"anti-affinity keeps them apart", big(6000), true, 0, 3, 0},
		{"minNodes makes it dearer", big(6000), false, 3, 3, 0},
		{"minNodes 1 still saves", big(6000), false, 1, 1, 1},
		{"minNodes 2 costs one empty node more", big(6000), false, 2, 3, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			per := 7
			if tc.anti {
				per = 1
			}
			groups := []group{{w: 0, req: pod, count: 3 * per, anti: tc.anti}}
			zp := newZonePacker([]nodeType{small, tc.big}, groups, 0)
			zp.minNodes = tc.minNodes
			for range 3 {
				b := &bin{t: 0}
				b.put(0, per, pod)
				zp.bins = append(zp.bins, b)
			}
			before := zp.total()
			zp.mergeOnce()
			require.Len(t, zp.bins, tc.wantBins, "bins after merge")
			assert.Equal(t, tc.wantType, zp.bins[0].t, "type of the first bin")
			assert.Equal(t, []int{3 * per}, zp.placed(), "pods placed")
			assert.LessOrEqual(t, zp.total(), before+1e-12, "total %g, was %g", zp.total(), before)
		})
	}
}

// TestImproveKeepsConstraints packs generated zones greedily, improves
// them (with and without a deadline already passed) and checks that every
// pod is still placed once, every node within its type's capacity, no
// node holds two pods of an anti-affine group, and the zone's total (with
// minNodes priced) is no higher than the greedy packing's.
func TestImproveKeepsConstraints(t *testing.T) {
	rng := rand.New(rand.NewPCG(20251207, 3))
	tests := []struct {
		name     string
		deadline bool
	}{
		{"full budget", false},
		{"deadline passed", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i := range 60 {
				types, groups, minNodes := smallZone(rng, 60)
				zp := newZonePacker(types, groups, 0)
				zp.minNodes = minNodes
				if tc.deadline {
					zp.deadline, zp.now = time.Unix(0, 0), time.Now
				}
				require.NoError(t, zp.run(context.Background()))
				before := zp.total()
				require.NoError(t, zp.improve(context.Background()))
				after := zp.total()
				assert.LessOrEqual(t, after, before*(1+1e-9), "zone %d: total %g after improving, %g before", i, after, before)
				checkZone(t, i, zp)
			}
		})
	}
}

// checkZone checks a zone's bins against its groups.
func checkZone(t *testing.T, i int, zp *zonePacker) {
	t.Helper()
	placed := make([]int, len(zp.groups))
	for _, b := range zp.bins {
		var used vec
		for _, it := range b.items {
			gr := zp.groups[it.g]
			require.False(t, gr.anti && it.n > 1, "zone %d: %d pods of anti-affine group %d on one node", i, it.n, it.g)
			used = used.add(gr.req.scale(int64(it.n)))
			placed[it.g] += it.n
		}
		require.Equal(t, b.used, used, "zone %d: bin's used %v, its pods %v", i, b.used, used)
		require.True(t, used.fits(zp.types[b.t].cap), "zone %d: %v over capacity %v", i, used, zp.types[b.t].cap)
	}
	for g, gr := range zp.groups {
		require.Equal(t, gr.count, placed[g], "zone %d: group %d placed %d of %d", i, g, placed[g], gr.count)
	}
}
