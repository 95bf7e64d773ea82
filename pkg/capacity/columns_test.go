package capacity

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSolveDenseMatchesSimplex checks the tableau simplex against gonum's
// simplex on the primal of random covering LPs, with many columns.
func TestSolveDenseMatchesSimplex(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for i := range 80 {
		rows, cols := 1+rng.IntN(8), 1+rng.IntN(40)
		c := &coverLP{price: make([]float64, cols)}
		for p := range cols {
			c.price[p] = 0.05 + rng.Float64()
		}
		for range rows {
			a := make([]float64, cols)
			for p := range a {
				if rng.IntN(3) > 0 {
					a[p] = float64(rng.IntN(12))
				}
			}
			a[rng.IntN(cols)] = 1 + float64(rng.IntN(5))
			c.addRow(a, float64(1+rng.IntN(50)))
		}
		dense, y, x := c.solveDensePrimal()
		primal, err := solvePrimal(c)
		require.NoError(t, err, "instance %d", i)
		assert.InDelta(t, primal, dense, 1e-6*math.Max(1, primal), "instance %d: tableau %g, primal %g", i, dense, primal)
		cost := 0.0
		for p := range cols {
			require.GreaterOrEqual(t, x[p], 0.0, "instance %d: column %d", i, p)
			cost += c.price[p] * x[p]
		}
		assert.InDelta(t, primal, cost, 1e-6*math.Max(1, primal), "instance %d: primal solution costs %g, optimum %g", i, cost, primal)
		for r := range c.d {
			lhs := 0.0
			for p := range cols {
				lhs += c.a[r][p] * x[p]
			}
			assert.GreaterOrEqual(t, lhs, c.d[r]*(1-1e-6), "instance %d: row %d not covered", i, r)
		}
		for p := range cols {
			lhs := 0.0
			for r := range y {
				lhs += c.a[r][p] * y[r]
			}
			assert.LessOrEqual(t, lhs, c.price[p]*(1+1e-9), "instance %d: dual infeasible at column %d", i, p)
		}
	}
}

// TestKnapsackExact compares the pricing knapsack with enumeration.
func TestKnapsackExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 9))
	for i := range 200 {
		c := vec{int64(2+rng.IntN(8)) * 1000, int64(2+rng.IntN(30)) << 29, int64(3 + rng.IntN(10))}
		var groups []group
		var val []float64
		var limit []int
		for range 1 + rng.IntN(5) {
			groups = append(groups, group{req: vec{int64(1+rng.IntN(30)) * 100, int64(1+rng.IntN(16)) << 28, 1}})
			val = append(val, rng.Float64())
			limit = append(limit, 1+rng.IntN(6))
		}
		pods, v, upper := newKnapsack(c, groups, val, limit).solve(len(groups), knapsackThorough, -1)
		want := enumerateKnapsack(c, groups, val, limit, 0, vec{}, 0)
		require.InDelta(t, want, v, 1e-9, "instance %d", i)
		require.InDelta(t, v, upper, 1e-12, "instance %d: search did not finish", i)
		var used vec
		got := 0.0
		for g, n := range pods {
			used = used.add(groups[g].req.scale(int64(n)))
			got += float64(n) * val[g]
			require.LessOrEqual(t, n, limit[g])
		}
		require.True(t, used.fits(c), "instance %d: pattern %v over capacity", i, pods)
		require.InDelta(t, v, got, 1e-9)
	}
}

// enumerateKnapsack is the best value of groups g onward in room c-used.
func enumerateKnapsack(c vec, groups []group, val []float64, limit []int, g int, used vec, v float64) float64 {
	if g == len(groups) {
		return v
	}
	best := v
	for n := 0; n <= limit[g]; n++ {
		u := used.add(groups[g].req.scale(int64(n)))
		if !u.fits(c) {
			break
		}
		best = max(best, enumerateKnapsack(c, groups, val, limit, g+1, u, v+float64(n)*val[g]))
	}
	return best
}

