package cli

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/report"
)

// planSections lays a plan run out as the sections the table, markdown and
// HTML outputs share.
func planSections(res *planResult) []planSection {
	out := []planSection{{title: "Capacity plan " + res.name, text: []string{describePlanRun(res)}}}
	if tl := res.timeline; tl != nil {
		out = append(out, planStrategySection(tl), planSplitSection(tl))
		out = append(out, planBreakdownSection("Cost by pool", "pool", tl.Breakdown.ByPool, tl.Current != nil))
		out = append(out, planBreakdownSection("Cost by zone", "zone", tl.Breakdown.ByZone, tl.Current != nil))
		out = append(out, planBreakdownSection("Cost by business line", "business line", tl.Breakdown.ByBusinessLine, tl.Current != nil))
	}
	out = append(out, planNodesSection(res), planWorkloadsSection(res.plan))
	if len(res.plan.Unplaceable) > 0 {
		out = append(out, planUnplaceableSection(res.plan))
	}
	if len(res.sources) > 0 {
		out = append(out, planSourcesSection(res.sources))
	}
	if res.cluster != nil {
		out = append(out, planClusterSection(res.cluster), planDaemonSetsSection(res.cluster), planFitSection(res.cluster))
	}
	if res.timeline != nil {
		out = append(out, planStepsSection(res.timeline))
	}
	return out
}

// describePlanRun says what was planned.
func describePlanRun(res *planResult) string {
	const layout = "2006-01-02 15:04 MST"
	switch {
	case res.timeline != nil:
		tl := res.timeline
		first, last := tl.Steps[0], tl.Steps[len(tl.Steps)-1]
		end := last.At.Add(time.Duration(last.Hours * float64(time.Hour)))
		return fmt.Sprintf("%d steps from %s to %s (%s hours); the peak plan packs every workload's largest replicas over the steps.",
			len(tl.Steps), first.At.UTC().Format(layout), end.UTC().Format(layout), planAmount(tl.HorizonHours))
	case !res.at.IsZero():
		return "The replicas at " + res.at.UTC().Format(layout) + "."
	}
	return "Every workload's peak replicas (the planning file has no timeline)."
}

// planStrategySection compares the strategies' totals.
func planStrategySection(tl *capacity.Timeline) planSection {
	t := &report.Table{Columns: []report.Column{
		{Title: "strategy"}, {Title: "cost $", Numeric: true}, {Title: "node-hours", Numeric: true},
		{Title: "CPU core-hours", Numeric: true}, {Title: "memory GiB-hours", Numeric: true},
		{Title: "idle $", Numeric: true}, {Title: "predictive saves", Numeric: true},
	}}
	for _, s := range planStrategies(tl) {
		save := "-"
		if s.name != "predictive" {
			save = planMoney(s.cost.Cost-tl.Predictive.Cost) + " $ (" + planPercent(planSaving(s.cost.Cost, tl.Predictive.Cost)) + ")"
		}
		t.Rows = append(t.Rows, []string{s.name, planMoney(s.cost.Cost), planAmount(s.cost.NodeHours), planAmount(s.cost.CPU.Allocatable),
			planAmount(s.cost.Memory.Allocatable), planMoney(s.cost.CPU.IdleCost + s.cost.Memory.IdleCost), save})
	}
	text := []string{fmt.Sprintf("Following the plan of each step (predictive) costs %s $; holding the peak plan's nodes throughout (static peak) costs %s $.",
		planMoney(tl.Predictive.Cost), planMoney(tl.StaticPeak.Cost))}
	if tl.Current != nil {
		text = append(text, fmt.Sprintf("Today's nodes (current) cost %s $ over the same hours.", planMoney(tl.Current.Cost)))
	}
	return planSection{title: "Cost over the horizon", text: text, table: t}
}

// planStrategyCost is a strategy with its name.
type planStrategyCost struct {
	name string
	cost capacity.Strategy
}

