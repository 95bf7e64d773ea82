package capacity

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Timeline is the plan over a horizon, and what it saves against holding
// the peak's nodes (static peak) and against today's inventory (current).
type Timeline struct {
	// Steps are the plans of the instants, summarised.
	Steps []Step `json:"steps"`
	// HorizonHours is the total duration of the steps.
	HorizonHours float64 `json:"horizon_hours"`
	// Predictive follows the steps' plans.
	Predictive Strategy `json:"predictive"`
	// StaticPeak holds PeakPlan's nodes for the whole horizon.
	StaticPeak Strategy `json:"static_peak"`
	// Current holds Problem.Current for the whole horizon; nil without it.
	Current *Strategy `json:"current,omitempty"`
	// PeakPlan packs every workload's largest replicas over the steps.
	PeakPlan Plan `json:"peak_plan"`
	// SavingsVsStaticPeak and SavingsVsCurrent compare Predictive to the
	// other strategies.
	SavingsVsStaticPeak Savings  `json:"savings_vs_static_peak"`
	SavingsVsCurrent    *Savings `json:"savings_vs_current,omitempty"`
	// Breakdown compares the strategies' costs per pool, zone and
	// business line.
	Breakdown Breakdown `json:"breakdown"`
}

// Step is the plan of one instant.
type Step struct {
	// At is the instant packed.
	At time.Time `json:"at"`
	// Hours is how long the step's plan holds: until the next instant (the
	// last step lasts as long as the one before it, or 1 hour alone).
	Hours float64 `json:"hours"`
	// Nodes, CostPerHour ($/hour) and LowerBoundCostPerHour are the plan's.
	Nodes                 int     `json:"nodes"`
	CostPerHour           float64 `json:"cost_per_hour"`
	LowerBoundCostPerHour float64 `json:"lower_bound_cost_per_hour"`
	// Unplaceable counts the pods left out.
	Unplaceable int `json:"unplaceable"`
	// Pools breaks the nodes down per pool.
	Pools []PoolStep `json:"pools"`
	// Zones and BusinessLines break the cost down per zone and per
	// business line, as Summary.ByZone and Summary.ByBusinessLine do.
	Zones         []CostLine `json:"zones"`
	BusinessLines []CostLine `json:"business_lines"`
	// Utilization is the step's requests over its nodes' allocatable.
	Utilization Utilization `json:"utilization"`
}

// PoolStep is one pool's nodes in a step.
type PoolStep struct {
	// Pool names the pool.
	Pool string `json:"pool"`
	// Nodes and CostPerHour ($/hour) are the pool's in the step.
	Nodes       int     `json:"nodes"`
	CostPerHour float64 `json:"cost_per_hour"`
	// InstanceTypes counts the nodes per type.
	InstanceTypes []CostLine `json:"instance_types"`
}

// Strategy is the cost of one way of provisioning over the horizon.
type Strategy struct {
	// Cost is in $ over the horizon (price × hours, summed).
	Cost float64 `json:"cost"`
	// NodeHours is nodes × hours, summed.
	NodeHours float64 `json:"node_hours"`
	// CPU and Memory split Cost per resource, in core-hours and GiB-hours
	// and $; Requested is what the steps' pods request, the same for every
	// strategy.
	CPU    ResourceUse `json:"cpu"`
	Memory ResourceUse `json:"memory"`
}

// ResourceUse is a ResourceCost integrated over time.
type ResourceUse struct {
	// Unit is "core-hour" or "GiB-hour".
	Unit string `json:"unit"`
	// Allocatable, Requested and Overhead are amounts in Unit.
	Allocatable float64 `json:"allocatable"`
	Requested   float64 `json:"requested"`
	Overhead    float64 `json:"overhead"`
	// Cost is the resource's part of the node prices, $; RequestedCost,
	// OverheadCost and IdleCost are its parts, priced at each step's
	// average price per unit-hour.
	Cost          float64 `json:"cost"`
	RequestedCost float64 `json:"requested_cost"`
	OverheadCost  float64 `json:"overhead_cost"`
	IdleCost      float64 `json:"idle_cost"`
}

// Savings is what Predictive saves against a baseline.
type Savings struct {
	// Dollars is baseline cost minus predictive cost, $ over the horizon.
	Dollars float64 `json:"dollars"`
	// Percent is Dollars as a percentage of the baseline's cost.
	Percent float64 `json:"percent"`
}

// PlanTimeline packs the replicas at each instant of times (strictly
// increasing), and compares following these plans to static-peak
// provisioning and to the current inventory. Pools whose demand does not
// change between instants are packed once. p.At is ignored. Errors wrap
// ErrInvalidProblem, ErrNoTimes or ErrTimesOrder, or are the context's.
func PlanTimeline(ctx context.Context, p Problem, times []time.Time) (Timeline, error) {
	if err := checkTimes(times); err != nil {
		return Timeline{}, err
	}
	s, err := newSolver(p)
	if err != nil {
		return Timeline{}, err
	}
	return s.timeline(ctx, times)
}

// timeline packs each instant, then the peak, and compares.
func (s *solver) timeline(ctx context.Context, times []time.Time) (Timeline, error) {
	peak := make([]int, len(s.p.Workloads))
	tl := Timeline{Steps: make([]Step, len(times))}
	sums := make([]Summary, len(times))
	for i, at := range times {
		d := s.demandAt(s.replicasAt(at))
		for w, n := range d.replicas {
			peak[w] = max(peak[w], n)
		}
		res, err := s.solve(ctx, d)
		if err != nil {
			return Timeline{}, err
		}
		tl.Steps[i], sums[i] = s.step(at, stepHours(times, i), d, res)
		tl.HorizonHours += tl.Steps[i].Hours
	}
	pd := s.demandAt(peak)
	pres, err := s.solve(ctx, pd)
	if err != nil {
		return Timeline{}, err
	}
	tl.PeakPlan = s.plan(time.Time{}, pd, pres)
	tl.compare(s, sums)
	return tl, nil
}

// checkTimes requires at least one instant, strictly increasing.
func checkTimes(times []time.Time) error {
	if len(times) == 0 {
		return ErrNoTimes
	}
	for i := 1; i < len(times); i++ {
		if !times[i].After(times[i-1]) {
			return fmt.Errorf("%w: step %d (%s) is not after step %d", ErrTimesOrder, i, times[i].Format(time.RFC3339), i-1)
		}
	}
	return nil
}

// stepHours is the duration of step i in hours.
func stepHours(times []time.Time, i int) float64 {
	switch {
	case i+1 < len(times):
		return times[i+1].Sub(times[i]).Hours()
	case i > 0:
		return times[i].Sub(times[i-1]).Hours()
	}
	return 1
}

// step summarises the packed pools of one instant.
func (s *solver) step(at time.Time, hours float64, d demand, res []*poolResult) (Step, Summary) {
	st := Step{At: at, Hours: hours, Pools: make([]PoolStep, len(res))}
	for _, u := range s.unplaceable(d, res) {
		st.Unplaceable += u.Count
	}
	for pi, r := range res {
		ps := s.summary(pi, r)
		st.Pools[pi] = PoolStep{Pool: s.p.Pools[pi].Name, Nodes: ps.nodes, CostPerHour: r.cost, InstanceTypes: slices.Clone(ps.types.list())}
		st.Nodes += ps.nodes
		st.CostPerHour += r.cost
		st.LowerBoundCostPerHour += r.bound
	}
	sum := s.summarize(res)
	st.Zones, st.BusinessLines, st.Utilization = sum.ByZone, sum.ByBusinessLine, sum.Utilization
	return st, sum
}