// smallZone draws a zone like the planner meets in small clusters: 2 to 8
// instance types of the generated catalog after overhead, up to maxPods
// pods in 1 to 5 workloads, some anti-affine, and sometimes minNodes.
func smallZone(rng *rand.Rand, maxPods int) ([]nodeType, []group, int) {
	cat := catalog(24)
	var types []nodeType
	for _, k := range rng.Perm(len(cat))[:2+rng.IntN(7)] {
		types = append(types, nodeType{cap: usable(cat[k].Allocatable, Resources{CPU: 0.2, Memory: 512 << 20, Pods: 4}, 0.9), price: cat[k].PricePerHour})
	}
	var groups []group
	left := 5 + rng.IntN(maxPods-4)
	for w := 0; w < 5 && left > 0; w++ {
		n := 1 + rng.IntN(left)
		if w == 4 {
			n = left
		}
		wl := benchWorkload(rng, "w", "bl")
		req := podVec(wl.Requests)
		if !slices.ContainsFunc(types, func(nt nodeType) bool { return req.fits(nt.cap) }) {
			continue
		}
		left -= n
		groups = append(groups, group{w: w, req: req, count: n, anti: wl.AntiAffinity && n <= 6})
	}
	minNodes := 0
	if rng.IntN(5) == 0 {
		minNodes = 1 + rng.IntN(4)
	}
	return types, groups, minNodes
}

// packZone runs the packer's zone pipeline as packPool does.
func packZone(t testing.TB, types []nodeType, groups []group, minNodes int) *zonePacker {
	zp := newZonePacker(types, groups, 0)
	zp.minNodes = minNodes
	require.NoError(t, zp.run(context.Background()))
	require.NoError(t, zp.improve(context.Background()))
	zp.addMinNodes(minNodes)
	return zp
}

// exactAim is the most the packer's cost may exceed the optimum by on a
// zone the exact reference solves.
const exactAim = 1.01

// TestBoundsAgainstExact checks, on small zones solved exactly, that the
// pattern bound never exceeds the optimum nor the packer's cost falls
// below it, that the packer is within exactAim of the optimum, and
// reports how tight the bound is and how far the packer is.
func TestBoundsAgainstExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 21))
	instances := 120
	if testing.Short() {
		instances = 30
	}
	var ratios, excess []float64
	for i := range instances {
		types, groups, minNodes := smallZone(rng, 40)
		zp := packZone(t, types, groups, minNodes)
		placed := zp.placed()
		cost := zp.cost()
		bound, _ := zp.bound(minNodes)
		opt, solved := exactZone(zp.types, zp.groups, placed, minNodes, cost)
		name := fmt.Sprintf("instance %d (%d types, groups %v, minNodes %d)", i, len(types), counts(zp.groups), minNodes)
		require.LessOrEqual(t, bound, cost*(1+1e-9), "%s: bound %g above the packer's cost %g", name, bound, cost)
		if !solved {
			continue
		}
		require.LessOrEqual(t, bound, opt*(1+1e-9), "%s: bound %g above the optimum %g", name, bound, opt)
		require.GreaterOrEqual(t, cost, opt*(1-1e-9), "%s: packer %g below the optimum %g", name, cost, opt)
		assert.LessOrEqual(t, cost, opt*exactAim*(1+1e-9), "%s: packer %g above %g times the optimum %g", name, cost, exactAim, opt)
		if opt > 0 {
			ratios = append(ratios, bound/opt)
			excess = append(excess, cost/opt)
		}
	}
	require.NotEmpty(t, ratios)
	slices.Sort(ratios)
	slices.Sort(excess)
	t.Logf("%d of %d zones solved exactly: bound/optimum median %.4f, min %.4f; cost/optimum median %.4f, max %.4f; optimal on %d",
		len(ratios), instances, ratios[len(ratios)/2], ratios[0], excess[len(excess)/2], excess[len(excess)-1],
		len(excess)-len(slices.DeleteFunc(slices.Clone(excess), func(x float64) bool { return x <= 1+1e-9 })))
}

// counts lists the groups' pod counts.
func counts(groups []group) []int {
	out := make([]int, len(groups))
	for g, gr := range groups {
		out[g] = gr.count
	}
	return out
}

// TestExactMatchesBruteForce checks the exact reference against the
// pod-by-pod exhaustive search on tiny zones, and the pattern bound
// against both.
func TestExactMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 300 {
		types, groups := tinyZone(rng)
		counts := make([]int, len(groups))
		for g := range groups {
			counts[g] = groups[g].count
		}
		opt := bruteForce(types, groups)
		ex, ok := exactZone(types, groups, counts, 0, 1e9)
		if !ok || ex < opt-1e-9 || ex > opt+1e-9 {
			t.Fatalf("%d: brute %g exact %g ok %v types %v groups %+v", i, opt, ex, ok, types, groups)
		}
		pb, _ := patternBound(types, groups, counts, 0, nil)
		if pb > opt+1e-9 {
			t.Fatalf("%d: pattern bound %g > opt %g; types %v groups %+v", i, pb, opt, types, groups)
		}
	}
}
