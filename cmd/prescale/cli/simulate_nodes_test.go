package cli

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

const nasaPlan = "../../../deploy/examples/capacity/nasa-forecast.yaml"

func TestSimulateNodeFlagErrors(t *testing.T) {
	tests := []struct {
		name, flag string
		args       []string
	}{
		{"workload without plan", "--workload", []string{"--workload", "www"}},
		{"plan without workload", "--workload", []string{"--capacity-plan", nasaPlan}},
		{"unknown workload", "--workload", []string{"--capacity-plan", nasaPlan, "--workload", "x"}},
		{"missing plan", "--capacity-plan", []string{"--capacity-plan", "testdata/simulate/none.yaml", "--workload", "www"}},
		{"pods per node with plan", "--pods-per-node", []string{"--capacity-plan", nasaPlan, "--workload", "www", "--pods-per-node", "3"}},
		{"node price with plan", "--node-price-per-hour", []string{"--capacity-plan", nasaPlan, "--workload", "www", "--node-price-per-hour", "1"}},
		{"negative pods per node", "--pods-per-node", []string{"--pods-per-node", "-1"}},
		{"negative max nodes", "--max-nodes", []string{"--pods-per-node", "4", "--max-nodes", "-2"}},
		{"max nodes alone", "--max-nodes", []string{"--max-nodes", "4"}},
		{"node price alone", "--node-price-per-hour", []string{"--node-price-per-hour", "0.2"}},
		{"negative node price", "--node-price-per-hour", []string{"--pods-per-node", "4", "--node-price-per-hour", "-1"}},
		{"bad node start-up", "--node-startup", []string{"--pods-per-node", "4", "--node-startup", "soon"}},
		{"pod price with nodes", "--price-per-pod-hour", []string{"--pods-per-node", "4", "--price-per-pod-hour", "0.1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, simulateArgs(append([]string{"--policies", "reactive"}, tc.args...)...)...)
			if err == nil || !strings.HasPrefix(err.Error(), tc.flag+":") {
				t.Errorf("error %v; want one starting %s:", err, tc.flag)
			}
		})
	}
}

func TestSimulateUnknownWorkloadListsWorkloads(t *testing.T) {
	_, err := run(t, simulateArgs("--policies", "reactive", "--capacity-plan", nasaPlan, "--workload", "x")...)
	if err == nil || !strings.Contains(err.Error(), "have www, image-cache") {
		t.Errorf("error %v; want the plan's workloads listed", err)
	}
}

// reactiveFigures runs the reactive policy with extra flags and returns its
// JSON figures.
func reactiveFigures(t *testing.T, extra ...string) map[string]any {
	t.Helper()
	args := simulateArgs(append([]string{"--policies", "reactive,oracle", "--startup", "2m", "--output", "json"}, extra...)...)
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("prescale %s: %v", strings.Join(args, " "), err)
	}
	var doc struct {
		Runs []struct {
			Policies []map[string]any `json:"policies"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Runs[0].Policies[0]
}

func TestSimulateNodePool(t *testing.T) {
	free := reactiveFigures(t, "--price-per-pod-hour", "0.05")
	small := reactiveFigures(t, "--pods-per-node", "5", "--max-nodes", "8", "--node-startup", "10m", "--node-price-per-hour", "0.17")
	if _, ok := free["node_hours"]; ok {
		t.Errorf("node_hours reported with unlimited nodes: %v", free)
	}
	if !(small["unserved_fraction"].(float64) > free["unserved_fraction"].(float64)) {
		t.Errorf("unserved with 8 nodes of 5 pods and a 10m start-up = %v, unlimited = %v; want more",
			small["unserved_fraction"], free["unserved_fraction"])
	}
	hours := small["node_hours"].(float64)
	if !(hours > 0 && hours <= 8*48) || math.Abs(small["cost"].(float64)-0.17*hours) > 1e-9 {
		t.Errorf("node_hours %v, cost %v; want node_hours in (0,384] and cost = 0.17 × node_hours", hours, small["cost"])
	}
	if small["cost"] == free["cost"] {
		t.Errorf("cost %v with nodes equals the pod-priced %v", small["cost"], free["cost"])
	}
}

func TestSimulateCapacityPlan(t *testing.T) {
	out, err := run(t, simulateArgs("--policies", "reactive", "--startup", "2m", "--capacity-plan", nasaPlan, "--workload", "www")...)
	if err != nil {
		t.Fatal(err)
	}
	// www (500m, 512Mi) at target 0.8 with 250m/600Mi/6 pods overhead fits 5 on c6i.xlarge ($0.17).
	for _, want := range []string{"node pool of 5 pods/node", "$0.17", "pool web, c6i.xlarge", "node-hours"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
