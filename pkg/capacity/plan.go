package capacity

import "time"

// Plan is the packing of one instant: the nodes to run, the replicas on
// them, what could not be placed, and what it costs.
type Plan struct {
	// At is the instant packed; zero for the peak.
	At time.Time `json:"at,omitzero"`
	// Nodes are the nodes to run, by pool, zone and opening order.
	Nodes []Node `json:"nodes"`
	// Pools describes each pool and the instance types it offers.
	Pools []PoolPlan `json:"pools"`
	// Workloads says where each workload's replicas went.
	Workloads []WorkloadPlan `json:"workloads"`
	// CostPerHour is the sum of the nodes' prices, $/hour.
	CostPerHour float64 `json:"cost_per_hour"`
	// LowerBoundCostPerHour is a proven lower bound on the cost of any
	// placement of the same placed replicas, $/hour (see LowerBound).
	LowerBoundCostPerHour float64 `json:"lower_bound_cost_per_hour"`
	// Gap is CostPerHour/LowerBoundCostPerHour - 1, an upper bound on the
	// plan's excess over the optimum; 0 when the bound is 0.
	Gap float64 `json:"gap"`
	// Bound says how LowerBoundCostPerHour was computed.
	Bound BoundMethod `json:"bound"`
	// Unplaceable lists the replicas that could not be placed, with why.
	Unplaceable []Unplaceable `json:"unplaceable"`
	// Summary breaks the cost down.
	Summary Summary `json:"summary"`
}

// Node is one node of the plan.
type Node struct {
	// Name is "<pool>-<zone>-<n>", unique in the plan.
	Name string `json:"name"`
	// Pool, Zone and InstanceType locate and shape the node.
	Pool         string `json:"pool"`
	Zone         string `json:"zone"`
	InstanceType string `json:"instance_type"`
	// PricePerHour is the node's price, $/hour.
	PricePerHour float64 `json:"price_per_hour"`
	// Allocatable is the instance type's allocatable resources.
	Allocatable Resources `json:"allocatable"`
	// Usable is what pods may request: the utilization target's share of
	// Allocatable less the pool's overhead.
	Usable Resources `json:"usable"`
	// Requested is the sum of the pods' requests.
	Requested Resources `json:"requested"`
	// Pods are the replicas placed on the node.
	Pods []Pod `json:"pods"`
}

// Pod is one replica placed on a node, with its requests.
type Pod struct {
	// Workload names the workload.
	Workload string `json:"workload"`
	// CPU is the request in cores.
	CPU float64 `json:"cpu"`
	// Memory is the request in bytes.
	Memory int64 `json:"memory"`
}

// PoolPlan describes a pool in a plan.
type PoolPlan struct {
	// Name, BusinessLines and Zones are the pool's.
	Name          string   `json:"name"`
	BusinessLines []string `json:"business_lines"`
	Zones         []string `json:"zones"`
	// InstanceTypes are the types offered, with price and allocatable.
	InstanceTypes []InstanceType `json:"instance_types"`
	// Overhead is the per-node overhead (cores, bytes, pods).
	Overhead Resources `json:"overhead"`
}

// WorkloadPlan says where one workload's replicas went.
type WorkloadPlan struct {
	// Name and BusinessLine are the workload's.
	Name         string `json:"name"`
	BusinessLine string `json:"business_line"`
	// Pool is the pool chosen, empty when none could host a replica.
	Pool string `json:"pool"`
	// Replicas is the replica count at the instant packed.
	Replicas int `json:"replicas"`
	// Slots is the number of pods provisioned: replicas plus surge and
	// zone-loss headroom.
	Slots int `json:"slots"`
	// Placed is the number of slots placed on nodes.
	Placed int `json:"placed"`
	// Zones gives slots and placed pods per zone of the pool.
	Zones []ZonePlacement `json:"zones"`
	// ZoneLoss is the zone-loss check, nil for single-zone pools.
	ZoneLoss *ZoneLossCheck `json:"zone_loss,omitempty"`
}

// ZonePlacement counts a workload's pods in one zone.
type ZonePlacement struct {
	// Zone is the zone's name.
	Zone string `json:"zone"`
	// Slots is the pods provisioned there; Placed those on nodes.
	Slots  int `json:"slots"`
	Placed int `json:"placed"`
}

// ZoneLossCheck is what happens to a workload when its worst zone is lost.
type ZoneLossCheck struct {
	// WorstZone is the zone whose loss removes most running replicas.
	WorstZone string `json:"worst_zone"`
	// Surviving is the running replicas left at once in the other zones
	// (the replicas spread as evenly as the placed slots allow).
	Surviving int `json:"surviving"`
	// MinAvailable is the PDB's minAvailable as a count.
	MinAvailable int `json:"min_available"`
	// MeetsPDB reports Surviving >= MinAvailable.
	MeetsPDB bool `json:"meets_pdb"`
	// Recovers reports that the pods placed in the other zones can hold all
	// replicas once the lost ones are rescheduled.
	Recovers bool `json:"recovers"`
}

// Unplaceable is a number of a workload's pods that found no node.
type Unplaceable struct {
	// Workload names the workload.
	Workload string `json:"workload"`
	// Count is the number of pods left out for Reason.
	Count int `json:"count"`
	// Reason says why, naming the pool, zone or limit at fault.
	Reason string `json:"reason"`
}

// BoundMethodColumnGeneration describes the lower bound every plan
// carries (see the package documentation).
const BoundMethodColumnGeneration = "column generation: the LP relaxation over node patterns, " +
	"priced by an exact knapsack per instance type, per pool and zone"

// BoundMethod says how a plan's lower bound was computed.
type BoundMethod struct {
	// Method names the method (BoundMethodColumnGeneration).
	Method string `json:"method"`
	// Zones is the number of pool zones bounded.
	Zones int `json:"zones"`
	// Solved is the number of zones whose pattern LP was solved to
	// optimality; in the others column generation stopped at its round
	// limit and the bound is the best valid one found on the way.
	Solved int `json:"solved"`
}
