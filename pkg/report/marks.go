package report

import (
	"time"
)

// Mark is a span of time, or one instant, shaded behind a time chart's
// series and labelled with its name, such as a calendar event.
type Mark struct {
	// Name labels the mark at the top of the plot.
	Name string
	// From and To bound the span, To exclusive; a To not after From marks
	// the instant From with a vertical line.
	From, To time.Time
	// Color is a CSS color; empty means a neutral grey.
	Color string
}

// markColor is the color of a mark that names none.
const markColor = "#7F7F7F"

// markLabelRows is the number of rows the marks' labels are staggered
// over, so that the labels of close marks do not overlap.
const markLabelRows = 3

// drawMarks shades each mark's span (or draws its instant) within the
// chart's time range and writes its name at the top of the plot.
func (c *TimeChart) drawMarks(w *writer, f *frame, x func(time.Time) float64) {
	if len(c.Marks) == 0 {
		return
	}
	t0, t1 := c.Times[0], c.end()
	w.raw(`<g class="marks">`)
	for i, m := range c.Marks {
		color := m.Color
		if color == "" {
			color = markColor
		}
		if m.From.Before(t0) && !m.To.After(t0) || !m.From.Before(t1) {
			continue
		}
		from := x(maxTime(m.From, t0))
		w.printf(`<g class="mark" data-name="%s">`, esc(m.Name))
		if m.To.After(m.From) {
			to := x(minTime(m.To, t1))
			w.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.13"/>`,
				num(from), num(f.top), num(to-from), num(f.bottom-f.top), color)
		} else {
			w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="3 3"/>`,
				num(from), num(f.top), num(from), num(f.bottom), color)
		}
		y := f.top + 12 + float64(i%markLabelRows)*14
		w.printf(`<text x="%s" y="%s" fill="%s" font-size="11">%s</text></g>`, num(from+3), num(y), color, esc(m.Name))
	}
	w.raw("</g>\n")
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
