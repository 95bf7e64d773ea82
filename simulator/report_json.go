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
	out := comparisonJSON{
		Trace: c.Trace, Start: c.Start.UTC().Format(time.RFC3339), Step: c.Step.String(), Steps: c.Steps,
		CapacityPerPod: c.CapacityPerPod, TargetUtilisation: c.TargetUtilisation,
		PricePerPodHour: c.PricePerPodHour, Seed: c.Seed, Parameters: map[string]string{},
	}
	for _, p := range c.Parameters {
		out.Parameters[p.Name] = p.Value
	}
	for _, r := range c.Startups {
		run := runJSON{Startup: r.Startup}
		for _, res := range r.Results {
			run.Policies = append(run.Policies, policyJSON(res))
		}
		out.Runs = append(out.Runs, run)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type comparisonJSON struct {
	Trace             string            `json:"trace"`
	Start             string            `json:"start"`
	Step              string            `json:"step"`
	Steps             int               `json:"steps"`
	CapacityPerPod    float64           `json:"capacity_per_pod"`
	TargetUtilisation float64           `json:"target_utilisation"`
	PricePerPodHour   float64           `json:"price_per_pod_hour"`
	Seed              uint64            `json:"seed"`
	Parameters        map[string]string `json:"parameters"`
	Runs              []runJSON         `json:"runs"`
}

type runJSON struct {
	Startup  string       `json:"startup"`
	Policies []orderedMap `json:"policies"`
}

// policyJSON returns the figures of r under their metric names.
func policyJSON(r Result) orderedMap {
	m := orderedMap{{"policy", r.Policy}}
	for _, name := range MetricNames() {
		v, _ := r.Metric(name)
		m = append(m, field{name, finite(v)})
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
