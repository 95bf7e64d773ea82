package capacity

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// maxTimelineSteps bounds the instants a timeline section may expand to.
const maxTimelineSteps = 100_000

// Validate checks the whole planning file and returns every problem found,
// joined, each a *FieldError naming its field.
func (c *Config) Validate() error {
	_, err := c.problem()
	return err
}

// Problem converts the file into a validated Problem (its At is zero: the
// peak). Workloads whose replicas come from spec.workloads[].replicasFrom
// have zero replicas: the caller reads those sources and sets them.
func (c *Config) Problem() (Problem, error) { return c.problem() }

// problem converts and validates in one pass so that every error is found.
func (c *Config) problem() (Problem, error) {
	var errs fieldErrors
	if c.APIVersion != APIVersion {
		errs.add("apiVersion", "must be %q, got %q", APIVersion, c.APIVersion)
	}
	if c.Kind != Kind {
		errs.add("kind", "must be %q, got %q", Kind, c.Kind)
	}
	s := &c.Spec
	if s.PriceBook != nil {
		for _, k := range sortedKeys(s.PriceBook.Prices) {
			if v := s.PriceBook.Prices[k]; !(v > 0) || math.IsInf(v, 0) {
				errs.add(fmt.Sprintf("spec.priceBook.prices[%q]", k), "must be positive, got %g", v)
			}
		}
	}
	p := Problem{CostSplit: CostSplit{CPUShare: s.CostSplit.CPUShare}}
	p.Headroom = s.Headroom.toHeadroom()
	if u := s.Headroom.UtilizationTarget; u != nil && *u == 0 {
		errs.add("spec.headroom.utilizationTarget", "must be in (0, 1], got 0")
	}
	for i, ps := range s.NodePools {
		p.Pools = append(p.Pools, ps.toPool(&errs, fmt.Sprintf("spec.nodePools[%d]", i), s.PriceBook))
	}
	for i, ws := range s.Workloads {
		p.Workloads = append(p.Workloads, ws.toWorkload(&errs, fmt.Sprintf("spec.workloads[%d]", i), s.Timeline != nil))
	}
	for _, n := range s.CurrentNodes {
		p.Current = append(p.Current, NodeCount(n))
	}
	if t := s.Timeline; t != nil {
		t.validate(&errs)
	}
	p.validate(&errs, "spec.")
	return p, errs.err()
}

// toHeadroom applies the defaults: utilization 1, surge on.
func (h HeadroomSpec) toHeadroom() Headroom {
	out := Headroom{ZoneLoss: h.ZoneLoss, UtilizationTarget: 1, RolloutSurge: true}
	if h.UtilizationTarget != nil {
		out.UtilizationTarget = *h.UtilizationTarget
	}
	if h.RolloutSurge != nil {
		out.RolloutSurge = *h.RolloutSurge
	}
	return out
}

// toPool converts a pool, resolving prices from the price book.
func (ps NodePoolSpec) toPool(errs *fieldErrors, path string, book *PriceBookSpec) Pool {
	pool := Pool{
		Name: ps.Name, BusinessLines: ps.BusinessLines, Zones: ps.Zones,
		MinNodes: ps.MinNodes, MaxNodes: ps.MaxNodes, Overhead: ps.Overhead.toResources(),
	}
	for j, it := range ps.InstanceTypes {
		t := InstanceType{Name: it.Name, Allocatable: it.Allocatable.toResources()}
		switch {
		case it.PricePerHour != nil:
			t.PricePerHour = *it.PricePerHour
		case book != nil && book.Prices[it.Name] > 0:
			t.PricePerHour = book.Prices[it.Name]
		default:
			errs.add(fmt.Sprintf("%s.instanceTypes[%d].pricePerHour", path, j), "missing, and the price book has no price for %q", it.Name)
			t.PricePerHour = math.NaN() // reported above; skipped by validate
		}
		pool.InstanceTypes = append(pool.InstanceTypes, t)
	}
	return pool
}

// toResources rounds memory up to whole bytes.
func (r ResourcesSpec) toResources() Resources {
	return Resources{CPU: float64(r.CPU), Memory: ceilBytes(float64(r.Memory)), Pods: r.Pods}
}

// toWorkload converts a workload and checks its YAML-only fields; timeline
// reports a spec.timeline section. A workload with ReplicasFrom gets zero
// replicas, for the caller to resolve.
func (ws WorkloadSpec) toWorkload(errs *fieldErrors, path string, timeline bool) Workload {
	w := Workload{
		Name: ws.Name, BusinessLine: ws.BusinessLine, NodePool: ws.NodePool,
		Requests: Resources{CPU: float64(ws.Requests.CPU), Memory: ceilBytes(float64(ws.Requests.Memory))},
		MaxSurge: ws.MaxSurge,
	}
	switch {
	case ws.Replicas != nil && ws.ReplicasFrom != nil:
		errs.add(path+".replicasFrom", "give replicas or replicasFrom, not both")
	case ws.Replicas != nil:
		w.Replicas = *ws.Replicas
	case ws.ReplicasFrom != nil:
		ws.ReplicasFrom.validate(errs, path+".replicasFrom", timeline)
	default:
		errs.add(path+".replicas", "required, or replicasFrom")
	}
	if ws.ZoneSpread != nil {
		w.MaxSkew = ws.ZoneSpread.MaxSkew
		if ws.ZoneSpread.MaxSkew < 1 {
			errs.add(path+".zoneSpread.maxSkew", "must be at least 1, got %d", ws.ZoneSpread.MaxSkew)
		}
	}
	switch ws.AntiAffinity {
	case "":
	case "hostname":
		w.AntiAffinity = true
	default:
		errs.add(path+".antiAffinity", "must be \"hostname\" or absent, got %q", ws.AntiAffinity)
	}
	if ws.PDB != nil {
		w.MinAvailable = ws.PDB.MinAvailable
	}
	return w
}

