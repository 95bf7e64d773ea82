package simulator

import (
	"encoding/json"
	"io"
)

// WriteFrontierJSON writes c as indented JSON: the trace and the settings
// as WriteJSON writes them, the baseline's name, and per start-up delay
// the oracle, each curve's points (knob, pod_hours, unserved_fraction,
// node_cost, efficient and the full result under the keys of WriteJSON;
// on a curve over two knobs the curve's second_knob and default_second
// and each point's second too) and each challenger's comparison with the baseline: one row per baseline
// point and a summary whose keys are FrontierMetricNames. Figures that are
// not defined (outside the challenger's range, or without a node pool)
// are null.
func WriteFrontierJSON(w io.Writer, c FrontierComparison) error {
	nodes := c.Setup.Nodes != nil
	out := frontierJSON{
		setupJSON:     newSetupJSON(c.Setup, "node_cost = node_hours × price_per_node_hour; oracle node_hours = pod_hours / pods_per_node"),
		Baseline:      c.Baseline,
		Interpolation: "piecewise linear in log(unserved_fraction) between efficient points, linear where one is 0; no extrapolation",
	}
	for _, run := range c.Runs {
		r := frontierRunJSON{Startup: run.Startup, Oracle: policyJSON(run.Frontier.Oracle, nodes)}
		for _, curve := range run.Frontier.Curves {
			r.Curves = append(r.Curves, curveJSON(curve, nodes))
		}
		for _, h := range run.Frontier.Headlines(c.Baseline) {
			r.Comparisons = append(r.Comparisons, headlineJSON(h))
		}
		out.Runs = append(out.Runs, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type frontierJSON struct {
	setupJSON
	Baseline      string            `json:"baseline"`
	Interpolation string            `json:"interpolation"`
	Runs          []frontierRunJSON `json:"runs"`
}

type frontierRunJSON struct {
	Startup     string       `json:"startup"`
	Oracle      orderedMap   `json:"oracle"`
	Curves      []orderedMap `json:"curves"`
	Comparisons []orderedMap `json:"comparisons"`
}

// curveJSON returns a curve with its points.
func curveJSON(c Curve, nodes bool) orderedMap {
	points := make([]orderedMap, 0, len(c.Points))
	two := c.Second != ""
	for _, p := range c.Points {
		m := orderedMap{{"knob", finite(p.Knob)}}
		if two {
			m = append(m, field{"second", finite(p.Second)})
		}
		points = append(points, append(m, orderedMap{
			{"default", c.IsDefault(p)},
			{"pod_hours", finite(p.PodHours)}, {"unserved_fraction", finite(p.UnservedFraction)},
			{"node_cost", finite(p.NodeCost)}, {"efficient", c.IsEfficient(p)},
			{"result", policyJSON(p.Result, nodes)},
		}...))
	}
	m := orderedMap{{"policy", c.Name}, {"knob", c.Knob}, {"default_knob", finite(c.Default)}}
	if two {
		m = append(m, field{"second_knob", c.Second}, field{"default_second", finite(c.SecondDefault)})
	}
	return append(m, field{"points", points})
}

// headlineJSON returns a Headline's rows and summary.
func headlineJSON(h Headline) orderedMap {
	rows := make([]orderedMap, 0, len(h.Rows))
	for _, r := range h.Rows {
		rows = append(rows, orderedMap{
			{"baseline_knob", finite(r.Baseline.Knob)}, {"default", r.Default}, {"efficient", r.Efficient},
			{"baseline_pod_hours", finite(r.Baseline.PodHours)}, {"baseline_unserved_fraction", finite(r.Baseline.UnservedFraction)},
			{"challenger_unserved_fraction", finite(r.ChallengerUnserved)}, {"unserved_ratio", finite(r.UnservedRatio)},
			{"challenger_pod_hours", finite(r.ChallengerPodHours)}, {"pod_hours_saved", finite(r.PodHoursSaved)},
			{"unserved_bound", r.UnservedBound}, {"pod_hours_bound", r.PodHoursBound},
		})
	}
	summary := orderedMap{}
	for _, name := range FrontierMetricNames() {
		v, _ := h.Summary.Metric(name)
		summary = append(summary, field{name, finite(v)})
	}
	summary = append(summary, field{"points_compared", h.Summary.Compared}, field{"points_bounded", h.Summary.Bounded})
	return orderedMap{{"challenger", h.Challenger}, {"baseline", h.Baseline}, {"points", rows}, {"summary", summary}}
}
