package capacity

import (
	"fmt"
	"slices"
)

// enforceSpread makes every workload of the pool with a zone spread
// constraint respect it on the pods actually placed: while the zone with
// the most pods exceeds the one with the fewest by more than maxSkew, a pod
// is taken off the fullest zone (as a scheduler honouring the constraint
// would refuse it) and reported unplaceable.
func (s *solver) enforceSpread(pi int, packers []*zonePacker) []unplaced {
	pool := s.p.Pools[pi]
	if len(pool.Zones) < 2 {
		return nil
	}
	var out []unplaced
	for _, w := range s.pools[pi] {
		skew := s.p.Workloads[w].MaxSkew
		if skew <= 0 {
			continue
		}
		counts, idx := spreadCounts(packers, w)
		removed := 0
		for {
			hi := indexOfMax(counts)
			lo := indexOfMin(counts)
			if counts[hi]-counts[lo] <= skew {
				break
			}
			packers[hi].dropOne(idx[hi])
			counts[hi]--
			removed++
		}
		if removed > 0 {
			lo := indexOfMin(counts)
			out = append(out, unplaced{w: w, n: removed, reason: fmt.Sprintf(
				"zoneSpread maxSkew %d: zone %q of pool %q could hold only %d", skew, pool.Zones[lo], pool.Name, counts[lo])})
		}
	}
	return out
}

// spreadCounts returns the placed pods of workload w in each zone and the
// index of its group in each zone's packer (-1 when absent).
func spreadCounts(packers []*zonePacker, w int) (counts, idx []int) {
	counts = make([]int, len(packers))
	idx = make([]int, len(packers))
	for z, zp := range packers {
		idx[z] = slices.IndexFunc(zp.groups, func(g group) bool { return g.w == w })
		if idx[z] >= 0 {
			counts[z] = zp.groups[idx[z]].count - zp.rem[idx[z]]
		}
	}
	return counts, idx
}

// dropOne removes one pod of group g from the last bin holding it and
// counts it as unplaced.
func (zp *zonePacker) dropOne(g int) {
	for i := len(zp.bins) - 1; i >= 0; i-- {
		if b := zp.bins[i]; b.has(g) > 0 {
			b.take(g, 1, zp.groups[g].req)
			zp.rem[g]++
			return
		}
	}
}

// indexOfMax returns the first index of the largest value.
func indexOfMax(v []int) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// indexOfMin returns the first index of the smallest value.
func indexOfMin(v []int) int {
	best := 0
	for i, x := range v {
		if x < v[best] {
			best = i
		}
	}
	return best
}
