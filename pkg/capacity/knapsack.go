package capacity

import (
	"math"
	"slices"
)

// Branch-and-bound nodes of one pricing problem: a quick search while
// columns are being found, a thorough one to certify the bound. Past its
// limit the search returns an upper bound instead of the optimum, which
// keeps the column-generation bound valid but may leave it looser.
const (
	knapsackQuick    = 300
	knapsackThorough = 3_000
)

// surrogates is the number of single-dimension relaxations the knapsack
// bound takes the least of: one per dimension, their normalised sum, and
// the combination weighted by the dual prices of the capacities in the
// knapsack's LP relaxation, whose bound at the root is the LP's.
const surrogates = dims + 2

// knapsack is the pricing problem of column generation for one instance
// type: choose counts a_g of each group's pods, 0 <= a_g <= limit_g, that
// fit the type's capacity in every dimension and maximise sum_g a_g y_g.
type knapsack struct {
	cap    vec
	items  []knapItem // by decreasing value density
	weight [surrogates][dims]float64
	orders [surrogates][]int
	nsur   int // surrogates in use: the LP's is added only when searching
	limit  int // node budget
	nodes  int
	best   float64
	bestN  []int // counts of the best pattern, per item
	counts []int
	over   float64 // largest bound of the subtrees left unexplored
}

// knapItem is one group's pods as the knapsack sees them.
type knapItem struct {
	g     int     // group index
	req   vec     // one pod's requests
	val   float64 // value of one pod, y_g
	limit int     // most pods of the group on one node
}

// newKnapsack prepares the items of the groups with positive values that
// fit on capacity c; limit[g] caps each group's pods on a node.
func newKnapsack(c vec, groups []group, val []float64, limit []int) *knapsack {
	k := &knapsack{cap: c}
	for g, gr := range groups {
		if val[g] <= 0 || limit[g] <= 0 || !gr.req.fits(c) {
			continue
		}
		n := limit[g]
		for d := range dims {
			if gr.req[d] > 0 {
				n = min(n, int(c[d]/gr.req[d]))
			}
		}
		k.items = append(k.items, knapItem{g: g, req: gr.req, val: val[g], limit: n})
	}
	size := func(it knapItem) float64 {
		s := 0.0
		for d := range dims {
			s += float64(it.req[d]) / float64(c[d])
		}
		return s
	}
	slices.SortStableFunc(k.items, func(a, b knapItem) int {
		return cmpDesc(a.val/size(a), b.val/size(b))
	})
	for d := range dims {
		k.weight[d][d] = 1
		k.weight[dims][d] = 1 / float64(c[d])
	}
	for s := range dims + 1 {
		k.order(s)
	}
	k.nsur = dims + 1
	k.counts = make([]int, len(k.items))
	k.bestN = make([]int, len(k.items))
	return k
}

// order sorts the items by value per unit of surrogate s.
func (k *knapsack) order(s int) {
	k.orders[s] = make([]int, len(k.items))
	for i := range k.items {
		k.orders[s][i] = i
	}
	slices.SortStableFunc(k.orders[s], func(a, b int) int {
		ia, ib := k.items[a], k.items[b]
		return cmpDesc(ia.val*k.size(s, ib.req), ib.val*k.size(s, ia.req))
	})
}

// size is the weight of requests r in surrogate s.
func (k *knapsack) size(s int, r vec) float64 {
	w := &k.weight[s]
	return w[0]*float64(r[0]) + w[1]*float64(r[1]) + w[2]*float64(r[2])
}

