package simulator

import (
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"
)

// Chart geometry, in SVG user units (pixels).
const (
	chartWidth   = 960
	chartLeft    = 64
	chartRight   = 16
	chartTop     = 76
	panelHeight  = 150
	panelGap     = 34
	chartBottom  = 28
	chartPlotW   = chartWidth - chartLeft - chartRight
	unservedBand = 5
)

// ErrNoTimeline is returned by WriteChart when a result has no timeline.
var ErrNoTimeline = errors.New("result has no timeline: run with Settings.Timeline")

// WriteChart draws run as an SVG image: one panel per policy, sharing the
// time and demand axes, each showing the served capacity (ready pods ×
// capacity per pod) as a blue area, the demand as a dark line and, along
// the bottom, a red mark where demand went unserved (darker for a larger
// unserved share). Long traces are averaged over one step per pixel
// column. Every result must carry its timeline.
func WriteChart(w io.Writer, c Comparison, run StartupReport) error {
	if len(run.Results) == 0 {
		return errors.New("no policy to chart")
	}
	cols := make([][]chartColumn, len(run.Results))
	top := 0.0
	for i, r := range run.Results {
		if len(r.Timeline) == 0 {
			return fmt.Errorf("policy %s: %w", r.Policy, ErrNoTimeline)
		}
		cols[i] = chartColumns(r.Timeline, c.CapacityPerPod)
		for _, col := range cols[i] {
			top = max(top, col.demand, col.capacity)
		}
	}
	yTicks := niceTicks(top)
	yMax := yTicks[len(yTicks)-1]
	height := chartTop + len(run.Results)*(panelHeight+panelGap) + chartBottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		chartWidth, height, chartWidth, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	loc := c.Start.Location()
	fmt.Fprintf(&b, `<text x="%d" y="20" font-size="14" font-weight="bold">%s: demand and served capacity, start-up %s (times %s)</text>`+"\n",
		chartLeft, html.EscapeString(c.Trace), html.EscapeString(run.Startup), html.EscapeString(loc.String()))
	writeLegend(&b)
	start, end := run.Results[0].Timeline[0].Time, c.Start.Add(time.Duration(c.Steps)*c.Step)
	for i, r := range run.Results {
		y0 := chartTop + i*(panelHeight+panelGap)
		writePanel(&b, r, cols[i], y0, yTicks, yMax)
		writeTimeAxis(&b, start.In(loc), end.In(loc), y0+panelHeight)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// chartColumn is one pixel column: the mean demand and served capacity of
// its steps, and the unserved share of its demand.
type chartColumn struct {
	demand, capacity, unserved float64
	known                      bool
}

// chartColumns averages the timeline into at most chartPlotW columns.
func chartColumns(tl []Point, capacity float64) []chartColumn {
	n := min(len(tl), chartPlotW)
	out := make([]chartColumn, n)
	for k := range out {
		lo, hi := k*len(tl)/n, (k+1)*len(tl)/n
		var d, cp, un float64
		known := 0
		for _, p := range tl[lo:hi] {
			cp += float64(p.Ready) * capacity
			if !math.IsNaN(p.Demand) {
				d += p.Demand
				un += p.Demand * p.Unserved
				known++
			}
		}
		col := chartColumn{capacity: cp / float64(hi-lo), known: known > 0}
		if known > 0 {
			col.demand = d / float64(known)
			if d > 0 {
				col.unserved = un / d
			}
		}
		out[k] = col
	}
	return out
}

func writeLegend(b *strings.Builder) {
	items := []struct{ color, label string }{
		{"#9ecae1", "served capacity (ready pods × capacity per pod)"},
		{"#252525", "demand"},
		{"#d62728", "unserved demand"},
	}
	x := chartLeft
	for _, it := range items {
		fmt.Fprintf(b, `<rect x="%d" y="30" width="12" height="10" fill="%s"/><text x="%d" y="39">%s</text>`+"\n", x, it.color, x+16, html.EscapeString(it.label))
		x += 32 + 7*len([]rune(it.label))
	}
}

// writePanel draws one policy's panel with its top at y0.
func writePanel(b *strings.Builder, r Result, cols []chartColumn, y0 int, yTicks []float64, yMax float64) {
	yOf := func(v float64) float64 { return float64(y0+panelHeight) - v/yMax*panelHeight }
	xOf := func(k int) float64 { return chartLeft + float64(k)*chartPlotW/float64(len(cols)) }
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">%s</text><text x="%d" y="%d" fill="#444">unserved %s, pod-hours %.1f%s, peak %d replicas</text>`+"\n",
		chartLeft, y0-6, html.EscapeString(r.Policy), chartLeft+8*len(r.Policy)+12, y0-6,
		percent(r.UnservedFraction), r.PodHours, times(r.VsOracle.PodHours), r.PeakReplicas)
	for _, t := range yTicks {
		y := yOf(t)
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e0e0e0"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n",
			chartLeft, chartLeft+chartPlotW, y, y, chartLeft-6, y+4, tickLabel(t))
	}
	var area, line strings.Builder
	fmt.Fprintf(&area, "M%.1f %.1f", xOf(0), yOf(0))
	for k, col := range cols {
		fmt.Fprintf(&area, " L%.1f %.1f L%.1f %.1f", xOf(k), yOf(col.capacity), xOf(k+1), yOf(col.capacity))
	}
	fmt.Fprintf(&area, " L%.1f %.1f Z", xOf(len(cols)), yOf(0))
	fmt.Fprintf(b, `<path d="%s" fill="#9ecae1"/>`+"\n", area.String())
	pen := "M"
	for k, col := range cols {
		if !col.known {
			pen = "M"
			continue
		}
		fmt.Fprintf(&line, "%s%.1f %.1f ", pen, (xOf(k)+xOf(k+1))/2, yOf(col.demand))
		pen = "L"
	}
	fmt.Fprintf(b, `<path d="%s" fill="none" stroke="#252525" stroke-width="1"/>`+"\n", strings.TrimSpace(line.String()))
	for k, col := range cols {
		if col.unserved > 0 {
			fmt.Fprintf(b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#d62728" fill-opacity="%.2f"/>`+"\n",
				xOf(k), y0+panelHeight-unservedBand, max(xOf(k+1)-xOf(k), 1), unservedBand, 0.3+0.7*min(col.unserved*10, 1))
		}
	}
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`+"\n", chartLeft, y0, chartPlotW, panelHeight)
}

// writeTimeAxis writes the time ticks under a panel whose bottom is at y,
// labelled and aligned in the time zone of start.
func writeTimeAxis(b *strings.Builder, start, end time.Time, y int) {
	span := end.Sub(start)
	if span <= 0 {
		return
	}
	every, layout := timeTick(span)
	_, offset := start.Zone()
	shift := time.Duration(offset) * time.Second
	for t := start.Add(shift).Truncate(every).Add(-shift); !t.After(end); t = t.Add(every) {
		if t.Before(start) {
			continue
		}
		x := chartLeft + float64(t.Sub(start))/float64(span)*chartPlotW
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#888"/><text x="%.1f" y="%d" text-anchor="middle" fill="#444">%s</text>`+"\n",
			x, x, y, y+4, x, y+15, t.Format(layout))
	}
}

