package cli

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// TestPlanForecastSource checks the replicas planned from a forecast
// against the forecast computed here: the trace's hourly mean over the
// observed hours, the forecast's quantile after, over 4 requests per
// minute per replica, rounded up.
func TestPlanForecastSource(t *testing.T) {
	y := planNASAHourly(t)
	end := time.Date(1995, 9, 2, 4, 0, 0, 0, time.UTC)
	h := int(end.Sub(y.End()) / time.Hour)
	cal, err := calendar.Load("../../../datasets/calendars/nasa-1995.yaml", calendar.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Occurrences(y.Start, y.Time(y.Len()+h))
	observed := time.Date(1995, 8, 31, 16, 0, 0, 0, time.UTC)
	ahead := 5
	tests := []struct {
		name     string
		quantile string
		level    float64
		band     func(forecast.Result) []float64
	}{
		{"default 0.9: upper bound at 80%", "", 0.8, func(r forecast.Result) []float64 { return r.Upper }},
		{"median: point forecast", "0.5", 0, func(r forecast.Result) []float64 { return r.Point }},
		{"0.25: lower bound at 50%", "0.25", 0.5, func(r forecast.Result) []float64 { return r.Lower }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			config := planForecastConfig(t, tc.quantile)
			res, err := forecast.Forecast(context.Background(), y, h, forecast.Options{Model: "auto", Level: tc.level, Events: events})
			if err != nil {
				t.Fatal(err)
			}
			checks := []struct {
				at   time.Time
				want int
			}{
				{observed, int(math.Ceil(y.Values[y.Index(observed)] / 4))},
				{y.End().Add(time.Duration(ahead) * time.Hour), int(math.Ceil(tc.band(res)[ahead] / 4))},
			}
			for _, c := range checks {
				doc := planJSONOf(t, "--config", config, "--at", c.at.Format(time.RFC3339))
				if got := doc.Workloads[0].Replicas; got != c.want {
					t.Errorf("replicas at %s = %d, want %d", c.at.Format(time.RFC3339), got, c.want)
				}
			}
			doc := planJSONOf(t, "--config", config)
			src := doc.Sources[0]
			if src.Kind != "forecast" || !strings.HasPrefix(src.Model, "auto→") || src.Step != "1h" || src.Workload != "www" ||
				src.PeakReplicas != doc.Workloads[0].Replicas || !src.ForecastFrom.Equal(y.End()) {
				t.Errorf("source %+v (peak plan replicas %d)", src, doc.Workloads[0].Replicas)
			}
		})
	}
}

// planNASAHourly reads the NASA trace averaged per hour, as forecast.yaml
// asks.
func planNASAHourly(t *testing.T) timeseries.Series {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	series, err := readPlanSeries(nasaTrace, timeseries.ReadOptions{TimeCol: "minute_start_edt", ValueCol: "count", Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	y, err := timeseries.Resample(series[0], time.Hour, timeseries.AggMean)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

// planForecastConfig writes forecast.yaml with absolute paths and the
// given quantile (the default when empty).
func planForecastConfig(t *testing.T, quantile string) string {
	t.Helper()
	b, err := os.ReadFile(planForecast)
	if err != nil {
		t.Fatal(err)
	}
	datasets, err := filepath.Abs("../../../datasets")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.ReplaceAll(string(b), "../../../../../datasets", datasets)
	if quantile != "" {
		body = strings.Replace(body, "        capacityPerPod: 4\n", "        capacityPerPod: 4\n        quantile: "+quantile+"\n", 1)
	}
	path := filepath.Join(t.TempDir(), "forecast.yaml")
	writePlanConfig(t, path, body)
	return path
}

// TestPlanSimulationSource checks that each 15-minute step holds the
// largest replicas the simulated policy asked for within it.
func TestPlanSimulationSource(t *testing.T) {
	for _, column := range []string{"desired_replicas", "ready_replicas"} {
		t.Run(column, func(t *testing.T) {
			config := planSimulation
			if column != "desired_replicas" {
				b, err := os.ReadFile(planSimulation)
				if err != nil {
					t.Fatal(err)
				}
				config = filepath.Join(t.TempDir(), "simulation.yaml")
				abs, _ := filepath.Abs("testdata/plan/simulation-timeline.csv")
				body := strings.Replace(string(b), "{simulation: simulation-timeline.csv, policy: predictive}",
					"{simulation: "+abs+", policy: predictive, column: "+column+"}", 1)
				writePlanConfig(t, config, body)
			}
			want, peak := planWindowPeaks(t, "predictive", column, 15*time.Minute)
			for _, at := range []string{"1995-07-14T22:00:00Z", "1995-07-14T23:15:00Z", "1995-07-15T01:30:00Z", "1995-07-15T03:45:00Z"} {
				doc := planJSONOf(t, "--config", config, "--at", at)
				if got := doc.Workloads[0].Replicas; got != want[at] {
					t.Errorf("replicas at %s = %d, want %d, the window's largest", at, got, want[at])
				}
			}
			doc := planJSONOf(t, "--config", config)
			if got := doc.Workloads[0].Replicas; got != peak || doc.Sources[0].Column != column || doc.Sources[0].Step != "1m" {
				t.Errorf("peak replicas %d, source %+v; want %d from %s", got, doc.Sources[0], peak, column)
			}
		})
	}
}

// planWindowPeaks reads the simulation's rows of policy and returns the
// largest value of column in each window, by window start, and overall.
func planWindowPeaks(t *testing.T, policy, column string, window time.Duration) (map[string]int, int) {
	t.Helper()
	f, err := os.Open("testdata/plan/simulation-timeline.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	out, peak := map[string]int{}, 0
	for _, r := range rows[1:] {
		if r[col["policy"]] != policy {
			continue
		}
		at, err := time.Parse(time.RFC3339, r[col["timestamp"]])
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(r[col[column]])
		if err != nil {
			t.Fatal(err)
		}
		key := at.Truncate(window).Format(time.RFC3339)
		out[key] = max(out[key], n)
		peak = max(peak, n)
	}
	return out, peak
}

func TestPlanQuantiles(t *testing.T) {
	tests := []struct{ q, level float64 }{{0.9, 0.8}, {0.5, 0}, {0.05, 0.9}, {0.99, 0.98}}
	for _, tc := range tests {
		if got := planQuantileLevel(tc.q); math.Abs(got-tc.level) > 1e-12 {
			t.Errorf("level of quantile %g = %g, want %g", tc.q, got, tc.level)
		}
	}
	for d, want := range map[time.Duration]string{time.Minute: "1m", 15 * time.Minute: "15m", time.Hour: "1h", 90 * time.Minute: "1h30m", 30 * time.Second: "30s", 24 * time.Hour: "24h"} {
		if got := planStep(d); got != want {
			t.Errorf("planStep(%s) = %q, want %q", d, got, want)
		}
	}
}
