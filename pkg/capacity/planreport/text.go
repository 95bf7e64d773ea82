package planreport

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/prescale-dev/prescale/pkg/report"
)

// section is one part of a plan report: a title, sentences and a table,
// rendered as text, markdown or HTML.
type section struct {
	title string
	text  []string
	table *report.Table
}

// WriteText writes the result as text: each section's title underlined,
// its sentences, then its table with padded columns, numbers
// right-aligned and totals under a rule.
func WriteText(w io.Writer, r *Result) error {
	return writeSections(w, sections(r, newCategoryColors(r.Plan)), false)
}

// WriteMarkdown writes the result as markdown: a heading per section, one
// paragraph per sentence and pipe tables, numeric columns aligned right
// and totals in bold.
func WriteMarkdown(w io.Writer, r *Result) error {
	return writeSections(w, sections(r, newCategoryColors(r.Plan)), true)
}

// writeSections renders sections as aligned text tables, or as markdown.
func writeSections(w io.Writer, secs []section, markdown bool) error {
	bw := bufio.NewWriter(w)
	for i, s := range secs {
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
			writeMarkdownTable(bw, s.table)
		} else {
			writeTextTable(bw, s.table)
		}
	}
	return bw.Flush()
}

// writeTextTable writes a table with padded columns, numbers right-aligned.
func writeTextTable(w *bufio.Writer, t *report.Table) {
	rows := append(append([][]string{header(t)}, t.Rows...), t.Footer...)
	width := make([]int, len(t.Columns))
	for _, r := range rows {
		for i := range t.Columns {
			width[i] = max(width[i], utf8.RuneCountInString(cell(r, i)))
		}
	}
	for k, r := range rows {
		if k == len(rows)-len(t.Footer) && len(t.Footer) > 0 {
			writeRule(w, width)
		}
		var line strings.Builder
		for i, c := range t.Columns {
			s := cell(r, i)
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
			writeRule(w, width)
		}
	}
}

// writeRule writes a line of dashes under each column.
func writeRule(w *bufio.Writer, width []int) {
	for i, n := range width {
		if i > 0 {
			w.WriteString("  ")
		}
		w.WriteString(strings.Repeat("-", n))
	}
	w.WriteString("\n")
}

// writeMarkdownTable writes a pipe table; numeric columns align right.
func writeMarkdownTable(w *bufio.Writer, t *report.Table) {
	writeMarkdownRow(w, header(t), len(t.Columns))
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
		writeMarkdownRow(w, r, len(t.Columns))
	}
	for _, r := range t.Footer {
		bold := make([]string, len(r))
		for i, c := range r {
			if c != "" {
				bold[i] = "**" + c + "**"
			}
		}
		writeMarkdownRow(w, bold, len(t.Columns))
	}
}

// writeMarkdownRow writes one row of a pipe table, escaping pipes.
func writeMarkdownRow(w *bufio.Writer, r []string, n int) {
	w.WriteString("|")
	for i := range n {
		w.WriteString(" " + strings.ReplaceAll(cell(r, i), "|", `\|`) + " |")
	}
	w.WriteString("\n")
}

// header returns the column titles.
func header(t *report.Table) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Title
	}
	return out
}

// cell returns r[i], or "" past its end.
func cell(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}
