package simulator

import (
	"cmp"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strings"
)

// Frontier chart geometry, in SVG user units (pixels); the width and the
// margins are WriteChart's.
const (
	frontierPanelHeight = 320
	frontierPanelGap    = 64
	frontierTop         = 84
)

// frontierColors are the curves' colours, in order.
var frontierColors = [...]string{"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"}

// WriteFrontierChart draws c as an SVG image: one panel per start-up
// delay, each plotting every curve's unserved fraction (log scale, y)
// against its pod-hours (x), a line through its efficient points, a dot
// per point labelled with its knob value (hollow when dominated, ringed at
// the default), and the oracle's pod-hours as a dashed vertical line.
// Points with no unserved demand, which a log scale cannot show, sit on
// the panel's bottom edge as diamonds.
func WriteFrontierChart(w io.Writer, c FrontierComparison) error {
	if len(c.Runs) == 0 || len(c.Runs[0].Frontier.Curves) == 0 {
		return errors.New("no curve to chart")
	}
	height := frontierTop + len(c.Runs)*(frontierPanelHeight+frontierPanelGap) + chartBottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		chartWidth, height, chartWidth, height)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	fmt.Fprintf(&b, `<text x="%d" y="20" font-size="14" font-weight="bold">%s: unserved demand against pod-hours over each policy's knob</text>`+"\n",
		chartLeft, html.EscapeString(c.Setup.Trace))
	x := chartLeft
	for i, curve := range c.Runs[0].Frontier.Curves {
		label := fmt.Sprintf("%s (points labelled with %s)", curve.Name, curve.KnobName())
		fmt.Fprintf(&b, `<rect x="%d" y="30" width="12" height="10" fill="%s"/><text x="%d" y="39">%s</text>`+"\n",
			x, frontierColors[i%len(frontierColors)], x+16, html.EscapeString(label))
		x += 32 + 6*len([]rune(label))
	}
	fmt.Fprintf(&b, `<text x="%d" y="56" fill="#444">hollow: dominated; ringed: default; diamond on the bottom edge: no unserved demand; dashed: the oracle's pod-hours</text>`+"\n", chartLeft)
	for i, run := range c.Runs {
		writeFrontierPanel(&b, c.Baseline, run, frontierTop+i*(frontierPanelHeight+frontierPanelGap))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// frontierAxes maps pod-hours and unserved fractions to a panel's pixels.
type frontierAxes struct {
	xLo, xHi     float64
	decLo, decHi int // log10 of the unserved fraction at the bottom and the top
	xTicks       []float64
	bottom       float64 // the plot's bottom edge
}

// x returns the abscissa of podHours.
func (a frontierAxes) x(podHours float64) float64 {
	return chartLeft + (podHours-a.xLo)/(a.xHi-a.xLo)*chartPlotW
}

// y returns the height of unserved; 0 and below sit on the bottom edge.
func (a frontierAxes) y(unserved float64) float64 {
	if !(unserved > 0) {
		return a.bottom
	}
	f := (math.Log10(unserved) - float64(a.decLo)) / float64(a.decHi-a.decLo)
	return a.bottom - f*frontierPanelHeight
}

// newFrontierAxes fits the axes to the run's points and the oracle.
func newFrontierAxes(run FrontierRun, y0 int) frontierAxes {
	lo, hi := run.Frontier.Oracle.PodHours, run.Frontier.Oracle.PodHours
	minU, maxU := math.Inf(1), 0.0
	for _, c := range run.Frontier.Curves {
		for _, p := range c.Points {
			lo, hi = min(lo, p.PodHours), max(hi, p.PodHours)
			if p.UnservedFraction > 0 {
				minU, maxU = min(minU, p.UnservedFraction), max(maxU, p.UnservedFraction)
			}
		}
	}
	a := frontierAxes{bottom: float64(y0 + frontierPanelHeight), decLo: -4, decHi: -2}
	if maxU > 0 {
		a.decLo, a.decHi = int(math.Floor(math.Log10(minU))), int(math.Ceil(math.Log10(maxU)))
		if a.decHi == a.decLo {
			a.decHi++
		}
	}
	a.xTicks = spanTicks(lo, hi)
	a.xLo, a.xHi = a.xTicks[0], a.xTicks[len(a.xTicks)-1]
	return a
}

// spanTicks returns evenly spaced round values from at most lo to at least
// hi, about five intervals.
func spanTicks(lo, hi float64) []float64 {
	if !(hi > lo) {
		lo, hi = lo-1, hi+1
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []float64
	for v := math.Floor(lo/step) * step; ; v += step {
		ticks = append(ticks, v)
		if v >= hi {
			return ticks
		}
	}
}

// writeFrontierPanel draws one start-up delay's curves with the panel's
// top at y0.
func writeFrontierPanel(b *strings.Builder, baseline string, run FrontierRun, y0 int) {
	a := newFrontierAxes(run, y0)
	title := "start-up " + run.Startup
	for _, h := range run.Frontier.Headlines(baseline) {
		title += fmt.Sprintf("; %s ÷ %s unserved at %s's default: %s, worst %s", h.Challenger, h.Baseline, h.Baseline,
			cellRatio(h.Summary.UnservedRatioAtDefault), cellRatio(h.Summary.MaxUnservedRatio))
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">%s</text>`+"\n", chartLeft, y0-8, html.EscapeString(title))
	for d := a.decLo; d <= a.decHi; d++ {
		y := a.y(math.Pow(10, float64(d)))
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e0e0e0"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n",
			chartLeft, chartLeft+chartPlotW, y, y, chartLeft-6, y+4, decadeLabel(d))
	}
	for _, t := range a.xTicks {
		x := a.x(t)
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%.1f" stroke="#e0e0e0"/><text x="%.1f" y="%.1f" text-anchor="middle" fill="#444">%s</text>`+"\n",
			x, x, y0, a.bottom, x, a.bottom+15, tickLabel(t))
	}
	fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end" fill="#444">pod-hours</text>`+"\n", chartLeft+chartPlotW, a.bottom+30)
	mid := y0 + frontierPanelHeight/2
	fmt.Fprintf(b, `<text x="12" y="%d" transform="rotate(-90 12 %d)" text-anchor="middle" fill="#444">unserved (log scale)</text>`+"\n", mid, mid)
	ox := a.x(run.Frontier.Oracle.PodHours)
	fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%.1f" stroke="#555" stroke-dasharray="4 3"/><text x="%.1f" y="%d" fill="#555">oracle</text>`+"\n",
		ox, ox, y0, a.bottom, ox+4, y0+12)
	for i, c := range run.Frontier.Curves {
		writeFrontierCurve(b, a, c, frontierColors[i%len(frontierColors)])
	}
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`+"\n", chartLeft, y0, chartPlotW, frontierPanelHeight)
}

// writeFrontierCurve draws one curve: the efficient line, then the points.
func writeFrontierCurve(b *strings.Builder, a frontierAxes, c Curve, color string) {
	var path strings.Builder
	pen := "M"
	for _, p := range c.Efficient() {
		fmt.Fprintf(&path, "%s%.1f %.1f ", pen, a.x(p.PodHours), a.y(p.UnservedFraction))
		pen = "L"
	}
	fmt.Fprintf(b, `<path d="%s" fill="none" stroke="%s" stroke-width="1.5"/>`+"\n", strings.TrimSpace(path.String()), color)
	pts := slices.SortedFunc(slices.Values(c.Points), func(p, q CurvePoint) int { return cmp.Compare(p.PodHours, q.PodHours) })
	for _, p := range pts {
		x, y := a.x(p.PodHours), a.y(p.UnservedFraction)
		fill := color
		if !c.IsEfficient(p) {
			fill = "white"
		}
		if p.UnservedFraction > 0 {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s" stroke="%s"/>`, x, y, fill, color)
		} else {
			fmt.Fprintf(b, `<path d="M%.1f %.1f l5 -5 l5 5 l-5 5 Z" fill="%s" stroke="%s"/>`, x-5, y, fill, color)
		}
		if c.IsDefault(p) {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="7" fill="none" stroke="%s"/>`, x, y, color)
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="%s">%s</text>`+"\n", x+6, y-6, color, html.EscapeString(c.Label(p)))
	}
}

// decadeLabel formats 10^d as a percentage: 0.01%, 0.1%, 1%, 10%.
func decadeLabel(d int) string {
	if e := d + 2; e < 0 {
		return "0." + strings.Repeat("0", -e-1) + "1%"
	}
	return "1" + strings.Repeat("0", d+2) + "%"
}
