package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/metricsource/promtest"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// TestPrometheusTraceFlags checks that a trace read from Prometheus takes
// the flags that apply to it, and names the one at fault otherwise, before
// any request is made.
func TestPrometheusTraceFlags(t *testing.T) {
	const addr = "http://127.0.0.1:1"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"query without prometheus", []string{"--query", "up"}, "--query: applies with --prometheus only"},
		{"range without prometheus", []string{"--trace", "x.csv", "--range", "7d"}, "--range: applies with --prometheus only"},
		{"both sources", []string{"--prometheus", addr, "--query", "up", "--trace", "x.csv"}, "--prometheus: read the trace from --trace or from --prometheus, not both"},
		{"no query", []string{"--prometheus", addr}, "--query: required with --prometheus"},
		{"a file's flag", []string{"--prometheus", addr, "--query", "up", "--time-col", "ts"}, "--time-col: applies to a --trace file, not to --prometheus"},
		{"bad range", []string{"--prometheus", addr, "--query", "up", "--range", "soon"}, "--range: \"soon\" is not a duration"},
		{"range under a step", []string{"--prometheus", addr, "--query", "up", "--range", "30s"}, "--range: \"30s\" is not a duration of at least one --step"},
		{"range of too many steps", []string{"--prometheus", addr, "--query", "up", "--range", "100000d", "--step", "1s"}, "--range: 100000d at --step 1s is"},
		{"step not whole seconds", []string{"--prometheus", addr, "--query", "up", "--step", "1500ms"}, "--step: \"1500ms\" is not a positive whole number of seconds"},
		{"bad until", []string{"--prometheus", addr, "--query", "up", "--until", "yesterday"}, "--until:"},
		{"until in the future", []string{"--prometheus", addr, "--query", "up", "--until", "2199-01-01"}, "--until: 2199-01-01T00:00:00Z is in the future"},
		{"bad address", []string{"--prometheus", "ftp://host", "--query", "up"}, "--prometheus: address \"ftp://host\": want an http or https URL"},
		{"ca file for an http address", []string{"--prometheus", addr, "--query", "up", "--prometheus-ca-file", "ca.pem"}, "--prometheus: ca file set for the http address"},
		{"token file and ca file without prometheus", []string{"--prometheus-token-file", "t"}, "--prometheus-token-file: applies with --prometheus only"},
		{"no timeout", []string{"--prometheus", addr, "--query", "up", "--prometheus-timeout", "0s"}, "--prometheus-timeout: 0s is not positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, append([]string{"forecast", "--horizon", "1h"}, tc.args...)...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestPrometheusTrace loads six days of the NASA trace into a real
// Prometheus and checks that forecast, reading them back with --prometheus,
// gives the forecast of the same days read from a file, and that tune runs
// on them end to end.
func TestPrometheusTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus and tunes on six days")
	}
	prom := promtest.Start(t)
	series, err := readPlanSeries(nasaTrace, timeseries.ReadOptions{TimeCol: "minute_start_edt", ValueCol: "count"})
	require.NoError(t, err)
	y := series[0]
	from := y.Index(time.Date(1995, 7, 5, 0, 0, 0, 0, time.UTC))
	y = y.Slice(from, from+6*1440)
	var csv strings.Builder
	csv.WriteString("timestamp,value\n")
	s := promtest.Series{Name: "nasa_requests_per_minute", Labels: map[string]string{"job": "www"}}
	for i, v := range y.Values {
		require.False(t, math.IsNaN(v), "step %d of the chosen days is missing", i)
		s.Samples = append(s.Samples, promtest.Sample{Time: y.Time(i), Value: v})
		fmt.Fprintf(&csv, "%s,%g\n", y.Time(i).Format(time.RFC3339), v)
	}
	prom.Write(s)
	file := filepath.Join(t.TempDir(), "nasa.csv")
	require.NoError(t, os.WriteFile(file, []byte(csv.String()), 0o600))
	until := y.Time(y.Len() - 1).Format(time.RFC3339)
	fromProm := []string{"--prometheus", prom.URL(), "--query", "sum(nasa_requests_per_minute)", "--range", "6d", "--until", until, "--step", "1m"}

	forecastOf := func(source ...string) any {
		out, err := run(t, append([]string{"forecast", "--model", "mseasonal", "--horizon", "2h", "--output", "json"}, source...)...)
		require.NoError(t, err)
		var got []map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		require.Len(t, got, 1)
		require.Len(t, got[0]["points"], 120)
		return got[0]["points"]
	}
	viaProm, viaFile := forecastOf(fromProm...), forecastOf("--trace", file)
	assert.Equal(t, viaFile, viaProm, "the same forecast from Prometheus as from the file")

	out, err := run(t, append([]string{"tune", "--capacity-per-pod", "10", "--startup", "2m", "--burn-in", "2d", "--holdout", "2d",
		"--slo", "0.01", "--risks", "0.9,0.98", "--utilizations", "0.6", "--frontier-reactive", "0.5,0.7"}, fromProm...)...)
	require.NoError(t, err, "tune from Prometheus:\n%s", out)
	assert.Contains(t, out, "re-check on the holdout")
	assert.Contains(t, out, `targetPerPod: "`)
	assert.Contains(t, out, `query: "sum(nasa_requests_per_minute)"`, "the trigger carries the query tuned on")
	assert.NotContains(t, out, "calendar:", "the bundled trace's calendar is not this history's")
}
