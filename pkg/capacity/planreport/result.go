package planreport

import (
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// Result is what one planning run computed, for the writers.
type Result struct {
	// Name names the plan, such as the planning file's metadata.name.
	Name string
	// At is the one instant planned; zero for a timeline or the peak.
	At time.Time
	// Plan is the plan of At, or the timeline's peak plan.
	Plan capacity.Plan
	// Timeline is the timeline planned; nil when one instant or the peak
	// was.
	Timeline *capacity.Timeline
	// Sources say where the forecast and simulated replicas came from.
	Sources []Source
	// Cluster is what was read from the cluster; nil when none was.
	Cluster *Cluster
}

// Source says where one workload's replicas came from: a forecast of a
// demand trace or a timeline written by a simulation.
type Source struct {
	// Workload names the workload.
	Workload string `json:"workload"`
	// Kind is "forecast" or "simulation".
	Kind string `json:"kind"`
	// File is the trace or timeline read.
	File string `json:"file"`
	// Model, Quantile and CapacityPerPod are a forecast's: replicas are
	// ceil(demand / CapacityPerPod) at the Quantile of Model's forecast;
	// Model is empty when the trace covers the timeline.
	Model          string  `json:"model,omitempty"`
	Quantile       float64 `json:"quantile,omitempty"`
	CapacityPerPod float64 `json:"capacity_per_pod,omitempty"`
	// Policy and Column are a simulation's: the policy simulated and the
	// timeline's column read.
	Policy string `json:"policy,omitempty"`
	Column string `json:"column,omitempty"`
	// Step is the source's step, such as "1h".
	Step string `json:"step"`
	// ForecastFrom is where a forecast starts; zero for a simulation.
	ForecastFrom time.Time `json:"forecast_from,omitzero"`
	// PeakReplicas is the largest replica count over the planned times.
	PeakReplicas int `json:"peak_replicas"`
}

// Cluster is what was read from a cluster.
type Cluster struct {
	// Inventory is the cluster's nodes, workloads, DaemonSets and fit.
	Inventory inventory.Inventory
	// Notes are the inventory's warnings and what merging it into the
	// planning problem left out or changed, in order.
	Notes []string
}
