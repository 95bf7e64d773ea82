package capacity

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestPackProperties packs many generated problems and checks the plan's
// invariants against the problem, recomputed independently of the packer;
// every fifth problem is packed twice to check that the plans are equal.
func TestPackProperties(t *testing.T) {
	const seed, n = 20251111, 400
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		p := randomProblem(rng)
		if rng.IntN(3) == 0 {
			p.At = time.Date(2025, 11, 11, rng.IntN(5), 0, 0, 0, time.UTC)
		}
		pl, err := Pack(context.Background(), p)
		if err != nil {
			t.Fatalf("instance %d (seed %d): %v", i, seed, err)
		}
		checkPlan(t, i, p, pl)
		if i%5 != 0 {
			continue
		}
		again, err := Pack(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := mustJSON(t, pl), mustJSON(t, again); !bytes.Equal(a, b) {
			t.Fatalf("instance %d: two packs of one problem differ", i)
		}
	}
}

// checkPlan checks every invariant of pl for p; i names the instance.
func checkPlan(t *testing.T, i int, p Problem, pl Plan) {
	t.Helper()
	checkNodes(t, i, p, pl)
	checkReplicas(t, i, p, pl)
	checkSpread(t, i, p, pl)
	checkCost(t, i, pl)
}

// checkNodes checks each node's pool, type, capacity, isolation and
// anti-affinity, and the pools' node bounds.
func checkNodes(t *testing.T, i int, p Problem, pl Plan) {
	t.Helper()
	target := p.Headroom.UtilizationTarget
	if target == 0 {
		target = 1
	}
	perZone := map[[2]string]int{}
	for _, n := range pl.Nodes {
		pool := findPool(p.Pools, n.Pool)
		if pool == nil || !slices.Contains(pool.Zones, n.Zone) {
			t.Fatalf("instance %d: node %s in unknown pool %q or zone %q", i, n.Name, n.Pool, n.Zone)
		}
		perZone[[2]string{n.Pool, n.Zone}]++
		k := slices.IndexFunc(pool.InstanceTypes, func(it InstanceType) bool { return it.Name == n.InstanceType })
		if k < 0 || pool.InstanceTypes[k].PricePerHour != n.PricePerHour || pool.InstanceTypes[k].Allocatable != n.Allocatable {
			t.Fatalf("instance %d: node %s type %q not as offered by pool %q", i, n.Name, n.InstanceType, n.Pool)
		}
		var cpu float64
		var mem int64
		count := map[string]int{}
		for _, pod := range n.Pods {
			w := findWorkload(p.Workloads, pod.Workload)
			if !slices.Contains(pool.BusinessLines, w.BusinessLine) {
				t.Fatalf("instance %d: pod of %s (business line %q) on pool %q serving %v", i, w.Name, w.BusinessLine, n.Pool, pool.BusinessLines)
			}
			if pod.CPU < w.Requests.CPU-1e-9 || pod.Memory != w.Requests.Memory {
				t.Fatalf("instance %d: pod of %s requests %g/%d, workload %g/%d", i, w.Name, pod.CPU, pod.Memory, w.Requests.CPU, w.Requests.Memory)
			}
			cpu += pod.CPU
			mem += pod.Memory
			count[w.Name]++
			if w.AntiAffinity && count[w.Name] > 1 {
				t.Fatalf("instance %d: node %s holds %d pods of anti-affine %s", i, n.Name, count[w.Name], w.Name)
			}
		}
		a := n.Allocatable
		if cpu > target*a.CPU-pool.Overhead.CPU+1e-9 || float64(mem) > target*float64(a.Memory)-float64(pool.Overhead.Memory)+1 ||
			len(n.Pods) > a.Pods-pool.Overhead.Pods {
			t.Fatalf("instance %d: node %s over capacity: cpu %g mem %d pods %d, allocatable %+v, overhead %+v, target %g",
				i, n.Name, cpu, mem, len(n.Pods), a, pool.Overhead, target)
		}
	}
	for _, pool := range p.Pools {
		for _, z := range pool.Zones {
			c := perZone[[2]string{pool.Name, z}]
			if c < pool.MinNodes || (pool.MaxNodes > 0 && c > pool.MaxNodes) {
				t.Fatalf("instance %d: pool %q zone %q has %d nodes, bounds [%d, %d]", i, pool.Name, z, c, pool.MinNodes, pool.MaxNodes)
			}
		}
	}
}

// checkReplicas checks that every slot is placed once or reported.
func checkReplicas(t *testing.T, i int, p Problem, pl Plan) {
	t.Helper()
	placed := map[string]int{}
	for _, n := range pl.Nodes {
		for _, pod := range n.Pods {
			placed[pod.Workload]++
		}
	}
	reported := map[string]int{}
	for _, u := range pl.Unplaceable {
		if u.Count <= 0 || u.Reason == "" {
			t.Fatalf("instance %d: unplaceable entry %+v", i, u)
		}
		reported[u.Workload] += u.Count
	}
	for k, w := range p.Workloads {
		wp := pl.Workloads[k]
		replicas := w.Replicas.At(p.At)
		want := replicas
		if wp.Pool != "" {
			pool := findPool(p.Pools, wp.Pool)
			if !slices.Contains(pool.BusinessLines, w.BusinessLine) || (w.NodePool != "" && w.NodePool != pool.Name) {
				t.Fatalf("instance %d: %s assigned to pool %q", i, w.Name, wp.Pool)
			}
			want = expectedSlots(p.Headroom, w, replicas, len(pool.Zones))
		} else if replicas > 0 && fitsSomePool(p, w) {
			t.Fatalf("instance %d: %s has no pool although a pool of its business line fits it", i, w.Name)
		}
		if placed[w.Name]+reported[w.Name] != want || wp.Placed != placed[w.Name] {
			t.Fatalf("instance %d: %s placed %d (plan says %d) + unplaceable %d, want %d slots",
				i, w.Name, placed[w.Name], wp.Placed, reported[w.Name], want)
		}
	}
}