// ceilBytes rounds a byte amount up, forgiving float noise.
func ceilBytes(v float64) int64 {
	if v <= 0 || math.IsNaN(v) {
		return int64(v)
	}
	if v >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(math.Ceil(v - 1e-6))
}

// validate checks the timeline grid.
func (t *TimelineSpec) validate(errs *fieldErrors) {
	switch {
	case t.Start.IsZero() || t.End.IsZero():
		errs.add("spec.timeline", "needs start and end")
	case !t.End.After(t.Start):
		errs.add("spec.timeline.end", "must be after start")
	case t.Step <= 0:
		errs.add("spec.timeline.step", "must be positive")
	case t.End.Sub(t.Start)/time.Duration(t.Step) > maxTimelineSteps:
		errs.add("spec.timeline.step", "gives more than %d steps", maxTimelineSteps)
	}
}

// Times returns the timeline's instants, or nil without a timeline section.
func (c *Config) Times() []time.Time {
	t := c.Spec.Timeline
	if t == nil || t.Step <= 0 {
		return nil
	}
	var out []time.Time
	for at := t.Start; at.Before(t.End) && len(out) < maxTimelineSteps; at = at.Add(time.Duration(t.Step)) {
		out = append(out, at)
	}
	return out
}

// Validate checks p and returns every problem found, joined, each a
// *FieldError whose path uses the planning file's names.
func (p Problem) Validate() error {
	var errs fieldErrors
	p.validate(&errs, "")
	return errs.err()
}

// validate checks pools, workloads, headroom and the current inventory.
func (p Problem) validate(errs *fieldErrors, prefix string) {
	if u := p.Headroom.UtilizationTarget; !(u >= 0 && u <= 1) {
		errs.add(prefix+"headroom.utilizationTarget", "must be in (0, 1], got %g", u)
	}
	if s := p.CostSplit.CPUShare; !(s >= 0 && s < 1) {
		errs.add(prefix+"costSplit.cpuShare", "must be in (0, 1), or 0 to derive it from instance prices, got %g", s)
	}
	if p.Deadline < 0 {
		errs.add(prefix+"deadline", "must not be negative, got %s", p.Deadline)
	}
	if len(p.Pools) == 0 {
		errs.add(prefix+"nodePools", "at least one node pool is required")
	}
	seen := map[string]bool{}
	for i, pool := range p.Pools {
		path := fmt.Sprintf("%snodePools[%d]", prefix, i)
		if pool.Name != "" && seen[pool.Name] {
			errs.add(path+".name", "duplicate pool %q", pool.Name)
		}
		seen[pool.Name] = true
		pool.validate(errs, path, p.Headroom)
	}
	if len(p.Workloads) == 0 {
		errs.add(prefix+"workloads", "at least one workload is required")
	}
	names := map[string]bool{}
	for i, w := range p.Workloads {
		path := fmt.Sprintf("%sworkloads[%d]", prefix, i)
		if w.Name != "" && names[w.Name] {
			errs.add(path+".name", "duplicate workload %q", w.Name)
		}
		names[w.Name] = true
		w.validate(errs, path, p.Pools)
	}
	for i, n := range p.Current {
		validateCurrent(errs, fmt.Sprintf("%scurrentNodes[%d]", prefix, i), n, p.Pools)
	}
}

// validateCurrent checks one inventory entry against the pools.
func validateCurrent(errs *fieldErrors, path string, n NodeCount, pools []Pool) {
	if n.Count < 0 {
		errs.add(path+".count", "must not be negative, got %d", n.Count)
	}
	pool := findPool(pools, n.Pool)
	if pool == nil {
		errs.add(path+".pool", "no node pool %q", n.Pool)
		return
	}
	if !slices.Contains(pool.Zones, n.Zone) {
		errs.add(path+".zone", "pool %q has no zone %q", n.Pool, n.Zone)
	}
	if !slices.ContainsFunc(pool.InstanceTypes, func(t InstanceType) bool { return t.Name == n.InstanceType }) {
		errs.add(path+".instanceType", "pool %q offers no instance type %q", n.Pool, n.InstanceType)
	}
}

// findPool returns the pool called name, or nil.
func findPool(pools []Pool, name string) *Pool {
	for i := range pools {
		if pools[i].Name == name {
			return &pools[i]
		}
	}
	return nil
}
