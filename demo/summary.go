package demo

import (
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
	fmt.Fprintf(&b, "NASA KSC web trace, %s to %s (%s), %g requests/min per pod, start-up %s\n\n",
		r.Demand.Start.In(locOf(r)).Format("2006-01-02 15:04"), r.Demand.End().In(locOf(r)).Format("2006-01-02 15:04 MST"),
		"STS-70 launch on 07-13", float64(podCapacity), shortDuration(r.Startup))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "policy\tunserved\tpod-hours\tvs oracle\tpeak replicas\tscale events")
	for _, x := range r.Policies() {
		fmt.Fprintf(tw, "%s\t%.3f%%\t%.1f\t%.2fx\t%d\t%d\n", x.Policy, 100*x.UnservedFraction, x.PodHours,
			x.VsOracle.PodHours, x.PeakReplicas, x.ScaleEvents)
	}
	tw.Flush()
	n := r.Nodes
	fmt.Fprintf(&b, "\nnodes for the predictive replicas (illustrative prices): %s following the plan vs %s at static peak (%s)\n",
		dollars(n.Predictive.Cost), dollars(n.StaticPeak.Cost), savings(n.SavingsVsStaticPeak.Percent))
	fmt.Fprintf(&b, "\n%s\n", liveLine(r.Live))
	for _, reason := range r.Live.Explanation.Reasons {
		fmt.Fprintf(&b, "  - %s\n", reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// liveLine describes the scaler's live answer in one line.
func liveLine(l Live) string {
	active := "inactive"
	if l.Active {
		active = "active"
	}
	return fmt.Sprintf("live scaler (%s): metric %s = %s against %g per pod -> %d replicas, %s, decided by %s",
		l.Address, l.Metric, trimFloat(l.Value), l.Target, l.Replicas, active, orNone(l.Explanation.DecidedBy))
}

// dollars formats an amount in US dollars, the sign first: $26.46.
func dollars(v float64) string {
	if v < 0 {
		return fmt.Sprintf("-$%.2f", -v)
	}
	return fmt.Sprintf("$%.2f", v)
}

// shortDuration formats d without its zero trailing units: 5m, 1h30m,
// 90s, not 5m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// savings reads a percentage saved.
func savings(pct float64) string {
	if pct >= 0 {
		return fmt.Sprintf("%.0f%% saved", pct)
	}
	return fmt.Sprintf("%.0f%% more", -pct)
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
