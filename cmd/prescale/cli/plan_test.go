package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prescale-dev/prescale/pkg/capacity/planreport"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// Planning files the plan tests read.
const (
	planEcommerce  = "../../../deploy/examples/capacity/ecommerce.yaml"
	planStaffing   = "../../../deploy/examples/capacity/staffing.yaml"
	planNASA       = "../../../deploy/examples/capacity/nasa-forecast.yaml"
	planForecast   = "testdata/plan/forecast.yaml"
	planSimulation = "testdata/plan/simulation.yaml"
)

// TestPlanGolden compares the table, markdown and JSON outputs of the
// e-commerce example with their golden files: the timeline for table and
// markdown, the peak instant for JSON (the timeline's JSON is checked by
// TestPlanTimelineJSON).
func TestPlanGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"ecommerce_table", []string{"plan", "--config", planEcommerce}},
		{"ecommerce_markdown", []string{"plan", "--config", planEcommerce, "--output", "markdown"}},
		{"ecommerce_at_json", []string{"plan", "--config", planEcommerce, "--at", "2025-11-28T12:00:00Z", "--output", "json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, tc.args...)
			if err != nil {
				t.Fatalf("prescale %s: %v", strings.Join(tc.args, " "), err)
			}
			golden(t, "plan/"+tc.name, out)
		})
	}
}

// planDoc is the part of the JSON output the tests read.
type planDoc struct {
	Name  string `json:"name"`
	Nodes []struct {
		Pool         string  `json:"pool"`
		Zone         string  `json:"zone"`
		InstanceType string  `json:"instance_type"`
		PricePerHour float64 `json:"price_per_hour"`
		Allocatable  *struct {
			CPU    float64 `json:"cpu"`
			Memory int64   `json:"memory"`
			Pods   int     `json:"pods"`
		} `json:"allocatable"`
		Pods []struct {
			Workload string  `json:"workload"`
			CPU      float64 `json:"cpu"`
			Memory   int64   `json:"memory"`
		} `json:"pods"`
	} `json:"nodes"`
	Pools []struct {
		Name          string            `json:"name"`
		InstanceTypes []json.RawMessage `json:"instance_types"`
	} `json:"pools"`
	Workloads []struct {
		Name     string `json:"name"`
		Replicas int    `json:"replicas"`
	} `json:"workloads"`
	CostPerHour           *float64          `json:"cost_per_hour"`
	LowerBoundCostPerHour *float64          `json:"lower_bound_cost_per_hour"`
	Unplaceable           []json.RawMessage `json:"unplaceable"`
	Timeline              *struct {
		Steps []struct {
			At          string            `json:"at"`
			Nodes       int               `json:"nodes"`
			Pools       []json.RawMessage `json:"pools"`
			Zones       []json.RawMessage `json:"zones"`
			Lines       []json.RawMessage `json:"business_lines"`
			Utilization map[string]any    `json:"utilization"`
		} `json:"steps"`
		Predictive map[string]any     `json:"predictive"`
		StaticPeak map[string]any     `json:"static_peak"`
		Current    map[string]any     `json:"current"`
		Savings    map[string]float64 `json:"savings_vs_static_peak"`
		Breakdown  map[string][]struct {
			Name       string   `json:"name"`
			Predictive float64  `json:"predictive"`
			StaticPeak float64  `json:"static_peak"`
			Current    *float64 `json:"current"`
		} `json:"breakdown"`
		PeakPlan json.RawMessage `json:"peak_plan"`
	} `json:"timeline"`
	Sources []planreport.Source `json:"sources"`
	Cluster *struct {
		Nodes        []json.RawMessage       `json:"nodes"`
		Deployments  []inventory.Deployment  `json:"deployments"`
		StatefulSets []inventory.StatefulSet `json:"statefulsets"`
		DaemonSets   []inventory.DaemonSet   `json:"daemonsets"`
		Fit          *inventory.Fit          `json:"fit"`
		Notes        []string                `json:"notes"`
	} `json:"cluster"`
}

// planJSONOf runs prescale plan with --output json and decodes the output.
func planJSONOf(t *testing.T, args ...string) planDoc {
	t.Helper()
	out, err := run(t, append([]string{"plan", "--output", "json"}, args...)...)
	if err != nil {
		t.Fatalf("prescale plan %s: %v", strings.Join(args, " "), err)
	}
	var doc planDoc
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decoding the JSON output: %v", err)
	}
	return doc
}

