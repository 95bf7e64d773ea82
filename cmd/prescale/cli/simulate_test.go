package cli

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// nasaLaunchWeek is the NASA trace of 1995-07-06 to 07-14, the launch of
// STS-70 on 07-13 included (see testdata/README.md).
const nasaLaunchWeek = "testdata/simulate/nasa_1995-07-06_14.csv.gz"

// simulateArgs returns the arguments simulating the last two days of the
// launch week (the first seven are history), followed by extra.
func simulateArgs(extra ...string) []string {
	args := []string{"simulate", "--trace", nasaLaunchWeek, "--time-col", "minute_start_edt", "--value-col", "count",
		"--tz", "America/New_York", "--calendar", "../../../datasets/calendars/nasa-1995.yaml", "--event-types", "launch",
		"--capacity-per-pod", "10", "--burn-in", "7d"}
	return append(args, extra...)
}

// readGolden compares the file at path with the golden file name.
func goldenFile(t *testing.T, name, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, name, string(b))
}

func TestSimulateGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"table", simulateArgs("--startup", "2m,5m", "--policies", "reactive,reactive@0.5,cron,predictive,oracle",
			"--price-per-pod-hour", "0.05", "--refit-interval", "3h", "--assert", "predictive.peak_replicas <= 100")},
		{"json", simulateArgs("--startup", "5m", "--seed", "7", "--output", "json")},
		{"markdown", simulateArgs("--startup", "40s/3m", "--output", "markdown",
			"--assert", "predictive.pod_hours_vs_oracle <= 3", "--assert", "cron.unserved_fraction < 1")},
		{"what_if", simulateArgs("--startup", "10m", "--policies", "reactive,predictive,oracle", "--scale", "6",
			"--max-replicas", "300", "--shift-events", "2h", "--zone-loss", "1995-07-13 11:00@0.5", "--refit-interval", "3h")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, tc.args...)
			if err != nil {
				t.Fatalf("prescale %s: %v", strings.Join(tc.args, " "), err)
			}
			golden(t, "simulate/"+tc.name, out)
		})
	}
}

func TestSimulateTimelineGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "timeline.csv")
	args := simulateArgs("--burn-in", "8d18h", "--startup", "2m", "--policies", "reactive,predictive,oracle", "--timeline", path)
	if _, err := run(t, args...); err != nil {
		t.Fatalf("prescale %s: %v", strings.Join(args, " "), err)
	}
	goldenFile(t, "simulate/timeline_csv", path)
	b, _ := os.ReadFile(path)
	header, _, _ := strings.Cut(string(b), "\n")
	if header != "timestamp,policy,demand,desired_replicas,ready_replicas" {
		t.Errorf("timeline header %q", header)
	}
}

