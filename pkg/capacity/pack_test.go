package capacity

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// general, compute and memory are instance types of one size in three
// families, priced like public cloud on-demand instances.
var (
	general = InstanceType{Name: "m.xlarge", PricePerHour: 0.192, Allocatable: Resources{CPU: 4, Memory: 16 << 30, Pods: 58}}
	compute = InstanceType{Name: "c.xlarge", PricePerHour: 0.17, Allocatable: Resources{CPU: 4, Memory: 8 << 30, Pods: 58}}
	memory  = InstanceType{Name: "r.xlarge", PricePerHour: 0.252, Allocatable: Resources{CPU: 4, Memory: 32 << 30, Pods: 58}}
)

// pool returns a pool of the types serving business line bl over zones.
func pool(name, bl string, zones []string, types ...InstanceType) Pool {
	return Pool{Name: name, BusinessLines: []string{bl}, Zones: zones, InstanceTypes: types}
}

// workload returns n replicas of cpu cores and mem GiB in business line bl.
func workload(name, bl string, cpu float64, mem int64, n int) Workload {
	return Workload{Name: name, BusinessLine: bl, Requests: Resources{CPU: cpu, Memory: mem << 30}, Replicas: FixedReplicas(n)}
}

func TestPackCases(t *testing.T) {
	one := []string{"a"}
	three := []string{"a", "b", "c"}
	tests := []struct {
		name  string
		p     Problem
		check func(t *testing.T, pl Plan)
	}{
		{"pod too big for every type", Problem{
			Pools:     []Pool{pool("p", "shop", one, general)},
			Workloads: []Workload{workload("jvm", "shop", 2, 20, 3)},
		}, func(t *testing.T, pl Plan) {
			wantUnplaceable(t, pl, "jvm", 3, "fit no instance type")
			if len(pl.Nodes) != 0 {
				t.Errorf("%d nodes, want 0", len(pl.Nodes))
			}
		}},
		{"maxNodes reached", Problem{
			Pools:     []Pool{{Name: "p", BusinessLines: []string{"shop"}, Zones: one, InstanceTypes: []InstanceType{general}, MaxNodes: 2}},
			Workloads: []Workload{workload("api", "shop", 2, 1, 6)},
		}, func(t *testing.T, pl Plan) {
			wantUnplaceable(t, pl, "api", 2, `reached maxNodes 2`)
			wantNodes(t, pl, 2)
		}},
		{"minNodes kept and paid", Problem{
			Pools:     []Pool{{Name: "p", BusinessLines: []string{"shop"}, Zones: []string{"a", "b"}, InstanceTypes: []InstanceType{general, compute}, MinNodes: 2}},
			Workloads: []Workload{workload("api", "shop", 0.5, 1, 2)},
		}, func(t *testing.T, pl Plan) {
			wantNodes(t, pl, 4)
			wantCost(t, pl, 4*0.17)
		}},
		{"anti-affinity one replica per node", Problem{
			Pools:     []Pool{pool("p", "shop", one, general)},
			Workloads: []Workload{{Name: "zk", BusinessLine: "shop", Requests: Resources{CPU: 0.1, Memory: 1 << 28}, Replicas: FixedReplicas(5), AntiAffinity: true}},
		}, func(t *testing.T, pl Plan) {
			wantNodes(t, pl, 5)
		}},
		{"zone loss provisions ceil(replicas/(zones-1)) per zone", Problem{
			Pools:     []Pool{pool("p", "shop", three, general)},
			Workloads: []Workload{{Name: "api", BusinessLine: "shop", Requests: Resources{CPU: 1, Memory: 1 << 30}, Replicas: FixedReplicas(4), MinAvailable: IntOrPercent{Value: 3}}},
			Headroom:  Headroom{ZoneLoss: true},
		}, func(t *testing.T, pl Plan) {
			w := pl.Workloads[0]
			if w.Slots != 6 || w.Placed != 6 {
				t.Errorf("slots %d placed %d, want 6 and 6", w.Slots, w.Placed)
			}
			if zl := w.ZoneLoss; zl == nil || !zl.Recovers || zl.Surviving != 2 || zl.MeetsPDB {
				t.Errorf("zone loss = %+v, want recovers, 2 surviving, PDB of 3 not met", zl)
			}
		}},
		{"rollout surge rounds up", Problem{
			Pools:     []Pool{pool("p", "shop", one, general)},
			Workloads: []Workload{{Name: "api", BusinessLine: "shop", Requests: Resources{CPU: 0.5, Memory: 1 << 30}, Replicas: FixedReplicas(9), MaxSurge: IntOrPercent{Value: 25, Percent: true}}},
			Headroom:  Headroom{RolloutSurge: true},
		}, func(t *testing.T, pl Plan) {
			if w := pl.Workloads[0]; w.Slots != 12 {
				t.Errorf("slots %d, want 9 + ceil(25%% of 9) = 12", w.Slots)
			}
		}},
		{"memory-heavy pods go to memory-optimised nodes", Problem{
			Pools:     []Pool{pool("p", "shop", one, compute, general, memory)},
			Workloads: []Workload{workload("cache", "shop", 0.5, 7, 8)},
		}, func(t *testing.T, pl Plan) {
			for _, n := range pl.Nodes {
				if n.InstanceType != "r.xlarge" {
					t.Errorf("node %s is %s, want r.xlarge", n.Name, n.InstanceType)
				}
			}
			wantNodes(t, pl, 2)
		}},
		{"workload goes to the cheaper pool of its business line", Problem{
			Pools:     []Pool{pool("general", "shop", one, general), pool("compute", "shop", one, compute)},
			Workloads: []Workload{workload("api", "shop", 1, 1, 4), {Name: "pinned", BusinessLine: "shop", NodePool: "general", Requests: Resources{CPU: 1, Memory: 1 << 30}, Replicas: FixedReplicas(1)}},
		}, func(t *testing.T, pl Plan) {
			if pl.Workloads[0].Pool != "compute" || pl.Workloads[1].Pool != "general" {
				t.Errorf("pools %q and %q, want compute and the pinned general", pl.Workloads[0].Pool, pl.Workloads[1].Pool)
			}
		}},
		{"zone spread trims the zone that outgrows the full one", Problem{
			Pools: []Pool{{Name: "p", BusinessLines: []string{"shop"}, Zones: []string{"a", "b"}, InstanceTypes: []InstanceType{compute}, MaxNodes: 1}},
			Workloads: []Workload{
				workload("batch", "shop", 2, 1, 1), // alone in zone a
				{Name: "api", BusinessLine: "shop", Requests: Resources{CPU: 1, Memory: 1 << 30}, Replicas: FixedReplicas(8), MaxSkew: 1},
			},
		}, func(t *testing.T, pl Plan) {
			if w := pl.Workloads[1]; w.Placed != 5 || w.Zones[0].Placed != 2 || w.Zones[1].Placed != 3 {
				t.Errorf("api placed %+v, want 2 in zone a and 3 in zone b", w.Zones)
			}
			wantUnplaceable(t, pl, "api", 2, `zone "a" reached maxNodes 1`)
			wantUnplaceable(t, pl, "api", 1, `zoneSpread maxSkew 1: zone "a" of pool "p" could hold only 2`)
		}},
		{"idle workload needs no node", Problem{
			Pools:     []Pool{pool("p", "shop", one, general)},
			Workloads: []Workload{workload("api", "shop", 1, 1, 0)},
		}, func(t *testing.T, pl Plan) {
			wantNodes(t, pl, 0)
			if pl.Gap != 0 || pl.LowerBoundCostPerHour != 0 {
				t.Errorf("gap %g bound %g, want 0", pl.Gap, pl.LowerBoundCostPerHour)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl, err := Pack(context.Background(), tc.p)
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, 0, tc.p, pl)
			tc.check(t, pl)
		})
	}
}

