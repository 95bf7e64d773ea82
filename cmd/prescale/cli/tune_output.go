package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/prescale-dev/prescale/simulator"
)

// write writes the report as a table, JSON or markdown.
func (r *tuneReport) write(w io.Writer, format string) error {
	switch format {
	case "json":
		return r.writeJSON(w)
	case "markdown":
		return r.writeMarkdown(w)
	}
	return r.writeTable(w)
}

// sweepRows returns the cells of every point of the sweep, the predictive
// curve first: curve, knob, pod-hours, unserved, pod-hours ÷ oracle,
// meets the SLO, chosen.
func (r *tuneReport) sweepRows() [][]string {
	var rows [][]string
	for name, pick := range r.picks() {
		for _, p := range pick.curve.Points {
			meets, chosen := "no", ""
			if r.meets(p) {
				meets = "yes"
			}
			if pick.tuned != nil && p.SameKnobs(*pick.tuned) {
				chosen = "chosen"
			}
			rows = append(rows, []string{name, pick.curve.KnobName() + " " + pick.curve.Label(p), hours(p.PodHours),
				percent(p.UnservedFraction), fmt.Sprintf("%.3g", p.Result.VsOracle.PodHours), meets, chosen})
		}
	}
	return rows
}

var sweepHeader = []string{"curve", "knob", "pod-hours", "unserved", "pod-hours ÷ oracle", "meets the SLO", "choice"}

// choiceLines describe each curve's choice on the tuning window and on the
// holdout.
func (r *tuneReport) choiceLines(held bool) []string {
	var out []string
	for name, pick := range r.picks() {
		p := pick.tuned
		if held {
			p = pick.held
		}
		switch {
		case p != nil:
			line := fmt.Sprintf("%s: %s unserved, %s pod-hours", r.label(name, *p), percent(p.UnservedFraction), hours(p.PodHours))
			if held && !r.meets(*p) {
				line += ": MISSES the SLO"
			} else if held {
				line += ": meets the SLO"
			}
			out = append(out, line)
		case !held && name == predictiveCurve:
			out = append(out, "predictive: no point of --risks and --utilizations meets the SLO: "+r.suggestion())
		case !held:
			out = append(out, "the HPA: no target utilisation in --frontier-reactive meets the SLO")
		}
	}
	return out
}

// writeTable writes the report for a terminal.
func (r *tuneReport) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "prescale tune: %s, pod start-up %s, SLO: at most %s of the demand unserved\n", r.trace, r.startup, percent(r.slo))
	fmt.Fprintf(tw, "  tuning window = %s\n  holdout = %s, kept out of tuning\n", r.tuning, r.holdout)
	for _, p := range r.parameters {
		fmt.Fprintf(tw, "  %s = %s\n", p.Name, p.Value)
	}
	fmt.Fprintf(tw, "\nsweep on the tuning window (oracle: %s pod-hours)\n%s\n", hours(r.oracle.PodHours), strings.Join(sweepHeader, "\t"))
	for _, row := range r.sweepRows() {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nchoice: the fewest pod-hours meeting the SLO on the tuning window")
	for _, line := range r.choiceLines(false) {
		fmt.Fprintln(w, "  "+line)
	}
	if r.predictive.tuned == nil {
		return nil
	}
	fmt.Fprintln(w, "\nre-check on the holdout")
	for _, line := range r.choiceLines(true) {
		fmt.Fprintln(w, "  "+line)
	}
	fmt.Fprintf(w, "\n%s\n%s\n\n%s", r.holdoutVerdict(), r.savingSentence(), r.snippet())
	return nil
}

