package simulator

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"time"
)

// WriteJSON writes c as indented JSON: the trace, the settings (the
// capacity per pod among them), the parameters, and per start-up delay one
// object per policy whose keys are MetricNames, plus "policy", the demand
// and unserved volumes. Figures that are not finite (a ratio to an oracle
// figure of 0) are null.
func WriteJSON(w io.Writer, c Comparison) error {
	out := comparisonJSON{setupJSON: newSetupJSON(c, "cost = node_hours × price_per_node_hour; oracle node_hours = pod_hours / pods_per_node")}
	for _, r := range c.Startups {
		run := runJSON{Startup: r.Startup}
		for _, res := range r.Results {
			run.Policies = append(run.Policies, policyJSON(res, c.Nodes != nil))
		}
		out.Runs = append(out.Runs, run)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type comparisonJSON struct {
	setupJSON
	Runs []runJSON `json:"runs"`
}

// setupJSON is the trace and the settings of a Comparison, the head of
// both JSON reports; its fields are inlined where it is embedded.
type setupJSON struct {
	Trace             string            `json:"trace"`
	Start             string            `json:"start"`
	Step              string            `json:"step"`
	Steps             int               `json:"steps"`
	CapacityPerPod    float64           `json:"capacity_per_pod"`
	TargetUtilisation float64           `json:"target_utilisation"`
	PricePerPodHour   float64           `json:"price_per_pod_hour"`
	Seed              uint64            `json:"seed"`
	NodePool          *nodePoolJSON     `json:"node_pool,omitempty"`
	Parameters        map[string]string `json:"parameters"`
}

// newSetupJSON returns the head of c's report; costRule says how node
// cost is computed when c has a node pool.
func newSetupJSON(c Comparison, costRule string) setupJSON {
	out := setupJSON{
		Trace: c.Trace, Start: c.Start.UTC().Format(time.RFC3339), Step: c.Step.String(), Steps: c.Steps,
		CapacityPerPod: c.CapacityPerPod, TargetUtilisation: c.TargetUtilisation,
		PricePerPodHour: c.PricePerPodHour, Seed: c.Seed, Parameters: map[string]string{},
	}
	if b := c.Nodes; b != nil {
		out.NodePool = &nodePoolJSON{PodsPerNode: b.Pool.PodsPerNode, MinNodes: b.Pool.MinNodes, MaxNodes: b.Pool.MaxNodes,
			Startup: b.Pool.StartupDelay.String(), Unneeded: b.Pool.UnneededTime.String(),
			PricePerNodeHour: b.PricePerNodeHour, CostRule: costRule}
	}
	for _, p := range c.Parameters {
		out.Parameters[p.Name] = p.Value
	}
	return out
}

type runJSON struct {
	Startup  string       `json:"startup"`
	Policies []orderedMap `json:"policies"`
}

// nodePoolJSON is the node pool of a Comparison; cost is node_hours ×
// price_per_node_hour.
type nodePoolJSON struct {
	PodsPerNode      int     `json:"pods_per_node"`
	MinNodes         int     `json:"min_nodes"`
	MaxNodes         int     `json:"max_nodes"`
	Startup          string  `json:"startup"`
	Unneeded         string  `json:"unneeded_time"`
	PricePerNodeHour float64 `json:"price_per_node_hour"`
	CostRule         string  `json:"cost_rule"`
}

// policyJSON returns the figures of r under their metric names, with
// node_hours when the runs had a node pool.
func policyJSON(r Result, nodes bool) orderedMap {
	m := orderedMap{{"policy", r.Policy}}
	for _, name := range MetricNames() {
		v, _ := r.Metric(name)
		m = append(m, field{name, finite(v)})
	}
	if nodes {
		m = append(m, field{"node_hours", finite(r.NodeHours)})
	}
	return append(m, field{"demand_volume", finite(r.DemandVolume)}, field{"unserved_volume", finite(r.UnservedVolume)})
}

// finite returns v, or nil (null) when it is not finite.
func finite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return json.Number(strconv.FormatFloat(v, 'g', -1, 64))
}

// field is one key and value of an orderedMap.
type field struct {
	key   string
	value any
}

// orderedMap is a JSON object whose keys keep their order.
type orderedMap []field

// MarshalJSON encodes the fields in order.
func (m orderedMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
