package planreport

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/report"
)

// sections lays a plan run out as the sections the table, markdown and
// HTML outputs share; the tables' columns naming pools, zones and business
// lines carry their colors in cc.
func sections(r *Result, cc categoryColors) []section {
	out := []section{{title: "Capacity plan " + r.Name, text: []string{describe(r)}}}
	if tl := r.Timeline; tl != nil {
		out = append(out, strategySection(tl), splitSection(tl))
		out = append(out, breakdownSection("Cost by pool", "pool", tl.Breakdown.ByPool, tl.Current != nil, cc.pools))
		out = append(out, breakdownSection("Cost by zone", "zone", tl.Breakdown.ByZone, tl.Current != nil, cc.zones))
		out = append(out, breakdownSection("Cost by business line", "business line", tl.Breakdown.ByBusinessLine, tl.Current != nil, cc.lines))
	}
	out = append(out, nodesSection(r, cc), workloadsSection(r.Plan, cc))
	if len(r.Plan.Unplaceable) > 0 {
		out = append(out, unplaceableSection(r.Plan))
	}
	if len(r.Sources) > 0 {
		out = append(out, sourcesSection(r.Sources))
	}
	if r.Cluster != nil {
		out = append(out, clusterSection(r.Cluster, cc), daemonSetsSection(r.Cluster), fitSection(r.Cluster, cc))
	}
	if r.Timeline != nil {
		out = append(out, stepsSection(r.Timeline))
	}
	return out
}

// describe says what was planned.
func describe(r *Result) string {
	const layout = "2006-01-02 15:04 MST"
	switch {
	case r.Timeline != nil:
		tl := r.Timeline
		first, last := tl.Steps[0], tl.Steps[len(tl.Steps)-1]
		end := last.At.Add(time.Duration(last.Hours * float64(time.Hour)))
		return fmt.Sprintf("%d steps from %s to %s (%s hours); the peak plan packs every workload's largest replicas over the steps.",
			len(tl.Steps), first.At.UTC().Format(layout), end.UTC().Format(layout), amount(tl.HorizonHours))
	case !r.At.IsZero():
		return "The replicas at " + r.At.UTC().Format(layout) + "."
	}
	return "Every workload's peak replicas (the planning file has no timeline)."
}

// strategySection compares the strategies' totals.
func strategySection(tl *capacity.Timeline) section {
	t := &report.Table{Columns: []report.Column{
		{Title: "strategy"}, {Title: "cost $", Numeric: true}, {Title: "node-hours", Numeric: true},
		{Title: "CPU core-hours", Numeric: true}, {Title: "memory GiB-hours", Numeric: true},
		{Title: "idle $", Numeric: true}, {Title: "predictive saves", Numeric: true},
	}}
	for _, s := range strategies(tl) {
		save := "-"
		if s.name != "predictive" {
			save = money(s.cost.Cost-tl.Predictive.Cost) + " $ (" + percent(saving(s.cost.Cost, tl.Predictive.Cost)) + ")"
		}
		t.Rows = append(t.Rows, []string{s.name, money(s.cost.Cost), amount(s.cost.NodeHours), amount(s.cost.CPU.Allocatable),
			amount(s.cost.Memory.Allocatable), money(s.cost.CPU.IdleCost + s.cost.Memory.IdleCost), save})
	}
	text := []string{fmt.Sprintf("Following the plan of each step (predictive) costs %s $; holding the peak plan's nodes throughout (static peak) costs %s $.",
		money(tl.Predictive.Cost), money(tl.StaticPeak.Cost))}
	if tl.Current != nil {
		text = append(text, fmt.Sprintf("Today's nodes (current) cost %s $ over the same hours.", money(tl.Current.Cost)))
	}
	return section{title: "Cost over the horizon", text: text, table: t}
}

// strategyCost is a strategy with its name.
type strategyCost struct {
	name string
	cost capacity.Strategy
}

// strategies lists predictive, static peak and current (when known).
func strategies(tl *capacity.Timeline) []strategyCost {
	out := []strategyCost{{"predictive", tl.Predictive}, {"static peak", tl.StaticPeak}}
	if tl.Current != nil {
		out = append(out, strategyCost{"current", *tl.Current})
	}
	return out
}

// saving returns what predictive saves as a fraction of baseline.
func saving(baseline, predictive float64) float64 {
	if baseline <= 0 {
		return 0
	}
	return (baseline - predictive) / baseline
}

// splitSection splits each strategy's cost into requested, overhead and
// idle CPU and memory.
func splitSection(tl *capacity.Timeline) section {
	t := &report.Table{Columns: []report.Column{
		{Title: "strategy"}, {Title: "CPU requested $", Numeric: true}, {Title: "CPU overhead $", Numeric: true}, {Title: "CPU idle $", Numeric: true},
		{Title: "memory requested $", Numeric: true}, {Title: "memory overhead $", Numeric: true}, {Title: "memory idle $", Numeric: true},
		{Title: "idle", Numeric: true},
	}}
	for _, s := range strategies(tl) {
		c, m := s.cost.CPU, s.cost.Memory
		t.Rows = append(t.Rows, []string{s.name, money(c.RequestedCost), money(c.OverheadCost), money(c.IdleCost),
			money(m.RequestedCost), money(m.OverheadCost), money(m.IdleCost), percent(ratio(c.IdleCost+m.IdleCost, s.cost.Cost))})
	}
	text := []string{fmt.Sprintf("Each node's price is split between its CPU and its memory, then between what pods request, the pools' overhead (daemonsets, reserves) and what stays idle. The pods request %s core-hours and %s GiB-hours.",
		amount(tl.Predictive.CPU.Requested), amount(tl.Predictive.Memory.Requested))}
	return section{title: "Where the money goes", text: text, table: t}
}

