package capacity

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// plan turns packed pools into a Plan.
func (s *solver) plan(at time.Time, d demand, results []*poolResult) Plan {
	pl := Plan{At: at, Nodes: []Node{}, Unplaceable: s.unplaceable(d, results),
		Bound: BoundMethod{Method: BoundMethodColumnGeneration}}
	for pi, r := range results {
		pool := s.p.Pools[pi]
		pl.Pools = append(pl.Pools, PoolPlan{Name: pool.Name, BusinessLines: slices.Clone(pool.BusinessLines),
			Zones: slices.Clone(pool.Zones), InstanceTypes: slices.Clone(pool.InstanceTypes), Overhead: pool.Overhead})
		for z, zr := range r.zones {
			for k, b := range zr.bins {
				pl.Nodes = append(pl.Nodes, s.node(pi, z, k, b, zr.groups))
			}
		}
		pl.CostPerHour += r.cost
		pl.LowerBoundCostPerHour += r.bound
		pl.Bound.Zones += len(r.zones)
		pl.Bound.Solved += r.solved
	}
	if pl.LowerBoundCostPerHour > 0 {
		pl.Gap = pl.CostPerHour/pl.LowerBoundCostPerHour - 1
	}
	pl.Workloads = s.workloadPlans(d, results)
	pl.Summary = s.summarize(results)
	return pl
}

// node converts one bin.
func (s *solver) node(pi, z, k int, b *bin, groups []group) Node {
	pool := s.p.Pools[pi]
	it := pool.InstanceTypes[b.t]
	n := Node{
		Name: fmt.Sprintf("%s-%s-%d", pool.Name, pool.Zones[z], k+1), Pool: pool.Name, Zone: pool.Zones[z],
		InstanceType: it.Name, PricePerHour: it.PricePerHour, Allocatable: it.Allocatable,
		Usable:    s.types[pi][b.t].cap.resources(),
		Requested: b.used.resources(), Pods: []Pod{},
	}
	for _, item := range b.items {
		g := groups[item.g]
		r := g.req.resources()
		for range item.n {
			n.Pods = append(n.Pods, Pod{Workload: s.p.Workloads[g.w].Name, CPU: r.CPU, Memory: r.Memory})
		}
	}
	return n
}

// unplaceable merges the pods left out by pool assignment and by packing,
// one entry per workload and reason, in workload order.
func (s *solver) unplaceable(d demand, results []*poolResult) []Unplaceable {
	var all []unplaced
	for w, a := range s.assign {
		if a.pool < 0 && d.replicas[w] > 0 {
			all = append(all, unplaced{w: w, n: d.replicas[w], reason: a.reason})
		}
	}
	for _, r := range results {
		all = append(all, r.unplaced...)
	}
	slices.SortStableFunc(all, func(a, b unplaced) int {
		if a.w != b.w {
			return a.w - b.w
		}
		return strings.Compare(a.reason, b.reason)
	})
	out := []Unplaceable{}
	for _, u := range all {
		name := s.p.Workloads[u.w].Name
		if k := len(out) - 1; k >= 0 && out[k].Workload == name && out[k].Reason == u.reason {
			out[k].Count += u.n
			continue
		}
		out = append(out, Unplaceable{Workload: name, Count: u.n, Reason: u.reason})
	}
	return out
}

// workloadPlans reports slots and placed pods per workload and zone, and
// the zone-loss check.
func (s *solver) workloadPlans(d demand, results []*poolResult) []WorkloadPlan {
	out := make([]WorkloadPlan, len(s.p.Workloads))
	for w, wl := range s.p.Workloads {
		wp := WorkloadPlan{Name: wl.Name, BusinessLine: wl.BusinessLine, Replicas: d.replicas[w], Zones: []ZonePlacement{}}
		if pi := s.assign[w].pool; pi >= 0 {
			pool := s.p.Pools[pi]
			wp.Pool = pool.Name
			placed := placedByZone(results[pi], w)
			for z, zone := range pool.Zones {
				wp.Zones = append(wp.Zones, ZonePlacement{Zone: zone, Slots: d.slots[w][z], Placed: placed[z]})
				wp.Slots += d.slots[w][z]
				wp.Placed += placed[z]
			}
			wp.ZoneLoss = zoneLoss(wl, w, d.replicas[w], pool.Zones, placed)
		}
		out[w] = wp
	}
	return out
}

// placedByZone counts workload w's pods in each zone of a packed pool.
func placedByZone(r *poolResult, w int) []int {
	out := make([]int, len(r.zones))
	for z, zr := range r.zones {
		for _, b := range zr.bins {
			for _, it := range b.items {
				if zr.groups[it.g].w == w {
					out[z] += it.n
				}
			}
		}
	}
	return out
}

// zoneLoss checks what losing the worst zone does to a workload: the
// replicas run spread evenly over the zones (capped by the pods placed
// there, the excess going to zones with room), the survivors are compared
// to the PDB's minAvailable, and the other zones' placed pods to the
// replicas. It returns nil for single-zone pools and idle workloads.
func zoneLoss(wl Workload, w, replicas int, zones []string, placed []int) *ZoneLossCheck {
	if len(zones) < 2 || replicas == 0 {
		return nil
	}
	running := balanced(replicas, len(zones), w)
	spill := 0
	for z := range running {
		if running[z] > placed[z] {
			spill += running[z] - placed[z]
			running[z] = placed[z]
		}
	}
	for z := range running {
		add := min(spill, placed[z]-running[z])
		running[z] += add
		spill -= add
	}
	total, slots := 0, 0
	for z := range running {
		total += running[z]
		slots += placed[z]
	}
	worst := indexOfMax(running)
	c := &ZoneLossCheck{WorstZone: zones[worst], Surviving: total - running[worst],
		MinAvailable: wl.MinAvailable.Of(replicas), Recovers: true}
	c.MeetsPDB = c.Surviving >= c.MinAvailable
	for z := range zones {
		if slots-placed[z] < replicas {
			c.Recovers = false
		}
	}
	return c
}
