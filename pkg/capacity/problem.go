package capacity

import (
	"time"
)

// Problem is one capacity-planning problem: the node pools on offer, the
// workloads to run on them and the headroom to keep. Pack solves it at one
// instant, PlanTimeline at many.
type Problem struct {
	// Pools are the node pools, in priority order for ties.
	Pools []Pool
	// Workloads are the deployments to place.
	Workloads []Workload
	// Headroom is the spare capacity kept on top of the replicas.
	Headroom Headroom
	// CostSplit says how a node's price divides between CPU and memory in
	// the cost summaries.
	CostSplit CostSplit
	// Current is the node inventory running today, priced for comparison by
	// PlanTimeline; nil when unknown.
	Current []NodeCount
	// At is the instant whose replicas Pack places; the zero time places
	// each workload's peak replicas.
	At time.Time
	// Deadline bounds the wall-clock time Pack, or PlanTimeline over all
	// its instants, spends improving the packing: once it has passed, every
	// zone keeps the best placement found so far (each still meets every
	// constraint). 0 means no deadline: the improvement budget, which grows
	// with each zone's nodes and pods, alone ends the search, and the plan
	// depends only on the problem. With a deadline it may depend on the
	// machine's speed too.
	Deadline time.Duration
}

// Pool is a node pool: a set of instance types a cluster autoscaler may
// start in each of its zones, dedicated to some business lines.
type Pool struct {
	// Name identifies the pool.
	Name string
	// BusinessLines are the business lines whose workloads the pool may
	// host; a pool listing several is shared by exactly those.
	BusinessLines []string
	// Zones are the availability zones the pool spans; workloads placed in
	// the pool spread over all of them.
	Zones []string
	// InstanceTypes are the node shapes offered, with their prices.
	InstanceTypes []InstanceType
	// MinNodes is the number of nodes kept in each zone even when empty.
	MinNodes int
	// MaxNodes caps the nodes of each zone; 0 means no cap.
	MaxNodes int
	// Overhead is what every node spends on daemonsets and system reserves
	// (CPU in cores, memory in bytes, pod slots).
	Overhead Resources
}

// InstanceType is a node shape and its price.
type InstanceType struct {
	// Name is the provider's name, such as "m6i.xlarge".
	Name string `json:"name"`
	// PricePerHour is the price of one node in $/hour.
	PricePerHour float64 `json:"price_per_hour"`
	// Allocatable is what the kubelet offers to pods before overhead.
	Allocatable Resources `json:"allocatable"`
}

// Resources is an amount of the three packed dimensions.
type Resources struct {
	// CPU is in cores.
	CPU float64 `json:"cpu"`
	// Memory is in bytes.
	Memory int64 `json:"memory"`
	// Pods is a number of pod slots.
	Pods int `json:"pods"`
}

// Workload is a deployment whose replicas need places.
type Workload struct {
	// Name identifies the workload.
	Name string
	// BusinessLine is the business line it belongs to; it only runs in
	// pools that list it.
	BusinessLine string
	// NodePool, if set, pins the workload to that pool; otherwise the pool
	// of its business line with the lowest estimated cost per replica is
	// used.
	NodePool string
	// Requests are one replica's requests (CPU in cores, memory in bytes);
	// Requests.Pods is ignored: a replica is one pod.
	Requests Resources
	// Replicas is the replica count, fixed or over time.
	Replicas Replicas
	// MaxSurge is the extra replicas a rolling update starts, a count or a
	// percentage of the replicas (rounded up, as Kubernetes does).
	MaxSurge IntOrPercent
	// MaxSkew bounds the difference between the replicas placed in any two
	// zones of the pool; 0 means no spread constraint.
	MaxSkew int
	// AntiAffinity keeps at most one replica per node (hostname topology).
	AntiAffinity bool
	// MinAvailable is the PodDisruptionBudget's minAvailable, a count or a
	// percentage of the replicas, checked against the loss of a zone.
	MinAvailable IntOrPercent
}

// Headroom is the spare capacity a plan keeps.
type Headroom struct {
	// ZoneLoss provisions every zone so that the others can hold all
	// replicas when any one zone is lost (see the package documentation
	// for the exact rule).
	ZoneLoss bool
	// UtilizationTarget is the fraction of each node's allocatable CPU and
	// memory that overhead plus pods may use, in (0, 1]; 0 means 1.
	UtilizationTarget float64
	// RolloutSurge adds each workload's MaxSurge to its replicas.
	RolloutSurge bool
}

// CostSplit divides a node's price between CPU and memory for the cost
// summaries.
type CostSplit struct {
	// CPUShare is the fraction of every node's price attributed to CPU, in
	// (0, 1). Zero derives each node's split from the instance prices: a
	// least-squares fit of price = a*cores + b*GiB over the problem's
	// instance types gives the relative price of a core and of a GiB.
	CPUShare float64
}

// NodeCount is a number of running nodes of one type in one pool and zone.
type NodeCount struct {
	// Pool, Zone and InstanceType locate the nodes; InstanceType must be
	// one the pool offers, which gives the price.
	Pool         string `json:"pool"`
	Zone         string `json:"zone"`
	InstanceType string `json:"instance_type"`
	// Count is the number of nodes.
	Count int `json:"count"`
}

// IntOrPercent is a count of replicas or a percentage of them, as in
// Kubernetes' maxSurge and minAvailable. It decodes from a JSON number or a
// string such as "25%".
type IntOrPercent struct {
	// Value is the count, or the percentage when Percent is set.
	Value int
	// Percent marks Value as a percentage.
	Percent bool
}

// Of returns the count for replicas replicas; percentages round up.
func (v IntOrPercent) Of(replicas int) int {
	if !v.Percent {
		return v.Value
	}
	return (v.Value*replicas + 99) / 100
}
