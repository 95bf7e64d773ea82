package capacity

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// assignment is the pool a workload runs in, or why it has none.
type assignment struct {
	pool   int // index into Problem.Pools; -1 when none
	reason string
}

// assignPools picks each workload's pool: the pinned pool, or among the
// pools serving its business line the one with the lowest estimated cost
// per replica (ties go to the earlier pool). A workload whose pod fits no
// instance type of any candidate pool gets a reason instead.
func assignPools(p Problem, types [][]nodeType) []assignment {
	out := make([]assignment, len(p.Workloads))
	for i, w := range p.Workloads {
		out[i] = assignPool(p.Pools, types, w)
	}
	return out
}

// assignPool picks one workload's pool.
func assignPool(pools []Pool, types [][]nodeType, w Workload) assignment {
	req := podVec(w.Requests)
	best, bestCost := -1, math.Inf(1)
	var names []string
	for pi, pool := range pools {
		if !slices.Contains(pool.BusinessLines, w.BusinessLine) || (w.NodePool != "" && w.NodePool != pool.Name) {
			continue
		}
		names = append(names, fmt.Sprintf("%q", pool.Name))
		if c := perReplicaCost(types[pi], req); c < bestCost {
			best, bestCost = pi, c
		}
	}
	if best < 0 {
		return assignment{pool: -1, reason: fmt.Sprintf(
			"requests (cpu %g cores, memory %s) fit no instance type of pool %s after overhead and utilization target",
			w.Requests.CPU, formatBytes(w.Requests.Memory), strings.Join(names, ", "))}
	}
	return assignment{pool: best}
}

// perReplicaCost estimates the cost of one pod of requests req on the
// pool's best-suited type: the price times the pod's largest share of the
// type's usable capacity. It is +Inf when the pod fits no type.
func perReplicaCost(types []nodeType, req vec) float64 {
	best := math.Inf(1)
	for _, t := range types {
		if !req.fits(t.cap) {
			continue
		}
		share := 0.0
		for d := range dims {
			share = max(share, float64(req[d])/float64(t.cap[d]))
		}
		best = min(best, share*t.price)
	}
	return best
}

// zoneSlots returns the pods to provision in each of a pool's zones for a
// workload with replicas replicas: the replicas plus the rollout surge,
// spread evenly (the remainder going to zones from offset on), raised in
// every zone to ceil(replicas/(zones-1)) under zone-loss headroom.
func zoneSlots(w Workload, replicas, zones, offset int, h Headroom) []int {
	out := make([]int, zones)
	if replicas <= 0 {
		return out
	}
	n := replicas
	if h.RolloutSurge {
		n += w.MaxSurge.Of(replicas)
	}
	copy(out, balanced(n, zones, offset))
	if h.ZoneLoss && zones > 1 {
		per := (replicas + zones - 2) / (zones - 1)
		for z := range out {
			out[z] = max(out[z], per)
		}
	}
	return out
}

// balanced splits n over zones as evenly as possible; the n%zones extra
// ones go to zones offset, offset+1, ... (mod zones).
func balanced(n, zones, offset int) []int {
	out := make([]int, zones)
	for z := range out {
		out[z] = n / zones
	}
	for k := range n % zones {
		out[(offset+k)%zones]++
	}
	return out
}

// demand is every workload's replicas and per-zone slots at one instant.
type demand struct {
	replicas []int   // per workload
	slots    [][]int // per workload, per zone of its pool; nil without pool
}

// demandAt computes the demand for the replicas given per workload.
func (s *solver) demandAt(replicas []int) demand {
	d := demand{replicas: replicas, slots: make([][]int, len(replicas))}
	for i, w := range s.p.Workloads {
		if pi := s.assign[i].pool; pi >= 0 {
			d.slots[i] = zoneSlots(w, replicas[i], len(s.p.Pools[pi].Zones), i, s.p.Headroom)
		}
	}
	return d
}

// replicasAt returns each workload's replicas at t (peak for zero t).
func (s *solver) replicasAt(t time.Time) []int {
	out := make([]int, len(s.p.Workloads))
	for i, w := range s.p.Workloads {
		out[i] = w.Replicas.At(t)
	}
	return out
}

// formatBytes writes a byte count with a binary suffix when exact.
func formatBytes(b int64) string {
	for _, u := range []struct {
		s string
		n int64
	}{{"Ti", 1 << 40}, {"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if b >= u.n && b%u.n == 0 {
			return fmt.Sprintf("%d%s", b/u.n, u.s)
		}
	}
	return fmt.Sprintf("%d bytes", b)
}
