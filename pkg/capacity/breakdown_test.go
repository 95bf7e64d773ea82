package capacity

import (
	"context"
	"testing"
	"time"
)

// TestBreakdown checks that the per-pool, per-zone and per-business-line
// costs add up to each strategy's total, and how a shared pool's current
// nodes are split.
func TestBreakdown(t *testing.T) {
	p, times := campaign()
	shared := pool("shared", "search", []string{"a", "b"}, general, memory)
	shared.BusinessLines = append(shared.BusinessLines, "ads")
	p.Pools = append(p.Pools, shared)
	p.Workloads = append(p.Workloads, workload("query", "search", 1, 4, 4), workload("bidder", "ads", 2, 2, 2))
	p.Current = append(p.Current, NodeCount{Pool: "shared", Zone: "b", InstanceType: "r.xlarge", Count: 2})
	tl, err := PlanTimeline(context.Background(), p, times)
	if err != nil {
		t.Fatal(err)
	}
	b := tl.Breakdown
	for _, tc := range []struct {
		name  string
		lines []StrategyCosts
		want  []string
	}{
		{"pool", b.ByPool, []string{"shop", "shared"}},
		{"zone", b.ByZone, []string{"a", "b"}},
		{"business line", b.ByBusinessLine, []string{"shop", "search", "ads"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pred, static, current float64
			for i, l := range tc.lines {
				if i >= len(tc.want) || l.Name != tc.want[i] {
					t.Fatalf("lines %+v, want names %v", tc.lines, tc.want)
				}
				if l.Current == nil {
					t.Fatalf("%s has no current cost", l.Name)
				}
				pred, static, current = pred+l.Predictive, static+l.StaticPeak, current+*l.Current
			}
			near(t, "predictive", pred, tl.Predictive.Cost)
			near(t, "static peak", static, tl.StaticPeak.Cost)
			near(t, "current", current, tl.Current.Cost)
		})
	}
	wantCurrent := 2 * memory.PricePerHour * 24 / 2 // two r.xlarge shared by two lines
	for _, l := range b.ByBusinessLine[1:] {
		near(t, l.Name+" current", *l.Current, wantCurrent)
	}
	step := tl.Steps[10]
	if len(step.Zones) != 2 || len(step.BusinessLines) != 3 || !(step.Utilization.CPU > 0 && step.Utilization.CPU <= 1) {
		t.Errorf("step zones %+v, business lines %+v, utilization %+v", step.Zones, step.BusinessLines, step.Utilization)
	}
}

// TestBreakdownNoCurrent leaves the current column out without an
// inventory.
func TestBreakdownNoCurrent(t *testing.T) {
	p, times := campaign()
	p.Current = nil
	tl, err := PlanTimeline(context.Background(), p, times[:3])
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range tl.Breakdown.ByPool {
		if l.Current != nil {
			t.Errorf("%s: current %g without an inventory", l.Name, *l.Current)
		}
	}
	if tl.Current != nil || len(tl.Breakdown.ByZone) != 2 {
		t.Errorf("current %+v, zones %+v", tl.Current, tl.Breakdown.ByZone)
	}
}

// TestReplicasFromDefaults decodes the good file's sources and applies
// their defaults.
func TestReplicasFromDefaults(t *testing.T) {
	c, err := LoadConfig("testdata/config/replicas-from.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Problem()
	if err != nil {
		t.Fatal(err)
	}
	fc := c.Spec.Workloads[0].ReplicasFrom.WithDefaults()
	if fc.Trace != "traces/frontend.csv" || fc.Resample != Duration(5*time.Minute) || fc.Quantile != 0.95 || fc.CapacityPerPod != 40 || fc.Column != "" {
		t.Errorf("forecast source = %+v", fc)
	}
	if got := (ReplicasFrom{Trace: "x.csv"}).WithDefaults().Quantile; got != DefaultQuantile {
		t.Errorf("default quantile %g, want %g", got, DefaultQuantile)
	}
	sim := c.Spec.Workloads[1].ReplicasFrom.WithDefaults()
	if sim.Column != "ready_replicas" || (ReplicasFrom{Simulation: "s.csv"}).WithDefaults().Column != DefaultReplicasColumn {
		t.Errorf("simulation source = %+v", sim)
	}
	if p.Workloads[0].Replicas.Peak() != 0 || p.Workloads[1].Replicas.Peak() != 0 {
		t.Errorf("unresolved sources give replicas %+v, want zero", p.Workloads[:2])
	}
}
