package simulator

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

// testComparison compares reactive, a relabelled reactive and the oracle
// on a day of synthetic demand, with timelines.
func testComparison(t *testing.T) Comparison {
	t.Helper()
	y := syntheticDemand(24*60, time.Minute, 1000, 8)
	s := DefaultSettings()
	s.Pods.Capacity = 50
	s.Pods.PricePerHour = 0.05
	s.Timeline = true
	ps := []Policy{NewReactive(50), Labelled{Policy: Reactive{Capacity: 50, Utilisation: 0.5}, Label: "reactive@0.5"}}
	rep, err := Compare(context.Background(), y, s, ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Comparison{
		Trace: y.Name, Start: y.Start, Step: y.Step, Steps: y.Len(), CapacityPerPod: 50,
		TargetUtilisation: 0.7, PricePerPodHour: 0.05, Seed: 1,
		Parameters: []Parameter{{"what_if.scale", "2"}},
		Startups:   []StartupReport{NewStartupReport("1m", rep, []string{"reactive", "reactive@0.5", "oracle"})},
	}
}

func TestNewStartupReportOrder(t *testing.T) {
	c := testComparison(t)
	var names []string
	for _, r := range c.Startups[0].Results {
		names = append(names, r.Policy)
	}
	if got := strings.Join(names, ","); got != "reactive,reactive@0.5,oracle" {
		t.Errorf("policies %s, want reactive,reactive@0.5,oracle", got)
	}
	if r, ok := c.Startups[0].Find("reactive@0.5"); !ok || r.VsOracle.PodHours <= 1 {
		t.Errorf("Find(reactive@0.5) = %+v, %v; want a result costlier than the oracle", r.VsOracle, ok)
	}
}

func TestResultMetric(t *testing.T) {
	r := Result{UnservedFraction: 0.1, UnderProvisionedFraction: 0.2, PodHours: 3, Cost: 4, PeakReplicas: 5, ScaleEvents: 6,
		VsOracle: Ratios{UnservedFraction: math.Inf(1), UnderProvisionedFraction: 7, PodHours: 8, Cost: 9, PeakReplicas: 10, ScaleEvents: 11}}
	want := []float64{0.1, 0.2, 3, 4, 5, 6, math.Inf(1), 7, 8, 9, 10, 11}
	for i, name := range MetricNames() {
		if got, ok := r.Metric(name); !ok || got != want[i] {
			t.Errorf("Metric(%q) = %v, %v; want %v", name, got, ok, want[i])
		}
	}
	if _, ok := r.Metric("latency"); ok {
		t.Error("Metric(latency): ok for an unknown name")
	}
}

func TestWriteJSONNamesTheMetrics(t *testing.T) {
	c := testComparison(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, c); err != nil {
		t.Fatal(err)
	}
	var got struct {
		CapacityPerPod float64 `json:"capacity_per_pod"`
		Runs           []struct {
			Startup  string
			Policies []map[string]any
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, b.String())
	}
	if got.CapacityPerPod != 50 || len(got.Runs) != 1 || len(got.Runs[0].Policies) != 3 {
		t.Fatalf("json = %+v, want capacity 50 and one run of three policies", got)
	}
	oracle := got.Runs[0].Policies[2]
	for _, name := range MetricNames() {
		if _, ok := oracle[name]; !ok {
			t.Errorf("oracle has no key %q", name)
		}
	}
	if oracle["unserved_fraction_vs_oracle"] != float64(1) {
		t.Errorf("oracle unserved ratio = %v, want 1 (0 over 0)", oracle["unserved_fraction_vs_oracle"])
	}
	if r := got.Runs[0].Policies[0]; r["unserved_fraction"].(float64) > 0 && r["unserved_fraction_vs_oracle"] != nil {
		t.Errorf("reactive unserved ratio over an oracle of 0 = %v, want null", r["unserved_fraction_vs_oracle"])
	}
}

func TestWriteTimelineColumns(t *testing.T) {
	c := testComparison(t)
	var b bytes.Buffer
	if err := WriteTimeline(&b, c.Startups[0]); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "timestamp,policy,demand,desired_replicas,ready_replicas" {
		t.Errorf("header %q", got)
	}
	if len(rows) != 1+3*c.Steps {
		t.Errorf("%d rows, want a header and %d per policy", len(rows), c.Steps)
	}
	if rows[1][0] != "2026-01-05T00:00:00Z" || rows[1][1] != "reactive" || rows[len(rows)-1][1] != "oracle" {
		t.Errorf("first and last rows %v, %v", rows[1], rows[len(rows)-1])
	}
}

func TestWriteChart(t *testing.T) {
	c := testComparison(t)
	var b bytes.Buffer
	if err := WriteChart(&b, c, c.Startups[0]); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&b)
	paths, texts := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "path":
				paths++
			case "text":
				texts++
			}
		}
	}
	if paths != 2*3 || texts < 3*5 {
		t.Errorf("%d paths and %d texts, want an area and a line per policy, and labelled axes", paths, texts)
	}
	c.Startups[0].Results[0].Timeline = nil
	if err := WriteChart(io.Discard, c, c.Startups[0]); !errors.Is(err, ErrNoTimeline) {
		t.Errorf("chart without a timeline: %v, want ErrNoTimeline", err)
	}
}

func TestWriteTableAndMarkdown(t *testing.T) {
	c := testComparison(t)
	a, _ := ParseAssertion("reactive.unserved_fraction < 0")
	outs, passed := Check(c, []Assertion{a})
	if passed {
		t.Fatal("an impossible check passed")
	}
	var tb, md bytes.Buffer
	if err := WriteTable(&tb, c, outs); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, c, outs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"start-up 1m", "reactive@0.5", "cost $", "FAIL reactive.unserved_fraction < 0", "what_if.scale = 2"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	for _, want := range []string{"**Checks: 0 passed, 1 failed.**", "| policy | unserved |", "|---|---:|", "#### Start-up 1m", "`what_if.scale` = `2`"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}
