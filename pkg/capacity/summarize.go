package capacity

// poolSummary is the cost breakdown of one packed pool, computed once per
// poolResult and merged into plan and timeline summaries.
type poolSummary struct {
	nodes     int
	zones     lines
	types     lines
	bls       lines
	cpu, mem  ResourceCost
	podsAlloc int
	podsUsed  int
}

// summary returns the pool's breakdown, computing it on first use.
func (s *solver) summary(pi int, r *poolResult) *poolSummary {
	if r.sum != nil {
		return r.sum
	}
	pool := s.p.Pools[pi]
	ps := &poolSummary{}
	for z, zr := range r.zones {
		for _, b := range zr.bins {
			s.addNode(ps, pool, z, b, zr.groups)
		}
	}
	r.sum = ps
	return ps
}

// addNode adds one node's price, resources and attribution to ps.
func (s *solver) addNode(ps *poolSummary, pool Pool, z int, b *bin, groups []group) {
	it := pool.InstanceTypes[b.t]
	price := it.PricePerHour
	ps.nodes++
	ps.zones.add(pool.Zones[z], 1, price)
	ps.types.add(it.Name, 1, price)
	cores, gibs := it.Allocatable.CPU, float64(it.Allocatable.Memory)/gib
	cpuPart := price * s.split.cpuShare(it.Allocatable)
	cpuUnit, memUnit := cpuPart/cores, (price-cpuPart)/gibs
	ps.cpu.add(resourceCost(cpuPart, cpuUnit, cores, float64(b.used[0])/1000, pool.Overhead.CPU))
	ps.mem.add(resourceCost(price-cpuPart, memUnit, gibs, float64(b.used[1])/gib, float64(pool.Overhead.Memory)/gib))
	ps.podsAlloc += it.Allocatable.Pods
	ps.podsUsed += int(b.used[2])
	s.attribute(ps, pool, b, groups, price, cpuUnit, memUnit)
}

// resourceCost splits part ($/hour) of a node into requested, overhead and
// idle cost at unit $ per unit-hour.
func resourceCost(part, unit, alloc, requested, overhead float64) ResourceCost {
	return ResourceCost{
		Allocatable: alloc, Requested: requested, Overhead: overhead,
		CostPerHour: part, RequestedCostPerHour: requested * unit, OverheadCostPerHour: overhead * unit,
		IdleCostPerHour: part - (requested+overhead)*unit,
	}
}

// attribute shares a node's price among the business lines of its pods in
// proportion to their requests' cost, or equally among the pool's business
// lines when the node is empty.
func (s *solver) attribute(ps *poolSummary, pool Pool, b *bin, groups []group, price, cpuUnit, memUnit float64) {
	total := 0.0
	for _, it := range b.items {
		r := groups[it.g].req
		total += float64(it.n) * (float64(r[0])/1000*cpuUnit + float64(r[1])/gib*memUnit)
	}
	if total <= 0 {
		for _, bl := range pool.BusinessLines {
			ps.bls.add(bl, 0, price/float64(len(pool.BusinessLines)))
		}
		return
	}
	for _, it := range b.items {
		r := groups[it.g].req
		c := float64(it.n) * (float64(r[0])/1000*cpuUnit + float64(r[1])/gib*memUnit)
		ps.bls.add(s.p.Workloads[groups[it.g].w].BusinessLine, 0, price*c/total)
	}
}

// summarize merges the pools' breakdowns into a Summary.
func (s *solver) summarize(results []*poolResult) Summary {
	var pools, zones, types, bls lines
	out := Summary{CPU: ResourceCost{Unit: "core"}, Memory: ResourceCost{Unit: "GiB"}}
	podsAlloc, podsUsed := 0, 0
	for pi, r := range results {
		ps := s.summary(pi, r)
		pools.add(s.p.Pools[pi].Name, ps.nodes, r.cost)
		merge(&zones, ps.zones)
		merge(&types, ps.types)
		merge(&bls, ps.bls)
		out.CPU.add(ps.cpu)
		out.Memory.add(ps.mem)
		podsAlloc += ps.podsAlloc
		podsUsed += ps.podsUsed
	}
	out.CPU.finish()
	out.Memory.finish()
	out.ByPool, out.ByZone, out.ByInstanceType, out.ByBusinessLine = pools.list(), zones.list(), types.list(), bls.list()
	out.Utilization = Utilization{
		CPU: ratio(out.CPU.Requested, out.CPU.Allocatable), Memory: ratio(out.Memory.Requested, out.Memory.Allocatable),
		Pods: ratio(float64(podsUsed), float64(podsAlloc)),
	}
	return out
}

// merge adds every line of src to dst.
func merge(dst *lines, src lines) {
	for _, l := range src.out {
		dst.add(l.Name, l.Nodes, l.CostPerHour)
	}
}

// ratio returns a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
