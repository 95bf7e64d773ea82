package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/report"
)

// planWorkloadsSection says where each workload's replicas went and what the
// loss of its worst zone leaves.
func planWorkloadsSection(pl capacity.Plan) planSection {
	t := &report.Table{Columns: []report.Column{
		{Title: "workload"}, {Title: "business line"}, {Title: "pool"}, {Title: "replicas", Numeric: true},
		{Title: "pods", Numeric: true}, {Title: "placed", Numeric: true},
		{Title: "after zone loss", Numeric: true}, {Title: "PDB min", Numeric: true}, {Title: "zone loss check"},
	}}
	for _, w := range pl.Workloads {
		survive, minAvail, verdict := "-", "-", "-"
		if z := w.ZoneLoss; z != nil {
			survive, minAvail = strconv.Itoa(z.Surviving), strconv.Itoa(z.MinAvailable)
			verdict = planZoneVerdict(z)
		}
		t.Rows = append(t.Rows, []string{w.Name, w.BusinessLine, w.Pool, strconv.Itoa(w.Replicas), strconv.Itoa(w.Slots),
			strconv.Itoa(w.Placed), survive, minAvail, verdict})
	}
	text := []string{"Pods are the replicas plus the rollout surge and the zone-loss headroom. After zone loss: the replicas still running when the worst zone (named when the check fails) is lost, against the PodDisruptionBudget's minAvailable."}
	return planSection{title: "Workloads", text: text, table: t}
}

// planZoneVerdict summarises a zone-loss check.
func planZoneVerdict(z *capacity.ZoneLossCheck) string {
	switch {
	case z.MeetsPDB && z.Recovers:
		return "ok"
	case z.Recovers:
		return "below PDB, recovers (" + z.WorstZone + ")"
	case z.MeetsPDB:
		return "no room to recover (" + z.WorstZone + ")"
	}
	return "below PDB, no room (" + z.WorstZone + ")"
}

// planUnplaceableSection lists the pods without a node.
func planUnplaceableSection(pl capacity.Plan) planSection {
	t := &report.Table{Columns: []report.Column{{Title: "workload"}, {Title: "pods", Numeric: true}, {Title: "reason"}}}
	for _, u := range pl.Unplaceable {
		t.Rows = append(t.Rows, []string{u.Workload, strconv.Itoa(u.Count), u.Reason})
	}
	return planSection{title: "Unplaceable pods", table: t}
}

// planSourcesSection says where forecast and simulated replicas came from.
func planSourcesSection(sources []planSourceInfo) planSection {
	t := &report.Table{Columns: []report.Column{
		{Title: "workload"}, {Title: "source"}, {Title: "file"}, {Title: "model or policy"},
		{Title: "quantile", Numeric: true}, {Title: "demand per pod", Numeric: true}, {Title: "step", Numeric: true},
		{Title: "forecast from"}, {Title: "peak replicas", Numeric: true},
	}}
	for _, s := range sources {
		how, q, per, from := s.Policy+" ("+s.Column+")", "-", "-", "-"
		if s.Kind == "forecast" {
			how, q, per = s.Model, strconv.FormatFloat(s.Quantile, 'f', -1, 64), strconv.FormatFloat(s.CapacityPerPod, 'f', -1, 64)
			if how == "" {
				how = "none (the trace covers the timeline)"
			}
			from = s.ForecastFrom.UTC().Format("2006-01-02 15:04 MST")
		}
		t.Rows = append(t.Rows, []string{s.Workload, s.Kind, filepath.Base(s.File), how, q, per, s.Step, from, strconv.Itoa(s.PeakReplicas)})
	}
	text := []string{"Forecast replicas are ceil(demand / demand per pod) at the forecast's quantile; the trace's own values cover the timeline up to its end."}
	return planSection{title: "Replicas from forecasts and simulations", text: text, table: t}
}

