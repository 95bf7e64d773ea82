package demo

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/report"
	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// chartStep is the resolution of the report's policy charts: each point
// is the worst (largest) minute of its window, so short peaks stay visible.
const chartStep = 10 * time.Minute

// WriteHTML writes the demo's report as one self-contained HTML page.
func WriteHTML(w io.Writer, r Result) error {
	frontier, err := frontierSVG(r.Frontier)
	if err != nil {
		return err
	}
	marks := eventMarks(r)
	page := report.Page{
		Title: title(r),
		Subtitle: fmt.Sprintf("NASA Kennedy Space Center web trace, %s to %s; %g requests/min per pod, %s pod start-up",
			r.Demand.Start.In(locOf(r)).Format("2006-01-02 15:04"), r.Demand.End().In(locOf(r)).Format("2006-01-02 15:04 MST"),
			float64(podCapacity), scaler.FormatDuration(r.Startup)),
		Blocks: []report.Block{
			headline(r),
			report.Heading{Text: whyHeading(r)},
			report.Paragraph{Text: newStory(r).String()},
			report.Heading{Text: "Demand and served capacity"},
			servedChart(r, marks),
			report.Heading{Text: "Replicas per policy"},
			replicaChart(r, marks),
			policyTable(r),
			report.Heading{Text: "Cost against unserved demand, over each policy's knob"},
			report.Paragraph{Text: frontierNote(r)},
			report.SVG{Caption: "Cost/unserved frontier of the HPA (target utilisation) and the predictive policy (risk)", Markup: frontier},
			report.Heading{Text: "Nodes and cost (illustrative pool)"},
			report.Paragraph{Text: poolNote()},
			nodeChart(r, marks),
			costChart(r, marks),
			report.Heading{Text: "The scaler's live answer"},
			report.Paragraph{Text: liveLine(r)},
			reasonTable(r.Live),
			report.Heading{Text: "Terms"},
		},
	}
	for _, t := range terms(r) {
		page.Blocks = append(page.Blocks, report.Paragraph{Text: t})
	}
	return page.WriteHTML(w)
}

// title names the page after the window shown and its first event.
func title(r Result) string {
	loc := locOf(r)
	first, last := r.Demand.Start.In(loc), r.Demand.End().Add(-r.Demand.Step).In(loc)
	days := first.Format("2006-01-02")
	if last.Format(time.DateOnly) != first.Format(time.DateOnly) {
		days += " to " + last.Format("01-02")
	}
	if s := newStory(r); s.event != nil {
		return fmt.Sprintf("prescale demo: the %s, %s", s.event.Name, days)
	}
	return "prescale demo: " + days
}

// whyHeading heads the story: whether predictive won, on both counts.
func whyHeading(r Result) string {
	pred, _ := r.Find("predictive")
	reac, _ := r.Find("reactive")
	if pred.UnservedFraction < reac.UnservedFraction && pred.PodHours <= reac.PodHours {
		return "Why predictive won"
	}
	return "Why predictive did not win outright"
}

// headline returns the page's headline numbers: cost against the HPA
// first, then unserved demand, static peak and the live answer.
func headline(r Result) report.Figures {
	reac, _ := r.Find("reactive")
	pred, _ := r.Find("predictive")
	n, h := r.Nodes, r.HPANodes
	return report.Figures{
		{Label: "Node cost vs the HPA", Value: savings(percentSaved(n.Predictive.Cost, h.Predictive.Cost)),
			Note: fmt.Sprintf("predictive %s, HPA %s", dollars(n.Predictive.Cost), dollars(h.Predictive.Cost))},
		{Label: "Pod-hours vs the HPA", Value: savings(percentSaved(pred.PodHours, reac.PodHours)),
			Note: fmt.Sprintf("predictive %s, HPA %s", podHours(pred.PodHours), podHours(reac.PodHours))},
		{Label: "Unserved, predictive", Value: percent(pred.UnservedFraction),
			Note: "HPA: " + percent(reac.UnservedFraction)},
		{Label: "Node cost vs static peak", Value: savings(n.SavingsVsStaticPeak.Percent),
			Note: "static peak: " + dollars(n.StaticPeak.Cost)},
		{Label: "Live replicas at " + r.Live.At.In(locOf(r)).Format("15:04"), Value: fmt.Sprint(r.Live.Replicas),
			Note: "decided by " + orNone(r.Live.Explanation.DecidedBy)},
	}
}