// cmpDesc orders larger values first.
func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// solve returns the best pattern found (pods per group, indexed like the
// groups), its value, and an upper bound on the value of every pattern:
// equal to the value when the search finished within budget nodes.
//
// When even the relaxation's bound is at most target, no pattern can reach
// it and the search is skipped: the pattern is empty and upper is that
// bound.
func (k *knapsack) solve(groups, budget int, target float64) (pattern []int, value, upper float64) {
	pattern = make([]int, groups)
	if root := k.fractional(0, k.cap); root <= target {
		return pattern, 0, root
	}
	if k.nsur == dims+1 {
		k.weight[dims+1] = k.lpWeights()
		k.order(dims + 1)
		k.nsur = dims + 2
		if root := k.fractional(0, k.cap); root <= target {
			return pattern, 0, root
		}
	}
	k.best, k.over, k.nodes, k.limit = 0, 0, 0, budget
	k.branch(0, k.cap, 0)
	for i, it := range k.items {
		pattern[it.g] = k.bestN[i]
	}
	return pattern, k.best, max(k.best, k.over)
}

// branch decides the count of item i onward, with room res left and value
// v so far, depth first, largest counts first.
func (k *knapsack) branch(i int, res vec, v float64) {
	if v > k.best {
		k.best = v
		copy(k.bestN, k.counts)
	}
	if i == len(k.items) {
		return
	}
	ub := v + k.fractional(i, res)
	if ub <= k.best*(1+1e-12) {
		return
	}
	if k.nodes >= k.limit {
		k.over = max(k.over, ub)
		return
	}
	k.nodes++
	it := &k.items[i]
	n := it.limit
	for d := range dims {
		if it.req[d] > 0 {
			n = min(n, int(res[d]/it.req[d]))
		}
	}
	for c := n; c >= 0; c-- {
		k.counts[i] = c
		k.branch(i+1, res.sub(it.req.scale(int64(c))), v+float64(c)*it.val)
	}
	k.counts[i] = 0
}

// fractional bounds the value of items i onward in room res: the least,
// over the surrogate relaxations (a positive combination of the
// dimensions' constraints, which every pattern satisfies), of the
// fractional knapsack under it, and the value of taking every item whole.
func (k *knapsack) fractional(i int, res vec) float64 {
	all := 0.0
	for _, it := range k.items[i:] {
		all += float64(it.limit) * it.val
	}
	bound := all
	for s := range k.nsur {
		room := k.size(s, res)
		b := 0.0
		for _, j := range k.orders[s] {
			if j < i {
				continue
			}
			it := &k.items[j]
			one := k.size(s, it.req)
			need := float64(it.limit) * one
			if need <= room {
				b += float64(it.limit) * it.val
				room -= need
				continue
			}
			b += it.val * room / one
			break
		}
		bound = min(bound, b)
	}
	if math.IsNaN(bound) {
		return all
	}
	return bound
}

// lpWeights returns the dual prices of the capacity rows of the knapsack's
// LP relaxation (maximise sum_i v_i a_i s.t. sum_i req_i a_i <= cap,
// 0 <= a_i <= limit_i), or the normalised sum when the LP has no items.
func (k *knapsack) lpWeights() [dims]float64 {
	n := len(k.items)
	fallback := k.weight[dims]
	if n == 0 {
		return fallback
	}
	m := dims + n
	width := n + m + 1
	tab := make([]float64, (m+1)*width)
	basis := make([]int, m)
	for d := range dims {
		r := tab[d*width : (d+1)*width]
		for i, it := range k.items {
			r[i] = float64(it.req[d]) / float64(k.cap[d])
		}
		r[n+d] = 1
		r[width-1] = 1
		basis[d] = n + d
	}
	for i, it := range k.items {
		r := tab[(dims+i)*width : (dims+i+1)*width]
		r[i] = 1
		r[n+dims+i] = 1
		r[width-1] = float64(it.limit)
		basis[dims+i] = n + dims + i
	}
	obj := tab[m*width:]
	for i, it := range k.items {
		obj[i] = -it.val
	}
	pivots(tab, width, m, basis)
	var w [dims]float64
	sum := 0.0
	for d := range dims {
		w[d] = max(0, obj[n+d]) / float64(k.cap[d])
		sum += w[d]
	}
	if !(sum > 0) {
		return fallback
	}
	return w
}
