package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// TimeChart draws several series over time, as lines or as stacked areas.
type TimeChart struct {
	// Title names the chart.
	Title string
	// Unit labels the y axis, such as "$/hour" or "nodes", and follows
	// values in tooltips.
	Unit string
	// Times are the x positions, strictly increasing; every series has one
	// value per time.
	Times []time.Time
	// Series are drawn as lines, or as areas stacked bottom up in order
	// when Stacked is set.
	Series []Series
	// Stacked stacks the series as areas, so that the top edge is their
	// total.
	Stacked bool
	// Steps holds each value until the next time, as a plan holds from one
	// instant to the next; the last value holds for as long as the
	// interval before it. Otherwise values are joined by straight lines.
	Steps bool
	// Overlay are dashed reference lines drawn over the series and not
	// stacked, such as a baseline's cost.
	Overlay []Series
	// Marks shade spans of time or mark instants behind the series, each
	// labelled with its name, such as the events of a calendar. Marks
	// outside the chart's time range are not drawn.
	Marks []Mark
	// YMax fixes the top of the y axis, such as 100 for percentages; zero
	// fits the data.
	YMax float64
	// Format formats y values on the axis and in tooltips; nil means
	// FormatNumber.
	Format func(float64) string
	// Location is the time zone of the time labels; nil means UTC.
	Location *time.Location
	// Width is the chart's width in CSS pixels at full size, and Height the
	// plot area's; zero means 960 and 240. Charts scale down to their
	// container.
	Width, Height float64
}

// check validates the chart's shape.
func (c *TimeChart) check() error {
	if len(c.Times) == 0 {
		return fmt.Errorf("chart %q: no times: %w", c.Title, ErrTimes)
	}
	for i := 1; i < len(c.Times); i++ {
		if !c.Times[i].After(c.Times[i-1]) {
			return fmt.Errorf("chart %q: time %d: %w", c.Title, i, ErrTimes)
		}
	}
	return checkSeries(c.Title, len(c.Times), c.Series, c.Overlay)
}

// WriteSVG writes the chart alone as an SVG document.
func (c *TimeChart) WriteSVG(w io.Writer) error {
	if err := c.check(); err != nil {
		return err
	}
	out := newWriter(w)
	c.svg(out, true)
	return out.flush()
}

func (c *TimeChart) render(w *writer) {
	w.printf("<figure class=\"chart\"><figcaption>%s</figcaption>\n", esc(c.Title))
	c.svg(w, false)
	w.raw("</figure>\n")
}

// svg draws the chart.
func (c *TimeChart) svg(w *writer, standalone bool) {
	lo, hi := c.extent()
	f := newFrame(c.Width, c.Height, standalone, c.legend(), lo, hi, c.Format)
	x := c.xScale(f)
	f.open(w, c.Title, standalone)
	f.drawLegend(w)
	f.drawYAxis(w, c.Unit)
	c.drawXAxis(w, f, x)
	c.drawMarks(w, f, x)
	tops := c.stackTops()
	for i, s := range c.Series {
		color := colorOf(s, i, palette)
		if c.Stacked {
			var base []float64
			if i > 0 {
				base = tops[i-1]
			}
			d := areaPath(c.vertices(f, x, tops[i]), c.vertices(f, x, base))
			w.printf(`<path class="series" data-name="%s" d="%s" fill="%s" fill-opacity="0.82" stroke="%s" stroke-width="1"/>`+"\n", esc(s.Name), d, color, color)
			continue
		}
		d := linePath(c.vertices(f, x, s.Values))
		w.printf(`<path class="series" data-name="%s" d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"/>`+"\n", esc(s.Name), d, color)
	}
	for i, s := range c.Overlay {
		d := linePath(c.vertices(f, x, s.Values))
		w.printf(`<path class="overlay" data-name="%s" d="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="7 4"/>`+"\n", esc(s.Name), d, colorOf(s, i, overlayPalette))
	}
	c.drawHover(w, f, x, tops)
	w.raw("</svg>\n")
}