// frontierNote reads the frontier chart, from the HPA's and the
// predictive policy's default points.
func frontierNote(r Result) string {
	note := "Each point is one run on the same trace: the HPA at one target utilisation, the predictive policy at one risk quantile. " +
		"Left is cheaper, lower drops less; a curve below and left of another is better at every budget."
	if len(r.Frontier.Runs) == 0 {
		return note
	}
	for _, h := range r.Frontier.Runs[0].Frontier.Headlines(r.Frontier.Baseline) {
		u, saved := h.Summary.UnservedRatioAtDefault, h.Summary.PodHoursSavedAtDefault
		if math.IsNaN(u) && math.IsNaN(saved) {
			note += fmt.Sprintf(" The HPA's default point (target %g) lies outside the %s curve's range: no like-for-like figure is read off.", hpaTarget, h.Challenger)
			continue
		}
		note += fmt.Sprintf(" Against the HPA's default point (target %g), the %s curve", hpaTarget, h.Challenger)
		if !math.IsNaN(u) && !math.IsInf(u, 0) {
			note += fmt.Sprintf(" leaves %.2f times its unserved demand for the same pod-hours", u)
		}
		if !math.IsNaN(saved) {
			if !math.IsNaN(u) && !math.IsInf(u, 0) {
				note += " and"
			}
			note += fmt.Sprintf(" needs %s pod-hours for the same unserved demand (%s)", podHoursChange(100*saved), "read off the curve between its points")
		}
		note += "."
	}
	return note
}

// poolNote describes the illustrative pool and why its instance types
// change from hour to hour.
func poolNote() string {
	p := nodeProblem(capacity.Replicas{})
	var shapes []string
	for _, it := range p.Pools[0].InstanceTypes {
		shapes = append(shapes, fmt.Sprintf("a %s holds %d pods for %s/hour", it.Name, podsPerNode(p, it), dollars(it.PricePerHour)))
	}
	return "An illustrative pool of two zones and two instance types; prices are illustrative on-demand $/hour, not quotes. " +
		"Each hour is packed on its own for the cheapest nodes that hold that hour's replicas, so the mix of instance types follows the replica count: " +
		strings.Join(shapes, ", ") + ". " +
		"The switches are the planner's hourly optimum, not a drawing artefact; an autoscaler that weighs the churn of replacing nodes would hold a steadier mix for a little more."
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
func servedChart(r Result, marks []report.Mark) *report.TimeChart {
	ps := r.Policies()
	c := &report.TimeChart{Title: "Demand vs ready capacity (peak of each 10 minutes)", Unit: "requests/min",
		Times: windows(ps[0].Timeline), Location: locOf(r), Height: 280, Marks: marks}
	for _, x := range ps {
		c.Series = append(c.Series, report.Series{Name: x.Policy + " capacity", Color: policyColor[x.Policy],
			Values: perWindow(x.Timeline, func(p simulator.Point) float64 { return float64(p.Ready) * podCapacity })})
	}
	c.Series = append(c.Series, report.Series{Name: "demand", Color: "#1d2733",
		Values: perWindow(ps[0].Timeline, func(p simulator.Point) float64 { return p.Demand })})
	return c
}

// replicaChart draws each policy's desired replicas.
func replicaChart(r Result, marks []report.Mark) *report.TimeChart {
	ps := r.Policies()
	c := &report.TimeChart{Title: "Desired replicas (peak of each 10 minutes)", Unit: "replicas", Steps: true,
		Times: windows(ps[0].Timeline), Location: locOf(r), Marks: marks}
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
		t.Rows = append(t.Rows, []string{x.Policy, percent(x.UnservedFraction),
			percent(x.UnderProvisionedFraction), podHours(x.PodHours),
			fmt.Sprintf("%.2fx", x.VsOracle.PodHours), fmt.Sprint(x.PeakReplicas), fmt.Sprint(x.ScaleEvents)})
	}
	return t
}

