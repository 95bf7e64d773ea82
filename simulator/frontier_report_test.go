package simulator

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files of this package's tests instead of
// comparing with them.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name.golden, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "reading the golden file (run with -update to create it)")
	assert.Equal(t, string(want), got, "output differs from %s (run with -update if intended)", path)
}

// handComparison is a FrontierComparison of handBaseline and
// handChallenger for one start-up delay, with an oracle of 80 pod-hours;
// its figures do not depend on the simulator's model.
func handComparison() FrontierComparison {
	oracle := Result{Policy: "oracle", PodHours: 80}
	f := Frontier{Oracle: oracle, Curves: []Curve{handBaseline(), handChallenger()}}
	for _, c := range f.Curves {
		for i := range c.Points {
			c.Points[i].Result.VsOracle = c.Points[i].Result.Relative(oracle)
		}
	}
	return FrontierComparison{
		Setup: Comparison{Trace: "hand", Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Step: time.Minute, Steps: 1440,
			CapacityPerPod: 50, TargetUtilisation: 0.7, Seed: 1,
			Parameters: []Parameter{{"frontier", "reactive over target_utilisation 0.5,0.6,0.7,0.9,1; predictive over predictive_utilisation 0.5,0.6,0.8,1"}}},
		Baseline: "reactive",
		Runs:     []FrontierRun{{Startup: "5m", Frontier: f}},
	}
}

func TestWriteFrontierGolden(t *testing.T) {
	c := handComparison()
	outs, _ := CheckFrontier(c, []Assertion{
		{Policy: "frontier.predictive", Metric: "unserved_ratio_at_default", Op: OpLessEqual, Value: 0.5},
		{Policy: "frontier.predictive", Metric: "max_unserved_ratio", Op: OpLessEqual, Value: 0.5},
	})
	tests := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"table", func(w io.Writer) error { return WriteFrontierTable(w, c, outs) }},
		{"markdown", func(w io.Writer) error { return WriteFrontierMarkdown(w, c, outs) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tc.write(&b))
			golden(t, "frontier_"+tc.name, b.String())
		})
	}
}

func TestWriteFrontierTableNodeCost(t *testing.T) {
	c := handComparison()
	c.Setup.Nodes = &NodeBilling{Pool: NodePoolSettings{PodsPerNode: 4, MaxNodes: UnlimitedNodes}, PricePerNodeHour: 0.2}
	c.Runs[0].Frontier.Curves[0].Points[0].NodeCost = 12.5
	var b bytes.Buffer
	require.NoError(t, WriteFrontierTable(&b, c, nil))
	assert.Contains(t, b.String(), "node cost")
	assert.Contains(t, b.String(), "$12.50")
}

func TestWriteFrontierJSON(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteFrontierJSON(&b, handComparison()))
	var got struct {
		Trace    string `json:"trace"`
		Baseline string `json:"baseline"`
		Runs     []struct {
			Startup string         `json:"startup"`
			Oracle  map[string]any `json:"oracle"`
			Curves  []struct {
				Policy      string           `json:"policy"`
				Knob        string           `json:"knob"`
				DefaultKnob *float64         `json:"default_knob"`
				Points      []map[string]any `json:"points"`
			} `json:"curves"`
			Comparisons []struct {
				Challenger string           `json:"challenger"`
				Baseline   string           `json:"baseline"`
				Points     []map[string]any `json:"points"`
				Summary    map[string]any   `json:"summary"`
			} `json:"comparisons"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &got), b.String())
	assert.Equal(t, "hand", got.Trace)
	assert.Equal(t, "reactive", got.Baseline)
	require.Len(t, got.Runs, 1)
	run := got.Runs[0]
	assert.Equal(t, "5m", run.Startup)
	assert.Equal(t, "oracle", run.Oracle["policy"])
	require.Len(t, run.Curves, 2)
	assert.Equal(t, "target_utilisation", run.Curves[0].Knob)
	require.NotNil(t, run.Curves[0].DefaultKnob)
	assert.Equal(t, 0.7, *run.Curves[0].DefaultKnob)
	p := run.Curves[0].Points[2]
	assert.Equal(t, 0.7, p["knob"])
	assert.Equal(t, true, p["default"])
	assert.Nil(t, p["node_cost"], "node_cost without a node pool")
	assert.Equal(t, 200.0, p["result"].(map[string]any)["pod_hours"])
	assert.Equal(t, false, run.Curves[1].Points[0]["efficient"], "predictive@0.5 is dominated")
	require.Len(t, run.Comparisons, 1)
	cmp := run.Comparisons[0]
	assert.Equal(t, "predictive", cmp.Challenger)
	require.Len(t, cmp.Points, 5)
	assert.Nil(t, cmp.Points[4]["unserved_ratio"], "outside the challenger's range")
	assert.Equal(t, 0.5, cmp.Points[2]["unserved_ratio"])
	for _, name := range FrontierMetricNames() {
		assert.Contains(t, cmp.Summary, name)
	}
	assert.Equal(t, 0.625, cmp.Summary["max_unserved_ratio"])
	assert.Equal(t, 3.0, cmp.Summary["points_compared"])
}

func TestWriteFrontierChart(t *testing.T) {
	c := handComparison()
	second := c.Runs[0]
	second.Startup = "10m"
	c.Runs = append(c.Runs, second)
	var b bytes.Buffer
	require.NoError(t, WriteFrontierChart(&b, c))
	dec := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "chart is not well-formed")
	}
	svg := b.String()
	for _, want := range []string{"start-up 5m", "start-up 10m", "reactive (points labelled with target_utilisation)",
		">0.7<", ">0.9<", ">oracle<", ">0.1%<", ">10%<", "predictive ÷ reactive unserved at reactive&#39;s default: 0.5, worst 0.625"} {
		assert.Contains(t, svg, want)
	}
	assert.Equal(t, 2*(5+4), strings.Count(svg, "<circle")-2*1, "one dot per point, plus a ring at the default")
	require.Error(t, WriteFrontierChart(io.Discard, FrontierComparison{}))
}

func TestDecadeLabel(t *testing.T) {
	for d, want := range map[int]string{-5: "0.001%", -3: "0.1%", -2: "1%", -1: "10%", 0: "100%"} {
		assert.Equal(t, want, decadeLabel(d), "decadeLabel(%d)", d)
	}
}

func TestSpanTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []float64
	}{
		{7443, 18000, []float64{5000, 7500, 10000, 12500, 15000, 17500, 20000}},
		{100, 400, []float64{100, 200, 300, 400}},
		{5, 5, []float64{4, 4.5, 5, 5.5, 6}},
	}
	for _, tc := range tests {
		got := spanTicks(tc.lo, tc.hi)
		assert.Equal(t, tc.want, got, "spanTicks(%v, %v)", tc.lo, tc.hi)
		assert.LessOrEqual(t, got[0], tc.lo)
		assert.GreaterOrEqual(t, got[len(got)-1], tc.hi)
		assert.False(t, math.IsNaN(got[0]))
	}
}
