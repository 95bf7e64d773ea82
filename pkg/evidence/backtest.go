package evidence

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
)

// backtestFile is the part of `prescale backtest --output json` the README
// quotes.
type backtestFile struct {
	Level  float64         `json:"level"`
	Models []backtestModel `json:"models"`
}

// backtestModel is one model's scores over every series and fold.
type backtestModel struct {
	Model   string `json:"model"`
	Scores  scores `json:"scores"`
	Event   scores `json:"event"`
	Outside scores `json:"outside"`
}

type scores struct {
	SMAPE    float64 `json:"smape"`
	MASE     float64 `json:"mase"`
	Coverage float64 `json:"coverage"`
}

// readBacktest reads a backtest JSON file.
func readBacktest(fsys fs.FS, name string) (backtestFile, error) {
	var f backtestFile
	if err := readJSON(fsys, name, &f); err != nil {
		return f, err
	}
	if len(f.Models) == 0 {
		return f, fmt.Errorf("reading %s: no models", name)
	}
	return f, nil
}

// m4Label names a backtest model as the M4 table does: with the periods
// the hourly series get.
func m4Label(model string) string {
	switch model {
	case "snaive":
		return "snaive (period detected)"
	case "mstl":
		return "mstl (MSTL 24/168 + ETS trend)"
	}
	return modelLabel(model)
}

// modelLabel names a backtest model as the README's tables do.
func modelLabel(model string) string {
	if m, ok := strings.CutSuffix(model, "+events"); ok {
		return m + " + calendar"
	}
	return model
}

// renderM4 renders the M4 Hourly table (every model the backtest reports,
// the best sMAPE and MASE bold, then the published figures) and the OWA
// of each model the accuracy test scores.
func renderM4(fsys fs.FS) (string, error) {
	f, err := readBacktest(fsys, "backtest-m4.json")
	if err != nil {
		return "", err
	}
	cols := []func(backtestModel) float64{
		func(m backtestModel) float64 { return m.Scores.SMAPE },
		func(m backtestModel) float64 { return m.Scores.MASE },
	}
	best := bestOf(f.Models, cols)
	var b strings.Builder
	fmt.Fprintf(&b, "| model | sMAPE %% | MASE | %g%% interval coverage |\n|---|---|---|---|\n", 100*f.Level)
	for i, m := range f.Models {
		fmt.Fprintf(&b, "| %s | %s | %s | %.3f |\n", boldIf(m4Label(m.Model), best[i][0] || best[i][1]),
			boldIf(fmt.Sprintf("%.3f", m.Scores.SMAPE), best[i][0]), boldIf(fmt.Sprintf("%.3f", m.Scores.MASE), best[i][1]),
			m.Scores.Coverage)
	}
	b.WriteString("| *published: seasonal naive* | *13.912* | *1.193* | |\n")
	b.WriteString("| *published: best entry* | *8.913* | *0.801* | |\n")
	owa, err := readOWA(fsys, "m4-test.txt")
	if err != nil {
		return "", err
	}
	b.WriteString("\nOWA against Naive2 on this split, from `go test -run TestM4HourlyAccuracy -v ./forecast/`\n")
	b.WriteString("(the same holdouts, the models as the test configures them): ")
	for i, o := range owa {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.3f", o.label, o.owa)
	}
	b.WriteString(".\n")
	return b.String(), nil
}