// breakdownSection compares the strategies per pool, zone or business
// line, with totals; colors are the colors of their kind.
func breakdownSection(title, what string, lines []capacity.StrategyCosts, current bool, colors palette) section {
	cols := []report.Column{{Title: what, Colors: colors}, {Title: "predictive $", Numeric: true}, {Title: "static peak $", Numeric: true}, {Title: "saves", Numeric: true}}
	if current {
		cols = append(cols, report.Column{Title: "current $", Numeric: true}, report.Column{Title: "saves", Numeric: true})
	}
	t := &report.Table{Columns: cols}
	var total capacity.StrategyCosts
	var totalCurrent float64
	row := func(l capacity.StrategyCosts, cur float64) []string {
		r := []string{l.Name, money(l.Predictive), money(l.StaticPeak), percent(saving(l.StaticPeak, l.Predictive))}
		if current {
			r = append(r, money(cur), percent(saving(cur, l.Predictive)))
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
	return section{title: title + " over the horizon", table: t}
}

// nodesSection lists the plan's nodes per pool, zone and instance type.
func nodesSection(r *Result, cc categoryColors) section {
	pl := r.Plan
	title := "Plan"
	if r.Timeline != nil {
		title = "Peak plan"
	}
	u := pl.Summary.Utilization
	text := []string{fmt.Sprintf("%d nodes, %s $/hour; lower bound %s $/hour, so at most %s above the cheapest placement. %d pods unplaceable. Requests use %s of the allocatable CPU, %s of the memory and %s of the pod slots; the req. columns compare them with what pods may use (allocatable less overhead, under the utilization target).",
		len(pl.Nodes), rate(pl.CostPerHour), rate(pl.LowerBoundCostPerHour), percent(pl.Gap), unplaced(pl), percent(u.CPU), percent(u.Memory), percent(u.Pods)),
		boundText(pl)}
	groups, zones := groupNodes(pl.Nodes)
	cols := []report.Column{{Title: "pool", Colors: cc.pools}, {Title: "instance type"}}
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
		t.Rows = append(t.Rows, append(row, strconv.Itoa(g.nodes), rate(g.cost), strconv.Itoa(g.pods),
			percent(ratio(g.cpu, g.cpuUsable)), percent(ratio(float64(g.mem), float64(g.memUsable)))))
	}
	footer := []string{"total", ""}
	for _, z := range zones {
		n := 0
		for _, g := range groups {
			n += g.byZone[z]
		}
		footer = append(footer, strconv.Itoa(n))
	}
	t.Footer = [][]string{append(footer, strconv.Itoa(len(pl.Nodes)), rate(pl.CostPerHour))}
	return section{title: title, text: text, table: t}
}

// ratio returns a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// unplaced sums the unplaceable pods.
func unplaced(pl capacity.Plan) int {
	n := 0
	for _, u := range pl.Unplaceable {
		n += u.Count
	}
	return n
}

// nodeGroup is the nodes of one pool and instance type.
type nodeGroup struct {
	pool, typ            string
	byZone               map[string]int
	nodes, pods          int
	cost, cpu, cpuUsable float64
	mem, memUsable       int64
}

// groupNodes groups nodes by pool and instance type, pools in plan order
// and types by name, and lists the zones in plan order.
func groupNodes(nodes []capacity.Node) ([]nodeGroup, []string) {
	var out []nodeGroup
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
			out = append(out, nodeGroup{pool: n.Pool, typ: n.InstanceType, byZone: map[string]int{}})
		}
		g := &out[i]
		g.byZone[n.Zone]++
		g.nodes++
		g.pods += len(n.Pods)
		g.cost += n.PricePerHour
		g.cpu, g.cpuUsable = g.cpu+n.Requested.CPU, g.cpuUsable+n.Usable.CPU
		g.mem, g.memUsable = g.mem+n.Requested.Memory, g.memUsable+n.Usable.Memory
	}
	slices.SortStableFunc(out, func(a, b nodeGroup) int {
		return cmp.Or(cmp.Compare(poolRank[a.pool], poolRank[b.pool]), cmp.Compare(a.typ, b.typ))
	})
	return out, zones
}

// boundText says how the lower bound was computed and what its gap
// proves.
func boundText(pl capacity.Plan) string {
	b := pl.Bound
	return fmt.Sprintf("The lower bound is computed by %s; the LP was solved (to 0.1 %%) in %d of %d zones (in the others the bound is the best valid one found within the round limit). No placement of these pods costs less, so the plan is proven within %s of the optimum.",
		b.Method, b.Solved, b.Zones, percent(pl.Gap))
}
