package inventory_test

import (
	"fmt"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// Today's nodes become the current inventory to price, and the live
// requests replace the planning file's.
func ExampleMerge() {
	m := capacity.InstanceType{Name: "m6i.xlarge", PricePerHour: 0.192, Allocatable: capacity.Resources{CPU: 3.92, Memory: 14 << 30, Pods: 58}}
	p := capacity.Problem{
		Pools: []capacity.Pool{{Name: "shop", BusinessLines: []string{"shop"}, Zones: []string{"a", "b"}, InstanceTypes: []capacity.InstanceType{m}}},
		Workloads: []capacity.Workload{
			{Name: "web", BusinessLine: "shop", Requests: capacity.Resources{CPU: 1, Memory: 1 << 30}, Replicas: capacity.FixedReplicas(6)},
		},
	}
	inv := inventory.Inventory{
		Nodes: []inventory.Node{
			{Name: "n1", Pool: "shop", Zone: "a", InstanceType: "m6i.xlarge"},
			{Name: "n2", Pool: "shop", Zone: "b", InstanceType: "m6i.xlarge"},
			{Name: "n3", Pool: "system", Zone: "a", InstanceType: "t3.medium"},
		},
		Deployments: []inventory.Deployment{
			{Namespace: "shop", Name: "web", BusinessLine: "shop", Replicas: 4, Requests: capacity.Resources{CPU: 0.5, Memory: 768 << 20, Pods: 1}},
		},
	}
	merged, notes := inventory.Merge(p, inv)
	fmt.Println(merged.Current)
	fmt.Println(merged.Workloads[0].Requests.CPU, "cores")
	fmt.Println(notes)
	// Output:
	// [{shop a m6i.xlarge 1} {shop b m6i.xlarge 1}]
	// 0.5 cores
	// [1 live nodes left out of the current cost: pool "system" is not in the planning file]
}
