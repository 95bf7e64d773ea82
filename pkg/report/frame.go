package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Series is a named sequence of values, one per x position of its chart.
type Series struct {
	// Name labels the series in the legend and tooltips.
	Name string
	// Values are the series' values; NaN is a missing value (a gap in a
	// line, zero in a stack).
	Values []float64
	// Color is a CSS color; empty takes the palette's color for the
	// series' position.
	Color string
}

// Okabe and Ito's color-blind-safe palette, most distinct first, for
// series; darker colors for the dashed reference lines.
const (
	palette        = "#0072B2 #E69F00 #009E73 #D55E00 #56B4E9 #CC79A7 #F0E442 #7F7F7F"
	overlayPalette = "#1d2733 #C0392B #6C3483 #7F7F7F"
)

// PaletteColor returns the i-th color of the palette series are drawn in
// (Okabe and Ito's, distinct for common forms of color blindness), cycling
// past its end. Giving a category the same i in every chart, and in the
// Colors of a table's column, keeps its color across a page.
func PaletteColor(i int) string {
	colors := strings.Fields(palette)
	n := len(colors)
	return colors[(i%n+n)%n]
}

// colorOf returns the series' color, or the i-th color of the palette pal
// (space-separated).
func colorOf(s Series, i int, pal string) string {
	if s.Color != "" {
		return s.Color
	}
	colors := strings.Fields(pal)
	return colors[i%len(colors)]
}

// checkSeries checks that every series has n values.
func checkSeries(chart string, n int, groups ...[]Series) error {
	for _, g := range groups {
		for _, s := range g {
			if len(s.Values) != n {
				return fmt.Errorf("chart %q, series %q: %d values for %d positions: %w", chart, s.Name, len(s.Values), n, ErrSeriesLength)
			}
		}
	}
	return nil
}

// Chart geometry, in SVG user units (CSS pixels at full size).
const (
	defaultWidth  = 960.0
	defaultHeight = 240.0 // plot area
	marginLeft    = 64.0
	marginRight   = 20.0
	marginTop     = 22.0 // room for the unit label
	marginBottom  = 34.0
	titleHeight   = 26.0
	legendRowH    = 20.0
	fontSize      = 12.0
)

// frame is the layout of one chart: the plot area and its y scale.
type frame struct {
	width, height            float64 // whole chart
	left, top, right, bottom float64 // plot area
	lo, hi                   float64 // y domain
	ticks                    []float64
	format                   func(float64) string
	legend                   []legendItem
	legendY                  float64
}

// legendItem is one entry of a chart's legend.
type legendItem struct {
	name, color string
	dashed      bool
}

// newFrame lays out a chart of the given width and plot height with a
// legend, a title when standalone, and a y axis covering [lo, hi].
func newFrame(width, plotH float64, title bool, legend []legendItem, lo, hi float64, format func(float64) string) *frame {
	if width <= 0 {
		width = defaultWidth
	}
	if plotH <= 0 {
		plotH = defaultHeight
	}
	if format == nil {
		format = FormatNumber
	}
	f := &frame{width: width, format: format, legend: legend, left: marginLeft, right: width - marginRight}
	y := 4.0
	if title {
		y += titleHeight
	}
	f.legendY = y
	y += float64(f.legendRows()) * legendRowH
	f.top = y + marginTop
	f.bottom = f.top + plotH
	f.height = f.bottom + marginBottom
	f.ticks = valueTicks(lo, hi, int(math.Max(3, plotH/50)))
	f.lo, f.hi = f.ticks[0], f.ticks[len(f.ticks)-1]
	return f
}

// textWidth estimates the width of s at the chart's font size.
func textWidth(s string) float64 { return 0.6 * fontSize * float64(len([]rune(s))) }

// legendRows counts the rows the legend wraps to.
func (f *frame) legendRows() int {
	if len(f.legend) == 0 {
		return 0
	}
	rows, x := 1, f.left
	for _, it := range f.legend {
		w := 22 + textWidth(it.name) + 18
		if x+w > f.right && x > f.left {
			rows++
			x = f.left
		}
		x += w
	}
	return rows
}

// y maps a value to its vertical position.
func (f *frame) y(v float64) float64 {
	return f.bottom - (v-f.lo)/(f.hi-f.lo)*(f.bottom-f.top)
}

// open starts the SVG element; standalone adds the namespace and the title
// as text.
func (f *frame) open(w *writer, title string, standalone bool) {
	ns := ""
	if standalone {
		ns = ` xmlns="http://www.w3.org/2000/svg"`
	}
	w.printf(`<svg%s viewBox="0 0 %s %s" width="%s" height="%s" role="img" font-family="system-ui,sans-serif" font-size="%s">`,
		ns, num(f.width), num(f.height), num(f.width), num(f.height), num(fontSize))
	w.printf("<title>%s</title>", esc(title))
	if standalone {
		w.printf("<style>%s</style>", hoverCSS)
		w.printf(`<rect width="100%%" height="100%%" fill="#fff"/><text x="%s" y="20" font-size="15" font-weight="600" fill="#1d2733">%s</text>`, num(f.left), esc(title))
	}
	w.raw("\n")
}

// drawLegend draws the legend rows above the plot.
func (f *frame) drawLegend(w *writer) {
	if len(f.legend) == 0 {
		return
	}
	w.raw(`<g class="legend">`)
	x, y := f.left, f.legendY+legendRowH/2
	for _, it := range f.legend {
		wd := 22 + textWidth(it.name) + 18
		if x+wd > f.right && x > f.left {
			x, y = f.left, y+legendRowH
		}
		if it.dashed {
			w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="5 3"/>`, num(x), num(y), num(x+16), num(y), it.color)
		} else {
			w.printf(`<rect x="%s" y="%s" width="14" height="10" rx="2" fill="%s"/>`, num(x), num(y-5), it.color)
		}
		w.printf(`<text x="%s" y="%s" dominant-baseline="middle" fill="#1d2733">%s</text>`, num(x+22), num(y+1), esc(it.name))
		x += wd
	}
	w.raw("</g>\n")
}

// drawYAxis draws the horizontal grid lines, their labels and the unit.
func (f *frame) drawYAxis(w *writer, unit string) {
	w.raw(`<g class="y-axis">`)
	for _, v := range f.ticks {
		y := f.y(v)
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e3e7ec"/>`, num(f.left), num(y), num(f.right), num(y))
		w.printf(`<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle" fill="#5b6877">%s</text>`, num(f.left-8), num(y), esc(f.format(v)))
	}
	if unit != "" {
		w.printf(`<text x="%s" y="%s" fill="#5b6877">%s</text>`, num(f.left-8), num(f.top-10), esc(unit))
	}
	w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, num(f.left), num(f.y(0)), num(f.right), num(f.y(0)))
	w.raw("</g>\n")
}

// hoverCSS shades the tooltip column or bar under the pointer.
const hoverCSS = ".hover rect:hover{fill-opacity:.08}.series rect:hover{opacity:.8}"

// num formats a coordinate with at most one decimal.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return trim(strconv.FormatFloat(v, 'f', 1, 64))
}
