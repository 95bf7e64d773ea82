package evidence

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"
)

// eventRun is one run a simulator test logs: "run LABEL: U% unserved, H
// pod-hours" and optionally "(Rx the oracle)".
type eventRun struct {
	test, label, unserved, podHours, oracle string
}

// readEventRuns reads the runs of the event-traffic tests' verbose log, in
// order, each with the test it belongs to.
func readEventRuns(fsys fs.FS, name string) ([]eventRun, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	var out []eventRun
	test := ""
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if t, ok := strings.CutPrefix(line, "=== RUN"); ok {
			test = strings.TrimSpace(t)
			continue
		}
		_, rest, ok := strings.Cut(line, ": run ")
		if !ok {
			continue
		}
		r, err := parseEventRun(rest)
		if err != nil {
			return nil, fmt.Errorf("reading %s line %d: %w", name, n, err)
		}
		r.test = test
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading %s: no runs (is it the -v log of the event-traffic tests?)", name)
	}
	return out, nil
}

// parseEventRun reads "LABEL: U% unserved, H pod-hours[ (Rx the oracle)]".
func parseEventRun(s string) (eventRun, error) {
	var r eventRun
	label, rest, ok := strings.Cut(s, ": ")
	if !ok {
		return r, fmt.Errorf("run %q: no label", s)
	}
	r.label = label
	if body, oracle, ok := strings.Cut(rest, " ("); ok {
		rest = body
		x, ok := strings.CutSuffix(oracle, "x the oracle)")
		if !ok {
			return r, fmt.Errorf("run %q: want (Rx the oracle)", s)
		}
		r.oracle = x
	}
	unserved, hours, ok := strings.Cut(rest, " unserved, ")
	hours, ok2 := strings.CutSuffix(hours, " pod-hours")
	if !ok || !ok2 {
		return r, fmt.Errorf("run %q: want \"U%% unserved, H pod-hours\"", s)
	}
	r.unserved, r.podHours = unserved, hours
	return r, nil
}

// renderRuns renders the runs a simulator tests' verbose log in name
// holds as one table.
func renderRuns(fsys fs.FS, name string) (string, error) {
	runs, err := readEventRuns(fsys, name)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| test | policy @ knob | unserved | pod-hours | ÷ oracle |\n|---|---|---:|---:|---:|\n")
	last := ""
	for _, r := range runs {
		test := ""
		if r.test != last {
			test, last = "`"+r.test+"`", r.test
		}
		oracle := r.oracle
		if oracle == "" {
			oracle = "—"
		}
		fmt.Fprintf(&b, "|%s| %s | %s | %s | %s |\n", cell(test), r.label, r.unserved, r.podHours, oracle)
	}
	return b.String(), nil
}
