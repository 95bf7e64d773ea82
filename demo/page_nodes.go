package demo

import (
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/pkg/report"
)

// stepTimes returns the instants of the node plan's steps.
func stepTimes(r Result) []time.Time {
	out := make([]time.Time, len(r.Nodes.Steps))
	for i, s := range r.Nodes.Steps {
		out[i] = s.At
	}
	return out
}

// nodeChart stacks the nodes of each pool and instance type, hour by hour.
func nodeChart(r Result, marks []report.Mark) *report.TimeChart {
	c := &report.TimeChart{Title: "Nodes per instance type for the predictive replicas, each hour packed on its own", Unit: "nodes", Stacked: true, Steps: true,
		Times: stepTimes(r), Location: locOf(r), Marks: marks}
	index := map[string]int{}
	for i, s := range r.Nodes.Steps {
		for _, p := range s.Pools {
			for _, it := range p.InstanceTypes {
				name := p.Pool + " / " + it.Name
				k, ok := index[name]
				if !ok {
					k = len(c.Series)
					index[name] = k
					c.Series = append(c.Series, report.Series{Name: name, Values: make([]float64, len(r.Nodes.Steps))})
				}
				c.Series[k].Values[i] = float64(it.Nodes)
			}
		}
	}
	return c
}

// costChart draws each pool's cost per hour for the predictive replicas
// against the HPA's replicas' and the static peak's.
func costChart(r Result, marks []report.Mark) *report.TimeChart {
	steps := r.Nodes.Steps
	c := &report.TimeChart{Title: "Node cost per hour: predictive replicas vs the HPA's vs static peak (illustrative prices)",
		Unit: "$/hour", Stacked: true, Steps: true, Times: stepTimes(r), Location: locOf(r), Marks: marks,
		Format: func(v float64) string { return fmt.Sprintf("%.2f", v) }}
	index := map[string]int{}
	for i, s := range steps {
		for _, p := range s.Pools {
			k, ok := index[p.Pool]
			if !ok {
				k = len(c.Series)
				index[p.Pool] = k
				c.Series = append(c.Series, report.Series{Name: "predictive, pool " + p.Pool, Values: make([]float64, len(steps))})
			}
			c.Series[k].Values[i] = p.CostPerHour
		}
	}
	static := make([]float64, len(steps))
	for i := range static {
		static[i] = r.Nodes.PeakPlan.CostPerHour
	}
	c.Overlay = []report.Series{{Name: "static peak", Values: static}}
	if hpa, ok := hpaCost(r); ok {
		c.Overlay = append([]report.Series{{Name: "HPA's replicas", Values: hpa, Color: policyColor["reactive"]}}, c.Overlay...)
	}
	return c
}

// hpaCost returns the cost per hour of the HPA's replicas' nodes at the
// predictive plan's steps; false when the plans' steps differ.
func hpaCost(r Result) ([]float64, bool) {
	a, b := r.Nodes.Steps, r.HPANodes.Steps
	if len(a) != len(b) {
		return nil, false
	}
	out := make([]float64, len(a))
	for i := range a {
		if !a[i].At.Equal(b[i].At) {
			return nil, false
		}
		out[i] = b[i].CostPerHour
	}
	return out, true
}

// reasonTable lists the scaler's reasons for its live answer.
func reasonTable(l Live) report.Table {
	t := report.Table{Caption: "Why the scaler answered so", Columns: []report.Column{{Title: "reason"}}}
	for _, reason := range l.Explanation.Reasons {
		t.Rows = append(t.Rows, []string{reason})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []string{"the scaler recorded no reason"})
	}
	return t
}
