package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/simulator"
)

// planStep is the step at which the node plan follows the replicas.
const planStep = time.Hour

const gib = int64(1) << 30

// nodeProblem is an illustrative node pool for the NASA web tier: two
// zones, a general-purpose and a compute-optimised shape at illustrative
// on-demand prices ($/hour), and one replica's requests.
func nodeProblem(replicas capacity.Replicas) capacity.Problem {
	return capacity.Problem{
		Pools: []capacity.Pool{{
			Name: "web", BusinessLines: []string{"nasa"}, Zones: []string{"zone-a", "zone-b"},
			InstanceTypes: []capacity.InstanceType{
				{Name: "general.xlarge", PricePerHour: 0.192, Allocatable: capacity.Resources{CPU: 4, Memory: 16 * gib, Pods: 58}},
				{Name: "compute.2xlarge", PricePerHour: 0.340, Allocatable: capacity.Resources{CPU: 8, Memory: 16 * gib, Pods: 58}},
			},
			Overhead: capacity.Resources{CPU: 0.2, Memory: gib / 2, Pods: 4},
		}},
		Workloads: []capacity.Workload{{
			Name: "nasa-www", BusinessLine: "nasa", NodePool: "web",
			Requests: capacity.Resources{CPU: 0.5, Memory: gib / 2}, Replicas: replicas, MaxSkew: 1,
		}},
	}
}

// hourlyReplicas returns the largest desired replica count of each hour of
// a policy's timeline, as a series.
func hourlyReplicas(r simulator.Result) (timeseries.Series, error) {
	if len(r.Timeline) == 0 {
		return timeseries.Series{}, fmt.Errorf("policy %s: no timeline", r.Policy)
	}
	start := r.Timeline[0].Time.Truncate(planStep)
	out := timeseries.Series{Name: r.Policy, Start: start, Step: planStep}
	for _, p := range r.Timeline {
		i := int(p.Time.Sub(start) / planStep)
		for len(out.Values) <= i {
			out.Values = append(out.Values, 0)
		}
		out.Values[i] = max(out.Values[i], float64(p.Desired))
	}
	return out, nil
}

// planNodes plans the pool hour by hour for the replicas of r.
func planNodes(ctx context.Context, r simulator.Result) (capacity.Timeline, timeseries.Series, error) {
	hourly, err := hourlyReplicas(r)
	if err != nil {
		return capacity.Timeline{}, hourly, err
	}
	times := make([]time.Time, hourly.Len())
	for i := range times {
		times[i] = hourly.Time(i)
	}
	tl, err := capacity.PlanTimeline(ctx, nodeProblem(capacity.SeriesReplicas(hourly)), times)
	if err != nil {
		return capacity.Timeline{}, hourly, fmt.Errorf("planning the nodes: %w", err)
	}
	return tl, hourly, nil
}

// podsPerNode returns how many replicas of the problem's first workload
// one node of type it holds in the workload's pool, after the pool's
// overhead, by CPU, memory and pod slots.
func podsPerNode(p capacity.Problem, it capacity.InstanceType) int {
	pool, req := p.Pools[0], p.Workloads[0].Requests
	free := capacity.Resources{CPU: it.Allocatable.CPU - pool.Overhead.CPU, Memory: it.Allocatable.Memory - pool.Overhead.Memory,
		Pods: it.Allocatable.Pods - pool.Overhead.Pods}
	n := free.Pods
	if req.CPU > 0 {
		n = min(n, int(math.Floor(free.CPU/req.CPU+1e-9)))
	}
	if req.Memory > 0 {
		n = min(n, int(free.Memory/req.Memory))
	}
	return max(n, 0)
}
