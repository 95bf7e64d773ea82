package report

import (
	"math"
	"strings"
	"time"
)

// maxHoverColumns bounds the tooltip columns of a time chart; longer
// charts get one column per group of consecutive times, showing the
// group's first.
const maxHoverColumns = 480

// drawHover covers the plot with invisible columns, one per time (or
// group of times), each with a tooltip listing the values there.
func (c *TimeChart) drawHover(w *writer, f *frame, x func(time.Time) float64, tops [][]float64) {
	n := len(c.Times)
	k := (n + maxHoverColumns - 1) / maxHoverColumns
	w.raw(`<g class="hover" fill="#1d2733" fill-opacity="0">`)
	for i := 0; i < n; i += k {
		x0, x1 := c.column(f, x, i, min(i+k, n))
		w.printf(`<rect x="%s" y="%s" width="%s" height="%s"><title>%s</title></rect>`,
			num(x0), num(f.top), num(max(x1-x0, 0.5)), num(f.bottom-f.top), esc(c.tooltip(i, tops)))
	}
	w.raw("</g>\n")
}

// column returns the horizontal extent of the times [i, j).
func (c *TimeChart) column(f *frame, x func(time.Time) float64, i, j int) (float64, float64) {
	if c.Steps {
		end := c.end()
		if j < len(c.Times) {
			end = c.Times[j]
		}
		return x(c.Times[i]), x(end)
	}
	x0, x1 := f.left, f.right
	if i > 0 {
		x0 = (x(c.Times[i-1]) + x(c.Times[i])) / 2
	}
	if j < len(c.Times) {
		x1 = (x(c.Times[j-1]) + x(c.Times[j])) / 2
	}
	return x0, x1
}

// tooltip lists the time and every value at position i, and the total of
// a stack.
func (c *TimeChart) tooltip(i int, tops [][]float64) string {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	format := c.Format
	if format == nil {
		format = FormatNumber
	}
	value := func(v float64) string {
		s := format(v)
		if c.Unit != "" && !math.IsNaN(v) {
			s += " " + c.Unit
		}
		return s
	}
	var b strings.Builder
	b.WriteString(c.Times[i].In(loc).Format("Mon 2 Jan 2006 15:04 MST"))
	for j := len(c.Series) - 1; j >= 0; j-- { // top of a stack first
		b.WriteString("\n" + c.Series[j].Name + ": " + value(c.Series[j].Values[i]))
	}
	if c.Stacked && len(c.Series) > 1 {
		b.WriteString("\ntotal: " + value(tops[len(tops)-1][i]))
	}
	for _, s := range c.Overlay {
		b.WriteString("\n" + s.Name + ": " + value(s.Values[i]))
	}
	return b.String()
}