// renderWikipedia renders the Wikipedia table: every model, over all days,
// inside the event windows and outside them, the best of each column bold.
func renderWikipedia(fsys fs.FS) (string, error) {
	f, err := readBacktest(fsys, "backtest-wikipedia.json")
	if err != nil {
		return "", err
	}
	cols := []func(backtestModel) float64{
		func(m backtestModel) float64 { return m.Scores.SMAPE },
		func(m backtestModel) float64 { return m.Scores.MASE },
		func(m backtestModel) float64 { return m.Event.SMAPE },
		func(m backtestModel) float64 { return m.Event.MASE },
		func(m backtestModel) float64 { return m.Outside.SMAPE },
		func(m backtestModel) float64 { return m.Outside.MASE },
	}
	best := bestOf(f.Models, cols)
	var b strings.Builder
	b.WriteString("| model | sMAPE % (all) | MASE (all) | sMAPE % in event windows | MASE in event windows | sMAPE % outside | MASE outside |\n|---|---|---|---|---|---|---|\n")
	for i, m := range f.Models {
		cells := make([]string, len(cols))
		anyBest := false
		for j, col := range cols {
			cells[j] = boldIf(fmt.Sprintf("%.3f", col(m)), best[i][j])
			anyBest = anyBest || best[i][j]
		}
		fmt.Fprintf(&b, "| %s | %s |\n", boldIf(modelLabel(m.Model), anyBest), strings.Join(cells, " | "))
	}
	all := lowest(f.Models, cols[0])
	event := lowest(f.Models, cols[3])
	outside := lowest(f.Models, cols[5])
	fmt.Fprintf(&b, "\nBest over all days: %s (sMAPE %.3f). Best inside the event windows: %s (MASE %.3f). Best outside them: %s (MASE %.3f).",
		modelLabel(all.Model), all.Scores.SMAPE, modelLabel(event.Model), event.Event.MASE, modelLabel(outside.Model), outside.Outside.MASE)
	var changes []string
	for _, m := range []string{"mseasonal", "auto"} {
		without, ok1 := find(f.Models, m)
		with, ok2 := find(f.Models, m+"+events")
		if ok1 && ok2 && without.Event.MASE > 0 {
			changes = append(changes, strings.Replace(fmt.Sprintf("%+.0f%%", 100*(with.Event.MASE/without.Event.MASE-1)), "-", "−", 1)+" ("+m+")")
		}
	}
	if len(changes) > 0 {
		fmt.Fprintf(&b, " The calendar changes the MASE inside the windows by %s.", strings.Join(changes, " and "))
	}
	b.WriteString("\n")
	return b.String(), nil
}

// lowest returns the model with the lowest col, the first of ties.
func lowest(models []backtestModel, col func(backtestModel) float64) backtestModel {
	best := models[0]
	for _, m := range models[1:] {
		if round3(col(m)) < round3(col(best)) {
			best = m
		}
	}
	return best
}

// find returns the model called name.
func find(models []backtestModel, name string) (backtestModel, bool) {
	for _, m := range models {
		if m.Model == name {
			return m, true
		}
	}
	return backtestModel{}, false
}

// bestOf marks, per column, the models with the lowest value (rounded as
// printed, so that ties are all marked).
func bestOf(models []backtestModel, cols []func(backtestModel) float64) [][]bool {
	out := make([][]bool, len(models))
	for i := range out {
		out[i] = make([]bool, len(cols))
	}
	for j, col := range cols {
		lowest := math.Inf(1)
		for _, m := range models {
			lowest = math.Min(lowest, round3(col(m)))
		}
		for i, m := range models {
			out[i][j] = round3(col(m)) == lowest
		}
	}
	return out
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// owaLine is one model's OWA from the M4 accuracy test's log.
type owaLine struct {
	label string
	owa   float64
}

// readOWA reads the "LABEL sMAPE x MASE y OWA z" lines of the M4 accuracy
// test's verbose log.
func readOWA(fsys fs.FS, name string) ([]owaLine, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	var out []owaLine
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) < 8 || !strings.HasSuffix(fields[0], ".go") && !strings.Contains(fields[0], ".go:") {
			continue
		}
		// The label may hold spaces: it runs up to "sMAPE".
		i := slices.Index(fields, "sMAPE")
		if i < 2 || len(fields) < i+6 || fields[i+2] != "MASE" || fields[i+4] != "OWA" {
			continue
		}
		v, err := strconv.ParseFloat(fields[i+5], 64)
		if err != nil {
			return nil, fmt.Errorf("reading %s line %d: OWA %q: %w", name, n, fields[i+5], err)
		}
		out = append(out, owaLine{label: strings.Join(fields[1:i], " "), owa: v})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading %s: no OWA lines (is it the -v log of TestM4HourlyAccuracy?)", name)
	}
	return out, sc.Err()
}
