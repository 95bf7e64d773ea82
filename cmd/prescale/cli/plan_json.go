package cli

import (
	"encoding/json"
	"io"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// planJSON is the JSON output: the plan (of --at, or the timeline's peak)
// at the top level, with its nodes, pods, pools, cost, lower bound and
// unplaceable pods, then the timeline, the replica sources and what was
// read from the cluster.
type planJSON struct {
	Name string `json:"name"`
	capacity.Plan
	Timeline *planTimelineJSON `json:"timeline,omitempty"`
	Sources  []planSourceInfo  `json:"sources,omitempty"`
	Cluster  *planClusterJSON  `json:"cluster,omitempty"`
}

// planTimelineJSON is a timeline without its peak plan, which is the top level
// of planJSON: the shallower PeakPlan field hides the embedded one and is
// always nil.
type planTimelineJSON struct {
	capacity.Timeline
	PeakPlan *struct{} `json:"peak_plan,omitempty"`
}

// planClusterJSON is what was read from the cluster.
type planClusterJSON struct {
	Nodes        []inventory.Node        `json:"nodes"`
	Deployments  []inventory.Deployment  `json:"deployments"`
	StatefulSets []inventory.StatefulSet `json:"statefulsets"`
	DaemonSets   []inventory.DaemonSet   `json:"daemonsets"`
	Fit          *inventory.Fit          `json:"fit"`
	Notes        []string                `json:"notes"`
}

func writePlanJSON(w io.Writer, res *planResult) error {
	out := planJSON{Name: res.name, Plan: res.plan, Sources: res.sources}
	if res.timeline != nil {
		out.Timeline = &planTimelineJSON{Timeline: *res.timeline}
	}
	if c := res.cluster; c != nil {
		inv := c.inventory
		out.Cluster = &planClusterJSON{Nodes: inv.Nodes, Deployments: inv.Deployments, StatefulSets: inv.StatefulSets,
			DaemonSets: inv.DaemonSets, Fit: inv.Fit, Notes: c.notes()}
		if out.Cluster.Notes == nil {
			out.Cluster.Notes = []string{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
