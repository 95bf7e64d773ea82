package report

import (
	"fmt"
	"io"
	"math"
)

// BarChart draws one bar per category, each stacked from the series'
// values for that category.
type BarChart struct {
	// Title names the chart.
	Title string
	// Unit labels the y axis and follows values in tooltips.
	Unit string
	// Categories label the bars, left to right.
	Categories []string
	// Series are the stacked segments, bottom up; Values[i] belongs to
	// Categories[i]. Negative and NaN values count as zero.
	Series []Series
	// Format formats values on the axis, in tooltips and above the bars;
	// nil means FormatNumber.
	Format func(float64) string
	// Width is the chart's width in CSS pixels at full size, and Height the
	// plot area's; zero means 960 and 240.
	Width, Height float64
}

// check validates the chart's shape.
func (c *BarChart) check() error {
	if len(c.Categories) == 0 {
		return fmt.Errorf("chart %q: %w", c.Title, ErrNoCategories)
	}
	return checkSeries(c.Title, len(c.Categories), c.Series)
}

// WriteSVG writes the chart alone as an SVG document.
func (c *BarChart) WriteSVG(w io.Writer) error {
	if err := c.check(); err != nil {
		return err
	}
	out := newWriter(w)
	c.svg(out, true)
	return out.flush()
}

func (c *BarChart) render(w *writer) {
	w.printf("<figure class=\"chart\"><figcaption>%s</figcaption>\n", esc(c.Title))
	c.svg(w, false)
	w.raw("</figure>\n")
}

// segment returns the drawn height of a value.
func segment(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// totals returns the stacked height of each bar.
func (c *BarChart) totals() []float64 {
	out := make([]float64, len(c.Categories))
	for _, s := range c.Series {
		for i, v := range s.Values {
			out[i] += segment(v)
		}
	}
	return out
}

// svg draws the chart.
func (c *BarChart) svg(w *writer, standalone bool) {
	totals := c.totals()
	hi := 0.0
	for _, t := range totals {
		hi = max(hi, t)
	}
	var legend []legendItem
	if len(c.Series) > 1 {
		for i, s := range c.Series {
			legend = append(legend, legendItem{name: s.Name, color: colorOf(s, i, palette)})
		}
	}
	f := newFrame(c.Width, c.Height, standalone, legend, 0, hi*1.08, c.Format)
	f.open(w, c.Title, standalone)
	f.drawLegend(w)
	f.drawYAxis(w, c.Unit)
	slot := (f.right - f.left) / float64(len(c.Categories))
	barW := math.Min(slot*0.62, 120)
	base := make([]float64, len(c.Categories))
	for i, s := range c.Series {
		w.printf(`<g class="series" data-name="%s" fill="%s">`, esc(s.Name), colorOf(s, i, palette))
		for j, v := range s.Values {
			h := segment(v)
			if h == 0 {
				continue
			}
			x := f.left + slot*float64(j) + (slot-barW)/2
			y0, y1 := f.y(base[j]), f.y(base[j]+h)
			w.printf(`<rect x="%s" y="%s" width="%s" height="%s"><title>%s</title></rect>`,
				num(x), num(y1), num(barW), num(y0-y1), esc(c.Categories[j]+" – "+s.Name+": "+c.value(v)))
			base[j] += h
		}
		w.raw("</g>\n")
	}
	c.drawLabels(w, f, slot, totals)
	w.raw("</svg>\n")
}

// drawLabels writes each bar's category below it and its total above.
func (c *BarChart) drawLabels(w *writer, f *frame, slot float64, totals []float64) {
	format := f.format
	w.raw(`<g class="x-axis">`)
	for j, name := range c.Categories {
		cx := f.left + slot*(float64(j)+0.5)
		w.printf(`<text x="%s" y="%s" text-anchor="middle" fill="#1d2733">%s</text>`, num(cx), num(f.bottom+18), esc(name))
		w.printf(`<text x="%s" y="%s" text-anchor="middle" font-weight="600" fill="#1d2733">%s</text>`, num(cx), num(f.y(totals[j])-6), esc(format(totals[j])))
	}
	w.raw("</g>\n")
}

// value formats v with the unit.
func (c *BarChart) value(v float64) string {
	format := c.Format
	if format == nil {
		format = FormatNumber
	}
	if c.Unit == "" {
		return format(v)
	}
	return format(v) + " " + c.Unit
}
