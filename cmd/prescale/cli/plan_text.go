package cli

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/prescale-dev/prescale/pkg/report"
)

// planSection is one part of a plan report: a title, sentences and a table,
// rendered as text, markdown or HTML.
type planSection struct {
	title string
	text  []string
	table *report.Table
}

// writePlanSections renders sections as aligned text tables, or as markdown.
func writePlanSections(w io.Writer, sections []planSection, markdown bool) error {
	bw := bufio.NewWriter(w)
	for i, s := range sections {
		if i > 0 {
			bw.WriteString("\n")
		}
		switch {
		case markdown && i == 0:
			fmt.Fprintf(bw, "# %s\n\n", s.title)
		case markdown:
			fmt.Fprintf(bw, "## %s\n\n", s.title)
		case i == 0:
			fmt.Fprintf(bw, "%s\n%s\n", s.title, strings.Repeat("=", utf8.RuneCountInString(s.title)))
		default:
			fmt.Fprintf(bw, "%s\n%s\n", s.title, strings.Repeat("-", utf8.RuneCountInString(s.title)))
		}
		for k, t := range s.text {
			if markdown && k > 0 {
				bw.WriteString("\n") // one paragraph each
			}
			bw.WriteString(t + "\n")
		}
		if s.table == nil {
			continue
		}
		if len(s.text) > 0 {
			bw.WriteString("\n")
		}
		if markdown {
			writePlanMarkdownTable(bw, s.table)
		} else {
			writePlanTextTable(bw, s.table)
		}
	}
	return bw.Flush()
}

// writePlanTextTable writes a table with padded columns, numbers right-aligned.
func writePlanTextTable(w *bufio.Writer, t *report.Table) {
	rows := append(append([][]string{planHeader(t)}, t.Rows...), t.Footer...)
	width := make([]int, len(t.Columns))
	for _, r := range rows {
		for i := range t.Columns {
			width[i] = max(width[i], utf8.RuneCountInString(planCell(r, i)))
		}
	}
	for k, r := range rows {
		if k == len(rows)-len(t.Footer) && len(t.Footer) > 0 {
			writePlanRule(w, width)
		}
		var line strings.Builder
		for i, c := range t.Columns {
			s := planCell(r, i)
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(s))
			if i > 0 {
				line.WriteString("  ")
			}
			if c.Numeric {
				line.WriteString(pad + s)
			} else {
				line.WriteString(s + pad)
			}
		}
		w.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		if k == 0 {
			writePlanRule(w, width)
		}
	}
}

// writePlanRule writes a line of dashes under each column.
func writePlanRule(w *bufio.Writer, width []int) {
	for i, n := range width {
		if i > 0 {
			w.WriteString("  ")
		}
		w.WriteString(strings.Repeat("-", n))
	}
	w.WriteString("\n")
}

// writePlanMarkdownTable writes a pipe table; numeric columns align right.
func writePlanMarkdownTable(w *bufio.Writer, t *report.Table) {
	writePlanMarkdownRow(w, planHeader(t), len(t.Columns))
	w.WriteString("|")
	for _, c := range t.Columns {
		if c.Numeric {
			w.WriteString("---:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteString("\n")
	for _, r := range t.Rows {
		writePlanMarkdownRow(w, r, len(t.Columns))
	}
	for _, r := range t.Footer {
		bold := make([]string, len(r))
		for i, c := range r {
			if c != "" {
				bold[i] = "**" + c + "**"
			}
		}
		writePlanMarkdownRow(w, bold, len(t.Columns))
	}
}

// writePlanMarkdownRow writes one row of a pipe table, escaping pipes.
func writePlanMarkdownRow(w *bufio.Writer, r []string, n int) {
	w.WriteString("|")
	for i := range n {
		w.WriteString(" " + strings.ReplaceAll(planCell(r, i), "|", `\|`) + " |")
	}
	w.WriteString("\n")
}

// planHeader returns the column titles.
func planHeader(t *report.Table) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Title
	}
	return out
}

// planCell returns r[i], or "" past its end.
func planCell(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

// planMoney formats dollars with two decimals and thousands separators.
func planMoney(v float64) string { return planThousands(v, 2) }

// planRate formats $/hour with three decimals.
func planRate(v float64) string { return planThousands(v, 3) }

// planAmount formats a quantity with one decimal and thousands separators.
func planAmount(v float64) string { return planThousands(v, 1) }

// planPercent formats a fraction as a percentage with one decimal.
func planPercent(frac float64) string { return strconv.FormatFloat(100*frac, 'f', 1, 64) + " %" }

// planThousands formats v with decimals and comma thousands separators.
func planThousands(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}
