package capacity

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// TestBoundBelowOptimum compares, on tiny zones, the lower bound and the
// packer with the optimum found by exhaustive search.
func TestBoundBelowOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	optimal, slack := 0, 0.0
	const n = 150
	for i := range n {
		types, groups := tinyZone(rng)
		opt := bruteForce(types, groups)
		counts := make([]int, len(groups))
		for g := range groups {
			counts[g] = groups[g].count
		}
		bound := zoneBound(types, groups, counts, 0)
		zp := newZonePacker(types, append([]group(nil), groups...), 0)
		if err := zp.run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := zp.improve(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := zp.cost()
		if bound > opt+1e-9 || got < opt-1e-9 {
			t.Fatalf("instance %d: bound %g, optimum %g, packer %g: want bound <= optimum <= packer", i, bound, opt, got)
		}
		if got <= opt+1e-9 {
			optimal++
		}
		slack += opt/bound - 1
	}
	t.Logf("packer optimal on %d of %d tiny zones; optimum exceeds the bound by %.1f%% on average", optimal, n, 100*slack/n)
}

// tinyZone draws up to three types and up to seven pods in three groups.
func tinyZone(rng *rand.Rand) ([]nodeType, []group) {
	var types []nodeType
	for range 1 + rng.IntN(3) {
		c := int64(2+rng.IntN(8)) * 1000
		types = append(types, nodeType{cap: vec{c, c * int64(1+rng.IntN(6)) << 29, int64(3 + rng.IntN(6))}, price: float64(c) / 1000 * (0.03 + 0.02*rng.Float64())})
	}
	var groups []group
	left := 7
	for w := range 3 {
		if left == 0 {
			break
		}
		k := 1 + rng.IntN(min(left, 4))
		left -= k
		req := vec{int64(1+rng.IntN(30)) * 100, int64(1+rng.IntN(16)) << 28, 1}
		if !req.fits(types[0].cap) && !req.fits(types[len(types)-1].cap) {
			req = vec{100, 1 << 28, 1}
		}
		ok := false
		for _, nt := range types {
			ok = ok || req.fits(nt.cap)
		}
		if !ok {
			continue
		}
		groups = append(groups, group{w: w, req: req, count: k, anti: rng.IntN(3) == 0})
	}
	return types, groups
}

// bruteForce returns the cheapest cost of nodes holding all the groups'
// pods, by depth-first search over placements.
func bruteForce(types []nodeType, groups []group) float64 {
	var pods []int
	for g, gr := range groups {
		for range gr.count {
			pods = append(pods, g)
		}
	}
	best := math.Inf(1)
	var bins []*bin
	var dfs func(k int, cost float64)
	dfs = func(k int, cost float64) {
		if cost >= best-1e-12 {
			return
		}
		if k == len(pods) {
			best = cost
			return
		}
		gr := groups[pods[k]]
		for _, b := range bins {
			if gr.req.fits(types[b.t].cap.sub(b.used)) && !(gr.anti && b.has(pods[k]) > 0) {
				b.put(pods[k], 1, gr.req)
				dfs(k+1, cost)
				b.take(pods[k], 1, gr.req)
			}
		}
		for t, nt := range types {
			if gr.req.fits(nt.cap) {
				b := &bin{t: t}
				b.put(pods[k], 1, gr.req)
				bins = append(bins, b)
				dfs(k+1, cost+nt.price)
				bins = bins[:len(bins)-1]
			}
		}
	}
	dfs(0, 0)
	return best
}

// TestCoverLPMatchesPrimal solves the covering LP directly (converted to
// standard form) and checks that the dual route used by the bound reaches
// the same optimum.
func TestCoverLPMatchesPrimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	for i := range 60 {
		p := randomProblem(rng)
		pool := p.Pools[0]
		types := poolTypes(pool, p.Headroom)
		var groups []group
		var counts []int
		for w := range 1 + rng.IntN(6) {
			req := vec{int64(1+rng.IntN(20)) * 100, int64(1+rng.IntN(16)) << 27, 1}
			if homeCount(types, req) == 0 {
				continue
			}
			groups = append(groups, group{w: w, req: req, count: 1 + rng.IntN(20), anti: rng.IntN(4) == 0})
			counts = append(counts, groups[len(groups)-1].count)
		}
		c := boundLP(types, groups, counts, rng.IntN(3))
		dual, _ := c.solve()
		primal, err := solvePrimal(c)
		if err != nil {
			t.Fatalf("instance %d: primal: %v (a %v d %v price %v)", i, err, c.a, c.d, c.price)
		}
		if math.Abs(dual-primal) > 1e-6*math.Max(1, primal) {
			t.Fatalf("instance %d: dual route %g, primal %g", i, dual, primal)
		}
	}
}

// homeCount counts the types req fits on.
func homeCount(types []nodeType, req vec) int {
	n := 0
	for _, nt := range types {
		if req.fits(nt.cap) {
			n++
		}
	}
	return n
}

// solvePrimal solves min price·x s.t. A x >= d, x >= 0 with lp.Convert,
// each row scaled to a largest coefficient of 1.
func solvePrimal(c *coverLP) (float64, error) {
	types := len(c.price)
	if len(c.d) == 0 {
		return 0, nil
	}
	rows := len(c.d) + types
	G := mat.NewDense(rows, types, nil)
	h := make([]float64, rows)
	for r := range c.d {
		scale := 0.0
		for t := range types {
			scale = math.Max(scale, c.a[r][t])
		}
		for t := range types {
			G.Set(r, t, -c.a[r][t]/scale)
		}
		h[r] = -c.d[r] / scale
	}
	for t := range types {
		G.Set(len(c.d)+t, t, -1)
	}
	cNew, aNew, bNew := lp.Convert(c.price, G, h, nil, nil)
	opt, _, err := lp.Simplex(cNew, aNew, bNew, 1e-10, nil)
	return opt, err
}

// TestBoundRows checks the node-count and restricted-type rows on cases
// whose bound is known.
func TestBoundRows(t *testing.T) {
	small := nodeType{cap: vec{2000, 4 << 30, 10}, price: 0.1}
	big := nodeType{cap: vec{16000, 64 << 30, 100}, price: 0.7}
	tests := []struct {
		name   string
		types  []nodeType
		groups []group
		min    int
		want   float64
	}{
		{"anti-affinity needs one node per replica", []nodeType{small}, []group{{req: vec{100, 1 << 20, 1}, count: 5, anti: true}}, 0, 0.5},
		{"min nodes at the cheapest price", []nodeType{small, big}, nil, 3, 0.3},
		{"pods too big for the small type", []nodeType{small, big}, []group{{req: vec{8000, 2 << 30, 1}, count: 2}}, 0, 0.7},
		{"capacity per dollar", []nodeType{small, big}, []group{{req: vec{1000, 1 << 30, 1}, count: 8}}, 0, 0.35},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			counts := make([]int, len(tc.groups))
			for g := range tc.groups {
				counts[g] = tc.groups[g].count
			}
			if got := zoneBound(tc.types, tc.groups, counts, tc.min); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("bound = %g, want %g", got, tc.want)
			}
		})
	}
}
