package capacity

import "slices"

// compare integrates the three strategies over the steps and computes the
// savings. sums are the steps' summaries.
func (tl *Timeline) compare(s *solver, sums []Summary) {
	tl.Predictive = newStrategy()
	tl.StaticPeak = newStrategy()
	current := s.currentSummary()
	if current != nil {
		c := newStrategy()
		tl.Current = &c
	}
	for i, st := range tl.Steps {
		h, now := st.Hours, sums[i]
		tl.Predictive.add(h, st.Nodes, now, now)
		tl.StaticPeak.add(h, len(tl.PeakPlan.Nodes), tl.PeakPlan.Summary, now)
		if current != nil {
			tl.Current.add(h, current.nodes, current.sum, now)
		}
	}
	tl.SavingsVsStaticPeak = savings(tl.StaticPeak.Cost, tl.Predictive.Cost)
	if tl.Current != nil {
		sv := savings(tl.Current.Cost, tl.Predictive.Cost)
		tl.SavingsVsCurrent = &sv
	}
	tl.Breakdown = s.breakdown(tl)
}

// newStrategy returns an empty strategy with its units set.
func newStrategy() Strategy {
	return Strategy{CPU: ResourceUse{Unit: "core-hour"}, Memory: ResourceUse{Unit: "GiB-hour"}}
}

// add accumulates hours of a fleet of nodes whose breakdown is fleet while
// the pods of demand run.
func (st *Strategy) add(hours float64, nodes int, fleet, demand Summary) {
	st.NodeHours += hours * float64(nodes)
	st.CPU.add(hours, fleet.CPU, demand.CPU.Requested)
	st.Memory.add(hours, fleet.Memory, demand.Memory.Requested)
	st.Cost = st.CPU.Cost + st.Memory.Cost
}

// add integrates one step of a fleet's resource cost with requested units
// requested, priced at the fleet's average unit price.
func (u *ResourceUse) add(hours float64, fleet ResourceCost, requested float64) {
	u.Allocatable += hours * fleet.Allocatable
	u.Requested += hours * requested
	u.Overhead += hours * fleet.Overhead
	u.Cost += hours * fleet.CostPerHour
	req := requested * fleet.PricePerUnitHour
	over := fleet.Overhead * fleet.PricePerUnitHour
	u.RequestedCost += hours * req
	u.OverheadCost += hours * over
	u.IdleCost += hours * (fleet.CostPerHour - req - over)
}

// savings compares a baseline cost to the predictive one.
func savings(baseline, predictive float64) Savings {
	sv := Savings{Dollars: baseline - predictive}
	if baseline > 0 {
		sv.Percent = 100 * sv.Dollars / baseline
	}
	return sv
}

// fleet is a priced inventory.
type fleet struct {
	nodes int
	sum   Summary
}

// currentSummary prices Problem.Current, or returns nil without it.
func (s *solver) currentSummary() *fleet {
	if len(s.p.Current) == 0 {
		return nil
	}
	out := &fleet{}
	ps := &poolSummary{}
	for _, n := range s.p.Current {
		pool := findPool(s.p.Pools, n.Pool)
		t := slices.IndexFunc(pool.InstanceTypes, func(it InstanceType) bool { return it.Name == n.InstanceType })
		for range n.Count {
			s.addNode(ps, *pool, slices.Index(pool.Zones, n.Zone), &bin{t: t}, nil)
		}
		out.nodes += n.Count
	}
	out.sum = Summary{CPU: ps.cpu, Memory: ps.mem}
	out.sum.CPU.finish()
	out.sum.Memory.finish()
	return out
}
