package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// frontierArgs returns simulateArgs with a small frontier: reactive at
// 0.5 and 0.9 (0.7, the default, is added) and predictive at 0.6 and 1.
func frontierArgs(extra ...string) []string {
	return simulateArgs(append([]string{"--startup", "5m", "--frontier", "--frontier-reactive", "0.9,0.5",
		"--frontier-predictive", "0.6,0.95", "--refit-interval", "3h"}, extra...)...)
}

func TestSimulateFrontierJSON(t *testing.T) {
	chart := filepath.Join(t.TempDir(), "frontier.svg")
	out, err := run(t, frontierArgs("--output", "json", "--frontier-chart", chart)...)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Baseline   string            `json:"baseline"`
		Parameters map[string]string `json:"parameters"`
		Runs       []struct {
			Startup string `json:"startup"`
			Curves  []struct {
				Policy string `json:"policy"`
				Knob   string `json:"knob"`
				Points []struct {
					Knob     float64 `json:"knob"`
					Default  bool    `json:"default"`
					PodHours float64 `json:"pod_hours"`
				} `json:"points"`
			} `json:"curves"`
			Comparisons []struct {
				Challenger string              `json:"challenger"`
				Summary    map[string]*float64 `json:"summary"`
			} `json:"comparisons"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Baseline != "reactive" || len(got.Runs) != 1 || got.Runs[0].Startup != "5m" || len(got.Runs[0].Curves) != 2 {
		t.Fatalf("baseline %q, %d runs; want reactive and one run of two curves:\n%s", got.Baseline, len(got.Runs), out)
	}
	wantKnobs := map[string][]float64{"reactive": {0.5, 0.7, 0.9}, "predictive": {0.6, 0.95}}
	for _, c := range got.Runs[0].Curves {
		var knobs []float64
		for _, p := range c.Points {
			knobs = append(knobs, p.Knob)
			if !(p.PodHours > 0) {
				t.Errorf("%s@%v: pod-hours %v", c.Policy, p.Knob, p.PodHours)
			}
			if p.Default != (c.Policy == "reactive" && p.Knob == 0.7) {
				t.Errorf("%s@%v: default %v", c.Policy, p.Knob, p.Default)
			}
		}
		if !slices.Equal(knobs, wantKnobs[c.Policy]) {
			t.Errorf("%s (%s): knobs %v, want %v", c.Policy, c.Knob, knobs, wantKnobs[c.Policy])
		}
	}
	if c := got.Runs[0].Comparisons; len(c) != 1 || c[0].Challenger != "predictive" || len(c[0].Summary) != 8 {
		t.Errorf("comparisons %+v, want predictive's with 8 summary figures", c)
	}
	if v := got.Parameters["predictive.forecasts[5m]"]; !strings.Contains(v, "over 2 points (0 failed)") {
		t.Errorf("forecast parameter %q, want the refits of the 2 points without failures", v)
	}
	b, err := os.ReadFile(chart)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("chart is not well-formed: %v", err)
		}
	}
}

func TestSimulateFrontierChecks(t *testing.T) {
	out, err := run(t, frontierArgs("--output", "markdown",
		"--assert", "frontier.predictive.max_unserved_ratio <= 1000", "--assert", "frontier.predictive.median_unserved_ratio < 0")...)
	var exit ExitError
	if !errors.As(err, &exit) || exit.Code != 3 {
		t.Fatalf("error %v, want an ExitError with code 3", err)
	}
	if !strings.Contains(err.Error(), "1 of 2 checks failed") || !strings.Contains(err.Error(), "FAIL frontier.predictive.median_unserved_ratio < 0") {
		t.Errorf("error %q does not say which check failed", err)
	}
	for _, want := range []string{"### prescale simulate --frontier:", "**Checks: 1 passed, 1 failed.**", "**predictive against reactive**", "#### Start-up 5m"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestSimulateFrontierBadFlags(t *testing.T) {
	missing := []string{"simulate", "--trace", "no-such-trace.csv", "--capacity-per-pod", "10", "--frontier"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"reactive out of range", frontierArgs("--frontier-reactive", "1.5"), "--frontier-reactive: 1.5: use target utilisations in (0,1]"},
		{"predictive out of range", frontierArgs("--frontier-predictive", "1"), `"1": the risk "1" is not in (0,1): use risk quantiles in (0,1)`},
		{"utilisation out of range", frontierArgs("--frontier-predictive", "0.9/1.5"), `"0.9/1.5": the target utilisation "1.5" is not in (0,1]`},
		{"utilisation not a number", frontierArgs("--frontier-predictive", "0.9/"), `"0.9/": the target utilisation "" is not in (0,1]`},
		{"point twice", frontierArgs("--frontier-predictive", "0.9/0.7,0.95"), "--frontier-predictive: 0.95 is listed twice"},
		{"value twice", frontierArgs("--frontier-reactive", "0.5,0.6,0.5"), "--frontier-reactive: 0.5 is listed twice"},
		{"not a number", frontierArgs("--frontier-predictive", "high"), `invalid argument "high" for "--frontier-predictive"`},
		{"list without --frontier", simulateArgs("--frontier-reactive", "0.5"), "--frontier-reactive: needs --frontier"},
		{"chart without --frontier", simulateArgs("--frontier-chart", "f.svg"), "--frontier-chart: needs --frontier"},
		{"frontier assert without --frontier", simulateArgs("--assert", "frontier.predictive.max_unserved_ratio <= 1"),
			`--assert: "frontier.predictive.max_unserved_ratio <= 1" checks a frontier: add --frontier`},
		// The trace does not exist: the assertion fails before anything is read.
		{"unknown curve", append(missing, "--assert", "frontier.cron.max_unserved_ratio <= 1"),
			`--assert: assertion "frontier.cron.max_unserved_ratio <= 1": no curve "cron" in this run: have predictive`},
		{"the baseline", append(missing, "--assert", "frontier.reactive.max_unserved_ratio <= 1"),
			"reactive is the baseline the curves are compared with"},
		{"a run's assertion", append(missing, "--assert", "predictive.unserved_fraction < 1"), "checks one run, not a frontier"},
		{"unknown frontier metric", frontierArgs("--assert", "frontier.predictive.ratio < 1"), `unknown frontier metric "ratio"`},
		{"policies", frontierArgs("--policies", "reactive"), "--policies: not with --frontier"},
		{"chart", frontierArgs("--chart", "x.svg"), "--chart: not with --frontier: use --frontier-chart"},
		{"timeline", frontierArgs("--timeline", "x.csv"), "--timeline: not with --frontier"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("prescale %s: error %v, want one containing %q", strings.Join(tc.args, " "), err, tc.want)
			}
		})
	}
}
