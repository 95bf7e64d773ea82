package planreport

import (
	"encoding/json"
	"io"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// document is the JSON output: the plan (of the instant, or the timeline's
// peak) at the top level, with its nodes, pods, pools, cost, lower bound
// and unplaceable pods, then the timeline, the replica sources and what was
// read from the cluster.
type document struct {
	Name string `json:"name"`
	capacity.Plan
	Timeline *timelineJSON `json:"timeline,omitempty"`
	Sources  []Source      `json:"sources,omitempty"`
	Cluster  *clusterJSON  `json:"cluster,omitempty"`
}

// timelineJSON is a timeline without its peak plan, which is the top level
// of document: the shallower PeakPlan field hides the embedded one and is
// always nil.
type timelineJSON struct {
	capacity.Timeline
	PeakPlan *struct{} `json:"peak_plan,omitempty"`
}

// clusterJSON is what was read from the cluster.
type clusterJSON struct {
	Nodes        []inventory.Node        `json:"nodes"`
	Deployments  []inventory.Deployment  `json:"deployments"`
	StatefulSets []inventory.StatefulSet `json:"statefulsets"`
	DaemonSets   []inventory.DaemonSet   `json:"daemonsets"`
	Fit          *inventory.Fit          `json:"fit"`
	Notes        []string                `json:"notes"`
}

// WriteJSON writes the result as one indented JSON document: the plan (of
// the instant, or the timeline's peak) at the top level with its name, then
// "timeline" (its steps and strategies, without a second copy of the peak
// plan), "sources" and "cluster" (what was read, with the notes, an empty
// list when there are none).
func WriteJSON(w io.Writer, r *Result) error {
	out := document{Name: r.Name, Plan: r.Plan, Sources: r.Sources}
	if r.Timeline != nil {
		out.Timeline = &timelineJSON{Timeline: *r.Timeline}
	}
	if c := r.Cluster; c != nil {
		inv := c.Inventory
		out.Cluster = &clusterJSON{Nodes: inv.Nodes, Deployments: inv.Deployments, StatefulSets: inv.StatefulSets,
			DaemonSets: inv.DaemonSets, Fit: inv.Fit, Notes: c.Notes}
		if out.Cluster.Notes == nil {
			out.Cluster.Notes = []string{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
