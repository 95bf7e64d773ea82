package simulator

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reactiveSweep sweeps the reactive policy at capacity 50 over values.
func reactiveSweep(values ...float64) Sweep {
	return Sweep{Name: "reactive", Knob: "target_utilisation", Values: values, Default: DefaultUtilisation,
		New: func(u, _ float64) (Policy, error) { return Reactive{Capacity: 50, Utilisation: u}, nil }}
}

func frontierBase() FrontierBase {
	s := DefaultSettings()
	s.Pods.Capacity = 50
	s.Pods.Startup = Fixed(2 * time.Minute)
	s.KEDA.MinReplicaCount = 1
	s.KEDA.MaxReplicaCount = 500
	return FrontierBase{Demand: syntheticDemand(2*24*60, time.Minute, 1000, 2), Settings: s}
}

func TestRunFrontier(t *testing.T) {
	base := frontierBase()
	cron := Sweep{Name: "cron", Knob: "replicas", Values: []float64{30, 10},
		New: func(n, _ float64) (Policy, error) {
			return Cron{Reactive: NewReactive(50), Windows: []CronWindow{{Start: base.Demand.Start, End: base.Demand.Start.Add(12 * time.Hour), Every: 24 * time.Hour, Replicas: int(n)}}}, nil
		}}
	f, err := RunFrontier(context.Background(), base, []Sweep{reactiveSweep(0.5, 0.7, 0.9), cron}, 2)
	require.NoError(t, err)
	require.Len(t, f.Curves, 2)
	assert.Equal(t, "oracle", f.Oracle.Policy)
	rc := f.Curves[0]
	assert.Equal(t, "reactive", rc.Name)
	assert.Equal(t, "target_utilisation", rc.Knob)
	require.Len(t, rc.Points, 3)
	for i, u := range []float64{0.5, 0.7, 0.9} {
		p := rc.Points[i]
		assert.Equal(t, u, p.Knob)
		assert.Equal(t, "reactive@"+knobLabel(u), p.Result.Policy)
		assert.Equal(t, p.Result.PodHours, p.PodHours)
		assert.Equal(t, p.Result.UnservedFraction, p.UnservedFraction)
		assert.True(t, math.IsNaN(p.NodeCost), "node cost %v without a node pool, want NaN", p.NodeCost)
		assert.InDelta(t, p.PodHours/f.Oracle.PodHours, p.Result.VsOracle.PodHours, 1e-12)
		want, err := Run(context.Background(), Job{Demand: base.Demand, Settings: base.Settings, Policy: Reactive{Capacity: 50, Utilisation: u}})
		require.NoError(t, err)
		want.Policy, want.VsOracle = p.Result.Policy, p.Result.VsOracle
		assert.Equal(t, want, p.Result, "point %v differs from its own run", u)
	}
	assert.Greater(t, rc.Points[0].PodHours, rc.Points[2].PodHours, "a lower target costs more pod-hours")
	assert.Equal(t, []float64{30, 10}, []float64{f.Curves[1].Points[0].Knob, f.Curves[1].Points[1].Knob}, "points in the sweep's order")
	def, ok := rc.DefaultPoint()
	require.True(t, ok)
	assert.Equal(t, 0.7, def.Knob)
	_, ok = f.Curves[1].DefaultPoint()
	assert.False(t, ok, "cron's default 0 is not among its values")

	one, err := RunFrontier(context.Background(), base, []Sweep{reactiveSweep(0.5, 0.7, 0.9), cron}, 1)
	require.NoError(t, err)
	assert.Equal(t, gobBytes(t, f), gobBytes(t, one), "results depend on the number of workers")
}

// gobBytes encodes v, NaN included (which reflect.DeepEqual and so
// assert.Equal never find equal).
func gobBytes(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, gob.NewEncoder(&b).Encode(v))
	return b.Bytes()
}

func TestRunFrontierNodes(t *testing.T) {
	base := frontierBase()
	bill := NodeBilling{Pool: NodePoolSettings{PodsPerNode: 4, MaxNodes: UnlimitedNodes, StartupDelay: 3 * time.Minute, UnneededTime: 10 * time.Minute},
		PricePerNodeHour: 0.2}
	base.Nodes = &bill
	f, err := RunFrontier(context.Background(), base, []Sweep{reactiveSweep(0.6, 0.8)}, 0)
	require.NoError(t, err)
	rep, err := CompareNodes(context.Background(), base.Demand, base.Settings,
		[]Policy{Reactive{Capacity: 50, Utilisation: 0.6}, Reactive{Capacity: 50, Utilisation: 0.8}}, bill)
	require.NoError(t, err)
	for i, p := range f.Curves[0].Points {
		assert.Positive(t, p.Result.NodeHours)
		assert.InDelta(t, rep.Results[i].NodeHours, p.Result.NodeHours, 1e-9, "node-hours of %v as CompareNodes bills them", p.Knob)
		assert.InDelta(t, 0.2*p.Result.NodeHours, p.NodeCost, 1e-9)
		assert.Equal(t, p.NodeCost, p.Result.Cost)
	}
	assert.InDelta(t, f.Oracle.PodHours/4, f.Oracle.NodeHours, 1e-9, "the oracle's perfectly packed nodes")
}

