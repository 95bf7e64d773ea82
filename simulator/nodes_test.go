package simulator

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestNodePoolBind(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	p, err := NewNodePool(NodePoolSettings{PodsPerNode: 2, MaxNodes: 3, InitialNodes: 1, StartupDelay: 2 * time.Minute, UnneededTime: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	boot := t0.Add(2 * time.Minute)
	steps := []struct {
		name   string
		at     time.Time
		want   time.Time
		wantOK bool
	}{
		{"room on the ready node", t0, t0, true},
		{"second slot", t0, t0, true},
		{"starts a node", t0, boot, true},
		{"room on the starting node", t0, boot, true},
		{"starts the last node", t0, boot, true},
		{"second slot of the last node", t0, boot, true},
		{"pool full", t0, time.Time{}, false},
	}
	for _, st := range steps {
		got, ok := p.Bind(st.at)
		if ok != st.wantOK || !got.Equal(st.want) {
			t.Fatalf("%s: Bind = %v, %v; want %v, %v", st.name, got, ok, st.want, st.wantOK)
		}
	}
	if p.Nodes() != 3 {
		t.Errorf("nodes = %d, want 3", p.Nodes())
	}
	// Free 5 of the 6 slots at 3 min: two nodes' worth is spare from then,
	// and removed once unneeded for 10 min.
	for range 5 {
		p.Release(t0.Add(3 * time.Minute))
	}
	if got, _ := p.Bind(t0.Add(12 * time.Minute)); !got.Equal(t0.Add(12*time.Minute)) || p.Nodes() != 3 {
		t.Errorf("at 12 min: Bind = %v with %d nodes, want immediate with 3", got, p.Nodes())
	}
	p.Release(t0.Add(12 * time.Minute))
	got, _ := p.Bind(t0.Add(13 * time.Minute))
	if p.Nodes() != 1 || !got.Equal(t0.Add(13*time.Minute)) {
		t.Errorf("at 13 min: %d nodes, Bind = %v; want 1 node, immediate", p.Nodes(), got)
	}
	// The remaining node holds the pod kept since 3 min and this one: full.
	if got, _ := p.Bind(t0.Add(13 * time.Minute)); !got.Equal(t0.Add(15 * time.Minute)) {
		t.Errorf("third pod: Bind = %v, want a new node at 15 min", got)
	}
}

func TestNodePoolFail(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	p, _ := NewNodePool(NodePoolSettings{PodsPerNode: 4, MaxNodes: 10, InitialNodes: 6})
	for range 24 {
		p.Bind(t0)
	}
	if got := p.Fail(t0, 1.0/3); got != 8 || p.Nodes() != 4 {
		t.Errorf("Fail(1/3) evicted %d pods leaving %d nodes, want 8 and 4", got, p.Nodes())
	}
}

func TestNewNodePoolErrors(t *testing.T) {
	tests := []struct {
		name  string
		cfg   NodePoolSettings
		field string
	}{
		{"pods per node", NodePoolSettings{MaxNodes: 1}, "nodes.podsPerNode"},
		{"max", NodePoolSettings{PodsPerNode: 1, MinNodes: 3, MaxNodes: 2}, "nodes.maxNodes"},
		{"initial", NodePoolSettings{PodsPerNode: 1, MaxNodes: 2, InitialNodes: 3}, "nodes.initialNodes"},
		{"delay", NodePoolSettings{PodsPerNode: 1, MaxNodes: 2, StartupDelay: -1}, "nodes.startupDelay"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewNodePool(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("NewNodePool(%+v) = %v, want an error naming %s", tc.cfg, err, tc.field)
			}
		})
	}
}

// TestPodsWaitForNodes checks that a pod becomes ready only after its node,
// and that pods no node can take stay pending and are deleted first.
func TestPodsWaitForNodes(t *testing.T) {
	y := timeseries15s(38, func(i int) float64 {
		if i < 20 {
			return 420 // 6 pods at target 70
		}
		return 140 // 2 pods
	})
	s := validSettings()
	s.Pods.Startup = Fixed(0)
	s.Metrics.Lag = 0
	s.KEDA.MinReplicaCount = 1
	b := DefaultBehavior()
	b.ScaleDown.StabilizationWindow = 0
	s.HPA.Behavior = &b
	s.PinPhases = true
	s.InitialReplicas = 2
	s.Timeline = true
	pool, _ := NewNodePool(NodePoolSettings{PodsPerNode: 2, MaxNodes: 2, InitialNodes: 1, StartupDelay: time.Minute})
	res, err := Run(context.Background(), Job{Demand: y, Policy: NewReactive(100), Settings: s, Nodes: pool})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ step, desired, ready int }{
		{0, 6, 2},  // 4 new pods: 2 on a node starting until 60 s, 2 pending
		{3, 6, 2},  // 45 s
		{4, 6, 4},  // 60 s: the new node is ready
		{19, 6, 4}, // still 2 pending: the pool is at its maximum
		{20, 2, 2}, // scale-down deletes the pending pods first, then the latest ready
	}
	for _, w := range want {
		p := res.Timeline[w.step]
		if p.Desired != w.desired || p.Ready != w.ready {
			t.Errorf("step %d: desired %d ready %d, want %d and %d", w.step, p.Desired, p.Ready, w.desired, w.ready)
		}
	}
}
