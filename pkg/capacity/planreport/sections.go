package planreport

import (
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/report"
)

// workloadsSection says where each workload's replicas went and what the
// loss of its worst zone leaves; the rows whose surviving replicas fall
// below the PodDisruptionBudget's minAvailable, which the zone loss check
// names, are highlighted.
func workloadsSection(pl capacity.Plan, cc categoryColors) section {
	t := &report.Table{Columns: []report.Column{
		{Title: "workload"}, {Title: "business line", Colors: cc.lines}, {Title: "pool", Colors: cc.pools}, {Title: "replicas", Numeric: true},
		{Title: "pods", Numeric: true}, {Title: "placed", Numeric: true},
		{Title: "after zone loss", Numeric: true}, {Title: "PDB min", Numeric: true}, {Title: "zone loss check"},
	}}
	for _, w := range pl.Workloads {
		survive, minAvail, verdict := "-", "-", "-"
		if z := w.ZoneLoss; z != nil {
			survive, minAvail = strconv.Itoa(z.Surviving), strconv.Itoa(z.MinAvailable)
			verdict = zoneVerdict(z)
			if !z.MeetsPDB {
				t.Highlight = append(t.Highlight, len(t.Rows))
			}
		}
		t.Rows = append(t.Rows, []string{w.Name, w.BusinessLine, w.Pool, strconv.Itoa(w.Replicas), strconv.Itoa(w.Slots),
			strconv.Itoa(w.Placed), survive, minAvail, verdict})
	}
	text := []string{"Pods are the replicas plus the rollout surge and the zone-loss headroom. After zone loss: the replicas still running when the worst zone (named when the check fails) is lost, against the PodDisruptionBudget's minAvailable."}
	return section{title: "Workloads", text: text, table: t}
}

// zoneVerdict summarises a zone-loss check.
func zoneVerdict(z *capacity.ZoneLossCheck) string {
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

// unplaceableSection lists the pods without a node.
func unplaceableSection(pl capacity.Plan) section {
	t := &report.Table{Columns: []report.Column{{Title: "workload"}, {Title: "pods", Numeric: true}, {Title: "reason"}}}
	for _, u := range pl.Unplaceable {
		t.Rows = append(t.Rows, []string{u.Workload, strconv.Itoa(u.Count), u.Reason})
	}
	return section{title: "Unplaceable pods", table: t}
}

// sourcesSection says where forecast and simulated replicas came from.
func sourcesSection(sources []Source) section {
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
	return section{title: "Replicas from forecasts and simulations", text: text, table: t}
}

// stepsSection lists the timeline's steps, merging consecutive steps with
// the same plan figures into one row.
func stepsSection(tl *capacity.Timeline) section {
	cols := []report.Column{{Title: "from"}, {Title: "until"}, {Title: "hours", Numeric: true}, {Title: "nodes", Numeric: true}}
	for _, ps := range tl.Steps[0].Pools {
		cols = append(cols, report.Column{Title: ps.Pool, Numeric: true})
	}
	cols = append(cols, report.Column{Title: "$/hour", Numeric: true}, report.Column{Title: "lower bound", Numeric: true},
		report.Column{Title: "CPU", Numeric: true}, report.Column{Title: "memory", Numeric: true}, report.Column{Title: "unplaceable", Numeric: true})
	t := &report.Table{Columns: cols}
	var last []string
	for _, st := range tl.Steps {
		figures := stepFigures(st)
		until := st.At.Add(time.Duration(st.Hours * float64(time.Hour)))
		if k := len(t.Rows) - 1; k >= 0 && slices.Equal(figures, last) {
			t.Rows[k][1] = stepTime(until)
			h, _ := strconv.ParseFloat(t.Rows[k][2], 64)
			t.Rows[k][2] = strconv.FormatFloat(h+st.Hours, 'f', -1, 64)
			continue
		}
		row := append([]string{stepTime(st.At), stepTime(until), strconv.FormatFloat(st.Hours, 'f', -1, 64)}, figures...)
		t.Rows = append(t.Rows, row)
		last = figures
	}
	return section{title: "Steps", text: []string{"Consecutive steps with the same plan figures share a row; utilization is requests over allocatable."}, table: t}
}

// stepFigures returns a step's cells after its times.
func stepFigures(st capacity.Step) []string {
	out := []string{strconv.Itoa(st.Nodes)}
	for _, ps := range st.Pools {
		out = append(out, strconv.Itoa(ps.Nodes))
	}
	return append(out, rate(st.CostPerHour), rate(st.LowerBoundCostPerHour),
		percent(st.Utilization.CPU), percent(st.Utilization.Memory), strconv.Itoa(st.Unplaceable))
}

// stepTime formats a step boundary.
func stepTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
