package demo

import (
	"github.com/prescale-dev/prescale/scaler"

	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteSummary writes the demo's findings as plain text.
func WriteSummary(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nNASA KSC web trace, %s to %s, %g requests/min per pod, start-up %s\n\n", title(r),
		r.Demand.Start.In(locOf(r)).Format("2006-01-02 15:04"), r.Demand.End().In(locOf(r)).Format("2006-01-02 15:04 MST"),
		float64(podCapacity), scaler.FormatDuration(r.Startup))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "policy\tunserved\tpod-hours\tvs oracle\tpeak replicas\tscale events")
	for _, x := range r.Policies() {
		fmt.Fprintf(tw, "%s\t%.3f%%\t%.1f\t%.2fx\t%d\t%d\n", x.Policy, 100*x.UnservedFraction, x.PodHours,
			x.VsOracle.PodHours, x.PeakReplicas, x.ScaleEvents)
	}
	tw.Flush()
	n, h := r.Nodes, r.HPANodes
	fmt.Fprintf(&b, "\nnodes (illustrative prices): predictive %s vs the HPA's %s (%s); static peak %s (%s)\n",
		dollars(n.Predictive.Cost), dollars(h.Predictive.Cost), savings(percentSaved(n.Predictive.Cost, h.Predictive.Cost)),
		dollars(n.StaticPeak.Cost), savings(n.SavingsVsStaticPeak.Percent))
	fmt.Fprintf(&b, "\n%s\n", newStory(r))
	fmt.Fprintf(&b, "\n%s\n", liveLine(r))
	for _, reason := range r.Live.Explanation.Reasons {
		fmt.Fprintf(&b, "  - %s\n", reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// liveLine describes the scaler's live answer in one line, beside what
// the simulated predictive policy wanted at the same minute.
func liveLine(r Result) string {
	l := r.Live
	active := "inactive"
	if l.Active {
		active = "active"
	}
	line := fmt.Sprintf("live scaler at %s (the replay pinned to that trace minute): metric %s = %s requests/min against %s per pod -> %d replicas, %s, decided by %s",
		l.At.In(locOf(r)).Format("2006-01-02 15:04 MST"), l.Metric, trimFloat(l.Value), trimFloat(l.Target), l.Replicas, active,
		orNone(l.Explanation.DecidedBy))
	pred, _ := r.Find("predictive")
	if i := index(pred.Timeline, l.At); i >= 0 {
		line += fmt.Sprintf("; the simulated predictive policy wanted %d at that minute", pred.Timeline[i].Desired)
	}
	return line
}

// dollars formats an amount in US dollars, the sign first: $26.46.
func dollars(v float64) string {
	if v < 0 {
		return fmt.Sprintf("-$%.2f", -v)
	}
	return fmt.Sprintf("$%.2f", v)
}

// savings reads a percentage saved.
func savings(pct float64) string {
	if pct >= 0 {
		return fmt.Sprintf("%.1f%% saved", pct)
	}
	return fmt.Sprintf("%.1f%% more", -pct)
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func orNone(s string) string {
	if s == "" {
		return "nothing recorded"
	}
	return s
}

// locOf returns the trace's time zone.
func locOf(r Result) *time.Location {
	if r.Location != nil {
		return r.Location
	}
	return time.UTC
}
