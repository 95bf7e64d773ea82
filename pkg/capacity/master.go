package capacity

import (
	"context"
	"slices"
)

// Restricted-master dive limits. Zones with more placed pods than
// masterMaxPods skip it: their packings are within a fraction of a percent
// of the bound already, and column generation once per node would cost
// more than the whole packing. masterWork caps the pricing work of the
// dives of one zone (knapsack search nodes and items priced, as counted by
// columnGen.work; the root's column generation is shared with the bound
// and not counted): a count, not a clock, so the result stays
// reproducible. masterBranches is the number of root patterns a dive
// starts from besides the plain dive. The dives' column generation stops
// after masterColumnRounds rounds or within masterColumnTol of the master
// LP, without the thorough pricing (no bound is certified there). A
// column whose LP value is within masterIntTol of an integer counts as
// integral.
const (
	masterMaxPods      = 200
	masterWork         = 10_000
	masterBranches     = 8
	masterColumnRounds = 10
	masterColumnTol    = 1e-2
	masterIntTol       = 1e-6
)

// masterDive is a price-and-branch heuristic on the zone's placed pods.
// It solves the master LP over node patterns by column generation, as
// bound does (seeded with the zone's nodes; the bound is kept for bound),
// then dives: it fixes the patterns the LP uses a whole number of times,
// or else one copy of the pattern it uses most, and repeats on the pods
// left, generating columns afresh each time, until every pod is on a
// fixed pattern. Besides that dive it runs one dive from each of the
// masterBranches patterns the root LP uses most, fixed first (a
// limited-discrepancy search at the root: the pattern the optimum rounds
// up is not always the LP's largest). Patterns never hold more pods of a
// group than are left, nor two of an anti-affine group, so every dive
// ends with an exact placement. Each node then takes the cheapest type
// that holds it, and the cheapest placement replaces the zone's when its
// total (minNodes counted as total counts it) is lower and it stays within
// maxNodes. It is skipped on zones of more than masterMaxPods pods or
// whose total meets the bound, stops when masterWork is spent, and does
// nothing once the deadline has passed.
func (zp *zonePacker) masterDive(ctx context.Context) error {
	placed := zp.placed()
	pods := 0
	for _, n := range placed {
		pods += n
	}
	if pods == 0 || pods > masterMaxPods || zp.expired() {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root := newColumnGen(zp.types, zp.groups, placed, zp.minNodes)
	lb, solved := root.run(zp.columns())
	zp.rootBound = &cachedBound{placed: placed, minNodes: zp.minNodes, bound: lb, solved: solved}
	if zp.total() <= lb*(1+1e-9) {
		return nil
	}
	_, _, x, ok := root.master()
	if !ok {
		return nil
	}
	var starts []int
	for p, c := range root.cols {
		if x[p] > masterIntTol && holds(c, placed) {
			starts = append(starts, p)
		}
	}
	slices.SortStableFunc(starts, func(a, b int) int { return cmpDesc(x[a], x[b]) })
	starts = starts[:min(len(starts), masterBranches)]
	budget := masterWork
	best, bestCost := []*bin(nil), zp.total()*(1-1e-9)
	try := func(fixed []column, left []int) error {
		patterns, err := zp.dive(ctx, fixed, left, root.cols, &budget)
		if err != nil || patterns == nil {
			return err
		}
		if bins, cost := zp.binsOf(patterns); bins != nil && cost < bestCost {
			best, bestCost = bins, cost
		}
		return nil
	}
	if err := try(nil, slices.Clone(placed)); err != nil {
		return err
	}
	for _, p := range starts {
		if budget <= 0 || zp.expired() {
			break
		}
		left := slices.Clone(placed)
		first := clampPattern(root.cols[p], left)
		if err := try([]column{{t: root.cols[p].t, pods: first}}, left); err != nil {
			return err
		}
	}
	if best != nil {
		zp.bins = best
	}
	return nil
}

// cachedBound is patternBound of a zone's placed pods, kept by masterDive
// for bound.
type cachedBound struct {
	placed   []int
	minNodes int
	bound    float64
	solved   bool
}

// dive completes the fixed patterns until no pod is left (left counts the
// pods not on them, and is used up), starting column generation from pool
// each time and charging its work to budget; once the budget is spent (or
// the deadline has passed) it finishes on the columns at hand, without
// pricing. It returns the patterns, or nil when the master LP fails.
func (zp *zonePacker) dive(ctx context.Context, fixed []column, left []int, pool []column, budget *int) ([]column, error) {
	pods := 0
	for _, n := range left {
		pods += n
	}
	for pods > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cg := newColumnGen(zp.types, zp.groups, left, max(0, zp.minNodes-len(fixed)))
		cg.maxRounds, cg.thorough, cg.tol, cg.workLimit = masterColumnRounds, 0, masterColumnTol, *budget
		if *budget <= 0 || zp.expired() {
			cg.maxRounds = 0 // finish on the columns at hand
		}
		cg.run(cloneColumns(pool))
		*budget -= cg.work
		_, _, x, ok := cg.master()
		if !ok {
			return nil, nil
		}
		pool = cg.cols
		var picks []column
		best := -1
		for p, c := range cg.cols {
			if x[p] >= 1-masterIntTol {
				for range int(x[p] + masterIntTol) {
					picks = append(picks, c)
				}
			}
			if holds(c, left) && (best < 0 || x[p] > x[best]) {
				best = p
			}
		}
		if len(picks) == 0 && best >= 0 {
			picks = append(picks, cg.cols[best])
		}
		took := false
		for _, c := range picks {
			if kept := clampPattern(c, left); kept != nil {
				fixed = append(fixed, column{t: c.t, pods: kept})
				took = true
			}
		}
		if !took {
			return nil, nil // no pattern holds a pod left: cannot happen with a feasible master
		}
		pods = 0
		for _, n := range left {
			pods += n
		}
	}
	return fixed, nil
}

