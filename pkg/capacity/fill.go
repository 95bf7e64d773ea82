package capacity

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// zonePacker packs the groups of one pool and zone onto nodes, opening one
// node at a time: each new node takes the largest pod left (first-fit
// decreasing by normalised size), and its type and contents are the best,
// by value per dollar, of greedy fills of every type under each fill rule.
// Pods are valued at the dual prices of the covering LP of the remaining
// demand, so value per dollar measures how close a node comes to the
// fractional optimum.
type zonePacker struct {
	types    []nodeType
	groups   []group // largest pods first
	rem      []int   // pods of each group left to place
	maxNodes int     // 0: no cap
	bins     []*bin

	val       []float64  // value of one pod of each group, $/hour
	nodeVal   float64    // value of a node as such, $/hour
	minNodes  int        // nodes kept even if empty
	minAware  bool       // open nodes at openPrice rather than their price
	fixedVal  bool       // keep val as given
	noise     *rand.Rand // when set, perturbs fill scores (search only)
	jitter    []float64  // relative perturbation of each group's scores
	work      int        // candidate evaluations done, the search's budget
	valuedAt  vec        // remaining demand when val was computed
	remaining vec        // remaining demand

	deadline time.Time        // improvement stops at it; zero: no deadline
	now      func() time.Time // the clock the deadline is read on

	rootBound *cachedBound // patternBound of the placed pods, set by masterDive

	scarcity []float64 // per group: the zone's types over the types it fits
	uneven   bool      // some groups fit fewer types than others

	taken []int // scratch: pods of each group in the fill being built
	cand  []int // scratch: candidate groups
	fillA []item
	fillB []item
}

// newZonePacker sorts the groups by decreasing normalised size.
func newZonePacker(types []nodeType, groups []group, maxNodes int) *zonePacker {
	var top vec
	for _, t := range types {
		for d := range dims {
			top[d] = max(top[d], t.cap[d])
		}
	}
	size := func(g group) float64 {
		s := 0.0
		for d := range dims {
			f := float64(g.req[d]) / float64(top[d])
			s += f * f
		}
		return s
	}
	slices.SortStableFunc(groups, func(a, b group) int {
		if sa, sb := size(a), size(b); sa != sb {
			if sa > sb {
				return -1
			}
			return 1
		}
		return a.w - b.w
	})
	zp := &zonePacker{types: types, groups: groups, maxNodes: maxNodes,
		rem: make([]int, len(groups)), val: make([]float64, len(groups)), taken: make([]int, len(groups))}
	for g, gr := range groups {
		zp.rem[g] = gr.count
		zp.remaining = zp.remaining.add(gr.req.scale(int64(gr.count)))
	}
	zp.scarcity, zp.uneven = scarcity(types, groups)
	return zp
}

// scarcity returns, per group, the number of types over the number its
// pods fit (1 when they fit every type, 0 when none), and whether the
// groups differ.
func scarcity(types []nodeType, groups []group) ([]float64, bool) {
	out := make([]float64, len(groups))
	uneven := false
	for g, gr := range groups {
		homes := 0
		for _, nt := range types {
			if gr.req.fits(nt.cap) {
				homes++
			}
		}
		if homes > 0 {
			out[g] = float64(len(types)) / float64(homes)
		}
		uneven = uneven || (g > 0 && out[g] != out[0])
	}
	return out, uneven
}

// run opens nodes until every pod is placed or maxNodes is reached.
func (zp *zonePacker) run(ctx context.Context) error {
	next := 0
	for {
		for next < len(zp.groups) && zp.rem[next] == 0 {
			next++
		}
		if next == len(zp.groups) || (zp.maxNodes > 0 && len(zp.bins) >= zp.maxNodes) {
			return nil
		}
		if len(zp.bins)%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		zp.revalue()
		t, items := zp.choose(next)
		b := &bin{t: t}
		for _, it := range items {
			b.put(it.g, it.n, zp.groups[it.g].req)
			zp.rem[it.g] -= it.n
		}
		zp.remaining = zp.remaining.sub(b.used)
		zp.bins = append(zp.bins, b)
	}
}

// revalue prices pods at the covering LP's duals for the remaining demand,
// recomputing when the demand has shrunk by a fifth since the last time.
func (zp *zonePacker) revalue() {
	if zp.fixedVal || zp.valuedAt != (vec{}) && !shrunk(zp.remaining, zp.valuedAt, 0.8) {
		return
	}
	zp.setValues(duals(zp.types, zp.remaining, zp.nodesNeeded()))
	zp.valuedAt = zp.remaining
}

// setValues prices each group's pods and nodes as such at y.
func (zp *zonePacker) setValues(y prices) {
	for g, gr := range zp.groups {
		zp.val[g] = 0
		for d := range dims {
			zp.val[g] += y.unit[d] * float64(gr.req[d])
		}
	}
	zp.nodeVal = y.node
}

// nodesNeeded is the fewest nodes still to open: one per pod left of the
// anti-affine group with most pods left. minNodes is left out: empty nodes
// of the cheapest type meet it, and moves count their price (total).
func (zp *zonePacker) nodesNeeded() int {
	n := 0
	for g, gr := range zp.groups {
		if gr.anti {
			n = max(n, zp.rem[g])
		}
	}
	return max(n, 0)
}

// shrunk reports that now has fallen below frac of then in some dimension.
func shrunk(now, then vec, frac float64) bool {
	for d := range dims {
		if float64(now[d]) < frac*float64(then[d]) {
			return true
		}
	}
	return false
}