// planStrategies lists predictive, static peak and current (when known).
func planStrategies(tl *capacity.Timeline) []planStrategyCost {
	out := []planStrategyCost{{"predictive", tl.Predictive}, {"static peak", tl.StaticPeak}}
	if tl.Current != nil {
		out = append(out, planStrategyCost{"current", *tl.Current})
	}
	return out
}

// planSaving returns what predictive saves as a fraction of baseline.
func planSaving(baseline, predictive float64) float64 {
	if baseline <= 0 {
		return 0
	}
	return (baseline - predictive) / baseline
}

// planSplitSection splits each strategy's cost into requested, overhead and
// idle CPU and memory.
func planSplitSection(tl *capacity.Timeline) planSection {
	t := &report.Table{Columns: []report.Column{
		{Title: "strategy"}, {Title: "CPU requested $", Numeric: true}, {Title: "CPU overhead $", Numeric: true}, {Title: "CPU idle $", Numeric: true},
		{Title: "memory requested $", Numeric: true}, {Title: "memory overhead $", Numeric: true}, {Title: "memory idle $", Numeric: true},
		{Title: "idle", Numeric: true},
	}}
	for _, s := range planStrategies(tl) {
		c, m := s.cost.CPU, s.cost.Memory
		t.Rows = append(t.Rows, []string{s.name, planMoney(c.RequestedCost), planMoney(c.OverheadCost), planMoney(c.IdleCost),
			planMoney(m.RequestedCost), planMoney(m.OverheadCost), planMoney(m.IdleCost), planPercent(planRatio(c.IdleCost+m.IdleCost, s.cost.Cost))})
	}
	text := []string{fmt.Sprintf("Each node's price is split between its CPU and its memory, then between what pods request, the pools' overhead (daemonsets, reserves) and what stays idle. The pods request %s core-hours and %s GiB-hours.",
		planAmount(tl.Predictive.CPU.Requested), planAmount(tl.Predictive.Memory.Requested))}
	return planSection{title: "Where the money goes", text: text, table: t}
}

// planBreakdownSection compares the strategies per pool, zone or business
// line, with totals.
func planBreakdownSection(title, what string, lines []capacity.StrategyCosts, current bool) planSection {
	cols := []report.Column{{Title: what}, {Title: "predictive $", Numeric: true}, {Title: "static peak $", Numeric: true}, {Title: "saves", Numeric: true}}
	if current {
		cols = append(cols, report.Column{Title: "current $", Numeric: true}, report.Column{Title: "saves", Numeric: true})
	}
	t := &report.Table{Columns: cols}
	var total capacity.StrategyCosts
	var totalCurrent float64
	row := func(l capacity.StrategyCosts, cur float64) []string {
		r := []string{l.Name, planMoney(l.Predictive), planMoney(l.StaticPeak), planPercent(planSaving(l.StaticPeak, l.Predictive))}
		if current {
			r = append(r, planMoney(cur), planPercent(planSaving(cur, l.Predictive)))
		}
		return r
	}
	for _, l := range lines {
		cur := 0.0
		if l.Current != nil {
			cur = *l.Current
		}
		t.Rows = append(t.Rows, row(l, cur))
		total.Predictive, total.StaticPeak, totalCurrent = total.Predictive+l.Predictive, total.StaticPeak+l.StaticPeak, totalCurrent+cur
	}
	total.Name = "total"
	t.Footer = [][]string{row(total, totalCurrent)}
	return planSection{title: title + " over the horizon", table: t}
}

