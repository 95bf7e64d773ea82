package inventory

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// TestMergeStatefulSetsAndDaemonSets adds StatefulSets like Deployments,
// takes minAvailable from budgets and DaemonSet pods as pool overhead.
func TestMergeStatefulSetsAndDaemonSets(t *testing.T) {
	p := shop()
	p.Pools = append(p.Pools, capacity.Pool{Name: "batch", BusinessLines: []string{"batch"}, Zones: []string{"a"},
		InstanceTypes: p.Pools[0].InstanceTypes, Overhead: capacity.Resources{CPU: 0.1, Memory: 100 << 20, Pods: 1}})
	p.Workloads[0].MinAvailable = capacity.IntOrPercent{Value: 1}
	half := &capacity.IntOrPercent{Value: 50, Percent: true}
	inv := Inventory{
		Nodes: []Node{{Name: "s1", Pool: "storefront", Zone: "a", InstanceType: "m6i.xlarge"}, {Name: "c1", Pool: "checkout", Zone: "a", InstanceType: "m6i.xlarge"}},
		Deployments: []Deployment{
			{Namespace: "shop", Name: "web", BusinessLine: "storefront", Replicas: 4, Requests: capacity.Resources{CPU: 0.5, Memory: 1 << 30, Pods: 1},
				PDB: &PDB{Name: "web", MinAvailable: &capacity.IntOrPercent{Value: 3}}},
			{Namespace: "shop", Name: "search", BusinessLine: "storefront", Replicas: 2, Requests: capacity.Resources{CPU: 0.25, Memory: 1 << 30, Pods: 1},
				PDB: &PDB{Name: "search", MaxUnavailable: &capacity.IntOrPercent{Value: 1}}},
		},
		StatefulSets: []StatefulSet{
			{Namespace: "shop", Name: "db", BusinessLine: "storefront", Replicas: 3, Requests: capacity.Resources{CPU: 2, Memory: 8 << 30, Pods: 1},
				PDB: &PDB{Name: "db", MaxUnavailable: half}},
			{Namespace: "shop", Name: "cache", Replicas: 1, Requests: capacity.Resources{CPU: 1, Memory: 1 << 30, Pods: 1}},
			{Namespace: "payments", Name: "cart", BusinessLine: "checkout", Replicas: 1, Requests: capacity.Resources{CPU: 0.75, Memory: 1 << 30, Pods: 1}},
		},
		DaemonSets: []DaemonSet{
			{Namespace: "kube-system", Name: "exporter", EveryNode: true, Pools: []string{"storefront", "checkout"}, Requests: capacity.Resources{CPU: 0.1, Memory: 128 << 20, Pods: 1}},
			{Namespace: "kube-system", Name: "log-shipper", Pools: []string{"storefront"}, Requests: capacity.Resources{CPU: 0.2, Memory: 256 << 20, Pods: 1}},
			{Namespace: "kube-system", Name: "gpu-driver", Pools: []string{}, Requests: capacity.Resources{CPU: 1, Memory: 1 << 30, Pods: 1}},
		},
	}
	got, notes := Merge(p, inv)

	overhead := map[string]capacity.Resources{}
	for _, pool := range got.Pools {
		overhead[pool.Name] = pool.Overhead
	}
	assert.InDelta(t, 0.3, overhead["storefront"].CPU, 1e-9, "exporter and log shipper")
	assert.Equal(t, int64(384<<20), overhead["storefront"].Memory)
	assert.Equal(t, 2, overhead["storefront"].Pods)
	assert.Equal(t, capacity.Resources{CPU: 0.1, Memory: 128 << 20, Pods: 1}, overhead["checkout"], "exporter only")
	assert.Equal(t, capacity.Resources{CPU: 0.2, Memory: 228 << 20, Pods: 2}, overhead["batch"], "no live node: the every-node exporter on top of the file's")
	assert.Zero(t, p.Pools[0].Overhead, "the problem given is not modified")

	workloads := map[string]capacity.Workload{}
	for _, w := range got.Workloads {
		workloads[w.Name] = w
	}
	tests := []struct {
		name         string
		cpu          float64
		replicas     int
		minAvailable capacity.IntOrPercent
	}{
		{"web", 0.5, 4, capacity.IntOrPercent{Value: 1}},     // the planning file's budget stays
		{"search", 0.25, 2, capacity.IntOrPercent{Value: 1}}, // 2 - maxUnavailable 1
		{"shop/db", 2, 3, capacity.IntOrPercent{Value: 1}},   // 3 - ceil(50% of 3)
		{"cart", 0.75, 2, capacity.IntOrPercent{}},           // the StatefulSet's requests
		{"payments/api", 1, 2, capacity.IntOrPercent{}},      // untouched
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := workloads[tc.name]
			require.True(t, ok)
			assert.Equal(t, tc.cpu, w.Requests.CPU)
			assert.Equal(t, tc.replicas, w.Replicas.Peak())
			assert.Equal(t, tc.minAvailable, w.MinAvailable)
			assert.Zero(t, w.MaxSurge, "neither planned nor a StatefulSet")
		})
	}
	assert.NotContains(t, workloads, "shop/cache")
	assert.Contains(t, notes, "1 StatefulSets without a business line label left out")
	assert.Contains(t, notes, `pool "storefront": 2 DaemonSets on its live nodes add 0.300 cores, 0.38 GiB and 2 pods to each node's overhead (kube-system/exporter, kube-system/log-shipper)`)
	assert.Contains(t, notes, `pool "batch": 1 DaemonSets on every node (the pool has no live node) add 0.100 cores, 0.12 GiB and 1 pods to each node's overhead (kube-system/exporter)`)
}
