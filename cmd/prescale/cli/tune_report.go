package cli

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// tuneReport is what prescale tune found: the sweep on the tuning window,
// each curve's choice, the choices re-checked on the holdout, and the
// prescale trigger's metadata.
type tuneReport struct {
	trace, startup       string
	slo                  float64
	tuning, holdout      tuneWindow
	parameters           []simulator.Parameter
	oracle               simulator.Result // on the tuning window
	reactive, predictive tunePick
	leadMargin           time.Duration
	// metadata are the trigger's keys and values, in the order printed;
	// notes are comments printed with them. Both are empty when no risk
	// meets the SLO.
	metadata []metadataEntry
	notes    []string
}

// tuneWindow is a span of the simulated trace.
type tuneWindow struct {
	start time.Time
	step  time.Duration
	steps int
}

func windowOf(y timeseries.Series) tuneWindow {
	return tuneWindow{start: y.Start, step: y.Step, steps: y.Len()}
}

func (w tuneWindow) end() time.Time { return w.start.Add(time.Duration(w.steps) * w.step) }

// String describes the window: its bounds, length and steps.
func (w tuneWindow) String() string {
	return fmt.Sprintf("%s .. %s (%s, %d steps of %s)", stamp(w.start), stamp(w.end()),
		scaler.FormatDuration(time.Duration(w.steps)*w.step), w.steps, shortDuration(w.step))
}

// tunePick is one curve on the tuning window and its choice there and on
// the holdout.
type tunePick struct {
	curve simulator.Curve
	tuned *simulator.CurvePoint // nil when no point meets the SLO
	held  *simulator.CurvePoint // nil when not re-checked
}

// newTuneReport chooses the cheapest point of each curve of fr, the
// frontier on the tuning window, meeting slo.
func newTuneReport(tuning, hold *scenario, st startupSpec, slo float64, fr simulator.Frontier) *tuneReport {
	r := &tuneReport{trace: tuning.demand.Name, startup: st.label, slo: slo,
		tuning: windowOf(tuning.demand), holdout: windowOf(hold.demand), oracle: fr.Oracle, leadMargin: tuning.pred.leadMargin}
	for name, pick := range r.picks() {
		pick.curve, _ = fr.Curve(name)
		if p, ok := pick.curve.Cheapest(slo); ok {
			pick.tuned = &p
		}
	}
	return r
}

// picks yields the curves' names and choices, the predictive one first.
func (r *tuneReport) picks() func(yield func(string, *tunePick) bool) {
	return func(yield func(string, *tunePick) bool) {
		_ = yield(predictiveCurve, &r.predictive) && yield(reactiveCurve, &r.reactive)
	}
}

// describe returns the parameters of sc's scenario, its predictive
// policy's at the chosen risk (the highest swept when none meets the SLO),
// then the sweeps and extra.
func (r *tuneReport) describe(sc *scenario, extra []simulator.Parameter) []simulator.Parameter {
	c := *sc
	c.pred.risk = slices.Max(r.predictiveKnobs())
	if p := r.predictive.tuned; p != nil {
		c.pred.risk, c.pred.utilisation = p.Knob, p.Second
	}
	var reactive []float64
	for _, p := range r.reactive.curve.Points {
		reactive = append(reactive, p.Knob)
	}
	var points []string
	for _, p := range r.predictive.curve.Points {
		points = append(points, r.predictive.curve.Label(p))
	}
	ps := append(c.comparison().Parameters, simulator.Parameter{Name: "sweep", Value: fmt.Sprintf("%s over %s %s; %s over %s %s",
		predictiveCurve, r.predictive.curve.KnobName(), strings.Join(points, ","), reactiveCurve, reactiveKnob, joinKnobs(reactive))})
	return append(ps, extra...)
}

// recheck takes the holdout's points from fr, the choices run on it.
func (r *tuneReport) recheck(fr simulator.Frontier) {
	for name, pick := range r.picks() {
		if c, ok := fr.Curve(name); ok && len(c.Points) == 1 {
			pick.held = &c.Points[0]
		}
	}
}

// saved returns the share of the HPA's pod-hours the predictive choice
// saves, on the tuning window or (held) on the holdout; ok is false when a
// figure is missing.
func (r *tuneReport) saved(held bool) (float64, bool) {
	p, q := r.predictive.tuned, r.reactive.tuned
	if held {
		p, q = r.predictive.held, r.reactive.held
	}
	if p == nil || q == nil || !(q.PodHours > 0) {
		return math.NaN(), false
	}
	return 1 - p.PodHours/q.PodHours, true
}

// holdoutMisses reports whether the predictive choice, re-checked, leaves
// more of the holdout's demand unserved than the SLO.
func (r *tuneReport) holdoutMisses() bool {
	return r.predictive.held != nil && r.predictive.held.UnservedFraction > r.slo
}

