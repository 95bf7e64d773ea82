package evidence

import (
	"fmt"
	"io/fs"
	"math"
	"strings"
)

// frontierFile is the part of `prescale simulate --frontier --output json`
// the README quotes.
type frontierFile struct {
	Runs []struct {
		Startup string `json:"startup"`
		Oracle  struct {
			PodHours float64 `json:"pod_hours"`
		} `json:"oracle"`
		Comparisons []comparison `json:"comparisons"`
	} `json:"runs"`
}

// comparison is one challenger's headline against the baseline.
type comparison struct {
	Challenger string `json:"challenger"`
	Baseline   string `json:"baseline"`
	Points     []struct {
		Default            bool     `json:"default"`
		ChallengerPodHours *float64 `json:"challenger_pod_hours"`
		UnservedRatio      *float64 `json:"unserved_ratio"`
		UnservedBound      bool     `json:"unserved_bound"`
		PodHoursBound      bool     `json:"pod_hours_bound"`
	} `json:"points"`
	Summary struct {
		MaxUnservedRatio    *float64 `json:"max_unserved_ratio"`
		MedianUnservedRatio *float64 `json:"median_unserved_ratio"`
		MedianPodHoursSaved *float64 `json:"median_pod_hours_saved"`
	} `json:"summary"`
}

// frontierRow is one start-up's figures: predictive against the HPA.
type frontierRow struct {
	startup                      string
	atDefault                    string // ratio at the HPA's default, "≤ " when a bound
	worst, median, saved, oracle float64
	oracleBound                  bool
	defaultValue                 float64
}