// extent returns the lowest and highest value drawn.
func (c *TimeChart) extent() (lo, hi float64) {
	all := c.Overlay
	if c.Stacked {
		tops := c.stackTops()
		if len(tops) > 0 {
			all = append(all, Series{Values: tops[len(tops)-1]})
		}
	} else {
		all = append(all, c.Series...)
	}
	for _, s := range all {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if c.YMax > 0 {
		hi = c.YMax
	}
	return lo, hi
}

// stackTops returns the cumulative sums of the series (NaN counting as
// zero) when stacked, the series' values otherwise.
func (c *TimeChart) stackTops() [][]float64 {
	out := make([][]float64, len(c.Series))
	for i, s := range c.Series {
		if !c.Stacked {
			out[i] = s.Values
			continue
		}
		out[i] = make([]float64, len(c.Times))
		for j, v := range s.Values {
			if i > 0 {
				out[i][j] = out[i-1][j]
			}
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				out[i][j] += v
			}
		}
	}
	return out
}

// legend lists the series, then the overlays.
func (c *TimeChart) legend() []legendItem {
	var out []legendItem
	for i, s := range c.Series {
		out = append(out, legendItem{name: s.Name, color: colorOf(s, i, palette)})
	}
	for i, s := range c.Overlay {
		out = append(out, legendItem{name: s.Name, color: colorOf(s, i, overlayPalette), dashed: true})
	}
	return out
}

// end returns the instant the x axis ends at.
func (c *TimeChart) end() time.Time {
	n := len(c.Times)
	switch {
	case !c.Steps && n > 1:
		return c.Times[n-1]
	case n > 1:
		return c.Times[n-1].Add(c.Times[n-1].Sub(c.Times[n-2]))
	}
	return c.Times[0].Add(time.Hour)
}

// xScale maps an instant to its horizontal position.
func (c *TimeChart) xScale(f *frame) func(time.Time) float64 {
	t0, span := c.Times[0], float64(c.end().Sub(c.Times[0]))
	return func(t time.Time) float64 { return f.left + float64(t.Sub(t0))/span*(f.right-f.left) }
}

// drawXAxis draws the time ticks and labels.
func (c *TimeChart) drawXAxis(w *writer, f *frame, x func(time.Time) float64) {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	ticks, step := timeTicks(c.Times[0], c.end(), int((f.right-f.left)/80), loc)
	w.raw(`<g class="x-axis">`)
	for _, t := range ticks {
		px := x(t)
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, num(px), num(f.bottom), num(px), num(f.bottom+5))
		w.printf(`<text x="%s" y="%s" text-anchor="middle" fill="#5b6877">%s</text>`, num(px), num(f.bottom+18), esc(timeLabel(t, step, loc)))
	}
	w.raw("</g>\n")
}

// point is a vertex of a path; gap starts a new subpath.
type point struct {
	x, y float64
	gap  bool
}

// vertices returns the path vertices of values (nil values: the zero
// line), as steps or straight segments; NaN values leave gaps.
func (c *TimeChart) vertices(f *frame, x func(time.Time) float64, values []float64) []point {
	out := make([]point, 0, 2*len(c.Times))
	gap := true
	for i, t := range c.Times {
		v := 0.0
		if values != nil {
			v = values[i]
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			gap = true
			continue
		}
		y := f.y(v)
		out = append(out, point{x: x(t), y: y, gap: gap})
		gap = false
		if c.Steps {
			next := c.end()
			if i+1 < len(c.Times) {
				next = c.Times[i+1]
			}
			out = append(out, point{x: x(next), y: y})
		}
	}
	return out
}

// linePath joins the vertices, starting a subpath at each gap.
func linePath(pts []point) string {
	var b strings.Builder
	for i, p := range pts {
		cmd := "L"
		if i == 0 || p.gap {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%s %s", cmd, num(p.x), num(p.y))
	}
	return b.String()
}

// areaPath closes the region between a top edge and a bottom edge drawn
// backwards.
func areaPath(top, bottom []point) string {
	var b strings.Builder
	for i, p := range top {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%s %s", cmd, num(p.x), num(p.y))
	}
	for i := len(bottom) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "L%s %s", num(bottom[i].x), num(bottom[i].y))
	}
	b.WriteString("Z")
	return b.String()
}
