package capacity

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Pack places the replicas of every workload at p.At (each workload's
// peak when p.At is zero) on nodes of its pool, choosing instance types to
// minimise the cost, and returns the plan with its lower bound. Replicas
// that cannot be placed are listed in Plan.Unplaceable with a reason. The
// result depends only on p. Errors wrap ErrInvalidProblem, or are the
// context's.
func Pack(ctx context.Context, p Problem) (Plan, error) {
	s, err := newSolver(p)
	if err != nil {
		return Plan{}, err
	}
	d := s.demandAt(s.replicasAt(p.At))
	res, err := s.solve(ctx, d)
	if err != nil {
		return Plan{}, err
	}
	return s.plan(p.At, d, res), nil
}

// solver holds what stays fixed across the instants of one problem: the
// packer's view of the types, the pool of each workload, and packed pools
// by demand, so that unchanged demand is packed once.
type solver struct {
	p      Problem
	types  [][]nodeType // per pool
	assign []assignment // per workload
	pools  [][]int      // workloads of each pool
	cache  map[string]*poolResult
	split  priceSplit

	deadline time.Time        // Problem.Deadline from the start; zero: none
	now      func() time.Time // the clock of the deadline
}

// newSolver validates p and prepares its fixed parts.
func newSolver(p Problem) (*solver, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidProblem, err)
	}
	s := &solver{p: p, types: make([][]nodeType, len(p.Pools)), pools: make([][]int, len(p.Pools)),
		cache: map[string]*poolResult{}, split: newPriceSplit(p), now: time.Now}
	if p.Deadline > 0 {
		s.deadline = s.now().Add(p.Deadline)
	}
	for i, pool := range p.Pools {
		s.types[i] = poolTypes(pool, p.Headroom)
	}
	s.assign = assignPools(p, s.types)
	for w, a := range s.assign {
		if a.pool >= 0 {
			s.pools[a.pool] = append(s.pools[a.pool], w)
		}
	}
	return s, nil
}

// poolResult is one packed pool.
type poolResult struct {
	zones    []zoneResult // per zone of the pool
	unplaced []unplaced
	cost     float64 // $/hour
	bound    float64 // $/hour
	solved   int     // zones whose pattern LP was solved to optimality
	sum      *poolSummary
}

// zoneResult is one packed zone: its groups and bins.
type zoneResult struct {
	groups []group
	bins   []*bin
}

// unplaced is a number of a workload's pods left out, with the reason.
type unplaced struct {
	w, n   int
	reason string
}

// solve packs every pool for the demand d, reusing cached pools.
func (s *solver) solve(ctx context.Context, d demand) ([]*poolResult, error) {
	out := make([]*poolResult, len(s.p.Pools))
	for pi := range s.p.Pools {
		key := s.poolKey(pi, d)
		if r, ok := s.cache[key]; ok {
			out[pi] = r
			continue
		}
		r, err := s.packPool(ctx, pi, d)
		if err != nil {
			return nil, err
		}
		s.cache[key] = r
		out[pi] = r
	}
	return out, nil
}

// poolKey identifies the demand on a pool: its workloads' slots per zone.
func (s *solver) poolKey(pi int, d demand) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(pi))
	for _, w := range s.pools[pi] {
		for _, n := range d.slots[w] {
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(n))
		}
	}
	return b.String()
}

// packPool packs each zone of a pool, enforces the zone spread, improves
// each zone, adds the minimum nodes, and bounds the cost.
func (s *solver) packPool(ctx context.Context, pi int, d demand) (*poolResult, error) {
	pool := s.p.Pools[pi]
	r := &poolResult{zones: make([]zoneResult, len(pool.Zones))}
	packers := make([]*zonePacker, len(pool.Zones))
	for z := range pool.Zones {
		zp, err := s.packZone(ctx, pi, z, d)
		if err != nil {
			return nil, err
		}
		for g, n := range zp.rem {
			if n > 0 {
				r.unplaced = append(r.unplaced, unplaced{w: zp.groups[g].w, n: n, reason: fmt.Sprintf(
					"pool %q zone %q reached maxNodes %d", pool.Name, pool.Zones[z], pool.MaxNodes)})
			}
		}
		packers[z] = zp
	}
	r.unplaced = append(r.unplaced, s.enforceSpread(pi, packers)...)
	for z, zp := range packers {
		if err := zp.improve(ctx); err != nil {
			return nil, err
		}
		zp.addMinNodes(pool.MinNodes)
		r.zones[z] = zoneResult{groups: zp.groups, bins: zp.bins}
		r.cost += zp.cost()
		b, solved := zp.bound(pool.MinNodes)
		r.bound += b
		if solved {
			r.solved++
		}
	}
	return r, nil
}