// readFrontier reads a frontier JSON file and returns predictive's
// headline against the HPA at each start-up.
func readFrontier(fsys fs.FS, name string) ([]frontierRow, error) {
	var f frontierFile
	if err := readJSON(fsys, name, &f); err != nil {
		return nil, err
	}
	if len(f.Runs) == 0 {
		return nil, fmt.Errorf("reading %s: no runs", name)
	}
	var rows []frontierRow
	for _, run := range f.Runs {
		c, ok := predictiveComparison(run.Comparisons)
		if !ok {
			return nil, fmt.Errorf("reading %s: start-up %s: no comparison of predictive with reactive", name, run.Startup)
		}
		row := frontierRow{startup: minutes(run.Startup), worst: value(c.Summary.MaxUnservedRatio),
			median: value(c.Summary.MedianUnservedRatio), saved: value(c.Summary.MedianPodHoursSaved),
			defaultValue: math.NaN(), oracle: math.NaN()}
		for _, p := range c.Points {
			if !p.Default {
				continue
			}
			row.defaultValue = value(p.UnservedRatio)
			row.atDefault = bounded(ratio2(row.defaultValue), p.UnservedBound)
			if run.Oracle.PodHours > 0 {
				row.oracle = value(p.ChallengerPodHours) / run.Oracle.PodHours
				row.oracleBound = p.PodHoursBound
			}
		}
		if row.atDefault == "" {
			return nil, fmt.Errorf("reading %s: start-up %s: no default reactive point", name, run.Startup)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// predictiveComparison returns the comparison of predictive with reactive.
func predictiveComparison(cs []comparison) (comparison, bool) {
	for _, c := range cs {
		if c.Challenger == "predictive" && c.Baseline == "reactive" {
			return c, true
		}
	}
	return comparison{}, false
}

// frontierTrace is one trace of the README's frontier table.
type frontierTrace struct {
	file, label string
	// name is the trace's short name; events says whether its calendar
	// schedules the events that drive it, which sets the aim of the
	// unserved ratio (oracleAim and the ratio aims below).
	name   string
	events bool
}

// The aims the frontier is judged by: predictive's unserved demand at
// most eventAim (scheduled events) or plainAim (none) of the HPA's at
// every point, and at most oracleAim times the oracle's pod-hours at the
// HPA 0.7's unserved demand.
const (
	eventAim  = 0.2
	plainAim  = 1.1
	oracleAim = 1.25
)

// frontierTraces are the rows of the README's frontier table, in order.
func frontierTraces() []frontierTrace {
	return []frontierTrace{
		{"frontier-nasa.json", "NASA 1995, per minute, 10/pod", "NASA", true},
		{"frontier-elb.json", "NAB ELB request count, 5 min, 10/pod", "ELB", false},
		{"frontier-aapl.json", "NAB tweets AAPL, 5 min, 20/pod, ≤ 1,000 pods", "AAPL", false},
		{"frontier-genai.json", "Alibaba GenAI system QPS, 1 min, 0.5/pod", "GenAI", false},
	}
}

// renderFrontier renders the README's frontier table: per trace and
// start-up, predictive's unserved over the HPA's at the HPA's default and
// at worst (median), the median pod-hours saved, and predictive's
// pod-hours over the oracle's at the default's unserved. Figures where
// predictive loses are bold.
func renderFrontier(fsys fs.FS) (string, error) {
	var b, aims strings.Builder
	b.WriteString("| trace | start-up | ratio at 0.7 | worst (median) ratio | pod-hours saved, median | pod-hours ÷ oracle at the HPA 0.7's unserved |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|\n")
	for _, tr := range frontierTraces() {
		rows, err := readFrontier(fsys, tr.file)
		if err != nil {
			return "", err
		}
		for i, r := range rows {
			label := ""
			if i == 0 {
				label = tr.label
			}
			fmt.Fprintf(&b, "|%s| %s | %s | %s | %s | %s |\n", cell(label), r.startup,
				boldIf(r.atDefault, r.defaultValue > 1), boldIf(worstMedian(r), r.worst > 1),
				boldIf(percent1(r.saved), r.saved < 0), bounded(ratio2(r.oracle), r.oracleBound))
		}
		aims.WriteString(aimLine(tr, rows))
	}
	b.WriteString("\nAims: predictive's unserved demand at most " + ratio1(eventAim) + "x the HPA's at every point it spans on traces\n")
	b.WriteString("with scheduled events, " + ratio1(plainAim) + "x on the others, and at most " + ratio2(oracleAim) + "x the oracle's pod-hours\n")
	b.WriteString("at the HPA 0.7's unserved demand.\n\n")
	b.WriteString(aims.String())
	return b.String(), nil
}

// renderBehavior renders the table of NASA against the HPA with KEDA's
// default behavior.
func renderBehavior(fsys fs.FS) (string, error) {
	rows, err := readFrontier(fsys, "frontier-nasa-behavior.json")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| NASA 1995, start-up | ratio at 0.7 | worst (median) ratio | pod-hours saved, median |\n")
	b.WriteString("|---|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.startup, boldIf(r.atDefault, r.defaultValue > 1),
			boldIf(worstMedian(r), r.worst > 1), boldIf(percent1(r.saved), r.saved < 0))
	}
	return b.String(), nil
}

// cell pads a table cell's text; an empty cell is a single space.
func cell(s string) string {
	if s == "" {
		return " "
	}
	return " " + s + " "
}

// aimLine says, for one trace, at which start-ups the worst ratio and the
// oracle ratio meet their aims.
func aimLine(tr frontierTrace, rows []frontierRow) string {
	aim, kind := plainAim, "no scheduled events"
	if tr.events {
		aim, kind = eventAim, "scheduled events"
	}
	var ratioMet, ratioMissed, oracleMet, oracleMissed []string
	for _, r := range rows {
		classify(&ratioMet, &ratioMissed, r.startup, r.worst <= aim)
		classify(&oracleMet, &oracleMissed, r.startup, r.oracle <= oracleAim)
	}
	return fmt.Sprintf("- %s (%s, ratio aim %s): ratio %s; oracle %s.\n", tr.name, kind, ratio1(aim),
		metMissed(ratioMet, ratioMissed), metMissed(oracleMet, oracleMissed))
}

// classify appends startup to met or missed.
func classify(met, missed *[]string, startup string, ok bool) {
	if ok {
		*met = append(*met, startup)
	} else {
		*missed = append(*missed, startup)
	}
}

// metMissed spells which start-ups meet an aim: "met at 5 min, 10 min,
// **not met** at 2 min".
func metMissed(met, missed []string) string {
	var parts []string
	if len(met) > 0 {
		parts = append(parts, "met at "+strings.Join(met, ", "))
	}
	if len(missed) > 0 {
		parts = append(parts, "**not met** at "+strings.Join(missed, ", "))
	}
	return strings.Join(parts, ", ")
}

func ratio1(v float64) string { return fmt.Sprintf("%.1f", v) }

func worstMedian(r frontierRow) string {
	return ratio2(r.worst) + " (" + ratio2(r.median) + ")"
}

// minutes spells a start-up such as "2m" as "2 min".
func minutes(d string) string {
	if m, ok := strings.CutSuffix(d, "m"); ok {
		return m + " min"
	}
	return d
}

// value returns *p, NaN for a figure the report left undefined.
func value(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func ratio2(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.2f", v)
}

// percent1 spells a fraction as a percentage with one decimal and a true
// minus sign.
func percent1(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strings.Replace(fmt.Sprintf("%.1f%%", 100*v), "-", "−", 1)
}

func bounded(s string, bound bool) string {
	if bound && s != "—" {
		return "≤ " + s
	}
	return s
}

func boldIf(s string, bold bool) string {
	if bold {
		return "**" + s + "**"
	}
	return s
}
