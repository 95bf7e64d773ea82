package capacity

import "context"

// total is the zone's price per hour once minNodes is met: the nodes'
// prices plus, for every node short of minNodes, the cheapest type's
// price (the empty node addMinNodes will open). Moves compare totals, so
// minNodes is handled by cost: a node removed below minNodes saves only
// the difference to the cheapest type.
func (zp *zonePacker) total() float64 {
	return zp.cost() + zp.shortfall(len(zp.bins))
}

// shortfall is the price of the empty nodes minNodes adds to n nodes.
func (zp *zonePacker) shortfall(n int) float64 {
	return float64(max(0, zp.minNodes-n)) * zp.cheapestPrice()
}

// cheapestPrice is the lowest price of the zone's types, $/hour.
func (zp *zonePacker) cheapestPrice() float64 {
	p := zp.types[0].price
	for _, nt := range zp.types[1:] {
		p = min(p, nt.price)
	}
	return p
}

// merge replaces two or more nodes by one node holding all their pods
// whenever that lowers the zone's total, or keeps it with fewer nodes,
// until no merge does.
func (zp *zonePacker) merge(ctx context.Context) error {
	for range len(zp.bins) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if zp.expired() || !zp.mergeOnce() {
			return nil
		}
	}
	return nil
}

// mergeOnce finds, for every type, the nodes that a node of that type can
// absorb whole (least efficient first, skipping those that do not fit or
// would put two pods of an anti-affine group together), and applies the
// merge that saves most; it reports whether it merged.
func (zp *zonePacker) mergeOnce() bool {
	order := zp.byEfficiency()
	anti := make([]bool, len(zp.groups))
	bestT, bestK, bestGain := -1, 0, -1e-9*zp.total() // a tie still saves nodes
	var bestSel []int
	sel := make([]int, 0, len(order))
	for t, nt := range zp.types {
		clear(anti)
		sel = sel[:0]
		var used vec
		price := 0.0
		for _, i := range order {
			b := zp.bins[i]
			u := used.add(b.used)
			if !u.fits(nt.cap) || zp.clashes(b, anti) {
				continue
			}
			for _, it := range b.items {
				anti[it.g] = anti[it.g] || zp.groups[it.g].anti
			}
			used, price = u, price+zp.types[b.t].price
			sel = append(sel, i)
			n := len(zp.bins) - len(sel) + 1
			gain := price - nt.price - (zp.shortfall(n) - zp.shortfall(len(zp.bins)))
			if len(sel) >= 2 && gain > bestGain {
				bestT, bestK, bestGain = t, len(sel), gain
				bestSel = append(bestSel[:0], sel...)
			}
		}
	}
	if bestT < 0 {
		return false
	}
	zp.absorb(bestT, bestSel[:bestK])
	return true
}

// clashes reports that bin b holds a pod of an anti-affine group already
// marked in anti.
func (zp *zonePacker) clashes(b *bin, anti []bool) bool {
	for _, it := range b.items {
		if anti[it.g] && zp.groups[it.g].anti {
			return true
		}
	}
	return false
}

// absorb replaces the selected bins by one bin of type t holding their
// pods.
func (zp *zonePacker) absorb(t int, sel []int) {
	nb := &bin{t: t}
	removed := make([]bool, len(zp.bins))
	for _, i := range sel {
		for _, it := range zp.bins[i].items {
			nb.put(it.g, it.n, zp.groups[it.g].req)
		}
		removed[i] = true
	}
	zp.bins = append(compact(zp.bins, removed), nb)
}
