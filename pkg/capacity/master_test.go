package capacity

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMasterDiveTradesLargeNodeForSmallOnes packs a zone whose optimum,
// under minNodes 3, puts the pods that fit only the medium type on one
// medium node and the rest on eight small nodes (1.536 $/h), where
// merging and repacking stop at two medium nodes and an empty small one
// (1.632 $/h).
func TestMasterDiveTradesLargeNodeForSmallOnes(t *testing.T) {
	types := []nodeType{
		{cap: vec{28258, 226772125744, 106}, price: 2.016},
		{cap: vec{1528, 6285684637, 28}, price: 0.096},
		{cap: vec{14002, 56072945532, 106}, price: 0.768},
	}
	groups := []group{
		{w: 0, req: vec{1500, 13824425984, 1}, count: 4},
		{w: 1, req: vec{850, 1 << 30, 1}, count: 3},
		{w: 2, req: vec{450, 128 << 20, 1}, count: 19},
		{w: 3, req: vec{350, 512 << 20, 1}, count: 3},
	}
	zp := packZone(t, types, groups, 3)
	opt, solved := exactZone(zp.types, zp.groups, zp.placed(), 3, zp.cost())
	require.True(t, solved)
	assert.InDelta(t, 1.536, opt, 1e-9)
	assert.InDelta(t, opt, zp.cost(), 1e-9, "packer %g, optimum %g", zp.cost(), opt)
	assert.Len(t, zp.bins, 9)
}

// TestMasterDiveKeepsConstraints runs the dive on greedy packings of small
// zones, some with maxNodes, and checks that it places exactly the same
// pods, within every node's capacity, at most one pod of an anti-affine
// workload per node, within maxNodes, never at a higher total, and that
// it does improve some of them.
func TestMasterDiveKeepsConstraints(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 4))
	improved := 0
	for i := range 60 {
		types, groups, minNodes := smallZone(rng, 40)
		zp := newZonePacker(types, groups, 0)
		zp.minNodes = minNodes
		require.NoError(t, zp.run(context.Background()))
		if i%3 == 0 {
			zp.maxNodes = len(zp.bins)
		}
		placed, before := zp.placed(), zp.total()
		require.NoError(t, zp.masterDive(context.Background()), "zone %d", i)
		assert.Equal(t, placed, zp.placed(), "zone %d: pods placed changed", i)
		assert.LessOrEqual(t, zp.total(), before*(1+1e-12), "zone %d: total rose", i)
		if zp.maxNodes > 0 {
			assert.LessOrEqual(t, len(zp.bins), zp.maxNodes, "zone %d: above maxNodes", i)
		}
		for _, b := range zp.bins {
			var used vec
			for _, it := range b.items {
				used = used.add(zp.groups[it.g].req.scale(int64(it.n)))
				if zp.groups[it.g].anti {
					assert.LessOrEqual(t, it.n, 1, "zone %d: anti-affine pods together", i)
				}
			}
			assert.Equal(t, used, b.used, "zone %d: node usage out of date", i)
			assert.True(t, b.used.fits(zp.types[b.t].cap), "zone %d: node over capacity", i)
		}
		if zp.total() < before*(1-1e-9) {
			improved++
		}
	}
	assert.Positive(t, improved, "the dive improved no greedy packing")
}

// TestMasterDiveSkipsLargeZones checks that zones of more than
// masterMaxPods pods are left as they are, and that a cancelled context is
// reported.
func TestMasterDiveSkipsLargeZones(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	types, groups, _ := smallZone(rng, 40)
	for g := range groups {
		groups[g].count *= masterMaxPods
		groups[g].anti = false
	}
	zp := newZonePacker(types, groups, 0)
	require.NoError(t, zp.run(context.Background()))
	bins := slices.Clone(zp.bins)
	require.NoError(t, zp.masterDive(context.Background()))
	assert.Equal(t, bins, zp.bins)
	assert.Nil(t, zp.rootBound)

	types, groups, _ = smallZone(rng, 40)
	zp = newZonePacker(types, groups, 0)
	require.NoError(t, zp.run(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, zp.masterDive(ctx), context.Canceled)
}
