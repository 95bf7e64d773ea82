package capacity

import (
	"math"
	"slices"
)

// Column-generation limits per zone: rounds of pricing, rounds priced by
// the thorough knapsack search (when the quick one finds no column), the
// relative gap
// between the bound and the master LP at which it stops, and the columns
// kept in the master LP (the least useful are dropped beyond it).
const (
	columnRounds      = 40
	columnThorough    = 1
	columnTolerance   = 1e-3
	columnsKeptPerRow = 4
)

// column is a pattern: the pods of each group one node of type t holds.
type column struct {
	t    int
	pods []int  // per group
	key  string // identifies the pattern among the columns
}

// patternBound is the Gilmore-Gomory bound of a zone by column generation:
// the LP over node patterns
//
//	minimise  sum_p price_t(p) x_p
//	s.t.      sum_p pods_g(p) x_p >= placed_g   for every group g
//	          sum_p x_p           >= minNodes
//	          x >= 0,
//
// where a pattern is any set of pods that fits one node of its type, with
// at most one pod of an anti-affine group and at most placed_g of group g.
// Columns are priced by an exact knapsack per type (knapsack). Every round
// yields a valid bound from the current duals y, whatever their accuracy
// (Farley's bound): with theta the largest ratio over types of the best
// pattern's reduced value sum_g pods_g y_g + y_nodes to its price,
// y/theta is dual feasible, so (sum_g placed_g y_g + minNodes y_nodes) /
// theta is at most the LP optimum, hence at most the optimum of any
// placement. seeds are initial columns (the packer's nodes). It returns the
// best bound found and whether column generation converged: the bound is
// then within columnTolerance of the LP optimum (LP optimum <= master).
func patternBound(types []nodeType, groups []group, placed []int, minNodes int, seeds []column) (float64, bool) {
	cg := newColumnGen(types, groups, placed, minNodes)
	if len(cg.rows) == 0 && minNodes == 0 {
		return 0, true
	}
	return cg.run(seeds)
}

// run adds the seeds and the single-group columns, then generates columns
// until the bound meets the master LP within cg.tol, no column improves,
// cg.maxRounds rounds have passed or the pricing work has reached
// cg.workLimit; it returns patternBound's bound and whether it converged.
// The columns are left in cg.cols.
func (cg *columnGen) run(seeds []column) (float64, bool) {
	for _, s := range seeds {
		cg.add(s)
	}
	cg.seedSingles()
	best := 0.0
	thorough := cg.thorough
	for range cg.maxRounds {
		if cg.workLimit > 0 && cg.work >= cg.workLimit {
			return best, false
		}
		master, y, _, ok := cg.master()
		if !ok {
			return best, false
		}
		lb, improving := cg.price(y, knapsackQuick)
		if len(improving) == 0 && thorough > 0 {
			thorough--
			lb, improving = cg.price(y, knapsackThorough)
		}
		best = max(best, lb)
		if best >= master*(1-cg.tol) {
			return best, true
		}
		if len(improving) == 0 {
			return best, cg.exact
		}
		for _, c := range improving {
			cg.add(c)
		}
		cg.prune(y)
	}
	return best, false
}

// columnGen is the state of one zone's column generation.
type columnGen struct {
	types    []nodeType
	groups   []group
	placed   []int
	minNodes int
	rows     []int // groups with placed pods, the covering rows
	limit    []int // most pods of each group on one node
	cols     []column
	seen     map[string]bool
	exact    bool // the last round solved every pricing problem to optimality

	maxRounds int     // rounds of pricing run does, columnRounds by default
	thorough  int     // rounds priced thoroughly, columnThorough by default
	tol       float64 // relative gap that stops run, columnTolerance by default
	work      int     // knapsack search nodes and items priced by run
	workLimit int     // run stops pricing once work reaches it; 0: no limit
}

// newColumnGen prepares the rows and per-node limits.
func newColumnGen(types []nodeType, groups []group, placed []int, minNodes int) *columnGen {
	cg := &columnGen{types: types, groups: groups, placed: placed, minNodes: minNodes,
		limit: make([]int, len(groups)), seen: map[string]bool{}, exact: true,
		maxRounds: columnRounds, thorough: columnThorough, tol: columnTolerance}
	for g, gr := range groups {
		if placed[g] > 0 {
			cg.rows = append(cg.rows, g)
			cg.limit[g] = placed[g]
			if gr.anti {
				cg.limit[g] = 1
			}
		}
	}
	return cg
}

