package capacity

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// campaign returns a problem whose storefront triples for six hours.
func campaign() (Problem, []time.Time) {
	t0 := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	var times []time.Time
	for h := range 24 {
		times = append(times, t0.Add(time.Duration(h)*time.Hour))
	}
	web := workload("web", "shop", 0.5, 1, 0)
	web.Replicas = Replicas{Points: []ReplicaPoint{
		{Time: t0, Replicas: 10}, {Time: t0.Add(8 * time.Hour), Replicas: 30}, {Time: t0.Add(14 * time.Hour), Replicas: 10},
	}}
	p := Problem{
		Pools:     []Pool{pool("shop", "shop", []string{"a", "b"}, general, compute)},
		Workloads: []Workload{web, workload("db-proxy", "shop", 1, 2, 4)},
		Current:   []NodeCount{{Pool: "shop", Zone: "a", InstanceType: "m.xlarge", Count: 6}, {Pool: "shop", Zone: "b", InstanceType: "m.xlarge", Count: 6}},
	}
	return p, times
}

func TestPlanTimelineCampaign(t *testing.T) {
	p, times := campaign()
	s, err := newSolver(p)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := s.timeline(context.Background(), times)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.cache) != 2 {
		t.Errorf("%d pool packings cached, want 2 (base and campaign demand)", len(s.cache))
	}
	if tl.HorizonHours != 24 {
		t.Errorf("horizon %g hours, want 24", tl.HorizonHours)
	}
	var predictive float64
	for i, st := range tl.Steps {
		q := p
		q.At = times[i]
		pl, err := Pack(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if st.CostPerHour != pl.CostPerHour || st.Nodes != len(pl.Nodes) || st.LowerBoundCostPerHour != pl.LowerBoundCostPerHour {
			t.Errorf("step %d: %d nodes at %g $/h, Pack at that time gives %d at %g", i, st.Nodes, st.CostPerHour, len(pl.Nodes), pl.CostPerHour)
		}
		predictive += st.CostPerHour * st.Hours
	}
	near(t, "predictive cost", tl.Predictive.Cost, predictive)
	near(t, "static cost", tl.StaticPeak.Cost, tl.PeakPlan.CostPerHour*24)
	near(t, "current cost", tl.Current.Cost, 12*0.192*24)
	near(t, "savings vs static", tl.SavingsVsStaticPeak.Dollars, tl.StaticPeak.Cost-tl.Predictive.Cost)
	near(t, "savings vs current %", tl.SavingsVsCurrent.Percent, 100*(1-tl.Predictive.Cost/tl.Current.Cost))
	if tl.SavingsVsStaticPeak.Dollars <= 0 {
		t.Errorf("predictive %g not cheaper than static peak %g over a six-hour campaign", tl.Predictive.Cost, tl.StaticPeak.Cost)
	}
	if got := tl.PeakPlan.Workloads[0].Replicas; got != 30 {
		t.Errorf("peak plan has %d web replicas, want 30", got)
	}
	for _, st := range []Strategy{tl.Predictive, tl.StaticPeak, *tl.Current} {
		near(t, "cpu+memory cost", st.CPU.Cost+st.Memory.Cost, st.Cost)
		near(t, "cpu cost split", st.CPU.RequestedCost+st.CPU.OverheadCost+st.CPU.IdleCost, st.CPU.Cost)
		near(t, "requested core-hours", st.CPU.Requested, tl.Predictive.CPU.Requested)
	}
}

// near checks got against want with a relative tolerance.
func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %g, want %g", what, got, want)
	}
}

func TestPlanTimelineProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 2))
	t0 := time.Date(2025, 11, 11, 0, 0, 0, 0, time.UTC)
	for i := range 60 {
		p := randomProblem(rng)
		var times []time.Time
		for k := range 4 + rng.IntN(3) { // covering every replica point
			times = append(times, t0.Add(time.Duration(k)*time.Hour))
		}
		tl, err := PlanTimeline(context.Background(), p, times)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		checkPlan(t, i, p, tl.PeakPlan)
		sum := 0.0
		for _, st := range tl.Steps {
			sum += st.CostPerHour * st.Hours
		}
		near(t, "predictive cost", tl.Predictive.Cost, sum)
	}
}

func TestPlanTimelineErrors(t *testing.T) {
	p, times := campaign()
	tests := []struct {
		name  string
		p     Problem
		times []time.Time
		want  error
	}{
		{"no times", p, nil, ErrNoTimes},
		{"times out of order", p, []time.Time{times[1], times[0]}, ErrTimesOrder},
		{"repeated time", p, []time.Time{times[0], times[0]}, ErrTimesOrder},
		{"invalid problem", Problem{}, times, ErrInvalidProblem},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := PlanTimeline(context.Background(), tc.p, tc.times); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestStepHours(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{t0, t0.Add(30 * time.Minute), t0.Add(2 * time.Hour)}
	for i, want := range []float64{0.5, 1.5, 1.5} {
		if got := stepHours(times, i); got != want {
			t.Errorf("step %d lasts %g hours, want %g", i, got, want)
		}
	}
	if got := stepHours(times[:1], 0); got != 1 {
		t.Errorf("a single step lasts %g hours, want 1", got)
	}
}
