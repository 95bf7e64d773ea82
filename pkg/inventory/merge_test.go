package inventory

import (
	"slices"
	"strings"
	"testing"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// shop is a planning problem with a storefront and a checkout pool.
func shop() capacity.Problem {
	m := capacity.InstanceType{Name: "m6i.xlarge", PricePerHour: 0.192, Allocatable: capacity.Resources{CPU: 3.92, Memory: 14 << 30, Pods: 58}}
	return capacity.Problem{
		Pools: []capacity.Pool{
			{Name: "storefront", BusinessLines: []string{"storefront"}, Zones: []string{"a", "b"}, InstanceTypes: []capacity.InstanceType{m}},
			{Name: "checkout", BusinessLines: []string{"checkout"}, Zones: []string{"a", "b"}, InstanceTypes: []capacity.InstanceType{m}},
		},
		Workloads: []capacity.Workload{
			{Name: "web", BusinessLine: "storefront", Requests: capacity.Resources{CPU: 1, Memory: 1 << 30}, Replicas: capacity.FixedReplicas(4)},
			{Name: "payments/api", BusinessLine: "checkout", Requests: capacity.Resources{CPU: 1, Memory: 1 << 30}, Replicas: capacity.FixedReplicas(2)},
			{Name: "cart", BusinessLine: "checkout", Requests: capacity.Resources{CPU: 1, Memory: 1 << 30}, Replicas: capacity.FixedReplicas(2)},
			{Name: "search", BusinessLine: "storefront", Requests: capacity.Resources{CPU: 1, Memory: 1 << 30}, Replicas: capacity.FixedReplicas(2)},
		},
		Current: []capacity.NodeCount{{Pool: "storefront", Zone: "a", InstanceType: "m6i.xlarge", Count: 9}},
	}
}

// liveShop is what the cluster runs.
func liveShop() Inventory {
	n := func(pool, zone, typ string) Node { return Node{Pool: pool, Zone: zone, InstanceType: typ} }
	d := func(ns, name, bl string, replicas int, cpu float64) Deployment { // no CPU: no requests at all
		mem := int64(0)
		if cpu > 0 {
			mem = 512 << 20
		}
		return Deployment{Namespace: ns, Name: name, BusinessLine: bl, Replicas: replicas,
			Requests: capacity.Resources{CPU: cpu, Memory: mem, Pods: 1}, MaxSurge: capacity.IntOrPercent{Value: 25, Percent: true}}
	}
	return Inventory{
		Nodes: []Node{
			n("storefront", "a", "m6i.xlarge"), n("storefront", "a", "m6i.xlarge"), n("storefront", "b", "m6i.xlarge"),
			n("checkout", "b", "m6i.xlarge"), n("system", "a", "m6i.large"), n("storefront", "c", "m6i.xlarge"),
			n("checkout", "a", "c6i.large"), n("", "", ""),
		},
		Deployments: []Deployment{
			d("shop", "web", "storefront", 6, 0.5),
			d("payments", "api", "checkout", 3, 2),
			d("shop", "cart", "checkout", 3, 0), d("payments", "cart", "checkout", 1, 0.25),
			d("shop", "search", "storefront", 2, 0), d("shop", "search-indexer", "storefront", 1, 4),
			d("shop", "idle", "storefront", 0, 1), d("kube-system", "dns", "", 2, 0.1),
			d("ads", "bidder", "ads", 2, 1), d("ads", "tracker", "ads", 1, 1),
		},
	}
}

func TestMerge(t *testing.T) {
	p := shop()
	got, notes := Merge(p, liveShop())
	wantCurrent := []capacity.NodeCount{
		{Pool: "checkout", Zone: "b", InstanceType: "m6i.xlarge", Count: 1},
		{Pool: "storefront", Zone: "a", InstanceType: "m6i.xlarge", Count: 2},
		{Pool: "storefront", Zone: "b", InstanceType: "m6i.xlarge", Count: 1},
	}
	if !slices.Equal(got.Current, wantCurrent) {
		t.Errorf("current %+v, want %+v", got.Current, wantCurrent)
	}
	wantCPU := map[string]float64{"web": 0.5, "payments/api": 2, "cart": 1, "search": 1, "shop/search-indexer": 4}
	if len(got.Workloads) != 5 {
		t.Fatalf("workloads %+v, want the four planned and shop/search-indexer", got.Workloads)
	}
	for _, w := range got.Workloads {
		if c, ok := wantCPU[w.Name]; !ok || w.Requests.CPU != c {
			t.Errorf("workload %s requests %g cores, want %g", w.Name, w.Requests.CPU, c)
		}
	}
	added := got.Workloads[4]
	if added.BusinessLine != "storefront" || added.Replicas.Peak() != 1 || added.MaxSurge.Value != 25 || added.Requests.Memory != 512<<20 {
		t.Errorf("added workload %+v", added)
	}
	wantNotes := []string{
		`1 live nodes left out of the current cost: no pool label`,
		`1 live nodes left out of the current cost: pool "checkout" offers no instance type "c6i.large"`,
		`1 live nodes left out of the current cost: pool "storefront" has no zone "c"`,
		`1 live nodes left out of the current cost: pool "system" is not in the planning file`,
		`workload "cart" matches Deployments payments/cart, shop/cart: keeping the planning file's requests (name it namespace/name)`,
		`workload "search": Deployment shop/search requests nothing: keeping the planning file's requests`,
		`1 Deployments without a business line label left out`,
		`business line "ads" has no pool in the planning file: left out ads/bidder, ads/tracker`,
	}
	if !slices.Equal(notes, wantNotes) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(wantNotes, "\n"))
	}
	if p.Workloads[0].Requests.CPU != 1 || len(p.Workloads) != 4 || p.Current[0].Count != 9 {
		t.Error("Merge modified its input")
	}
	if err := got.Validate(); err != nil {
		t.Errorf("merged problem invalid: %v", err)
	}
}

// TestMergeNoMatchingNodes keeps the planning file's current nodes when no
// live node can be priced.
func TestMergeNoMatchingNodes(t *testing.T) {
	inv := Inventory{Nodes: []Node{{Pool: "system", Zone: "a", InstanceType: "x"}}}
	got, notes := Merge(shop(), inv)
	if len(got.Current) != 1 || got.Current[0].Count != 9 {
		t.Errorf("current %+v, want the planning file's", got.Current)
	}
	if len(notes) != 2 || !strings.Contains(notes[1], "keeping its current nodes") {
		t.Errorf("notes %q", notes)
	}
}

func TestListNames(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g"}
	if got := listNames(names); got != "a, b, c, d, e and 2 more" {
		t.Errorf("listNames = %q", got)
	}
}