// planClusterSection lists what was read from the cluster: the notes, and each
// Deployment's and StatefulSet's requests against its usage, its autoscaler's
// replica range and its PodDisruptionBudget.
func planClusterSection(c *planClusterInfo) planSection {
	inv := c.inventory
	text := []string{fmt.Sprintf("Read %d nodes, %d Deployments, %d StatefulSets and %d DaemonSets; the priced nodes of the planned pools are the current inventory.",
		len(inv.Nodes), len(inv.Deployments), len(inv.StatefulSets), len(inv.DaemonSets))}
	for _, n := range c.notes() {
		text = append(text, "Note: "+n+".")
	}
	t := &report.Table{Columns: []report.Column{
		{Title: "workload"}, {Title: "business line"}, {Title: "replicas", Numeric: true}, {Title: "ready", Numeric: true},
		{Title: "CPU requested", Numeric: true}, {Title: "CPU used", Numeric: true},
		{Title: "memory requested GiB", Numeric: true}, {Title: "memory used GiB", Numeric: true},
		{Title: "replica range"}, {Title: "PDB"},
	}}
	for _, d := range inv.Deployments {
		t.Rows = append(t.Rows, planClusterRow(d.Namespace+"/"+d.Name, d.BusinessLine, d.Replicas, d.ReadyReplicas, d.Requests, d.Usage, d.Autoscaling, d.PDB))
	}
	for _, s := range inv.StatefulSets {
		t.Rows = append(t.Rows, planClusterRow(s.Namespace+"/"+s.Name+" (StatefulSet)", s.BusinessLine, s.Replicas, s.ReadyReplicas, s.Requests, s.Usage, s.Autoscaling, s.PDB))
	}
	return planSection{title: "Cluster", text: text, table: t}
}

// planStepsSection lists the timeline's steps, merging consecutive steps with
// the same plan figures into one row.
func planStepsSection(tl *capacity.Timeline) planSection {
	cols := []report.Column{{Title: "from"}, {Title: "until"}, {Title: "hours", Numeric: true}, {Title: "nodes", Numeric: true}}
	for _, ps := range tl.Steps[0].Pools {
		cols = append(cols, report.Column{Title: ps.Pool, Numeric: true})
	}
	cols = append(cols, report.Column{Title: "$/hour", Numeric: true}, report.Column{Title: "lower bound", Numeric: true},
		report.Column{Title: "CPU", Numeric: true}, report.Column{Title: "memory", Numeric: true}, report.Column{Title: "unplaceable", Numeric: true})
	t := &report.Table{Columns: cols}
	var last []string
	for _, st := range tl.Steps {
		figures := planStepFigures(st)
		until := st.At.Add(time.Duration(st.Hours * float64(time.Hour)))
		if k := len(t.Rows) - 1; k >= 0 && slices.Equal(figures, last) {
			t.Rows[k][1] = planStepTime(until)
			h, _ := strconv.ParseFloat(t.Rows[k][2], 64)
			t.Rows[k][2] = strconv.FormatFloat(h+st.Hours, 'f', -1, 64)
			continue
		}
		row := append([]string{planStepTime(st.At), planStepTime(until), strconv.FormatFloat(st.Hours, 'f', -1, 64)}, figures...)
		t.Rows = append(t.Rows, row)
		last = figures
	}
	return planSection{title: "Steps", text: []string{"Consecutive steps with the same plan figures share a row; utilization is requests over allocatable."}, table: t}
}

// planStepFigures returns a step's cells after its times.
func planStepFigures(st capacity.Step) []string {
	out := []string{strconv.Itoa(st.Nodes)}
	for _, ps := range st.Pools {
		out = append(out, strconv.Itoa(ps.Nodes))
	}
	return append(out, planRate(st.CostPerHour), planRate(st.LowerBoundCostPerHour),
		planPercent(st.Utilization.CPU), planPercent(st.Utilization.Memory), strconv.Itoa(st.Unplaceable))
}

// planStepTime formats a step boundary.
func planStepTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
