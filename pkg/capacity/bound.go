package capacity

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// coverLP is the LP relaxation of choosing instance-type counts x_t >= 0:
//
//	minimise  sum_t price_t x_t
//	s.t.      sum_t a[r][t] x_t >= d[r]   for every row r.
//
// Rows are the resource dimensions (capacity >= demand), a node-count row
// (anti-affinity and minNodes) and the same rows restricted to the types
// that can host the pods too big for the others.
type coverLP struct {
	a     [][]float64
	d     []float64
	price []float64
}

// addRow appends a covering row, skipping rows with nothing to cover.
func (c *coverLP) addRow(a []float64, d float64) {
	if d > 0 {
		c.a = append(c.a, a)
		c.d = append(c.d, d)
	}
}

// solve returns the LP optimum, found through its dual
//
//	maximise  sum_r d_r y_r   s.t.  sum_r a[r][t] y_r <= price_t,  y >= 0,
//
// whose standard form (slack per type) starts from the feasible basis y = 0.
// The dual solution is repaired to exact feasibility before use, so the
// value returned is a valid lower bound by weak duality even when the
// simplex stops early or rounds. It also returns y (per unit of each row).
func (c *coverLP) solve() (float64, []float64) {
	rows, types := len(c.d), len(c.price)
	if rows == 0 {
		return 0, nil
	}
	scale := make([]float64, rows)
	A := mat.NewDense(types, rows+types, nil)
	obj := make([]float64, rows+types)
	for r := range rows {
		scale[r] = slices.Max(c.a[r])
		if scale[r] <= 0 {
			return math.NaN(), nil // a demand no type can cover
		}
		for t := range types {
			A.Set(t, r, c.a[r][t]/scale[r])
		}
		obj[r] = -c.d[r] / scale[r]
	}
	basic := make([]int, types)
	for t := range types {
		A.Set(t, rows+t, 1)
		basic[t] = rows + t
	}
	_, x, err := lp.Simplex(obj, A, c.price, 1e-10, basic)
	if err != nil && x == nil {
		return math.NaN(), nil
	}
	y := make([]float64, rows)
	for r := range rows {
		y[r] = max(0, x[r]) / scale[r]
	}
	return c.repair(y), y
}

// repair scales y down until every dual constraint holds exactly, then
// returns the dual objective.
func (c *coverLP) repair(y []float64) float64 {
	worst := 1.0
	for t, p := range c.price {
		lhs := 0.0
		for r := range y {
			lhs += c.a[r][t] * y[r]
		}
		worst = max(worst, lhs/p)
	}
	bound := 0.0
	for r := range y {
		y[r] /= worst
		bound += c.d[r] * y[r]
	}
	return bound
}

// simpleBound is the per-dimension bound: the largest over dimensions of
// the demand priced at the best capacity per dollar in that dimension,
// and minNodes at the cheapest price.
func simpleBound(types []nodeType, total vec, minNodes int) float64 {
	bound := 0.0
	cheapest := math.Inf(1)
	for _, t := range types {
		cheapest = min(cheapest, t.price)
	}
	for d := range dims {
		best := math.Inf(1)
		for _, t := range types {
			best = min(best, t.price/float64(t.cap[d]))
		}
		bound = max(bound, float64(total[d])*best)
	}
	return max(bound, float64(minNodes)*cheapest)
}

// zoneBound returns a lower bound on the cost of any nodes of the pool's
// types that hold the placed pods of one zone (placed[g] pods of group g)
// and number at least minNodes: the larger of simpleBound and the coverLP
// optimum.
func zoneBound(types []nodeType, groups []group, placed []int, minNodes int) float64 {
	var total vec
	for g, gr := range groups {
		total = total.add(gr.req.scale(int64(placed[g])))
	}
	simple := simpleBound(types, total, minNodes)
	lpb, _ := boundLP(types, groups, placed, minNodes).solve()
	if math.IsNaN(lpb) {
		return simple
	}
	return max(simple, lpb)
}

// boundLP builds the covering LP of a zone: per dimension, the node count
// (anti-affinity, minNodes), and for every set of types that is the only
// home of some pods, the same rows over that set for those pods.
func boundLP(types []nodeType, groups []group, placed []int, minNodes int) *coverLP {
	c := &coverLP{price: make([]float64, len(types))}
	for t, nt := range types {
		c.price[t] = nt.price
	}
	all := make([]bool, len(types))
	for t := range all {
		all[t] = true
	}
	homes := [][]bool{all}
	for g, gr := range groups {
		if placed[g] > 0 {
			h := homeSet(types, gr.req)
			if !slices.ContainsFunc(homes, func(o []bool) bool { return slices.Equal(o, h) }) {
				homes = append(homes, h)
			}
		}
	}
	for i, h := range homes {
		var sum vec
		nodes := 0
		if i == 0 {
			nodes = minNodes
		}
		for g, gr := range groups {
			if placed[g] > 0 && subset(homeSet(types, gr.req), h) {
				sum = sum.add(gr.req.scale(int64(placed[g])))
				if gr.anti {
					nodes = max(nodes, placed[g])
				}
			}
		}
		for d := range dims {
			c.addRow(restrictedRow(types, h, func(t nodeType) float64 { return float64(t.cap[d]) }), float64(sum[d]))
		}
		c.addRow(restrictedRow(types, h, func(nodeType) float64 { return 1 }), float64(nodes))
	}
	return c
}

// homeSet marks the types a pod of requests req fits on.
func homeSet(types []nodeType, req vec) []bool {
	h := make([]bool, len(types))
	for t, nt := range types {
		h[t] = req.fits(nt.cap)
	}
	return h
}

// subset reports a ⊆ b.
func subset(a, b []bool) bool {
	for i := range a {
		if a[i] && !b[i] {
			return false
		}
	}
	return true
}

// restrictedRow returns f(t) for the types in set and 0 for the others.
func restrictedRow(types []nodeType, set []bool, f func(nodeType) float64) []float64 {
	row := make([]float64, len(types))
	for t, nt := range types {
		if set[t] {
			row[t] = f(nt)
		}
	}
	return row
}

// prices are the dual prices of a covering LP: per unit of each dimension
// (millicore, byte, pod slot) and per node, in $/hour.
type prices struct {
	unit [dims]float64
	node float64
}

// duals returns the prices implied by covering the demand total, with at
// least nodes nodes (anti-affinity, minNodes), by the types: the optimal
// dual of the covering LP. Without a usable LP answer it falls back to a
// third of each dimension's best price per unit, which is dual-feasible
// too.
func duals(types []nodeType, total vec, nodes int) prices {
	c := &coverLP{price: make([]float64, len(types))}
	for t, nt := range types {
		c.price[t] = nt.price
	}
	all := homeSet(types, vec{})
	var rows [dims + 1]int
	for d := range dims {
		rows[d] = len(c.d)
		c.addRow(restrictedRow(types, all, func(t nodeType) float64 { return float64(t.cap[d]) }), float64(total[d]))
	}
	rows[dims] = len(c.d)
	c.addRow(restrictedRow(types, all, func(nodeType) float64 { return 1 }), float64(nodes))
	v, y := c.solve()
	var out prices
	if math.IsNaN(v) || v <= 0 {
		for d := range dims {
			best := math.Inf(1)
			for _, t := range types {
				best = min(best, t.price/float64(t.cap[d]))
			}
			out.unit[d] = best / dims
		}
		return out
	}
	for d := range dims {
		if total[d] > 0 {
			out.unit[d] = y[rows[d]]
		}
	}
	if nodes > 0 {
		out.node = y[rows[dims]]
	}
	return out
}