// suggestion says what to change when no risk meets the SLO.
func (r *tuneReport) suggestion() string {
	e := r.predictive.curve.Efficient()
	if len(e) == 0 {
		return "no point of the sweep has a finite outcome"
	}
	best := e[len(e)-1]
	s := fmt.Sprintf("the least, %s at %s, is above it; ", percent(best.UnservedFraction), r.pointName(best))
	if top := slices.Max(r.predictiveKnobs()); top < maxTuneRisk {
		s += fmt.Sprintf("try higher risks (--risks with values above %s, up to %s), ", knobLabel(top), knobLabel(maxTuneRisk))
	}
	if low := r.lowestUtilisation(); low > 0.1 {
		s += fmt.Sprintf("lower target utilisations (--utilizations below %s), ", knobLabel(low))
	}
	return s + fmt.Sprintf("a longer lead time (--lead-margin above %s: the pods then start earlier), or a looser --slo",
		shortDuration(r.leadMargin))
}

// lowestUtilisation returns the lowest target utilisation the predictive
// curve swept (NaN on a curve over the risk alone).
func (r *tuneReport) lowestUtilisation() float64 {
	low := math.NaN()
	for _, p := range r.predictive.curve.Points {
		if !(p.Second >= low) {
			low = p.Second
		}
	}
	return low
}

// predictiveKnobs returns the risks swept.
func (r *tuneReport) predictiveKnobs() []float64 {
	var out []float64
	for _, p := range r.predictive.curve.Points {
		out = append(out, p.Knob)
	}
	return out
}

// nextPoint returns the predictive curve's next efficient point up from
// the chosen one: the cheapest leaving less demand unserved.
func (r *tuneReport) nextPoint() (simulator.CurvePoint, bool) {
	for _, p := range r.predictive.curve.Efficient() {
		if p.PodHours > r.predictive.tuned.PodHours && p.UnservedFraction < r.predictive.tuned.UnservedFraction {
			return p, true
		}
	}
	return simulator.CurvePoint{}, false
}

// pointName names a point of the predictive curve: its risk and, off
// --predictive-utilization, its target utilisation.
func (r *tuneReport) pointName(p simulator.CurvePoint) string {
	s := "risk " + knobLabel(p.Knob)
	if c := r.predictive.curve; c.Label(p) != knobLabel(p.Knob) {
		s += " and target utilisation " + knobLabel(p.Second)
	}
	return s
}

// holdoutVerdict says, in a sentence, whether the choice held on the
// holdout, and what to do when it did not.
func (r *tuneReport) holdoutVerdict() string {
	p := r.predictive.held
	if p == nil {
		return ""
	}
	if !r.holdoutMisses() {
		return fmt.Sprintf("The holdout meets the SLO: %s left %s of its demand unserved, within %s.",
			r.pointName(*p), percent(p.UnservedFraction), percent(r.slo))
	}
	s := fmt.Sprintf("The holdout MISSES the SLO: %s left %s of its demand unserved, above %s; the tuning window's history did not foresee it. ",
		r.pointName(*p), percent(p.UnservedFraction), percent(r.slo))
	if next, ok := r.nextPoint(); ok {
		return s + fmt.Sprintf("The next point up, %s, buys a margin.", r.pointName(next))
	}
	return s + "Add a higher risk to --risks for a margin."
}

// savingSentence says what the predictive choice saves against the HPA's.
func (r *tuneReport) savingSentence() string {
	if r.reactive.tuned == nil {
		c := r.reactive.curve.Efficient()
		if len(c) == 0 {
			return "The HPA has no point with a finite outcome to compare with."
		}
		best := c[len(c)-1]
		s := fmt.Sprintf("The HPA meets the SLO at none of its target utilisations: at %s, its safest, it leaves %s unserved for %s pod-hours",
			knobLabel(best.Knob), percent(best.UnservedFraction), hours(best.PodHours))
		if p := r.predictive.tuned; p != nil && best.PodHours > 0 {
			v, fewer := 1-p.PodHours/best.PodHours, "fewer"
			if v < 0 {
				v, fewer = -v, "more"
			}
			s += fmt.Sprintf("; predictive meets the SLO with %.1f%% %s pod-hours than that", 100*v, fewer)
		}
		return s + ". The saving at the SLO is not measured."
	}
	s := "Predictive saves " + signedShare(r.saved(false)) + " of the HPA's pod-hours on the tuning window"
	if v, ok := r.saved(true); ok {
		s += ", " + signedShare(v, true) + " on the holdout"
	}
	return s + "."
}

// signedShare formats a share saved, a negative one as more.
func signedShare(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	if v < 0 {
		return fmt.Sprintf("-%.1f%% (it uses more)", -100*v)
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// label names a curve's point for people.
func (r *tuneReport) label(curve string, p simulator.CurvePoint) string {
	if curve == predictiveCurve {
		return "predictive at " + r.pointName(p)
	}
	return "the HPA at target utilisation " + knobLabel(p.Knob)
}

func percent(f float64) string { return fmt.Sprintf("%.3f%%", 100*f) }
func hours(v float64) string   { return strconv.FormatFloat(v, 'f', 1, 64) }
func knobLabel(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// meets says whether p meets the SLO.
func (r *tuneReport) meets(p simulator.CurvePoint) bool { return p.UnservedFraction <= r.slo }
