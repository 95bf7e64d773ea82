package cli

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// fitTimes matches the fit times of the backtest outputs, which vary from
// run to run: the JSON field and the last column of the tables.
var fitTimes = regexp.MustCompile(`("fitSecondsPerFold": )[0-9.e-]+|  [0-9]+\.[0-9]\n| [0-9]+\.[0-9] \|\n`)

// maskFitTimes replaces the fit times of a backtest output by <fit-time>.
func maskFitTimes(s string) string {
	return fitTimes.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case strings.HasPrefix(m, `"`):
			return `"fitSecondsPerFold": <fit-time>`
		case strings.HasSuffix(m, " |\n"):
			return " <fit-time> |\n"
		}
		return "  <fit-time>\n"
	})
}

func TestBacktestGolden(t *testing.T) {
	wiki := []string{"backtest", "--trace", wikipediaTrace, "--time-col", "ds", "--value-col", "y",
		"--calendar", wikipediaCalendar, "--horizon", "21d", "--models", "mseasonal",
		"--origins", "2013-01-05,2014-01-08,2015-01-04"}
	m4 := []string{"backtest", "--trace", m4Excerpt, "--format", "m4", "--start", "2000-01-01", "--step", "1h",
		"--horizon", "48", "--folds", "2", "--models", "mseasonal,auto"}
	tests := []struct {
		name string
		args []string
	}{
		{"backtest_wikipedia_table", wiki},
		{"backtest_wikipedia_json", append(wiki, "--output", "json")},
		{"backtest_m4_markdown", append(m4, "--output", "markdown")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, tc.args...)
			if err != nil {
				t.Fatalf("prescale %s: %v", strings.Join(tc.args, " "), err)
			}
			golden(t, tc.name, maskFitTimes(out))
		})
	}
}

func TestBacktestProgress(t *testing.T) {
	args := []string{"backtest", "--trace", m4Excerpt, "--format", "m4", "--start", "2000-01-01", "--step", "1h",
		"--horizon", "24", "--folds", "1", "--models", "snaive"}
	tests := []struct {
		name string
		flag string
		want bool
	}{
		{"forced on", "--progress", true},
		{"forced off", "--progress=false", false},
		{"not a terminal", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := NewRootCommand()
			var out, errOut bytes.Buffer
			a := args
			if tc.flag != "" {
				a = append(a, tc.flag)
			}
			cmd.SetArgs(a)
			cmd.SetOut(&out)
			cmd.SetErr(&errOut)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(errOut.String(), "/3, "); got != tc.want {
				t.Errorf("stderr %q: progress shown = %v, want %v", errOut.String(), got, tc.want)
			}
		})
	}
}

func TestBacktestBadFlags(t *testing.T) {
	base := []string{"backtest", "--trace", wikipediaTrace, "--time-col", "ds", "--value-col", "y"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no horizon", base, "--horizon: required"},
		{"bad horizon", append(base, "--horizon", "soon"), `--horizon: "soon" is neither a duration nor a number of steps`},
		{"no folds", append(base, "--horizon", "7", "--folds", "0"), "--folds: 0: use at least 1"},
		{"unknown model", append(base, "--horizon", "7", "--models", "mseasonal,lstm"), `--models: "lstm" is not a model`},
		{"bad level", append(base, "--horizon", "7", "--level", "0"), "--level: 0 is not a coverage"},
		{"host's time zone", append(base, "--horizon", "7", "--time-zone", "Local"), `--time-zone: "Local"`},
		{"bad period", append(base, "--horizon", "7", "--period", "-7"), "--period: -7"},
		{"bad output", append(base, "--horizon", "7", "--output", "csv"), `--output: unknown format "csv": use table, markdown or json`},
		{"bad origin", append(base, "--horizon", "7", "--origins", "2014-13-01"), `--origins: "2014-13-01"`},
		{"bad calendar", append(base, "--horizon", "7", "--calendar", "testdata/README.md"), "--calendar: "},
		{"read flag without trace", []string{"backtest", "--horizon", "7", "--format", "m4"}, "--trace: required with --format"},
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