// TestPlanTimelineJSON checks the shape of the timeline's JSON: the peak
// plan's nodes, pods, pools and costs at the top level, and the steps and
// the comparison under "timeline".
func TestPlanTimelineJSON(t *testing.T) {
	doc := planJSONOf(t, "--config", planEcommerce)
	if doc.Name != "ecommerce-black-friday" || doc.CostPerHour == nil || doc.LowerBoundCostPerHour == nil || doc.Unplaceable == nil {
		t.Fatalf("top level lacks name, cost_per_hour, lower_bound_cost_per_hour or unplaceable: %+v", doc)
	}
	sum, pods := 0.0, 0
	for _, n := range doc.Nodes {
		if n.Pool == "" || n.Zone == "" || n.InstanceType == "" || n.Allocatable == nil || n.Allocatable.CPU <= 0 || n.Allocatable.Memory <= 0 || n.Allocatable.Pods <= 0 {
			t.Fatalf("node without pool, zone, type or allocatable: %+v", n)
		}
		for _, p := range n.Pods {
			if p.Workload == "" || p.CPU <= 0 || p.Memory <= 0 {
				t.Fatalf("pod without workload or requests: %+v", p)
			}
		}
		sum += n.PricePerHour
		pods += len(n.Pods)
	}
	if len(doc.Nodes) != 51 || pods != 456 || !planNear(sum, *doc.CostPerHour) || *doc.LowerBoundCostPerHour > *doc.CostPerHour {
		t.Errorf("%d nodes, %d pods, prices summing to %g for cost %g, bound %g; want 51 nodes, 456 pods, cost the sum, bound below",
			len(doc.Nodes), pods, sum, *doc.CostPerHour, *doc.LowerBoundCostPerHour)
	}
	if len(doc.Pools) != 3 || len(doc.Pools[2].InstanceTypes) != 5 {
		t.Errorf("pools %+v, want 3, the data pool offering 5 instance types", doc.Pools)
	}
	tl := doc.Timeline
	if tl == nil || len(tl.Steps) != 72 || tl.PeakPlan != nil || tl.Predictive == nil || tl.StaticPeak == nil || tl.Current == nil {
		t.Fatalf("timeline: want 72 steps, the strategies and no repeated peak plan; got %+v", tl)
	}
	st := tl.Steps[33] // 2025-11-28 09:00
	if st.At != "2025-11-28T09:00:00Z" || st.Nodes != 51 || len(st.Pools) != 3 || len(st.Zones) != 3 || len(st.Lines) != 4 || st.Utilization["cpu"] == nil {
		t.Errorf("step 33: %+v", st)
	}
	for _, key := range []string{"by_pool", "by_zone", "by_business_line"} {
		var pred float64
		for _, l := range tl.Breakdown[key] {
			if l.Current == nil {
				t.Errorf("%s %s: no current cost", key, l.Name)
			}
			pred += l.Predictive
		}
		if !planNear(pred, tl.Predictive["cost"].(float64)) {
			t.Errorf("%s: predictive costs sum to %g, want the total %v", key, pred, tl.Predictive["cost"])
		}
	}
	if tl.Savings["percent"] <= 0 {
		t.Errorf("savings vs static peak %v", tl.Savings)
	}
}

// planNear compares costs summed in different orders.
func planNear(a, b float64) bool {
	d := a - b
	return d < 1e-6*max(1, b) && -d < 1e-6*max(1, b)
}

// TestPlanModes plans the peak without a timeline, one instant with --at,
// writes --out and writes the HTML page (whose content package planreport
// tests).
func TestPlanModes(t *testing.T) {
	noTimeline := filepath.Join(t.TempDir(), "peak.yaml")
	writePlanConfig(t, noTimeline, strings.Replace(planMinimal, "  timeline: {start: 2025-11-28T00:00:00Z, end: 2025-11-29T00:00:00Z, step: 1h}\n", "", 1))
	peak := planJSONOf(t, "--config", noTimeline)
	if peak.Timeline != nil || len(peak.Workloads) != 1 || peak.Workloads[0].Replicas != 30 {
		t.Errorf("without a timeline: %+v, want the peak (30 replicas) and no timeline", peak.Workloads)
	}
	at := planJSONOf(t, "--config", planEcommerce, "--at", "2025-11-27 03:00")
	if at.Timeline != nil || len(at.Nodes) != 30 {
		t.Errorf("--at 03:00 on Thursday: %d nodes, want the night's 30 and no timeline", len(at.Nodes))
	}
	out := filepath.Join(t.TempDir(), "plan.md")
	stdout, err := run(t, "plan", "--config", planStaffing, "--output", "markdown", "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if stdout != "" || err != nil || !strings.HasPrefix(string(b), "# Capacity plan staffing-new-year\n") {
		t.Errorf("--out: stdout %q, file %.60q, err %v", stdout, b, err)
	}
	page, err := run(t, "plan", "--config", planStaffing, "--at", "2026-01-05T19:30:00Z", "--output", "html")
	if err != nil || !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "<h1>Capacity plan staffing-new-year</h1>") {
		t.Errorf("--output html: err %v, page %.80q", err, page)
	}
}

// planMinimal is a small planning file with a campaign.
const planMinimal = `apiVersion: prescale.dev/v1alpha1
kind: CapacityPlan
metadata: {name: minimal}
spec:
  timeline: {start: 2025-11-28T00:00:00Z, end: 2025-11-29T00:00:00Z, step: 1h}
  nodePools:
    - name: web
      businessLines: [shop]
      zones: [a, b]
      instanceTypes:
        - {name: m.xlarge, allocatable: {cpu: 3920m, memory: 14Gi, pods: 58}, pricePerHour: 0.192}
  workloads:
    - name: frontend
      businessLine: shop
      requests: {cpu: 500m, memory: 1Gi}
      replicas:
        - {time: 2025-11-28T00:00:00Z, replicas: 6}
        - {time: 2025-11-28T09:00:00Z, replicas: 30}
        - {time: 2025-11-28T21:00:00Z, replicas: 6}
`

// writePlanConfig writes a planning file.
func writePlanConfig(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
