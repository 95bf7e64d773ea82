package simulator

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func TestPlanNodes(t *testing.T) {
	cfg, err := capacity.LoadConfig("testdata/nodecost_plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	prob, err := cfg.Problem()
	if err != nil {
		t.Fatal(err)
	}
	// api (400m, 512Mi) at target 0.5, overhead 200m/512Mi/2 pods:
	// s: cpu (1000-200)/400 = 2, memory (2048-512)/512 = 3, slots 8 -> 2 pods, $0.05 a pod;
	// l: cpu (4000-200)/400 = 9, memory (8192-512)/512 = 15, slots 8 -> 8 pods, $0.045 a pod.
	// job (1 core, 1Gi) on x without overhead: cpu 2000/1000 = 2, memory 4, slots 110 -> 2.
	tests := []struct {
		name     string
		workload string
		want     NodeChoice
	}{
		{"slots bind on the cheaper type", "api", NodeChoice{Pool: "small", InstanceType: "l", PodsPerNode: 8, MinNodes: 2, MaxNodes: 8, PricePerNodeHour: 0.36}},
		{"pool of the business line, no cap", "job", NodeChoice{Pool: "other", InstanceType: "x", PodsPerNode: 2, PricePerNodeHour: 0.01}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PlanNodes(prob, tc.workload)
			if err != nil || got != tc.want {
				t.Errorf("PlanNodes(%q) = %+v, %v; want %+v", tc.workload, got, err, tc.want)
			}
		})
	}
	t.Run("unknown workload", func(t *testing.T) {
		_, err := PlanNodes(prob, "nope")
		var u *UnknownWorkloadError
		if !errors.Is(err, ErrUnknownWorkload) || !errors.As(err, &u) || len(u.Have) != 2 {
			t.Errorf("PlanNodes(nope) = %v; want an UnknownWorkloadError listing api, job", err)
		}
	})
	t.Run("anti-affinity", func(t *testing.T) {
		p := prob
		p.Workloads = append([]capacity.Workload(nil), prob.Workloads...)
		p.Workloads[0].AntiAffinity = true
		got, err := PlanNodes(p, "api")
		if err != nil || got.PodsPerNode != 1 || got.InstanceType != "s" {
			t.Errorf("PlanNodes(api, anti-affinity) = %+v, %v; want 1 pod a node on s", got, err)
		}
	})
}

func TestCompareNodesBillsNodes(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	vals := make([]float64, 240)
	for i := range vals {
		vals[i] = 10
		if i >= 60 && i < 120 {
			vals[i] = 200 // a burst of 20 pods' worth
		}
	}
	demand := timeseries.Series{Name: "burst", Start: start, Step: time.Minute, Values: vals}
	s := DefaultSettings()
	s.Pods.Capacity = 10
	b := NodeBilling{PricePerNodeHour: 2, Pool: NodePoolSettings{PodsPerNode: 4, MaxNodes: 3, StartupDelay: 5 * time.Minute, UnneededTime: 10 * time.Minute}}
	ctx := context.Background()
	nodes, err := CompareNodes(ctx, demand, s, []Policy{NewReactive(10)}, b)
	if err != nil {
		t.Fatal(err)
	}
	free, err := Compare(ctx, demand, s, []Policy{NewReactive(10)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, f := nodes.Results[0], free.Results[0]
	if !(r.UnservedFraction > f.UnservedFraction) {
		t.Errorf("unserved with 3 nodes of 4 pods = %g, unlimited = %g; want more with the small pool", r.UnservedFraction, f.UnservedFraction)
	}
	if !(r.NodeHours > 0 && r.NodeHours <= 3*4) || math.Abs(r.Cost-2*r.NodeHours) > 1e-9 {
		t.Errorf("node-hours %g, cost %g; want in (0,12] and cost = 2 × node-hours", r.NodeHours, r.Cost)
	}
	if want := nodes.Oracle.PodHours / 4; math.Abs(nodes.Oracle.NodeHours-want) > 1e-9 {
		t.Errorf("oracle node-hours %g; want pod-hours/4 = %g", nodes.Oracle.NodeHours, want)
	}
}
