package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestForecastGolden(t *testing.T) {
	wiki := []string{"forecast", "--trace", wikipediaTrace, "--time-col", "ds", "--value-col", "y",
		"--calendar", wikipediaCalendar, "--horizon", "21d"}
	tests := []struct {
		name string
		args []string
	}{
		{"forecast_wikipedia_csv", append(wiki, "--model", "snaive")},
		{"forecast_wikipedia_table", append(wiki, "--model", "mseasonal", "--output", "table", "--level", "0.8")},
		{"forecast_wikipedia_json", append(wiki, "--output", "json")},
		{"forecast_m4_gz", []string{"forecast", "--trace", m4Excerpt, "--format", "m4", "--start", "2000-01-01",
			"--step", "1h", "--horizon", "6", "--model", "holt-winters"}},
		{"forecast_nasa_resampled", []string{"forecast", "--trace", nasaTrace, "--time-col", "minute_start_edt",
			"--value-col", "count", "--tz", "America/New_York", "--resample", "1h", "--resample-agg", "sum",
			"--horizon", "12h", "--model", "snaive", "--output", "table"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, tc.args...)
			if err != nil {
				t.Fatalf("prescale %s: %v", strings.Join(tc.args, " "), err)
			}
			golden(t, tc.name, out)
		})
	}
}

func TestForecastCSVColumns(t *testing.T) {
	out, err := run(t, "forecast", "--trace", m4Excerpt, "--format", "m4", "--start", "2000-01-01",
		"--step", "1h", "--horizon", "2h", "--model", "snaive")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "series,timestamp,value,lower,upper" {
		t.Errorf("header %q, want series,timestamp,value,lower,upper", got)
	}
	if len(rows) != 1+3*2 || rows[1][0] != "H1" || rows[6][0] != "H3" || !strings.HasSuffix(rows[1][1], "Z") {
		t.Errorf("rows = %v, want 2 steps of H1..H3 with UTC timestamps", rows)
	}
}

func TestForecastJSONReportsEvents(t *testing.T) {
	out, err := run(t, "forecast", "--trace", wikipediaTrace, "--time-col", "ds", "--value-col", "y",
		"--calendar", wikipediaCalendar, "--horizon", "30d", "--model", "mseasonal", "--output", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Model    string
		Calendar bool
		Events   []struct{ Type, Source string }
		Points   []struct{ Value float64 }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Calendar || len(got[0].Points) != 30 || len(got[0].Events) != 2 {
		t.Fatalf("json = %+v, want one series, 30 points, 2 event types", got)
	}
	for _, e := range got[0].Events {
		if e.Source != "learned" {
			t.Errorf("event %s source %s, want learned", e.Type, e.Source)
		}
	}
}

func TestForecastBadFlags(t *testing.T) {
	base := []string{"forecast", "--trace", wikipediaTrace, "--time-col", "ds", "--value-col", "y"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"read flag without trace", []string{"forecast", "--horizon", "1", "--value-col", "y"}, "--trace: required with --value-col"},
		{"missing trace", []string{"forecast", "--trace", "nope.csv", "--horizon", "1"}, "--trace: "},
		{"no horizon", base, "--horizon: required"},
		{"bad horizon", append(base, "--horizon", "abc"), `--horizon: "abc" is neither a duration nor a number of steps`},
		{"horizon off step", append(base, "--horizon", "36h"), "--horizon: 36h is not a whole, positive number of steps"},
		{"unknown model", append(base, "--horizon", "7", "--model", "lstm"), `--model: "lstm" is not a model`},
		{"bad level", append(base, "--horizon", "7", "--level", "90"), "--level: 90 is not a coverage"},
		{"bad time zone", append(base, "--horizon", "7", "--time-zone", "Europe/Atlantis"), `--time-zone: "Europe/Atlantis"`},
		{"bad output", append(base, "--horizon", "7", "--output", "xml"), `--output: unknown format "xml"`},
		{"bad format", append(base, "--horizon", "7", "--format", "parquet"), `--format: unknown format "parquet"`},
		{"bad tz", append(base, "--horizon", "7", "--tz", "Mars/Olympus"), `--tz: unknown time zone "Mars/Olympus"`},
		{"bad step", append(base, "--horizon", "7", "--step", "fast"), `--step: "fast" is not a positive duration`},
		{"bad start", append(base, "--horizon", "7", "--start", "yesterday"), "--start: "},
		{"m4 without start", []string{"forecast", "--trace", m4Excerpt, "--format", "m4", "--step", "1h", "--horizon", "2"}, "--start: must be set"},
		{"bad aggregate", append(base, "--horizon", "7", "--aggregate", "median"), "--aggregate: unknown aggregation"},
		{"wrong column", []string{"forecast", "--trace", wikipediaTrace, "--horizon", "7"}, "--trace: "},
		{"resample without agg", append(base, "--horizon", "7", "--resample", "7d"), `--resample-agg: "": use sum`},
		{"agg without resample", append(base, "--horizon", "7", "--resample-agg", "sum"), "--resample-agg: only meaningful with --resample"},
		{"bad resample", append(base, "--horizon", "7", "--resample", "90m", "--resample-agg", "mean"), "--resample: "},
		{"missing calendar", append(base, "--horizon", "7", "--calendar", "none.yaml"), "--calendar: "},
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
