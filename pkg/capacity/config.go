package capacity

import (
	"time"
)

// APIVersion and Kind identify a planning file; PriceBookKind identifies a
// price book file.
const (
	APIVersion    = "prescale.dev/v1alpha1"
	Kind          = "CapacityPlan"
	PriceBookKind = "PriceBook"
)

// Config is a planning file, kind CapacityPlan, as decoded from YAML.
// ParseConfig and LoadConfig decode it strictly; Problem converts it.
type Config struct {
	// APIVersion must be APIVersion.
	APIVersion string `json:"apiVersion"`
	// Kind must be Kind.
	Kind string `json:"kind"`
	// Metadata names the plan.
	Metadata Metadata `json:"metadata"`
	// Spec is the plan.
	Spec Spec `json:"spec"`
}

// Metadata names a planning file.
type Metadata struct {
	// Name is a free-form name for reports.
	Name string `json:"name"`
}

// Spec is the body of a planning file.
type Spec struct {
	// PriceBook gives instance prices by type name, for instance types that
	// do not state pricePerHour.
	PriceBook *PriceBookSpec `json:"priceBook,omitempty"`
	// Headroom is the spare capacity to keep.
	Headroom HeadroomSpec `json:"headroom"`
	// CostSplit divides node prices between CPU and memory.
	CostSplit CostSplitSpec `json:"costSplit"`
	// NodePools are the pools on offer.
	NodePools []NodePoolSpec `json:"nodePools"`
	// Workloads are the deployments to place.
	Workloads []WorkloadSpec `json:"workloads"`
	// CurrentNodes is today's inventory, priced for comparison.
	CurrentNodes []NodeCountSpec `json:"currentNodes,omitempty"`
	// Timeline is the planning horizon PlanTimeline steps through.
	Timeline *TimelineSpec `json:"timeline,omitempty"`
}

// PriceBookSpec is a table of prices in $/hour by instance type name, inline
// (Prices) or in a file of kind PriceBook (File, relative to the planning
// file). Inline prices override the file's.
type PriceBookSpec struct {
	// File is a price book file, a slash-separated path inside the
	// planning file's directory.
	File string `json:"file,omitempty"`
	// Prices are $/hour by instance type name.
	Prices map[string]float64 `json:"prices,omitempty"`
}

// PriceBookFile is a price book file (kind PriceBook).
type PriceBookFile struct {
	// APIVersion must be APIVersion.
	APIVersion string `json:"apiVersion"`
	// Kind must be PriceBookKind.
	Kind string `json:"kind"`
	// Prices are $/hour by instance type name.
	Prices map[string]float64 `json:"prices"`
}

// HeadroomSpec is the YAML form of Headroom.
type HeadroomSpec struct {
	ZoneLoss bool `json:"zoneLoss"`
	// UtilizationTarget defaults to 1.
	UtilizationTarget *float64 `json:"utilizationTarget,omitempty"`
	// RolloutSurge defaults to true: workloads' maxSurge is provisioned.
	RolloutSurge *bool `json:"rolloutSurge,omitempty"`
}

// CostSplitSpec is the YAML form of CostSplit.
type CostSplitSpec struct {
	CPUShare float64 `json:"cpuShare,omitempty"`
}

// NodePoolSpec is the YAML form of Pool.
type NodePoolSpec struct {
	Name          string             `json:"name"`
	BusinessLines []string           `json:"businessLines"`
	Zones         []string           `json:"zones"`
	InstanceTypes []InstanceTypeSpec `json:"instanceTypes"`
	MinNodes      int                `json:"minNodes,omitempty"`
	MaxNodes      int                `json:"maxNodes,omitempty"`
	Overhead      ResourcesSpec      `json:"overhead"`
}

// InstanceTypeSpec is the YAML form of InstanceType; a nil PricePerHour is
// looked up in the price book.
type InstanceTypeSpec struct {
	Name         string        `json:"name"`
	Allocatable  ResourcesSpec `json:"allocatable"`
	PricePerHour *float64      `json:"pricePerHour,omitempty"`
}

// ResourcesSpec is the YAML form of Resources: cpu and memory as Kubernetes
// quantities or numbers (cores, bytes).
type ResourcesSpec struct {
	CPU    Quantity `json:"cpu"`
	Memory Quantity `json:"memory"`
	Pods   int      `json:"pods,omitempty"`
}

// RequestsSpec is a replica's resource requests.
type RequestsSpec struct {
	CPU    Quantity `json:"cpu"`
	Memory Quantity `json:"memory"`
}

// WorkloadSpec is the YAML form of Workload. Exactly one of Replicas and
// ReplicasFrom is set.
type WorkloadSpec struct {
	Name         string          `json:"name"`
	BusinessLine string          `json:"businessLine"`
	NodePool     string          `json:"nodePool,omitempty"`
	Requests     RequestsSpec    `json:"requests"`
	Replicas     *Replicas       `json:"replicas"`
	ReplicasFrom *ReplicasFrom   `json:"replicasFrom,omitempty"`
	MaxSurge     IntOrPercent    `json:"maxSurge"`
	ZoneSpread   *ZoneSpreadSpec `json:"zoneSpread,omitempty"`
	AntiAffinity string          `json:"antiAffinity,omitempty"`
	PDB          *PDBSpec        `json:"pdb,omitempty"`
}

// ZoneSpreadSpec is a topology spread constraint over the pool's zones.
type ZoneSpreadSpec struct {
	MaxSkew int `json:"maxSkew"`
}

// PDBSpec is the part of a PodDisruptionBudget the zone-loss check reads.
type PDBSpec struct {
	MinAvailable IntOrPercent `json:"minAvailable"`
}

// NodeCountSpec is the YAML form of NodeCount.
type NodeCountSpec struct {
	Pool         string `json:"pool"`
	Zone         string `json:"zone"`
	InstanceType string `json:"instanceType"`
	Count        int    `json:"count"`
}

// TimelineSpec is a regular grid of planning instants: Start, Start+Step,
// ... up to but excluding End.
type TimelineSpec struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Step  Duration  `json:"step"`
}

// Duration is a time.Duration that decodes from a Go duration string ("1h",
// "15m").
type Duration time.Duration
