package planreport

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/report"
)

// WriteHTML writes the result as one self-contained HTML page: headline
// figures, charts of nodes, cost and utilization over time and of the
// savings, then the sections of the other outputs with their tables. Each
// pool, zone and business line has one color in every chart and table,
// and the rows below their PodDisruptionBudget are highlighted.
func WriteHTML(w io.Writer, r *Result) error {
	cc := newCategoryColors(r.Plan)
	secs := sections(r, cc)
	page := report.Page{Title: secs[0].title, Subtitle: secs[0].text[0]}
	if tl := r.Timeline; tl != nil {
		page.Blocks = append(page.Blocks, timelineFigures(tl))
		page.Blocks = append(page.Blocks, report.Heading{Text: "Nodes and cost over time"})
		page.Blocks = append(page.Blocks, timelineCharts(tl, cc)...)
		page.Blocks = append(page.Blocks, report.Heading{Text: "Savings"})
		page.Blocks = append(page.Blocks, savingsCharts(tl, cc))
	} else {
		page.Blocks = append(page.Blocks, headlineFigures(r.Plan))
	}
	for _, s := range secs[1:] {
		page.Blocks = append(page.Blocks, report.Heading{Text: s.title})
		if s.title == "Plan" || s.title == "Peak plan" {
			page.Blocks = append(page.Blocks, planCharts(r.Plan, cc))
		}
		for _, t := range s.text {
			page.Blocks = append(page.Blocks, report.Paragraph{Text: t})
		}
		if s.table != nil {
			page.Blocks = append(page.Blocks, *s.table)
		}
	}
	return page.WriteHTML(w)
}

// timelineFigures are the headline numbers of a timeline.
func timelineFigures(tl *capacity.Timeline) report.Figures {
	pk := tl.PeakPlan
	f := report.Figures{
		{Label: "Predictive", Value: money(tl.Predictive.Cost) + " $", Note: "following each step's plan"},
		{Label: "Static peak", Value: money(tl.StaticPeak.Cost) + " $", Note: fmt.Sprintf("%d nodes throughout", len(pk.Nodes))},
	}
	if tl.Current != nil {
		f = append(f, report.Figure{Label: "Current", Value: money(tl.Current.Cost) + " $", Note: "today's nodes throughout"})
	}
	sv := tl.SavingsVsStaticPeak
	f = append(f, report.Figure{Label: "Saving vs static peak", Value: percent(sv.Percent / 100), Note: money(sv.Dollars) + " $ over " + amount(tl.HorizonHours) + " h"})
	if sv := tl.SavingsVsCurrent; sv != nil {
		f = append(f, report.Figure{Label: "Saving vs current", Value: percent(sv.Percent / 100), Note: money(sv.Dollars) + " $"})
	}
	return f
}

// headlineFigures are the headline numbers of one plan.
func headlineFigures(pl capacity.Plan) report.Figures {
	return report.Figures{
		{Label: "Nodes", Value: strconv.Itoa(len(pl.Nodes))},
		{Label: "Cost", Value: rate(pl.CostPerHour) + " $/h", Note: money(pl.CostPerHour*24*30) + " $ per 30 days"},
		{Label: "Lower bound", Value: rate(pl.LowerBoundCostPerHour) + " $/h", Note: "by column generation over node patterns: the plan is at most " + percent(pl.Gap) + " above the optimum"},
		{Label: "Unplaceable pods", Value: strconv.Itoa(unplaced(pl))},
	}
}

// timelineCharts draw nodes, cost and utilization over the steps, each
// pool, zone and business line in its color.
func timelineCharts(tl *capacity.Timeline, cc categoryColors) []report.Block {
	times := make([]time.Time, len(tl.Steps))
	for i, st := range tl.Steps {
		times[i] = st.At
	}
	var nodes, poolCost []report.Series
	for pi, ps := range tl.Steps[0].Pools {
		n := stepSeries(tl, ps.Pool, func(st capacity.Step) float64 { return float64(st.Pools[pi].Nodes) })
		c := stepSeries(tl, ps.Pool, func(st capacity.Step) float64 { return st.Pools[pi].CostPerHour })
		n.Color, c.Color = cc.pools.color(ps.Pool), cc.pools.color(ps.Pool)
		nodes, poolCost = append(nodes, n), append(poolCost, c)
	}
	overlay := []report.Series{constSeries("static peak", len(times), tl.PeakPlan.CostPerHour)}
	costTitle := "Cost per hour by pool, against the static peak"
	if tl.Current != nil {
		overlay = append(overlay, constSeries("current", len(times), tl.Current.Cost/tl.HorizonHours))
		costTitle += " and today's nodes"
	}
	pct := func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	util := []report.Series{
		stepSeries(tl, "CPU", func(st capacity.Step) float64 { return 100 * st.Utilization.CPU }),
		stepSeries(tl, "memory", func(st capacity.Step) float64 { return 100 * st.Utilization.Memory }),
		stepSeries(tl, "pod slots", func(st capacity.Step) float64 { return 100 * st.Utilization.Pods }),
	}
	return []report.Block{
		&report.TimeChart{Title: "Nodes by pool", Unit: "nodes", Times: times, Series: nodes, Stacked: true, Steps: true},
		&report.TimeChart{Title: costTitle, Unit: "$/h", Times: times,
			Series: poolCost, Stacked: true, Steps: true, Overlay: overlay},
		report.Row{
			&report.TimeChart{Title: "Cost per hour by business line", Unit: "$/h", Times: times, Series: lineSeries(tl, cc.lines, func(st capacity.Step) []capacity.CostLine { return st.BusinessLines }),
				Stacked: true, Steps: true, Width: 560, Height: 220},
			&report.TimeChart{Title: "Cost per hour by zone", Unit: "$/h", Times: times, Series: lineSeries(tl, cc.zones, func(st capacity.Step) []capacity.CostLine { return st.Zones }),
				Stacked: true, Steps: true, Width: 560, Height: 220},
		},
		&report.TimeChart{Title: "Utilization of the planned nodes (requests over allocatable)", Unit: "%", Times: times, Series: util, Steps: true, YMax: 100, Format: pct, Height: 200},
	}
}

