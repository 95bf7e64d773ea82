package simulator

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// FrontierComparison is what the simulate command prints, charts and
// checks with --frontier: per start-up delay, each policy's curve over its
// risk knob and each challenger's Headline against the baseline.
type FrontierComparison struct {
	// Setup describes the trace, the settings and the parameters, as for a
	// Comparison; its Startups are not used.
	Setup Comparison
	// Baseline is the name of the curve the others are compared with, such
	// as "reactive".
	Baseline string
	// Runs holds one FrontierRun per start-up delay, in the order given.
	Runs []FrontierRun
}

// FrontierRun is the frontier for one start-up delay.
type FrontierRun struct {
	// Startup describes the pods' start-up delay, such as "5m".
	Startup string
	// Frontier holds the curves.
	Frontier Frontier
}

// The table cells of the frontier reports; "–" marks a figure that is not
// defined (outside the challenger's range: nothing is extrapolated).
func cellPercent(v float64) string { return orDash(v, percent) }
func cellHours(v float64) string {
	return orDash(v, func(v float64) string { return fmt.Sprintf("%.1f", v) })
}
func cellRatio(v float64) string {
	return orDash(v, func(v float64) string { return fmt.Sprintf("%.3g", v) })
}
func cellSaved(v float64) string {
	return orDash(v, func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) })
}
func cellDollars(v float64) string {
	return orDash(v, func(v float64) string { return fmt.Sprintf("$%.2f", v) })
}

// orDash formats v with format, "–" when v is NaN and "inf" when infinite.
func orDash(v float64, format func(float64) string) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.IsInf(v, 0):
		return "inf"
	}
	return format(v)
}

// curveHeader returns the header cells of a curve's table.
func (c FrontierComparison) curveHeader(curve Curve) []string {
	h := []string{curve.KnobName(), "pod-hours", "unserved", "pod-hours ÷ oracle"}
	if c.Setup.Nodes != nil {
		h = append(h, "node cost")
	}
	return append(h, "efficient")
}

// curveRows returns the cells of a curve's points, the default marked *.
func (c FrontierComparison) curveRows(curve Curve) [][]string {
	var rows [][]string
	for _, p := range curve.Points {
		knob := curve.Label(p)
		if curve.IsDefault(p) {
			knob += "*"
		}
		row := []string{knob, cellHours(p.PodHours), cellPercent(p.UnservedFraction), cellRatio(p.Result.VsOracle.PodHours)}
		if c.Setup.Nodes != nil {
			row = append(row, cellDollars(p.NodeCost))
		}
		eff := "yes"
		if !curve.IsEfficient(p) {
			eff = "dominated"
		}
		rows = append(rows, append(row, eff))
	}
	return rows
}

// headlineHeader returns the header cells of a Headline's table.
func headlineHeader(h Headline, knob string) []string {
	return []string{h.Baseline + " " + knob, h.Baseline + " pod-hours", h.Baseline + " unserved",
		h.Challenger + " unserved at those pod-hours", "unserved ratio",
		h.Challenger + " pod-hours at that unserved", "pod-hours saved"}
}

// headlineRows returns the cells of a Headline's rows, the default marked
// * and dominated baseline points (d).
func headlineRows(h Headline) [][]string {
	var rows [][]string
	for _, r := range h.Rows {
		knob := r.Label
		if r.Default {
			knob += "*"
		}
		if !r.Efficient {
			knob += " (d)"
		}
		ub, pb := bound(r.UnservedBound, "≤"), bound(r.PodHoursBound, "≤")
		rows = append(rows, []string{knob, cellHours(r.Baseline.PodHours), cellPercent(r.Baseline.UnservedFraction),
			ub + cellPercent(r.ChallengerUnserved), ub + cellRatio(r.UnservedRatio), pb + cellHours(r.ChallengerPodHours),
			bound(r.PodHoursBound, "≥") + cellSaved(r.PodHoursSaved)})
	}
	return rows
}

// bound returns mark when a figure is a bound, else nothing.
func bound(is bool, mark string) string {
	if is {
		return mark
	}
	return ""
}

// headlineSentence says what a Headline's Summary means in words.
func headlineSentence(h Headline, base Curve) string {
	s := h.Summary
	var b strings.Builder
	def, ok := base.DefaultPoint()
	switch {
	case !ok:
		fmt.Fprintf(&b, "%s has no default point among its %s values", h.Baseline, base.KnobName())
	default:
		fmt.Fprintf(&b, "at %s's default (%s %s), %s ", h.Baseline, base.KnobName(), base.Label(def), h.Challenger)
		row := h.defaultRow()
		switch {
		case math.IsNaN(s.UnservedRatioAtDefault):
			b.WriteString("does not span those pod-hours")
		case row.UnservedBound:
			fmt.Fprintf(&b, "leaves at most %s of the unserved demand for the same pod-hours (its costliest point already leaves that much less for fewer pod-hours)",
				cellRatio(s.UnservedRatioAtDefault))
		default:
			fmt.Fprintf(&b, "leaves %s of the unserved demand for the same pod-hours", cellRatio(s.UnservedRatioAtDefault))
		}
		switch {
		case math.IsNaN(s.PodHoursSavedAtDefault):
			b.WriteString(" and does not span that unserved demand")
		case row.PodHoursBound:
			fmt.Fprintf(&b, " and saves at least %s of the pod-hours for the same unserved demand (its cheapest point already leaves less)", cellSaved(s.PodHoursSavedAtDefault))
		default:
			fmt.Fprintf(&b, " and saves %s of the pod-hours for the same unserved demand", cellSaved(s.PodHoursSavedAtDefault))
		}
	}
	if s.Compared == 0 {
		fmt.Fprintf(&b, "; no efficient %s point lies inside %s's range of pod-hours", h.Baseline, h.Challenger)
		return b.String()
	}
	points := "points"
	if s.Compared == 1 {
		points = "point"
	}
	fmt.Fprintf(&b, "; over the %d efficient %s %s inside %s's range of pod-hours", s.Compared, h.Baseline, points, h.Challenger)
	if s.Bounded > 0 {
		fmt.Fprintf(&b, " or beyond its costliest point (%d, whose ratio is a bound)", s.Bounded)
	}
	fmt.Fprintf(&b, " the unserved ratio is at worst %s (median %s)", cellRatio(s.MaxUnservedRatio), cellRatio(s.MedianUnservedRatio))
	if !math.IsNaN(s.MinPodHoursSaved) {
		fmt.Fprintf(&b, "; the pod-hours saved for the same unserved demand are at worst %s (median %s)",
			cellSaved(s.MinPodHoursSaved), cellSaved(s.MedianPodHoursSaved))
	}
	return b.String()
}