// writeMarkdown writes the report as a pull-request summary.
func (r *tuneReport) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### prescale tune: %s, pod start-up %s, SLO %s unserved\n\n", r.trace, r.startup, percent(r.slo))
	fmt.Fprintf(&b, "Tuning window %s; holdout %s, kept out of tuning.\n\n", r.tuning, r.holdout)
	fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(sweepHeader, " | "), strings.Repeat("---|", len(sweepHeader)))
	for _, row := range r.sweepRows() {
		fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
	}
	b.WriteString("\n**Choice** (the fewest pod-hours meeting the SLO on the tuning window):\n\n")
	for _, line := range r.choiceLines(false) {
		b.WriteString("- " + line + "\n")
	}
	if r.predictive.tuned != nil {
		b.WriteString("\n**Re-check on the holdout:**\n\n")
		for _, line := range r.choiceLines(true) {
			b.WriteString("- " + line + "\n")
		}
		fmt.Fprintf(&b, "\n%s %s\n\n```yaml\n%s```\n", r.holdoutVerdict(), r.savingSentence(), r.snippet())
	}
	b.WriteString("\n<details><summary>Parameters</summary>\n\n")
	for _, p := range r.parameters {
		fmt.Fprintf(&b, "- `%s`: %s\n", p.Name, p.Value)
	}
	b.WriteString("\n</details>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// tuneJSON is the JSON form of a tuneReport.
type tuneJSON struct {
	Trace           string            `json:"trace"`
	Startup         string            `json:"startup"`
	SLO             float64           `json:"slo"`
	Tuning          windowJSON        `json:"tuning_window"`
	Holdout         windowJSON        `json:"holdout"`
	Parameters      map[string]string `json:"parameters"`
	OraclePodHours  float64           `json:"oracle_pod_hours"`
	Sweep           []tuneCurveJSON   `json:"sweep"`
	Predictive      *tuneChoiceJSON   `json:"predictive"`
	Reactive        *tuneChoiceJSON   `json:"reactive"`
	PodHoursSaved   tuneSavedJSON     `json:"pod_hours_saved"`
	HoldoutMeetsSLO *bool             `json:"holdout_meets_slo"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	Notes           []string          `json:"notes,omitempty"`
}

type windowJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Step  string `json:"step"`
	Steps int    `json:"steps"`
}

type tuneCurveJSON struct {
	Policy string          `json:"policy"`
	Knob   string          `json:"knob"`
	Points []tunePointJSON `json:"points"`
}

type tunePointJSON struct {
	Knob float64 `json:"knob"`
	// TargetUtilisation is a predictive point's; nil for the HPA's.
	TargetUtilisation *float64 `json:"target_utilisation,omitempty"`
	PodHours          float64  `json:"pod_hours"`
	UnservedFraction  float64  `json:"unserved_fraction"`
	MeetsSLO          bool     `json:"meets_slo"`
}

// tuneChoiceJSON is a curve's choice: its knob, on the tuning window and
// re-checked on the holdout (null when not run).
type tuneChoiceJSON struct {
	Knob              float64        `json:"knob"`
	TargetUtilisation *float64       `json:"target_utilisation,omitempty"`
	Tuning            tunePointJSON  `json:"tuning"`
	Holdout           *tunePointJSON `json:"holdout"`
}

type tuneSavedJSON struct {
	Tuning  *float64 `json:"tuning"`
	Holdout *float64 `json:"holdout"`
}

// writeJSON writes the report as indented JSON; figures not measured are
// null.
func (r *tuneReport) writeJSON(w io.Writer) error {
	out := tuneJSON{Trace: r.trace, Startup: r.startup, SLO: r.slo, Tuning: r.tuning.json(), Holdout: r.holdout.json(),
		Parameters: map[string]string{}, OraclePodHours: r.oracle.PodHours, Notes: r.notes}
	for _, p := range r.parameters {
		out.Parameters[p.Name] = p.Value
	}
	for name, pick := range r.picks() {
		c := tuneCurveJSON{Policy: name, Knob: pick.curve.Knob, Points: []tunePointJSON{}}
		for _, p := range pick.curve.Points {
			c.Points = append(c.Points, r.pointJSON(p))
		}
		out.Sweep = append(out.Sweep, c)
		if pick.tuned == nil {
			continue
		}
		ch := &tuneChoiceJSON{Knob: pick.tuned.Knob, TargetUtilisation: finitePtr(pick.tuned.Second, !math.IsNaN(pick.tuned.Second)),
			Tuning: r.pointJSON(*pick.tuned)}
		if pick.held != nil {
			h := r.pointJSON(*pick.held)
			ch.Holdout = &h
		}
		if name == predictiveCurve {
			out.Predictive = ch
		} else {
			out.Reactive = ch
		}
	}
	out.PodHoursSaved.Tuning = finitePtr(r.saved(false))
	out.PodHoursSaved.Holdout = finitePtr(r.saved(true))
	if r.predictive.held != nil {
		meets := !r.holdoutMisses()
		out.HoldoutMeetsSLO = &meets
	}
	if len(r.metadata) > 0 {
		out.Metadata = map[string]string{}
		for _, e := range r.metadata {
			out.Metadata[e.key] = e.value
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func (r *tuneReport) pointJSON(p simulator.CurvePoint) tunePointJSON {
	return tunePointJSON{Knob: p.Knob, TargetUtilisation: finitePtr(p.Second, !math.IsNaN(p.Second)),
		PodHours: p.PodHours, UnservedFraction: p.UnservedFraction, MeetsSLO: r.meets(p)}
}

func (w tuneWindow) json() windowJSON {
	return windowJSON{Start: w.start.UTC().Format(time.RFC3339), End: w.end().UTC().Format(time.RFC3339),
		Step: shortDuration(w.step), Steps: w.steps}
}

// finitePtr returns &v when ok, else nil.
func finitePtr(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}
