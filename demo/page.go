package demo

import (
	"fmt"
	"io"
	"time"

	"github.com/prescale-dev/prescale/pkg/report"
	"github.com/prescale-dev/prescale/simulator"
)

// chartStep is the resolution of the report's policy charts: each point
// is the worst (largest) minute of its window, so short peaks stay visible.
const chartStep = 10 * time.Minute

// WriteHTML writes the demo's report as one self-contained HTML page.
func WriteHTML(w io.Writer, r Result) error {
	page := report.Page{
		Title: "prescale demo: the STS-70 launch week",
		Subtitle: fmt.Sprintf("NASA Kennedy Space Center web trace, %s to %s; %g requests/min per pod, %s pod start-up",
			r.Demand.Start.In(locOf(r)).Format("2006-01-02 15:04"), r.Demand.End().In(locOf(r)).Format("2006-01-02 15:04 MST"),
			float64(podCapacity), shortDuration(r.Startup)),
		Blocks: []report.Block{
			headline(r),
			report.Heading{Text: "Demand and served capacity"},
			servedChart(r),
			report.Heading{Text: "Replicas per policy"},
			replicaChart(r),
			policyTable(r),
			report.Heading{Text: "Nodes and cost per pool (predictive replicas)"},
			report.Paragraph{Text: "An illustrative pool of two zones and two instance types; prices are illustrative on-demand $/hour, not quotes."},
			nodeChart(r),
			costChart(r),
			report.Heading{Text: "The scaler's live answer"},
			report.Paragraph{Text: liveLine(r.Live)},
			reasonTable(r.Live),
		},
	}
	return page.WriteHTML(w)
}

// headline returns the page's headline numbers.
func headline(r Result) report.Figures {
	reac, _ := r.Find("reactive")
	pred, _ := r.Find("predictive")
	n := r.Nodes
	return report.Figures{
		{Label: "Unserved, predictive", Value: fmt.Sprintf("%.3f %%", 100*pred.UnservedFraction),
			Note: fmt.Sprintf("reactive HPA: %.3f %%", 100*reac.UnservedFraction)},
		{Label: "Pod-hours vs oracle", Value: fmt.Sprintf("%.2fx", pred.VsOracle.PodHours),
			Note: fmt.Sprintf("reactive HPA: %.2fx", reac.VsOracle.PodHours)},
		{Label: "Node cost, predictive", Value: dollars(n.Predictive.Cost),
			Note: fmt.Sprintf("static peak: %s (%s)", dollars(n.StaticPeak.Cost), savings(n.SavingsVsStaticPeak.Percent))},
		{Label: "Live replicas", Value: fmt.Sprint(r.Live.Replicas), Note: "decided by " + orNone(r.Live.Explanation.DecidedBy)},
	}
}

// windows returns the start of each chartStep window of the timeline.
func windows(tl []simulator.Point) []time.Time {
	var out []time.Time
	for _, p := range tl {
		t := p.Time.Truncate(chartStep)
		if len(out) == 0 || !out[len(out)-1].Equal(t) {
			out = append(out, t)
		}
	}
	return out
}

// perWindow returns the largest value of f over each chartStep window.
func perWindow(tl []simulator.Point, f func(simulator.Point) float64) []float64 {
	var out []float64
	var last time.Time
	for i, p := range tl {
		t := p.Time.Truncate(chartStep)
		if i == 0 || !t.Equal(last) {
			out = append(out, f(p))
			last = t
			continue
		}
		out[len(out)-1] = max(out[len(out)-1], f(p))
	}
	return out
}

// policyColor gives each policy one color in every chart.
var policyColor = map[string]string{"reactive": "#E69F00", "predictive": "#0072B2", "oracle": "#009E73"}

// servedChart draws the demand against each policy's ready capacity.
func servedChart(r Result) *report.TimeChart {
	ps := r.Policies()
	c := &report.TimeChart{Title: "Demand vs ready capacity (peak of each 10 minutes)", Unit: "requests/min",
		Times: windows(ps[0].Timeline), Location: locOf(r), Height: 280}
	for _, x := range ps {
		c.Series = append(c.Series, report.Series{Name: x.Policy + " capacity", Color: policyColor[x.Policy],
			Values: perWindow(x.Timeline, func(p simulator.Point) float64 { return float64(p.Ready) * podCapacity })})
	}
	c.Series = append(c.Series, report.Series{Name: "demand", Color: "#1d2733",
		Values: perWindow(ps[0].Timeline, func(p simulator.Point) float64 { return p.Demand })})
	return c
}

// replicaChart draws each policy's desired replicas.
func replicaChart(r Result) *report.TimeChart {
	ps := r.Policies()
	c := &report.TimeChart{Title: "Desired replicas (peak of each 10 minutes)", Unit: "replicas", Steps: true,
		Times: windows(ps[0].Timeline), Location: locOf(r)}
	for _, x := range ps {
		c.Series = append(c.Series, report.Series{Name: x.Policy, Color: policyColor[x.Policy],
			Values: perWindow(x.Timeline, func(p simulator.Point) float64 { return float64(p.Desired) })})
	}
	return c
}

// policyTable tabulates the policies' scores.
func policyTable(r Result) report.Table {
	t := report.Table{Caption: "Policies scored against the oracle",
		Columns: []report.Column{{Title: "policy"}, {Title: "unserved", Numeric: true}, {Title: "under-provisioned", Numeric: true},
			{Title: "pod-hours", Numeric: true}, {Title: "vs oracle", Numeric: true}, {Title: "peak replicas", Numeric: true},
			{Title: "scale events", Numeric: true}}}
	for _, x := range r.Policies() {
		t.Rows = append(t.Rows, []string{x.Policy, fmt.Sprintf("%.3f %%", 100*x.UnservedFraction),
			fmt.Sprintf("%.3f %%", 100*x.UnderProvisionedFraction), fmt.Sprintf("%.1f", x.PodHours),
			fmt.Sprintf("%.2fx", x.VsOracle.PodHours), fmt.Sprint(x.PeakReplicas), fmt.Sprint(x.ScaleEvents)})
	}
	return t
}