// planNodesSection lists the plan's nodes per pool, zone and instance type.
func planNodesSection(res *planResult) planSection {
	pl := res.plan
	title := "Plan"
	if res.timeline != nil {
		title = "Peak plan"
	}
	u := pl.Summary.Utilization
	text := []string{fmt.Sprintf("%d nodes, %s $/hour; lower bound %s $/hour, so at most %s above the cheapest placement. %d pods unplaceable. Requests use %s of the allocatable CPU, %s of the memory and %s of the pod slots; the req. columns compare them with what pods may use (allocatable less overhead, under the utilization target).",
		len(pl.Nodes), planRate(pl.CostPerHour), planRate(pl.LowerBoundCostPerHour), planPercent(pl.Gap), planUnplaced(pl), planPercent(u.CPU), planPercent(u.Memory), planPercent(u.Pods)),
		planBoundText(pl)}
	groups, zones := groupPlanNodes(pl.Nodes)
	cols := []report.Column{{Title: "pool"}, {Title: "instance type"}}
	for _, z := range zones {
		cols = append(cols, report.Column{Title: z, Numeric: true})
	}
	cols = append(cols, report.Column{Title: "nodes", Numeric: true}, report.Column{Title: "$/hour", Numeric: true}, report.Column{Title: "pods", Numeric: true},
		report.Column{Title: "CPU req.", Numeric: true}, report.Column{Title: "memory req.", Numeric: true})
	t := &report.Table{Columns: cols}
	for _, g := range groups {
		row := []string{g.pool, g.typ}
		for _, z := range zones {
			row = append(row, strconv.Itoa(g.byZone[z]))
		}
		t.Rows = append(t.Rows, append(row, strconv.Itoa(g.nodes), planRate(g.cost), strconv.Itoa(g.pods),
			planPercent(planRatio(g.cpu, g.cpuUsable)), planPercent(planRatio(float64(g.mem), float64(g.memUsable)))))
	}
	footer := []string{"total", ""}
	for _, z := range zones {
		n := 0
		for _, g := range groups {
			n += g.byZone[z]
		}
		footer = append(footer, strconv.Itoa(n))
	}
	t.Footer = [][]string{append(footer, strconv.Itoa(len(pl.Nodes)), planRate(pl.CostPerHour))}
	return planSection{title: title, text: text, table: t}
}

// planRatio returns a/b, or 0 when b is 0.
func planRatio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// planUnplaced sums the unplaceable pods.
func planUnplaced(pl capacity.Plan) int {
	n := 0
	for _, u := range pl.Unplaceable {
		n += u.Count
	}
	return n
}

// planNodeGroup is the nodes of one pool and instance type.
type planNodeGroup struct {
	pool, typ            string
	byZone               map[string]int
	nodes, pods          int
	cost, cpu, cpuUsable float64
	mem, memUsable       int64
}

// groupPlanNodes groups nodes by pool and instance type, pools in plan order
// and types by name, and lists the zones in plan order.
func groupPlanNodes(nodes []capacity.Node) ([]planNodeGroup, []string) {
	var out []planNodeGroup
	var zones []string
	at := map[[2]string]int{}
	poolRank := map[string]int{}
	for _, n := range nodes {
		if _, ok := poolRank[n.Pool]; !ok {
			poolRank[n.Pool] = len(poolRank)
		}
		if !slices.Contains(zones, n.Zone) {
			zones = append(zones, n.Zone)
		}
		k := [2]string{n.Pool, n.InstanceType}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, planNodeGroup{pool: n.Pool, typ: n.InstanceType, byZone: map[string]int{}})
		}
		g := &out[i]
		g.byZone[n.Zone]++
		g.nodes++
		g.pods += len(n.Pods)
		g.cost += n.PricePerHour
		g.cpu, g.cpuUsable = g.cpu+n.Requested.CPU, g.cpuUsable+n.Usable.CPU
		g.mem, g.memUsable = g.mem+n.Requested.Memory, g.memUsable+n.Usable.Memory
	}
	slices.SortStableFunc(out, func(a, b planNodeGroup) int {
		return cmp.Or(cmp.Compare(poolRank[a.pool], poolRank[b.pool]), cmp.Compare(a.typ, b.typ))
	})
	return out, zones
}

// planBoundText says how the lower bound was computed and what its gap
// proves.
func planBoundText(pl capacity.Plan) string {
	b := pl.Bound
	return fmt.Sprintf("The lower bound is computed by %s; the LP was solved (to 0.1 %%) in %d of %d zones (in the others the bound is the best valid one found within the round limit). No placement of these pods costs less, so the plan is proven within %s of the optimum.",
		b.Method, b.Solved, b.Zones, planPercent(pl.Gap))
}