func TestSimulateChart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chart.svg")
	if _, err := run(t, simulateArgs("--burn-in", "8d", "--chart", path)...); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
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
	for _, want := range []string{"<svg", ">reactive<", ">cron<", ">predictive<", ">oracle<", "start-up 1m"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

func TestSimulateFailedAssertExits3(t *testing.T) {
	args := simulateArgs("--burn-in", "8d", "--output", "markdown", "--assert", "predictive.unserved_fraction < 0",
		"--assert", "oracle.unserved_fraction == 0")
	out, err := run(t, args...)
	var exit ExitError
	if !errors.As(err, &exit) || exit.Code != 3 {
		t.Fatalf("error %v, want an ExitError with code 3", err)
	}
	if !strings.Contains(err.Error(), "1 of 2 checks failed") || !strings.Contains(err.Error(), "FAIL predictive.unserved_fraction < 0") {
		t.Errorf("error %q does not say which check failed", err)
	}
	if !strings.Contains(out, "**Checks: 1 passed, 1 failed.**") {
		t.Errorf("markdown lacks the verdict:\n%s", out)
	}
}

// Two runs with one seed give the same bytes; log-normal start-ups make
// the seed matter.
func TestSimulateDeterministic(t *testing.T) {
	dir := t.TempDir()
	var outs, timelines []string
	for i, seed := range []string{"3", "3", "4"} {
		path := filepath.Join(dir, seed+strings.Repeat("x", i)+".csv")
		out, err := run(t, simulateArgs("--burn-in", "8d", "--startup", "1m/4m", "--seed", seed, "--output", "json", "--timeline", path)...)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		outs, timelines = append(outs, out), append(timelines, string(b))
	}
	if outs[0] != outs[1] || timelines[0] != timelines[1] {
		t.Error("two runs with seed 3 differ")
	}
	if outs[0] == outs[2] {
		t.Error("seeds 3 and 4 give the same output: the seed is not used")
	}
}

func TestSimulateBadFlags(t *testing.T) {
	noCapacity := slices.DeleteFunc(simulateArgs(), func(s string) bool { return s == "--capacity-per-pod" || s == "10" })
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no capacity", noCapacity, "--capacity-per-pod: required"},
		{"read flag without trace", []string{"simulate", "--capacity-per-pod", "10", "--time-col", "ts"}, "--trace: required with --time-col"},
		{"negative capacity", simulateArgs("--capacity-per-pod", "-1"), "--capacity-per-pod: required"},
		{"unknown policy", simulateArgs("--policies", "reactive,magic"), `--policies: unknown policy "magic"`},
		{"bad policy utilisation", simulateArgs("--policies", "reactive@1.5"), `--policies: "reactive@1.5"`},
		{"oracle utilisation", simulateArgs("--policies", "oracle@0.5"), `--policies: "oracle@0.5"`},
		{"duplicate policy", simulateArgs("--policies", "cron,cron"), `--policies: "cron" is listed twice`},
		{"cron without calendar", []string{"simulate", "--trace", nasaLaunchWeek, "--time-col", "minute_start_edt",
			"--value-col", "count", "--capacity-per-pod", "10", "--policies", "cron"}, "--policies: cron needs --calendar"},
		{"bad startup", simulateArgs("--startup", "soon"), `--startup: "soon" is not a delay`},
		{"inverted log-normal", simulateArgs("--startup", "3m/1m"), `--startup: "3m/1m": P50/P95 needs`},
		{"bad utilisation", simulateArgs("--target-utilization", "0"), "--target-utilization: 0"},
		{"bad price", simulateArgs("--price-per-pod-hour", "-1"), "--price-per-pod-hour: -1"},
		{"bad min replicas", simulateArgs("--min-replicas", "-1"), "--min-replicas: -1"},
		{"bad max replicas", simulateArgs("--min-replicas", "5", "--max-replicas", "4"), "--max-replicas: 4"},
		{"bad output", simulateArgs("--output", "xml"), `--output: unknown format "xml"`},
		{"timeline with two startups", simulateArgs("--startup", "1m,2m", "--timeline", "x.csv"), "--timeline: draws one start-up delay"},
		{"chart with two startups", simulateArgs("--startup", "1m,2m", "--chart", "x.svg"), "--chart: draws one start-up delay"},
		{"assert on a policy not run", simulateArgs("--policies", "reactive,oracle", "--assert", "predictive.unserved_fraction < 1"),
			`--assert: "predictive.unserved_fraction < 1" names policy "predictive", which this run does not simulate: use one of oracle, reactive`},
		{"bad assert", simulateArgs("--assert", "predictive.latency < 1"), `--assert: assertion "predictive.latency < 1": column 12: unknown metric`},
		{"bad burn-in", simulateArgs("--burn-in", "forever"), `--burn-in: "forever" is not a duration`},
		{"burn-in too long", simulateArgs("--burn-in", "30d"), "--burn-in: 30d leaves nothing"},
		{"bad scale", simulateArgs("--scale", "-2"), "--scale: -2"},
		{"bad shift", simulateArgs("--shift-events", "later"), `--shift-events: "later" is not a duration`},
		{"shift off the grid", simulateArgs("--shift-events", "90s"), "--shift-events: 90s is not a whole number"},
		{"shift with no room", simulateArgs("--shift-events", "30d"), "--shift-events: no event of --event-types"},
		{"shift-calendar alone", simulateArgs("--shift-calendar"), "--shift-calendar: only meaningful with --shift-events"},
		{"bad zone loss time", simulateArgs("--zone-loss", "noon"), `--zone-loss: "noon"`},
		{"bad zone loss fraction", simulateArgs("--zone-loss", "1995-07-13 11:00@2"), "--zone-loss: \"1995-07-13 11:00@2\": the fraction"},
		{"zone loss outside", simulateArgs("--zone-loss", "1995-07-01 11:00"), "--zone-loss: \"1995-07-01 11:00\" is outside"},
		{"bad cron replicas", simulateArgs("--cron-replicas", "-3"), "--cron-replicas: -3"},
		{"bad model", simulateArgs("--model", "oracle"), `--model: "oracle" is not a model`},
		{"bad quantile", simulateArgs("--quantile", "1"), "--quantile: 1"},
		{"risk of one", simulateArgs("--risk", "1"), "--risk: 1: use a quantile in (0,1)"},
		{"negative risk", simulateArgs("--risk", "-0.5"), "--risk: -0.5"},
		{"bad event shift", simulateArgs("--event-shift", "soon"), `--event-shift: "soon" is not a duration`},
		{"negative event shift", simulateArgs("--event-shift", "-5m"), `--event-shift: "-5m" is not a duration`},
		{"bad predictive utilisation", simulateArgs("--predictive-utilization", "2"), "--predictive-utilization: 2"},
		{"predictive tolerance above the bound", simulateArgs("--predictive-tolerance", "0.7"), "--predictive-tolerance: 0.7"},
		{"predictive tolerance negative", simulateArgs("--predictive-tolerance", "-0.1"), "--predictive-tolerance: -0.1"},
		{"time zone unknown", simulateArgs("--time-zone", "Europe/Atlantis"), `--time-zone: "Europe/Atlantis": use an IANA time zone`},
		{"time zone of the host", simulateArgs("--time-zone", "Local"), `--time-zone: "Local"`},
		{"bad forecast agg", simulateArgs("--forecast-agg", "sum"), `--forecast-agg: "sum"`},
		{"bad forecast step", simulateArgs("--forecast-step", "0"), `--forecast-step: "0" is not a positive duration`},
		{"forecast step off the grid", simulateArgs("--forecast-step", "90s"), "--forecast-step: 90s is not a multiple"},
		{"bad lead margin", simulateArgs("--lead-margin", "-1m"), `--lead-margin: "-1m" is not a duration`},
		{"bad refit", simulateArgs("--refit-interval", "never"), `--refit-interval: "never"`},
		{"bad fit window", simulateArgs("--fit-window", "0"), `--fit-window: "0"`},
		{"bad tz", simulateArgs("--tz", "Mars/Olympus"), `--tz: unknown time zone`},
		{"missing calendar", simulateArgs("--calendar", "none.yaml"), "--calendar: "},
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

func TestLoadTestGolden(t *testing.T) {
	base := []string{"simulate", "loadtest", "--trace", nasaLaunchWeek, "--time-col", "minute_start_edt", "--value-col", "count",
		"--tz", "America/New_York", "--resample", "10m", "--resample-agg", "mean", "--calendar", "../../../datasets/calendars/nasa-1995.yaml",
		"--capacity-per-pod", "10", "--latency-target", "300ms", "--horizon", "1d", "--rate-unit", "1m", "--max-replicas", "60"}
	for _, output := range []string{"table", "json", "k6", "jmeter"} {
		t.Run(output, func(t *testing.T) {
			args := append(slices.Clone(base), "--output", output)
			out, err := run(t, args...)
			if err != nil {
				t.Fatalf("prescale %s: %v", strings.Join(args, " "), err)
			}
			golden(t, "simulate/loadtest_"+output, out)
		})
	}
	t.Run("plan fails", func(t *testing.T) {
		_, err := run(t, append(slices.Clone(base), "--max-replicas", "3")...)
		var exit ExitError
		if !errors.As(err, &exit) || exit.Code != 3 || !strings.Contains(err.Error(), "plan fails") {
			t.Errorf("error %v, want exit code 3 saying the plan fails", err)
		}
	})
}

func TestLoadTestBadFlags(t *testing.T) {
	base := []string{"simulate", "loadtest", "--trace", nasaLaunchWeek, "--time-col", "minute_start_edt", "--value-col", "count"}
	with := func(extra ...string) []string {
		return append(append(slices.Clone(base), "--capacity-per-pod", "10", "--latency-target", "300ms"), extra...)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no capacity", append(slices.Clone(base), "--latency-target", "1s"), "--capacity-per-pod: required"},
		{"no latency", append(slices.Clone(base), "--capacity-per-pod", "10"), "--latency-target: required"},
		{"bad latency", with("--latency-target", "fast"), `--latency-target: "fast"`},
		{"bad max replicas", with("--max-replicas", "0"), "--max-replicas: 0"},
		{"bad utilisation", with("--target-utilization", "1.5"), "--target-utilization: 1.5"},
		{"bad quantile", with("--quantile", "0.2"), "--quantile: 0.2"},
		{"bad overload", with("--overload", "-1"), "--overload: -1"},
		{"bad model", with("--model", "gpt"), `--model: "gpt"`},
		{"bad output", with("--output", "locust"), `--output: unknown format "locust"`},
		{"bad rate unit", with("--rate-unit", "0"), `--rate-unit: "0"`},
		{"bad ramp", with("--ramp", "-1h"), `--ramp: "-1h"`},
		{"bad stage", with("--stage", "0"), `--stage: "0"`},
		{"bad hold", with("--hold", "x"), `--hold: "x"`},
		{"bad horizon", with("--horizon", "90s"), "--horizon: 90s is not a whole"},
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

func TestSimulateProgress(t *testing.T) {
	var out, errOut bytes.Buffer
	cmd := NewRootCommand()
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(simulateArgs("--startup", "1m,2m", "--policies", "reactive,oracle", "--progress"))
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"simulate: start-up 1m (1 of 2)", "simulate: start-up 2m done in"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr %q does not report %q", errOut.String(), want)
		}
	}
	if strings.Contains(out.String(), "simulate: start-up") {
		t.Error("progress written to stdout")
	}
}