// add appends a column unless it is already there or holds nothing needed.
func (cg *columnGen) add(c column) {
	key := make([]byte, 0, 8*(len(c.pods)+1))
	key = appendInt(key, c.t)
	useful := cg.minNodes > 0
	for g, n := range c.pods {
		n = min(n, cg.limit[g])
		c.pods[g] = n
		key = appendInt(key, n)
		useful = useful || n > 0
	}
	c.key = string(key)
	if !useful || cg.seen[c.key] {
		return
	}
	cg.seen[c.key] = true
	cg.cols = append(cg.cols, c)
}

// appendInt appends n in a fixed width.
func appendInt(b []byte, n int) []byte {
	for i := range 8 {
		b = append(b, byte(n>>(8*i)))
	}
	return b
}

// seedSingles adds, for every group, the node of the type that holds its
// pods most cheaply filled with that group only, so that every row can be
// covered.
func (cg *columnGen) seedSingles() {
	for _, g := range cg.rows {
		bestT, bestN, bestCost := -1, 0, math.Inf(1)
		for t, nt := range cg.types {
			n := cg.limit[g]
			for d := range dims {
				if r := cg.groups[g].req[d]; r > 0 {
					n = min(n, int(nt.cap[d]/r))
				}
			}
			if n > 0 && nt.price/float64(n) < bestCost {
				bestT, bestN, bestCost = t, n, nt.price/float64(n)
			}
		}
		if bestT >= 0 {
			pods := make([]int, len(cg.groups))
			pods[g] = bestN
			cg.add(column{t: bestT, pods: pods})
		}
	}
}

// master solves the master LP over the current columns and returns its
// value, the dual price of each group's pods (zero for groups without
// placed pods) and, last, the dual price of a node (the minNodes row), and
// the value of each column in cg.cols.
func (cg *columnGen) master() (float64, []float64, []float64, bool) {
	lp := &coverLP{price: make([]float64, len(cg.cols))}
	for p, c := range cg.cols {
		lp.price[p] = cg.types[c.t].price
	}
	var rowOf []int // group of each LP row, -1 for the node row
	for _, g := range cg.rows {
		a := make([]float64, len(cg.cols))
		for p, c := range cg.cols {
			a[p] = float64(c.pods[g])
		}
		lp.addRow(a, float64(cg.placed[g]))
		rowOf = append(rowOf, g)
	}
	if cg.minNodes > 0 {
		a := make([]float64, len(cg.cols))
		for p := range a {
			a[p] = 1
		}
		lp.addRow(a, float64(cg.minNodes))
		rowOf = append(rowOf, -1)
	}
	v, y, x := lp.solveDensePrimal()
	if math.IsNaN(v) || y == nil {
		return 0, nil, nil, false
	}
	out := make([]float64, len(cg.groups)+1)
	for r, g := range rowOf {
		if g < 0 {
			out[len(cg.groups)] = y[r]
		} else {
			out[g] = y[r]
		}
	}
	return v, out, x, true
}

// price solves the knapsack of every type at the duals y, within budget
// search nodes each, and returns Farley's bound and the best pattern of
// each type whose reduced value exceeds its price.
func (cg *columnGen) price(y []float64, budget int) (float64, []column) {
	node := y[len(cg.groups)]
	dual := node * float64(cg.minNodes)
	for _, g := range cg.rows {
		dual += y[g] * float64(cg.placed[g])
	}
	theta := 1.0
	cg.exact = true
	var out []column
	for t, nt := range cg.types {
		k := newKnapsack(nt.cap, cg.groups, y[:len(cg.groups)], cg.limit)
		pods, v, upper := k.solve(len(cg.groups), budget, nt.price*(1+1e-9)-node)
		cg.work += k.nodes + len(k.items)
		cg.exact = cg.exact && upper <= v
		theta = max(theta, (upper+node)/nt.price)
		if v+node > nt.price*(1+1e-9) {
			out = append(out, column{t: t, pods: pods})
		}
	}
	return dual / theta * (1 - 1e-12), out
}

// prune drops the columns with the largest reduced cost at y when there
// are more than columnsKeptPerRow per row.
func (cg *columnGen) prune(y []float64) {
	keep := columnsKeptPerRow * (len(cg.rows) + 1)
	if len(cg.cols) <= keep {
		return
	}
	reduced := func(c column) float64 {
		r := cg.types[c.t].price - y[len(cg.groups)]
		for g, n := range c.pods {
			r -= float64(n) * y[g]
		}
		return r / cg.types[c.t].price
	}
	slices.SortStableFunc(cg.cols, func(a, b column) int { return -cmpDesc(reduced(a), reduced(b)) })
	for _, c := range cg.cols[keep:] {
		delete(cg.seen, c.key)
	}
	cg.cols = cg.cols[:keep]
}