// frontierNote explains the tables' conventions.
const frontierNote = "Marks: * the default point; (d) a dominated baseline point, left out of the worst and median figures. " +
	"Unserved demand between two points is interpolated linearly in log(unserved); – marks a point outside the challenger's range: nothing is extrapolated; " +
	"≤ and ≥ mark a bound where the challenger's costliest (cheapest) point already does better on both axes than a baseline point beyond it."

// WriteFrontierTable writes c as aligned text: per start-up delay each
// curve's points, the oracle, and each challenger's comparison with the
// baseline with its summary; then the assertions' outcomes, if any.
func WriteFrontierTable(w io.Writer, c FrontierComparison, outcomes []Outcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, c.Setup.describe())
	for _, p := range c.Setup.Parameters {
		fmt.Fprintf(tw, "  %s = %s\n", p.Name, p.Value)
	}
	line := func(cells []string) { fmt.Fprintln(tw, "  "+strings.Join(cells, "\t")) }
	for _, run := range c.Runs {
		fmt.Fprintf(tw, "\nstart-up %s\n", run.Startup)
		for _, curve := range run.Frontier.Curves {
			fmt.Fprintf(tw, "%s over %s\n", curve.Name, curve.KnobName())
			line(c.curveHeader(curve))
			for _, row := range c.curveRows(curve) {
				line(row)
			}
		}
		o := run.Frontier.Oracle
		fmt.Fprintf(tw, "oracle: pod-hours %.1f, unserved %s\n", o.PodHours, percent(o.UnservedFraction))
		base, _ := run.Frontier.Curve(c.Baseline)
		for _, h := range run.Frontier.Headlines(c.Baseline) {
			fmt.Fprintf(tw, "\n%s against %s\n", h.Challenger, h.Baseline)
			line(headlineHeader(h, base.KnobName()))
			for _, row := range headlineRows(h) {
				line(row)
			}
			fmt.Fprintf(tw, "%s.\n", upperFirst(headlineSentence(h, base)))
		}
	}
	fmt.Fprintf(tw, "\n%s\n", frontierNote)
	if len(outcomes) > 0 {
		fmt.Fprintln(tw, "\nchecks")
		for _, o := range outcomes {
			fmt.Fprintln(tw, "  "+o.String())
		}
	}
	return tw.Flush()
}

// WriteFrontierMarkdown writes c as a summary for a pull request: the
// verdict of the assertions, then per start-up delay each challenger's
// headline and comparison table, the curves in a collapsed section, then
// the parameters.
func WriteFrontierMarkdown(w io.Writer, c FrontierComparison, outcomes []Outcome) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### prescale simulate --frontier: %s\n\n%s.\n\n", c.Setup.Trace, c.Setup.describe())
	writeVerdict(&b, outcomes)
	for _, run := range c.Runs {
		fmt.Fprintf(&b, "#### Start-up %s\n\n", run.Startup)
		base, _ := run.Frontier.Curve(c.Baseline)
		for _, h := range run.Frontier.Headlines(c.Baseline) {
			fmt.Fprintf(&b, "**%s against %s**: %s.\n\n", h.Challenger, h.Baseline, headlineSentence(h, base))
			writeMarkdownTable(&b, headlineHeader(h, base.KnobName()), headlineRows(h))
		}
		b.WriteString("<details><summary>Curves</summary>\n\n")
		for _, curve := range run.Frontier.Curves {
			fmt.Fprintf(&b, "%s over %s:\n\n", curve.Name, curve.KnobName())
			writeMarkdownTable(&b, c.curveHeader(curve), c.curveRows(curve))
		}
		o := run.Frontier.Oracle
		fmt.Fprintf(&b, "oracle: pod-hours %.1f, unserved %s.\n\n</details>\n\n", o.PodHours, percent(o.UnservedFraction))
	}
	b.WriteString(frontierNote + "\n")
	if len(c.Setup.Parameters) > 0 {
		b.WriteString("\n<details><summary>Parameters</summary>\n\n")
		for _, p := range c.Setup.Parameters {
			fmt.Fprintf(&b, "- `%s` = `%s`\n", p.Name, p.Value)
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeMarkdownTable writes a table whose first column is left-aligned and
// the others right-aligned.
func writeMarkdownTable(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|---|" + strings.Repeat("---:|", len(header)-1) + "\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	b.WriteString("\n")
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