// packZone packs one zone of pool pi greedily. With minNodes it packs
// twice, opening nodes at their price and at the price minNodes leaves
// them (openPrice), and keeps the packing that places more pods, then the
// cheaper total.
func (s *solver) packZone(ctx context.Context, pi, z int, d demand) (*zonePacker, error) {
	pool := s.p.Pools[pi]
	var best *zonePacker
	for _, aware := range []bool{false, true} {
		if aware && pool.MinNodes == 0 {
			break
		}
		zp := newZonePacker(s.types[pi], s.groups(pi, z, d), pool.MaxNodes)
		zp.minNodes, zp.minAware = pool.MinNodes, aware
		zp.deadline, zp.now = s.deadline, s.now
		if err := zp.run(ctx); err != nil {
			return nil, err
		}
		if best == nil || zp.unplacedPods() < best.unplacedPods() ||
			(zp.unplacedPods() == best.unplacedPods() && zp.total() < best.total()*(1-1e-9)) {
			best = zp
		}
	}
	return best, nil
}

// unplacedPods counts the pods run left out.
func (zp *zonePacker) unplacedPods() int {
	n := 0
	for _, r := range zp.rem {
		n += r
	}
	return n
}

// bound returns a lower bound on the cost of the zone's placed pods, the
// larger of zoneBound and patternBound seeded with the zone's nodes (the
// one masterDive computed, when the placed pods have not changed since),
// and whether the pattern LP was solved to optimality.
func (zp *zonePacker) bound(minNodes int) (float64, bool) {
	placed := zp.placed()
	if c := zp.rootBound; c != nil && c.minNodes == minNodes && slices.Equal(c.placed, placed) {
		return max(zoneBound(zp.types, zp.groups, placed, minNodes), c.bound), c.solved
	}
	seeds := make([]column, 0, len(zp.bins))
	for _, b := range zp.bins {
		pods := make([]int, len(zp.groups))
		for _, it := range b.items {
			pods[it.g] = it.n
		}
		seeds = append(seeds, column{t: b.t, pods: pods})
	}
	pb, solved := patternBound(zp.types, zp.groups, placed, minNodes, seeds)
	return max(zoneBound(zp.types, zp.groups, placed, minNodes), pb), solved
}

// groups returns the pods of the pool's workloads in zone z.
func (s *solver) groups(pi, z int, d demand) []group {
	var out []group
	for _, w := range s.pools[pi] {
		if n := d.slots[w][z]; n > 0 {
			wl := s.p.Workloads[w]
			out = append(out, group{w: w, req: podVec(wl.Requests), count: n, anti: wl.AntiAffinity})
		}
	}
	return out
}

// addMinNodes opens empty nodes of the cheapest type up to minNodes.
func (zp *zonePacker) addMinNodes(minNodes int) {
	cheapest := 0
	for t, nt := range zp.types {
		if nt.price < zp.types[cheapest].price {
			cheapest = t
		}
	}
	for len(zp.bins) < minNodes {
		zp.bins = append(zp.bins, &bin{t: cheapest})
	}
}

// cost returns the zone's price per hour.
func (zp *zonePacker) cost() float64 {
	c := 0.0
	for _, b := range zp.bins {
		c += zp.types[b.t].price
	}
	return c
}

// placed counts the pods of each group on the bins.
func (zp *zonePacker) placed() []int {
	out := make([]int, len(zp.groups))
	for _, b := range zp.bins {
		for _, it := range b.items {
			out[it.g] += it.n
		}
	}
	return out
}
