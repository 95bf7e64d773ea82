package simulator

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// column is one column of the text and markdown tables: a header and how
// to format a result's figure with its ratio to the oracle.
type column struct {
	header string
	cell   func(Result) string
}

// columns returns the table's columns; cost only with a price.
func (c Comparison) columns() []column {
	cols := []column{
		{"unserved", func(r Result) string { return percent(r.UnservedFraction) + times(r.VsOracle.UnservedFraction) }},
		{"under-provisioned", func(r Result) string {
			return percent(r.UnderProvisionedFraction) + times(r.VsOracle.UnderProvisionedFraction)
		}},
		{"pod-hours", func(r Result) string { return fmt.Sprintf("%.1f", r.PodHours) + times(r.VsOracle.PodHours) }},
	}
	if c.Nodes != nil {
		cols = append(cols, column{"node-hours", func(r Result) string { return fmt.Sprintf("%.1f", r.NodeHours) }})
	}
	if c.PricePerPodHour > 0 || (c.Nodes != nil && c.Nodes.PricePerNodeHour > 0) {
		cols = append(cols, column{"cost $", func(r Result) string { return fmt.Sprintf("%.2f", r.Cost) + times(r.VsOracle.Cost) }})
	}
	return append(cols,
		column{"peak replicas", func(r Result) string { return fmt.Sprint(r.PeakReplicas) + times(r.VsOracle.PeakReplicas) }},
		column{"scale events", func(r Result) string { return fmt.Sprint(r.ScaleEvents) + times(r.VsOracle.ScaleEvents) }},
	)
}

// percent formats a fraction as a percentage with three decimals.
// percent formats a fraction as a percentage with three decimals, or with
// two significant digits when it is positive but would round to 0.000%.
func percent(f float64) string {
	if p := 100 * f; p > 0 && p < 0.0005 {
		return fmt.Sprintf("%.*f%%", int(math.Ceil(-math.Log10(p)))+1, p)
	}
	return fmt.Sprintf("%.3f%%", 100*f)
}

// times formats a ratio to the oracle as " (1.23x)", or nothing when it is
// not finite (the oracle's figure is 0).
func times(q float64) string {
	if math.IsNaN(q) || math.IsInf(q, 0) {
		return ""
	}
	return fmt.Sprintf(" (%.2fx)", q)
}

// describe returns the one-line description of the trace and settings.
func (c Comparison) describe() string {
	s := fmt.Sprintf("trace %s: %d steps of %s from %s; capacity %g per pod; target utilisation %g; seed %d",
		c.Trace, c.Steps, shortDuration(c.Step), c.Start.UTC().Format("2006-01-02 15:04 MST"), c.CapacityPerPod, c.TargetUtilisation, c.Seed)
	if c.PricePerPodHour > 0 {
		s += fmt.Sprintf("; $%g per pod-hour", c.PricePerPodHour)
	}
	if b := c.Nodes; b != nil {
		most := fmt.Sprint(b.Pool.MaxNodes)
		if b.Pool.MaxNodes >= UnlimitedNodes {
			most = "unlimited"
		}
		s += fmt.Sprintf("; node pool of %d pods/node, %d..%s nodes, node start-up %s, cost = node-hours × $%g",
			b.Pool.PodsPerNode, b.Pool.MinNodes, most, shortDuration(b.Pool.StartupDelay), b.PricePerNodeHour)
	}
	return s
}

// shortDuration formats d without zero units: 5m, 1h30m, 90s.
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

// WriteTable writes c as aligned text tables, one per start-up delay,
// figures followed by their ratio to the oracle, then the outcomes of the
// assertions, if any.
func WriteTable(w io.Writer, c Comparison, outcomes []Outcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, c.describe())
	for _, p := range c.Parameters {
		fmt.Fprintf(tw, "  %s = %s\n", p.Name, p.Value)
	}
	cols := c.columns()
	for _, run := range c.Startups {
		fmt.Fprintf(tw, "\nstart-up %s\npolicy", run.Startup)
		for _, col := range cols {
			fmt.Fprintf(tw, "\t%s", col.header)
		}
		fmt.Fprintln(tw)
		for _, r := range run.Results {
			fmt.Fprint(tw, r.Policy)
			for _, col := range cols {
				fmt.Fprintf(tw, "\t%s", col.cell(r))
			}
			fmt.Fprintln(tw)
		}
	}
	if len(outcomes) > 0 {
		fmt.Fprintln(tw, "\nchecks")
		for _, o := range outcomes {
			fmt.Fprintln(tw, "  "+o.String())
		}
	}
	return tw.Flush()
}

// WriteMarkdown writes c as a summary for a pull request: the verdict of
// the assertions first, then one table per start-up delay, then the
// parameters.
func WriteMarkdown(w io.Writer, c Comparison, outcomes []Outcome) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### prescale simulate: %s\n\n%s.\n\n", c.Trace, c.describe())
	writeVerdict(&b, outcomes)
	cols := c.columns()
	for _, run := range c.Startups {
		fmt.Fprintf(&b, "#### Start-up %s\n\n| policy |", run.Startup)
		for _, col := range cols {
			fmt.Fprintf(&b, " %s |", col.header)
		}
		b.WriteString("\n|---|" + strings.Repeat("---:|", len(cols)) + "\n")
		for _, r := range run.Results {
			fmt.Fprintf(&b, "| %s |", r.Policy)
			for _, col := range cols {
				fmt.Fprintf(&b, " %s |", col.cell(r))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("Ratios in parentheses are to the perfect-foresight oracle.\n")
	if len(c.Parameters) > 0 {
		b.WriteString("\n<details><summary>Parameters</summary>\n\n")
		for _, p := range c.Parameters {
			fmt.Fprintf(&b, "- `%s` = `%s`\n", p.Name, p.Value)
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeVerdict writes the assertions' outcomes, failures first.
func writeVerdict(b *strings.Builder, outcomes []Outcome) {
	if len(outcomes) == 0 {
		return
	}
	failed := 0
	for _, o := range outcomes {
		if !o.Passed {
			failed++
		}
	}
	fmt.Fprintf(b, "**Checks: %d passed, %d failed.**\n\n", len(outcomes)-failed, failed)
	for _, pass := range []bool{false, true} {
		for _, o := range outcomes {
			if o.Passed == pass {
				mark := "❌"
				if pass {
					mark = "✅"
				}
				fmt.Fprintf(b, "- %s `%s` (start-up %s): got %s\n", mark, o.Assertion, o.Startup, o.gotString(6))
			}
		}
	}
	b.WriteString("\n")
}