func TestRunFrontierErrors(t *testing.T) {
	boom := errors.New("boom")
	failing := reactiveSweep(0.5)
	failing.New = func(float64, float64) (Policy, error) { return nil, boom }
	bad := func(edit func(*Sweep)) []Sweep {
		s := reactiveSweep(0.5, 0.7)
		edit(&s)
		return []Sweep{s}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		sweeps []Sweep
		want   string
		is     error
	}{
		{"no name", context.Background(), bad(func(s *Sweep) { s.Name = "" }), "sweeps[0].name: must not be empty", ErrInvalid},
		{"no constructor", context.Background(), bad(func(s *Sweep) { s.New = nil }), "sweeps[0].new: must be set", ErrInvalid},
		{"no values", context.Background(), bad(func(s *Sweep) { s.Values = nil }), "sweeps[0].values: must not be empty", ErrInvalid},
		{"NaN value", context.Background(), bad(func(s *Sweep) { s.Values[1] = math.NaN() }), "sweeps[0].values[1]: must be finite", ErrInvalid},
		{"value twice", context.Background(), bad(func(s *Sweep) { s.Values[1] = 0.5 }), "sweeps[0].values[1]: 0.5 is listed twice", ErrInvalid},
		{"seconds without a name", context.Background(), bad(func(s *Sweep) { s.Seconds = []float64{1, 2} }), "sweeps[0].second: must name the knob of seconds", ErrInvalid},
		{"seconds short", context.Background(), bad(func(s *Sweep) { s.Second, s.Seconds = "capacity", []float64{50} }), "sweeps[0].seconds: has 1 values for 2 of values", ErrInvalid},
		{"NaN second", context.Background(), bad(func(s *Sweep) { s.Second, s.Seconds = "capacity", []float64{50, math.NaN()} }), "sweeps[0].seconds[1]: must be finite", ErrInvalid},
		{"pair twice", context.Background(), bad(func(s *Sweep) {
			s.Values[1], s.Second, s.Seconds, s.SecondDefault = 0.5, "capacity", []float64{40, 40}, 50
		}), "sweeps[0].values[1]: 0.5/40 is listed twice", ErrInvalid},
		{"name twice", context.Background(), []Sweep{reactiveSweep(0.5), reactiveSweep(0.7)}, `sweeps[1].name: "reactive" is used twice`, ErrInvalid},
		{"constructor fails", context.Background(), []Sweep{failing}, "building reactive at target_utilisation 0.5: boom", boom},
		{"invalid policy", context.Background(), []Sweep{reactiveSweep(1.5)}, "simulating reactive@1.5: policy reactive@1.5: reactive.utilisation", ErrInvalid},
		{"cancelled", cancelled, []Sweep{reactiveSweep(0.5)}, "context canceled", context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := RunFrontier(tc.ctx, frontierBase(), tc.sweeps, 0)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.ErrorIs(t, err, tc.is)
		})
	}
}

// TestRunFrontierTwoKnobs sweeps the reactive policy over its utilisation
// and its capacity per pod: points share a first knob's value, each runs
// at its pair, labels name the second only off its default, and the
// envelope tells the points apart by both.
func TestRunFrontierTwoKnobs(t *testing.T) {
	base := frontierBase()
	sw := Sweep{Name: "reactive", Knob: "target_utilisation", Values: []float64{0.7, 0.7, 0.9}, Default: 0.7,
		Second: "capacity", Seconds: []float64{50, 25, 50}, SecondDefault: 50,
		New: func(u, c float64) (Policy, error) { return Reactive{Capacity: c, Utilisation: u}, nil }}
	f, err := RunFrontier(context.Background(), base, []Sweep{sw}, 0)
	require.NoError(t, err)
	c := f.Curves[0]
	assert.Equal(t, "capacity", c.Second)
	assert.Equal(t, "target_utilisation/capacity", c.KnobName())
	var labels []string
	for _, p := range c.Points {
		labels = append(labels, c.Label(p))
	}
	assert.Equal(t, []string{"0.7", "0.7/25", "0.9"}, labels)
	assert.Equal(t, "reactive@0.7/25", c.Points[1].Result.Policy)
	want, err := Run(context.Background(), Job{Demand: base.Demand, Settings: base.Settings, Policy: Reactive{Capacity: 25, Utilisation: 0.7}})
	require.NoError(t, err)
	assert.Equal(t, want.PodHours, c.Points[1].PodHours, "the point at 0.7/25 runs at capacity 25")
	assert.Greater(t, c.Points[1].PodHours, c.Points[0].PodHours, "a policy believing pods serve half as much runs more of them")
	def, ok := c.DefaultPoint()
	require.True(t, ok)
	assert.Equal(t, 50.0, def.Second, "the default point is the pair of defaults")
	assert.True(t, c.IsDefault(c.Points[0]))
	assert.False(t, c.IsDefault(c.Points[1]), "same first knob, not the default second")
	effs := 0
	for _, p := range c.Points {
		if c.IsEfficient(p) {
			effs++
		}
	}
	assert.Len(t, c.Efficient(), effs, "IsEfficient tells points of equal first knob apart")

	var b bytes.Buffer
	require.NoError(t, WriteFrontierJSON(&b, FrontierComparison{Setup: Comparison{Trace: "t"}, Baseline: "reactive", Runs: []FrontierRun{{Startup: "2m", Frontier: f}}}))
	assert.Contains(t, b.String(), `"second_knob": "capacity"`)
	assert.Contains(t, b.String(), `"second": 25`)
}