// stepSeries is one value per step.
func stepSeries(tl *capacity.Timeline, name string, f func(capacity.Step) float64) report.Series {
	s := report.Series{Name: name, Values: make([]float64, len(tl.Steps))}
	for i, st := range tl.Steps {
		s.Values[i] = f(st)
	}
	return s
}

// constSeries is n copies of v.
func constSeries(name string, n int, v float64) report.Series {
	s := report.Series{Name: name, Values: make([]float64, n)}
	for i := range s.Values {
		s.Values[i] = v
	}
	return s
}

// lineSeries turns the steps' cost lines (per zone or business line) into
// one series per name, in the order names first appear, each in its color
// of colors.
func lineSeries(tl *capacity.Timeline, colors palette, lines func(capacity.Step) []capacity.CostLine) []report.Series {
	var out []report.Series
	at := map[string]int{}
	for i, st := range tl.Steps {
		for _, l := range lines(st) {
			k, ok := at[l.Name]
			if !ok {
				k = len(out)
				at[l.Name] = k
				out = append(out, report.Series{Name: l.Name, Values: make([]float64, len(tl.Steps)), Color: colors.color(l.Name)})
			}
			out[k].Values[i] += l.CostPerHour
		}
	}
	return out
}

// savingsCharts compare the strategies' costs by pool, each in its color,
// and by resource.
func savingsCharts(tl *capacity.Timeline, cc categoryColors) report.Row {
	var names []string
	for _, s := range strategies(tl) {
		names = append(names, s.name)
	}
	dollars := func(v float64) string { return thousands(v, 0) }
	byPool := &report.BarChart{Title: "Cost over the horizon by pool", Unit: "$", Categories: names, Width: 560, Height: 220, Format: dollars}
	for _, l := range tl.Breakdown.ByPool {
		v := []float64{l.Predictive, l.StaticPeak}
		if l.Current != nil {
			v = append(v, *l.Current)
		}
		byPool.Series = append(byPool.Series, report.Series{Name: l.Name, Values: v, Color: cc.pools.color(l.Name)})
	}
	split := &report.BarChart{Title: "Where the money goes: requested, overhead and idle", Unit: "$", Categories: names, Width: 560, Height: 220, Format: dollars}
	parts := []struct {
		name, color string
		f           func(capacity.Strategy) float64
	}{
		{"CPU requested", "#0072B2", func(s capacity.Strategy) float64 { return s.CPU.RequestedCost }},
		{"CPU overhead", "#56B4E9", func(s capacity.Strategy) float64 { return s.CPU.OverheadCost }},
		{"CPU idle", "#C6DBEF", func(s capacity.Strategy) float64 { return s.CPU.IdleCost }},
		{"memory requested", "#D55E00", func(s capacity.Strategy) float64 { return s.Memory.RequestedCost }},
		{"memory overhead", "#E69F00", func(s capacity.Strategy) float64 { return s.Memory.OverheadCost }},
		{"memory idle", "#F5D5B8", func(s capacity.Strategy) float64 { return s.Memory.IdleCost }},
	}
	for _, p := range parts {
		s := report.Series{Name: p.name, Color: p.color}
		for _, st := range strategies(tl) {
			s.Values = append(s.Values, p.f(st.cost))
		}
		split.Series = append(split.Series, s)
	}
	return report.Row{byPool, split}
}

// planCharts draw a plan's nodes by pool and instance type, and its cost
// by business line, each business line's bar in its color.
func planCharts(pl capacity.Plan, cc categoryColors) report.Row {
	var pools, types []string
	count := map[[2]string]float64{}
	for _, n := range pl.Nodes {
		if !slices.Contains(pools, n.Pool) {
			pools = append(pools, n.Pool)
		}
		if !slices.Contains(types, n.InstanceType) {
			types = append(types, n.InstanceType)
		}
		count[[2]string{n.Pool, n.InstanceType}]++
	}
	nodes := &report.BarChart{Title: "Nodes by pool and instance type", Unit: "nodes", Categories: pools, Width: 560, Height: 220}
	for _, t := range types {
		s := report.Series{Name: t}
		for _, p := range pools {
			s.Values = append(s.Values, count[[2]string{p, t}])
		}
		nodes.Series = append(nodes.Series, s)
	}
	cost := &report.BarChart{Title: "Cost per hour by business line", Unit: "$/h", Width: 560, Height: 220}
	for i, l := range pl.Summary.ByBusinessLine {
		cost.Categories = append(cost.Categories, l.Name)
		s := report.Series{Name: l.Name, Values: make([]float64, len(pl.Summary.ByBusinessLine)), Color: cc.lines.color(l.Name)}
		s.Values[i] = l.CostPerHour // one series per line, for its color
		cost.Series = append(cost.Series, s)
	}
	if len(pools) == 0 {
		return nil // no node: nothing to draw
	}
	return report.Row{nodes, cost}
}