// podHoursChange reads a percentage of pod-hours saved: "12.3% fewer",
// "4.0% more".
func podHoursChange(pct float64) string {
	if pct >= 0 {
		return fmt.Sprintf("%.1f%% fewer", pct)
	}
	return fmt.Sprintf("%.1f%% more", -pct)
}

// eventMarks marks each event shown on the time charts: its affected
// window (lead and lag), the event itself, and the instant the live
// scaler was asked at.
func eventMarks(r Result) []report.Mark {
	var out []report.Mark
	for _, e := range r.Events {
		if e.Lead > 0 || e.Lag > 0 {
			out = append(out, report.Mark{Name: fmt.Sprintf("%s window (%s before to %s after)", e.Name, scaler.FormatDuration(e.Lead), scaler.FormatDuration(e.Lag)),
				From: e.Start.Add(-e.Lead), To: e.End.Add(e.Lag), Color: eventColor})
		}
		out = append(out, report.Mark{Name: e.Name, From: e.Start, To: e.End, Color: eventColor})
	}
	if !r.Live.At.IsZero() {
		out = append(out, report.Mark{Name: "live scaler asked", From: r.Live.At, To: r.Live.At, Color: "#1d2733"})
	}
	return out
}

// eventColor shades the calendar's events.
const eventColor = "#CC79A7"

// terms explains the page's terms, one paragraph each.
func terms(r Result) []string {
	return []string{
		"Unserved: the share of the requests that arrived when no ready pod had room for them (a pod serves " +
			fmt.Sprintf("%g", float64(podCapacity)) + " requests a minute); the requests a user would have seen fail or wait.",
		"Under-provisioned: the share of the minutes in which the ready capacity was below the demand, however little.",
		"Pod-hours: the pod time paid for, from each pod's creation to its deletion, pods still starting included; the pods' bill is proportional to it.",
		"Scale events: how many times the replica count changed. The oracle knows the demand in advance and follows it minute by minute, so it has the most; fewer events mean fewer pods started and stopped.",
		"Oracle: the fewest pods that would have served every request, given perfect foresight and the same start-up delay; a bound, not a policy one can run.",
		dipsTerm(r),
		"Static peak: enough nodes for the largest hour's replicas, held for the whole window, as one would provision by hand.",
		"Live scaler: prescale's scaler started in-process on the bundled trace, its clock pinned to the marked instant, asked once as KEDA asks it.",
	}
}

// dipsTerm explains the demand's dips from the trace: its runs of minutes
// without a request.
func dipsTerm(r Result) string {
	runs, longest, at, n := 0, 0, time.Time{}, 0
	for i, v := range r.Demand.Values {
		if v == 0 {
			n++
		} else {
			n = 0
		}
		if n == 1 {
			runs++
		}
		if n > longest {
			longest, at = n, r.Demand.Time(i-n+1)
		}
	}
	if runs == 0 {
		return "Demand dips: the demand line's falls are the trace's own; every policy sees the same demand."
	}
	return fmt.Sprintf("Demand dips: the trace itself records no request in %d stretches of minutes here, the longest %d minutes from %s; "+
		"they are the 1995 log's, not a policy's doing, and every policy sees the same demand.",
		runs, longest, at.In(locOf(r)).Format("Jan 2 15:04"))
}
