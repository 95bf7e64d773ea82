package capacity

import (
	"context"
	"math/rand/v2"
)

// Repack search limits: the least efficient nodes considered, and the
// most rounds of improvement.
const (
	repackWindow    = 6
	repackMaxRounds = 64
)

// repack repeatedly takes two or three of the least efficient nodes, packs
// their pods afresh onto new nodes, and keeps the result when it is
// cheaper; it stops when no such combination improves.
func (zp *zonePacker) repack(ctx context.Context) error {
	for range repackMaxRounds {
		if err := ctx.Err(); err != nil {
			return err
		}
		if zp.expired() || !zp.repackOnce(ctx) {
			return nil
		}
	}
	return nil
}

// repackOnce tries the pairs, then the triples, of the least efficient
// nodes, each packed freely and then onto one node fewer, and applies the
// first improvement.
func (zp *zonePacker) repackOnce(ctx context.Context) bool {
	order := zp.byEfficiency()
	m := min(len(order), repackWindow)
	for i := 0; i < m; i++ {
		for j := i + 1; j < m; j++ {
			if zp.tryBoth(ctx, []int{order[i], order[j]}) {
				return true
			}
		}
	}
	for i := 0; i < m; i++ {
		for j := i + 1; j < m; j++ {
			for k := j + 1; k < m; k++ {
				if zp.tryBoth(ctx, []int{order[i], order[j], order[k]}) {
					return true
				}
			}
		}
	}
	return false
}

// tryBoth repacks the selected bins freely, and failing that onto one
// node fewer (n nodes replaced by n-1, each filled for value rather than
// value per dollar).
func (zp *zonePacker) tryBoth(ctx context.Context, sel []int) bool {
	return zp.tryRepack(ctx, sel, nil, 0) || zp.tryRepack(ctx, sel, nil, len(sel)-1)
}

// tryRepack packs the pods of the selected bins onto fresh nodes, at most
// fewer of them when fewer > 0, and replaces the bins when that lowers the
// zone's total and stays within maxNodes.
func (zp *zonePacker) tryRepack(ctx context.Context, sel []int, noise *rand.Rand, fewer int) bool {
	sub := &zonePacker{types: zp.types, groups: zp.groups, val: zp.val, nodeVal: zp.nodeVal, fixedVal: true,
		rem: make([]int, len(zp.groups)), taken: zp.taken, noise: noise,
		scarcity: zp.scarcity, uneven: zp.uneven && noise == nil, minNodes: max(0, zp.minNodes-len(zp.bins)+len(sel)), minAware: zp.minAware}
	if noise != nil {
		sub.jitter = make([]float64, len(zp.groups))
	}
	defer func() { zp.work += sub.work }()
	old := 0.0
	for _, i := range sel {
		b := zp.bins[i]
		old += zp.types[b.t].price
		for _, it := range b.items {
			sub.rem[it.g] += it.n
			sub.remaining = sub.remaining.add(zp.groups[it.g].req.scale(int64(it.n)))
		}
	}
	if zp.maxNodes > 0 {
		sub.maxNodes = zp.maxNodes - len(zp.bins) + len(sel)
	}
	if fewer > 0 && (sub.maxNodes == 0 || fewer < sub.maxNodes) {
		sub.maxNodes = fewer
	}
	if sub.run(ctx) != nil || sub.remaining != (vec{}) {
		return false
	}
	sub.downsizeAll()
	cost := 0.0
	for _, b := range sub.bins {
		cost += zp.types[b.t].price
	}
	n := len(zp.bins) - len(sel) + len(sub.bins)
	cost += zp.shortfall(n) - zp.shortfall(len(zp.bins))
	if cost >= old-1e-9*old {
		return false
	}
	removed := make([]bool, len(zp.bins))
	for _, i := range sel {
		removed[i] = true
	}
	zp.bins = append(compact(zp.bins, removed), sub.bins...)
	return true
}
