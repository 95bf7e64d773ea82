package capacity

import (
	"context"
	"slices"
)

// improve runs the improvement passes on a packed zone: downsize every node
// to the cheapest type that holds its pods, merge nodes into one cheaper
// node, empty the least efficient nodes into the others' free room, repack
// the least efficient nodes together, search larger neighbourhoods, merge
// again, downsize again, and on small zones dive for an integer solution
// of the pattern LP (masterDive). Every pass keeps every constraint and
// never raises the zone's total.
func (zp *zonePacker) improve(ctx context.Context) error {
	zp.revalueAll()
	zp.downsizeAll()
	for _, pass := range []func(context.Context) error{zp.merge, zp.drain, zp.repack, zp.merge, zp.search, zp.merge} {
		if err := pass(ctx); err != nil {
			return err
		}
	}
	zp.downsizeAll()
	return zp.masterDive(ctx)
}

// revalueAll prices pods at the duals of the zone's whole placed demand.
func (zp *zonePacker) revalueAll() {
	var total vec
	nodes := 0
	for g, n := range zp.placed() {
		total = total.add(zp.groups[g].req.scale(int64(n)))
		if zp.groups[g].anti {
			nodes = max(nodes, n)
		}
	}
	zp.setValues(duals(zp.types, total, nodes))
}

// downsizeAll moves every node to the cheapest type that holds its pods.
func (zp *zonePacker) downsizeAll() {
	for _, b := range zp.bins {
		for t, nt := range zp.types {
			if nt.price < zp.types[b.t].price && b.used.fits(nt.cap) {
				b.t = t
			}
		}
	}
}

// efficiency is the value of a node's pods per dollar of its price.
func (zp *zonePacker) efficiency(b *bin) float64 {
	v := zp.nodeVal
	for _, it := range b.items {
		v += float64(it.n) * zp.val[it.g]
	}
	return v / zp.types[b.t].price
}

// byEfficiency returns the bins' indices, least efficient first.
func (zp *zonePacker) byEfficiency() []int {
	idx := make([]int, len(zp.bins))
	eff := make([]float64, len(zp.bins))
	for i, b := range zp.bins {
		idx[i], eff[i] = i, zp.efficiency(b)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case eff[a] < eff[b]:
			return -1
		case eff[a] > eff[b]:
			return 1
		}
		return 0
	})
	return idx
}

// move is one pod moved to bin to, for rollback.
type move struct {
	to *bin
	g  int
}

// drain tries, least efficient node first, to move every pod of a node
// into the free room of the other nodes (best fit); a node so emptied is
// removed.
func (zp *zonePacker) drain(ctx context.Context) error {
	removed := make([]bool, len(zp.bins))
	for k, i := range zp.byEfficiency() {
		if k%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if zp.relocate(zp.bins[i], removed) {
			removed[i] = true
		}
	}
	zp.bins = compact(zp.bins, removed)
	return nil
}

// relocate moves all of src's pods to other live bins or none of them.
func (zp *zonePacker) relocate(src *bin, removed []bool) bool {
	var moves []move
	for _, it := range src.items {
		req := zp.groups[it.g].req
		for range it.n {
			dst := zp.bestFit(src, it.g, removed)
			if dst == nil {
				for _, m := range moves {
					m.to.take(m.g, 1, zp.groups[m.g].req)
				}
				return false
			}
			dst.put(it.g, 1, req)
			moves = append(moves, move{to: dst, g: it.g})
		}
	}
	return true
}

// bestFit returns the live bin other than src that holds one more pod of
// group g with the least normalised room left, or nil.
func (zp *zonePacker) bestFit(src *bin, g int, removed []bool) *bin {
	gr := &zp.groups[g]
	var best *bin
	bestSlack := 0.0
	for i, b := range zp.bins {
		if removed[i] || b == src {
			continue
		}
		c := zp.types[b.t].cap
		room := c.sub(b.used)
		if !gr.req.fits(room) || (gr.anti && b.has(g) > 0) {
			continue
		}
		slack := 0.0
		for d := range dims {
			slack += float64(room[d]-gr.req[d]) / float64(c[d])
		}
		if best == nil || slack < bestSlack {
			best, bestSlack = b, slack
		}
	}
	return best
}

// compact drops the removed bins, keeping order.
func compact(bins []*bin, removed []bool) []*bin {
	out := bins[:0]
	for i, b := range bins {
		if !removed[i] {
			out = append(out, b)
		}
	}
	return out
}