// wantUnplaceable checks one Unplaceable entry of workload w.
func wantUnplaceable(t *testing.T, pl Plan, w string, count int, reason string) {
	t.Helper()
	for _, u := range pl.Unplaceable {
		if u.Workload == w && u.Count == count && strings.Contains(u.Reason, reason) {
			return
		}
	}
	t.Errorf("unplaceable = %+v, want %d of %s because %q", pl.Unplaceable, count, w, reason)
}

// wantNodes checks the number of nodes.
func wantNodes(t *testing.T, pl Plan, n int) {
	t.Helper()
	if len(pl.Nodes) != n {
		t.Errorf("%d nodes, want %d", len(pl.Nodes), n)
	}
}

// wantCost checks the cost per hour.
func wantCost(t *testing.T, pl Plan, c float64) {
	t.Helper()
	if math.Abs(pl.CostPerHour-c) > 1e-9 {
		t.Errorf("cost %g, want %g", pl.CostPerHour, c)
	}
}

func TestPackSharedPool(t *testing.T) {
	p := Problem{
		Pools: []Pool{
			{Name: "shared", BusinessLines: []string{"search", "ads"}, Zones: []string{"a"}, InstanceTypes: []InstanceType{general}},
			pool("shop", "shop", []string{"a"}, compute),
		},
		Workloads: []Workload{workload("query", "search", 1, 2, 3), workload("bidder", "ads", 1, 2, 3), workload("cart", "shop", 1, 2, 3)},
	}
	pl, err := Pack(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, 0, p, pl)
	got := map[string]string{}
	for _, w := range pl.Workloads {
		got[w.Name] = w.Pool
	}
	if got["query"] != "shared" || got["bidder"] != "shared" || got["cart"] != "shop" {
		t.Errorf("pools = %v, want query and bidder in shared, cart in shop", got)
	}
	var bls []string
	for _, l := range pl.Summary.ByBusinessLine {
		bls = append(bls, l.Name)
	}
	if strings.Join(bls, ",") != "search,ads,shop" {
		t.Errorf("business lines in summary = %v", bls)
	}
}

func TestPackErrors(t *testing.T) {
	_, err := Pack(context.Background(), Problem{})
	var fe *FieldError
	if !errors.Is(err, ErrInvalidProblem) || !errors.As(err, &fe) {
		t.Errorf("empty problem: err = %v, want ErrInvalidProblem with field errors", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Pack(ctx, benchProblem(1, 2, 3, 6, 500)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}