// choose returns the type and the fill of the next node, which must take
// one pod of group first. It maximises the fill's value per dollar, unless
// maxNodes is too tight for that type, where it maximises the value.
func (zp *zonePacker) choose(first int) (int, []item) {
	best, bestVal, bestEff := -1, 0.0, 0.0
	var bestItems []item
	left := math.MaxInt
	if zp.maxNodes > 0 {
		left = zp.maxNodes - len(zp.bins)
	}
	for c := range len(zp.types) * int(numRules) {
		t, rule := c/int(numRules), fillRule(c%int(numRules))
		nt := zp.types[t]
		if !zp.groups[first].req.fits(nt.cap) || (rule == ruleScarce && !zp.uneven) {
			continue
		}
		items, value := zp.fill(t, first, rule, zp.fillA[:0])
		eff := value / zp.openPrice(t)
		if zp.noise != nil {
			eff *= 1 + noiseLevel*(zp.noise.Float64()-0.5)
		}
		better := best < 0
		if !better {
			tight := zp.needs(best) > left || zp.needs(t) > left
			better = (tight && value > bestVal*(1+1e-12)) || (!tight && eff > bestEff*(1+1e-12)) ||
				(math.Abs(eff-bestEff) <= 1e-12*bestEff && nt.price < zp.types[best].price)
		}
		if better {
			best, bestVal, bestEff = t, value, eff
			zp.fillA, zp.fillB = zp.fillB, items
			bestItems = items
		} else {
			zp.fillA = items
		}
	}
	return best, bestItems
}

// openPrice is what opening a node of type t adds to the zone's total:
// its price, less, when minAware, the cheapest type's while the zone is
// short of minNodes (that empty node is not needed then), kept above a
// hundredth of the cheapest price.
func (zp *zonePacker) openPrice(t int) float64 {
	p := zp.types[t].price
	if zp.minAware && len(zp.bins) < zp.minNodes {
		c := zp.cheapestPrice()
		p = max(p-c, c/100)
	}
	return p
}

// needs estimates the nodes of type t the remaining demand needs.
func (zp *zonePacker) needs(t int) int {
	n := int64(0)
	for d := range dims {
		c := zp.types[t].cap[d]
		n = max(n, (zp.remaining[d]+c-1)/c)
	}
	return int(n)
}

// fill greedily fills a node of type t that starts with one pod of group
// first, appending its items to out, and returns them with their value.
func (zp *zonePacker) fill(t, first int, rule fillRule, out []item) ([]item, float64) {
	nt := zp.types[t]
	var w [dims]float64
	for d := range dims {
		w[d] = 1 / (float64(nt.cap[d]) * float64(nt.cap[d]))
	}
	res := nt.cap.sub(zp.groups[first].req)
	zp.taken[first] = 1
	out = append(out, item{g: first})
	cand := zp.cand[:0]
	for g := first; g < len(zp.groups); g++ {
		if zp.rem[g] > 0 && zp.groups[g].req.fits(res) {
			cand = append(cand, g)
			if zp.noise != nil {
				zp.jitter[g] = noiseLevel * (zp.noise.Float64() - 0.5)
			}
		}
	}
	for {
		best, bestScore, j := -1, math.Inf(-1), 0
		zp.work += len(cand)
		for _, g := range cand {
			gr := &zp.groups[g]
			if zp.taken[g] == zp.rem[g] || (gr.anti && zp.taken[g] > 0) || !gr.req.fits(res) {
				continue
			}
			cand[j] = g
			j++
			s := zp.score(rule, g, res, nt.cap, &w)
			if zp.noise != nil {
				s += math.Abs(s) * zp.jitter[g]
			}
			if s > bestScore {
				best, bestScore = g, s
			}
		}
		cand = cand[:j]
		if best < 0 {
			break
		}
		if zp.taken[best] == 0 {
			out = append(out, item{g: best})
		}
		zp.taken[best]++
		res = res.sub(zp.groups[best].req)
	}
	zp.cand = cand
	value := zp.nodeVal
	for i := range out {
		out[i].n = zp.taken[out[i].g]
		value += float64(out[i].n) * zp.val[out[i].g]
		zp.taken[out[i].g] = 0
	}
	return out, value
}

// fillRule is a way of choosing the next pod of a fill.
type fillRule int

// The fill rules: align the pod with the room left (the dot-product
// heuristic), keep CPU and memory utilisation level while filling, or
// align as ruleDot but favour the pods that fit fewest types (leftover
// aware: a memory-heavy pod that only large types hold goes on the large
// node being filled rather than being left to open another one).
const (
	ruleDot fillRule = iota
	ruleBalance
	ruleScarce
	numRules
)

// balancePenalty weighs the difference between CPU and memory utilisation
// against their sum in ruleBalance: a pod that fills more but tilts the
// node is preferred only when it fills balancePenalty times more.
const balancePenalty = 3

// score rates adding a pod of group g to a node of capacity c with room
// res; higher is better.
func (zp *zonePacker) score(rule fillRule, g int, res, c vec, w *[dims]float64) float64 {
	r := &zp.groups[g].req
	if rule == ruleScarce {
		return zp.scarcity[g] * (w[0]*float64(r[0])*float64(res[0]) + w[1]*float64(r[1])*float64(res[1]) + w[2]*float64(r[2])*float64(res[2]))
	}
	if rule == ruleBalance {
		u0 := 1 - float64(res[0]-r[0])/float64(c[0])
		u1 := 1 - float64(res[1]-r[1])/float64(c[1])
		return u0 + u1 - balancePenalty*math.Abs(u0-u1)
	}
	return w[0]*float64(r[0])*float64(res[0]) + w[1]*float64(r[1])*float64(res[1]) + w[2]*float64(r[2])*float64(res[2])
}

// expired reports that the improvement deadline has passed.
func (zp *zonePacker) expired() bool {
	return zp.now != nil && !zp.deadline.IsZero() && !zp.now().Before(zp.deadline)
}
