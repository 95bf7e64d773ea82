package simulator

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// ErrUnknownWorkload is returned by PlanNodes for a workload the problem
// does not have; ErrNoRoom when no pool can host one of its replicas.
var (
	ErrUnknownWorkload = errors.New("not a workload of the plan")
	ErrNoRoom          = errors.New("no instance type of the workload's pools holds one replica")
)

// UnknownWorkloadError is PlanNodes' error for a workload the plan does
// not have; it wraps ErrUnknownWorkload.
type UnknownWorkloadError struct {
	// Workload is the name asked for; Have the plan's workloads.
	Workload string
	Have     []string
}

// Error lists the workloads the plan has.
func (e *UnknownWorkloadError) Error() string {
	return fmt.Sprintf("%q is %s: have %s", e.Workload, ErrUnknownWorkload, strings.Join(e.Have, ", "))
}

// Unwrap returns ErrUnknownWorkload.
func (e *UnknownWorkloadError) Unwrap() error { return ErrUnknownWorkload }

// NodeChoice is the node pool a workload of a capacity plan runs in, as a
// homogeneous pool of its cheapest-per-replica instance type.
type NodeChoice struct {
	// Pool and InstanceType name the choice.
	Pool, InstanceType string
	// PodsPerNode is how many replicas fit on one node of InstanceType
	// after the pool's overhead and the utilization target; 1 under
	// hostname anti-affinity.
	PodsPerNode int
	// MinNodes and MaxNodes are the pool's per-zone bounds times its zones;
	// MaxNodes is 0 when the pool has no cap.
	MinNodes, MaxNodes int
	// PricePerNodeHour is InstanceType's price, in $/hour.
	PricePerNodeHour float64
}

// PlanNodes returns the node pool of the named workload of p: its pinned
// pool, or among the pools listing its business line the one whose best
// instance type has the lowest price per replica (price / PodsPerNode;
// ties go to the earlier pool and type). The pool is assumed to hold only
// this workload's pods.
func PlanNodes(p capacity.Problem, workload string) (NodeChoice, error) {
	i := slices.IndexFunc(p.Workloads, func(w capacity.Workload) bool { return w.Name == workload })
	if i < 0 {
		names := make([]string, len(p.Workloads))
		for j, w := range p.Workloads {
			names[j] = w.Name
		}
		return NodeChoice{}, &UnknownWorkloadError{Workload: workload, Have: names}
	}
	w := p.Workloads[i]
	best, bestCost := NodeChoice{}, math.Inf(1)
	for _, pool := range p.Pools {
		if !slices.Contains(pool.BusinessLines, w.BusinessLine) || (w.NodePool != "" && w.NodePool != pool.Name) {
			continue
		}
		for _, t := range pool.InstanceTypes {
			n := PodsPerNode(t.Allocatable, pool.Overhead, p.Headroom.UtilizationTarget, w.Requests)
			if w.AntiAffinity {
				n = min(n, 1)
			}
			if n < 1 || !(t.PricePerHour/float64(n) < bestCost) {
				continue
			}
			bestCost = t.PricePerHour / float64(n)
			z := len(pool.Zones)
			best = NodeChoice{Pool: pool.Name, InstanceType: t.Name, PodsPerNode: n,
				MinNodes: pool.MinNodes * z, MaxNodes: pool.MaxNodes * z, PricePerNodeHour: t.PricePerHour}
		}
	}
	if best.PodsPerNode == 0 {
		return NodeChoice{}, fmt.Errorf("%q: %w", workload, ErrNoRoom)
	}
	return best, nil
}

// PodsPerNode returns how many pods of requests req (CPU in cores, memory
// in bytes) fit on a node of allocatable alloc: target × allocatable CPU
// and memory less the overhead, and the pod slots less the overhead's, as
// the capacity planner counts them. A target outside (0, 1] means 1.
func PodsPerNode(alloc, overhead capacity.Resources, target float64, req capacity.Resources) int {
	if !(target > 0 && target <= 1) {
		target = 1
	}
	cpu := math.Floor(target*alloc.CPU*1000+1e-6) - math.Ceil(overhead.CPU*1000-1e-6)
	mem := math.Floor(target*float64(alloc.Memory)+1e-6) - float64(overhead.Memory)
	n := float64(alloc.Pods - overhead.Pods)
	if c := math.Ceil(req.CPU*1000 - 1e-6); c > 0 {
		n = min(n, math.Floor(cpu/c))
	}
	if req.Memory > 0 {
		n = min(n, math.Floor(mem/float64(req.Memory)))
	}
	return max(int(n), 0)
}
