package capacity_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// A shop's pool offers a general-purpose and a memory-optimised type; the
// web tier and a cache are packed onto the cheapest mix.
func ExamplePack() {
	gib := int64(1 << 30)
	p := capacity.Problem{
		Pools: []capacity.Pool{{
			Name: "shop", BusinessLines: []string{"shop"}, Zones: []string{"a", "b"},
			InstanceTypes: []capacity.InstanceType{
				{Name: "m.xlarge", PricePerHour: 0.192, Allocatable: capacity.Resources{CPU: 4, Memory: 16 * gib, Pods: 58}},
				{Name: "r.xlarge", PricePerHour: 0.252, Allocatable: capacity.Resources{CPU: 4, Memory: 32 * gib, Pods: 58}},
			},
		}},
		Workloads: []capacity.Workload{
			{Name: "web", BusinessLine: "shop", Requests: capacity.Resources{CPU: 0.5, Memory: gib}, Replicas: capacity.FixedReplicas(12)},
			{Name: "cache", BusinessLine: "shop", Requests: capacity.Resources{CPU: 0.5, Memory: 12 * gib}, Replicas: capacity.FixedReplicas(4)},
		},
	}
	plan, err := capacity.Pack(context.Background(), p)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range plan.Nodes {
		fmt.Printf("%s %s %d pods\n", n.Name, n.InstanceType, len(n.Pods))
	}
	fmt.Printf("%.3f $/h, lower bound %.3f $/h\n", plan.CostPerHour, plan.LowerBoundCostPerHour)
	// Output:
	// shop-a-1 r.xlarge 8 pods
	// shop-b-1 r.xlarge 8 pods
	// 0.504 $/h, lower bound 0.504 $/h
}

// A campaign triples the web tier for six hours: following the forecast
// costs less than holding the peak's nodes all day.
func ExamplePlanTimeline() {
	gib := int64(1 << 30)
	t0 := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	web := capacity.Replicas{Points: []capacity.ReplicaPoint{
		{Time: t0, Replicas: 8}, {Time: t0.Add(12 * time.Hour), Replicas: 24}, {Time: t0.Add(18 * time.Hour), Replicas: 8},
	}}
	p := capacity.Problem{
		Pools: []capacity.Pool{{
			Name: "shop", BusinessLines: []string{"shop"}, Zones: []string{"a", "b"},
			InstanceTypes: []capacity.InstanceType{
				{Name: "m.xlarge", PricePerHour: 0.192, Allocatable: capacity.Resources{CPU: 4, Memory: 16 * gib, Pods: 58}},
			},
		}},
		Workloads: []capacity.Workload{
			{Name: "web", BusinessLine: "shop", Requests: capacity.Resources{CPU: 1, Memory: gib}, Replicas: web},
		},
	}
	var times []time.Time
	for h := range 24 {
		times = append(times, t0.Add(time.Duration(h)*time.Hour))
	}
	tl, err := capacity.PlanTimeline(context.Background(), p, times)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("predictive %.2f $, static peak %.2f $, saving %.0f%%\n",
		tl.Predictive.Cost, tl.StaticPeak.Cost, tl.SavingsVsStaticPeak.Percent)
	// Output:
	// predictive 13.82 $, static peak 27.65 $, saving 50%
}