// timeTick returns a tick interval giving at most about ten ticks over
// span, and the layout of its labels (in the trace's time zone).
func timeTick(span time.Duration) (time.Duration, string) {
	for _, c := range []struct {
		every  time.Duration
		layout string
	}{
		{time.Minute, "15:04"}, {5 * time.Minute, "15:04"}, {15 * time.Minute, "15:04"}, {time.Hour, "15:04"},
		{3 * time.Hour, "Jan 2 15:04"}, {6 * time.Hour, "Jan 2 15:04"}, {12 * time.Hour, "Jan 2 15:04"},
		{24 * time.Hour, "Jan 2"}, {2 * 24 * time.Hour, "Jan 2"}, {7 * 24 * time.Hour, "Jan 2"}, {28 * 24 * time.Hour, "Jan 2"},
	} {
		if span/c.every <= 10 {
			return c.every, c.layout
		}
	}
	return 365 * 24 * time.Hour, "2006"
}

// niceTicks returns 0 and evenly spaced round values up to at least top.
func niceTicks(top float64) []float64 {
	if !(top > 0) {
		return []float64{0, 1}
	}
	raw := top / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []float64
	for v := 0.0; ; v += step {
		ticks = append(ticks, v)
		if v >= top {
			return ticks
		}
	}
}

// tickLabel formats a demand tick compactly.
func tickLabel(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%gM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%gk", v/1e3)
	}
	return fmt.Sprintf("%g", v)
}