// columns returns the zone's nodes as columns.
func (zp *zonePacker) columns() []column {
	out := make([]column, 0, len(zp.bins))
	for _, b := range zp.bins {
		pods := make([]int, len(zp.groups))
		for _, it := range b.items {
			pods[it.g] = it.n
		}
		out = append(out, column{t: b.t, pods: pods})
	}
	return out
}

// cloneColumns copies columns with their pod counts (columnGen.add clamps
// them in place).
func cloneColumns(cols []column) []column {
	out := make([]column, len(cols))
	for i, c := range cols {
		out[i] = column{t: c.t, pods: slices.Clone(c.pods)}
	}
	return out
}

// holds reports that pattern c has a pod of some group with pods left.
func holds(c column, left []int) bool {
	for g, n := range c.pods {
		if n > 0 && left[g] > 0 {
			return true
		}
	}
	return false
}

// clampPattern returns c's pods capped at the pods left, which it takes
// from left, or nil when that leaves the pattern empty.
func clampPattern(c column, left []int) []int {
	out := make([]int, len(c.pods))
	any := false
	for g, n := range c.pods {
		out[g] = min(n, left[g])
		any = any || out[g] > 0
	}
	if !any {
		return nil
	}
	for g, n := range out {
		left[g] -= n
	}
	return out
}

// binsOf returns the patterns as nodes, each of the cheapest type that
// holds it, and their total with the empty nodes minNodes adds; nil when
// they are more than maxNodes.
func (zp *zonePacker) binsOf(patterns []column) ([]*bin, float64) {
	if zp.maxNodes > 0 && len(patterns) > zp.maxNodes {
		return nil, 0
	}
	bins := make([]*bin, 0, len(patterns))
	cost := 0.0
	for _, c := range patterns {
		b := &bin{t: -1}
		for g, n := range c.pods {
			if n > 0 {
				b.put(g, n, zp.groups[g].req)
			}
		}
		for t, nt := range zp.types {
			if b.used.fits(nt.cap) && (b.t < 0 || nt.price < zp.types[b.t].price) {
				b.t = t
			}
		}
		if b.t < 0 {
			return nil, 0 // cannot happen: every pattern fits its own type
		}
		cost += zp.types[b.t].price
		bins = append(bins, b)
	}
	return bins, cost + zp.shortfall(len(bins))
}
