package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
)

// Table is a table of text cells.
type Table struct {
	// Caption titles the table.
	Caption string
	// Columns head the columns; Rows hold one cell per column (missing
	// cells are empty, extra ones dropped).
	Columns []Column
	Rows    [][]string
	// Footer rows, such as totals, are set apart below the rows.
	Footer [][]string
	// Highlight lists the indexes in Rows of the rows to set apart, such
	// as those breaking a limit: they are shaded and barred on the left.
	// A cell should say why too, so that the table reads the same without
	// color.
	Highlight []int
}

// Column is a table column.
type Column struct {
	// Title heads the column.
	Title string
	// Numeric aligns the column's cells to the right, digits in columns.
	Numeric bool
	// Colors maps a cell's text to a CSS color, drawn as a swatch before
	// the text, such as the color of the category the cell names in the
	// page's charts. Cells without an entry have no swatch.
	Colors map[string]string
}

func (t Table) render(w *writer) {
	w.raw("<div class=\"tablewrap\"><table>\n")
	if t.Caption != "" {
		w.printf("<caption>%s</caption>\n", esc(t.Caption))
	}
	w.raw("<thead><tr>")
	for _, c := range t.Columns {
		w.printf("<th%s>%s</th>", numClass(c), esc(c.Title))
	}
	w.raw("</tr></thead>\n<tbody>\n")
	t.rows(w, t.Rows, t.Highlight)
	w.raw("</tbody>\n")
	if len(t.Footer) > 0 {
		w.raw("<tfoot>\n")
		t.rows(w, t.Footer, nil)
		w.raw("</tfoot>\n")
	}
	w.raw("</table></div>\n")
}

// rows writes rows of cells under the table's columns, setting apart
// those whose index is in highlight.
func (t Table) rows(w *writer, rows [][]string, highlight []int) {
	for k, r := range rows {
		if slices.Contains(highlight, k) {
			w.raw(`<tr class="flag">`)
		} else {
			w.raw("<tr>")
		}
		for i, c := range t.Columns {
			cell := ""
			if i < len(r) {
				cell = r[i]
			}
			swatch := ""
			if color, ok := c.Colors[cell]; ok && color != "" {
				swatch = `<span class="swatch" style="background:` + esc(color) + `"></span>`
			}
			w.printf("<td%s>%s%s</td>", numClass(c), swatch, esc(cell))
		}
		w.raw("</tr>\n")
	}
}

// numClass returns the class attribute of a numeric column's cells.
func numClass(c Column) string {
	if c.Numeric {
		return ` class="num"`
	}
	return ""
}

// writer writes to a buffered writer and keeps the first error.
type writer struct {
	w   *bufio.Writer
	err error
}

// raw writes s as is.
func (w *writer) raw(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// printf writes a formatted string; arguments must be escaped already.
func (w *writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

// newWriter wraps w.
func newWriter(w io.Writer) *writer { return &writer{w: bufio.NewWriter(w)} }

// flush flushes the buffer and returns the first error.
func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}