// expectedSlots is the documented headroom rule, restated: replicas plus
// surge spread evenly, each zone raised to ceil(replicas/(zones-1)) under
// zone loss.
func expectedSlots(h Headroom, w Workload, replicas, zones int) int {
	if replicas == 0 {
		return 0
	}
	n := replicas
	if h.RolloutSurge {
		n += w.MaxSurge.Of(replicas)
	}
	if !h.ZoneLoss || zones < 2 {
		return n
	}
	per := int(math.Ceil(float64(replicas) / float64(zones-1)))
	hi, lo := (n+zones-1)/zones, n/zones
	return n%zones*max(hi, per) + (zones-n%zones)*max(lo, per)
}

// fitsSomePool reports whether w's pod fits an instance type of a pool of
// its business line, after overhead and utilization target.
func fitsSomePool(p Problem, w Workload) bool {
	target := p.Headroom.UtilizationTarget
	if target == 0 {
		target = 1
	}
	for _, pool := range p.Pools {
		if !slices.Contains(pool.BusinessLines, w.BusinessLine) {
			continue
		}
		for _, it := range pool.InstanceTypes {
			a := it.Allocatable
			if w.Requests.CPU <= target*a.CPU-pool.Overhead.CPU && float64(w.Requests.Memory) <= target*float64(a.Memory)-float64(pool.Overhead.Memory) &&
				a.Pods > pool.Overhead.Pods {
				return true
			}
		}
	}
	return false
}

// checkSpread checks maxSkew on the pods placed in each zone of the pool.
func checkSpread(t *testing.T, i int, p Problem, pl Plan) {
	t.Helper()
	for k, w := range p.Workloads {
		wp := pl.Workloads[k]
		if w.MaxSkew == 0 || wp.Pool == "" {
			continue
		}
		counts := map[string]int{}
		for _, n := range pl.Nodes {
			for _, pod := range n.Pods {
				if pod.Workload == w.Name {
					counts[n.Zone]++
				}
			}
		}
		lo, hi := math.MaxInt, 0
		for _, z := range findPool(p.Pools, wp.Pool).Zones {
			lo, hi = min(lo, counts[z]), max(hi, counts[z])
		}
		if hi-lo > w.MaxSkew {
			t.Fatalf("instance %d: %s zone counts %v exceed maxSkew %d", i, w.Name, counts, w.MaxSkew)
		}
	}
}

// checkCost checks cost, bound and the summaries' sums.
func checkCost(t *testing.T, i int, pl Plan) {
	t.Helper()
	sum := 0.0
	for _, n := range pl.Nodes {
		sum += n.PricePerHour
	}
	tol := 1e-9 * math.Max(1, sum)
	if math.Abs(sum-pl.CostPerHour) > tol {
		t.Fatalf("instance %d: cost %g, nodes sum to %g", i, pl.CostPerHour, sum)
	}
	if pl.LowerBoundCostPerHour > pl.CostPerHour+tol || pl.LowerBoundCostPerHour < 0 {
		t.Fatalf("instance %d: lower bound %g above cost %g", i, pl.LowerBoundCostPerHour, pl.CostPerHour)
	}
	s := pl.Summary
	for name, lines := range map[string][]CostLine{"pool": s.ByPool, "zone": s.ByZone, "type": s.ByInstanceType, "business line": s.ByBusinessLine} {
		if got := sumLines(lines); math.Abs(got-sum) > tol {
			t.Fatalf("instance %d: cost by %s sums to %g, want %g", i, name, got, sum)
		}
	}
	for _, rc := range []ResourceCost{s.CPU, s.Memory} {
		if parts := rc.RequestedCostPerHour + rc.OverheadCostPerHour + rc.IdleCostPerHour; math.Abs(parts-rc.CostPerHour) > tol || rc.IdleCostPerHour < -tol {
			t.Fatalf("instance %d: %s cost %g split into %g (idle %g)", i, rc.Unit, rc.CostPerHour, parts, rc.IdleCostPerHour)
		}
	}
	if math.Abs(s.CPU.CostPerHour+s.Memory.CostPerHour-sum) > tol {
		t.Fatalf("instance %d: cpu %g + memory %g != cost %g", i, s.CPU.CostPerHour, s.Memory.CostPerHour, sum)
	}
}

// sumLines adds the costs of lines.
func sumLines(lines []CostLine) float64 {
	s := 0.0
	for _, l := range lines {
		s += l.CostPerHour
	}
	return s
}

// findWorkload returns the workload called name.
func findWorkload(ws []Workload, name string) Workload {
	for _, w := range ws {
		if w.Name == name {
			return w
		}
	}
	return Workload{}
}

// mustJSON marshals v or fails the test.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
