package simulator

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTestHPA returns a controller for an HPA with the default behavior.
func newTestHPA(min, max int) hpaController {
	cfg := DefaultHPA()
	b := DefaultBehavior()
	cfg.Behavior = &b
	return newHPAController(cfg, KEDA{MinReplicaCount: min, MaxReplicaCount: max})
}

// newNilBehaviorHPA returns a controller for an HPA without behavior.
func newNilBehaviorHPA(min, max int) hpaController {
	return newHPAController(DefaultHPA(), KEDA{MinReplicaCount: min, MaxReplicaCount: max})
}

func TestPerPodReplicas(t *testing.T) {
	tests := []struct {
		name         string
		cur          int32
		value, tgt   float64
		tolerance    float64
		wantReplicas int32
	}{
		{"on target", 10, 700, 70, 0.1, 10},
		{"5% up within tolerance", 10, 735, 70, 0.1, 10},
		{"upper bound included", 10, 770, 70, 0.1, 10},
		{"just above", 10, 771, 70, 0.1, 12},
		{"lower bound included", 10, 630, 70, 0.1, 10},
		{"just below", 10, 629, 70, 0.1, 9},
		{"zero tolerance", 10, 701, 70, 0, 11},
		{"independent of current", 3, 700, 70, 0.1, 10},
		{"zero metric", 4, 0, 70, 0.1, 0},
		{"milli rounding", 1, 0.0004, 0.001, 0.1, 0},
		{"float noise", 7, 7, 0.7, 0.1, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHPA(1, 100)
			h.cfg.Tolerance = tc.tolerance
			got := h.perPodReplicas(tc.cur, Metric{Value: tc.value, Target: tc.tgt})
			if got != tc.wantReplicas {
				t.Errorf("perPodReplicas(cur %d, %v/%v) = %d, want %d", tc.cur, tc.value, tc.tgt, got, tc.wantReplicas)
			}
		})
	}
}

func TestProposeFailedMetrics(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		ms     []Metric
		want   int32
		wantOK bool
	}{
		{"max over metrics", []Metric{{Value: 700, Target: 70}, {Value: 15, Target: 1}}, 15, true},
		{"all failed", []Metric{{Value: nan, Target: 70}}, 10, false},
		{"failed blocks scale-down", []Metric{{Value: nan, Target: 70}, {Value: 140, Target: 70}}, 10, false},
		{"failed allows scale-up", []Metric{{Value: nan, Target: 70}, {Value: 1400, Target: 70}}, 20, true},
		{"no metrics", nil, 10, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHPA(1, 100)
			got, ok := h.propose(10, 10, tc.ms)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("propose(10, %v) = %d, %v; want %d, %v", tc.ms, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestStabilizeWindows(t *testing.T) {
	h := newTestHPA(1, 100)
	h.cfg.Behavior.ScaleUp.StabilizationWindow = 60 * time.Second
	sec := func(s int) time.Duration { return time.Duration(s) * time.Second }
	// Scale-up window 60 s: the lowest recommendation of the minute wins.
	steps := []struct {
		at        int
		cur, p    int32
		want      int32
		situation string
	}{
		{0, 10, 10, 10, "steady"},
		{15, 10, 20, 10, "rise held by the 10 at 0s"},
		{30, 10, 20, 10, "still held"},
	}
	for _, st := range steps {
		if got := h.stabilize(sec(st.at), st.cur, st.p); got != st.want {
			t.Errorf("at %ds (%s): stabilize = %d, want %d", st.at, st.situation, got, st.want)
		}
	}
	if got := h.stabilize(sec(60), 10, 20); got != 20 {
		t.Errorf("at 60s: stabilize = %d, want 20 (the 10 recorded at 0s is no longer strictly within the window)", got)
	}
	// Scale-down window 300 s: the highest recommendation wins.
	if got := h.stabilize(sec(75), 20, 5); got != 20 {
		t.Errorf("at 75s: stabilize(20 -> 5) = %d, want 20", got)
	}
}

func TestRateLimits(t *testing.T) {
	tests := []struct {
		name      string
		rules     Rules
		up        bool
		cur       int32
		ups       []scaleEvent
		downs     []scaleEvent
		wantLimit int32
	}{
		{"default up small", DefaultBehavior().ScaleUp, true, 1, nil, nil, 5},
		{"default up large", DefaultBehavior().ScaleUp, true, 10, nil, nil, 20},
		{"up counts recent adds", DefaultBehavior().ScaleUp, true, 10, []scaleEvent{{at: 55 * time.Second, change: 5}}, nil, 10},
		{"up ignores events one period old", DefaultBehavior().ScaleUp, true, 10, []scaleEvent{{at: 45 * time.Second, change: 5}}, nil, 20},
		{"up min select", Rules{Select: SelectMin, Policies: DefaultBehavior().ScaleUp.Policies}, true, 10, nil, nil, 14},
		{"up disabled", Rules{Select: SelectDisabled}, true, 10, nil, nil, 10},
		{"down percent truncates", Rules{Policies: []RateLimit{{PercentPolicy, 50, time.Minute}}}, false, 5, nil, nil, 2},
		{"down pods", Rules{Policies: []RateLimit{{PodsPolicy, 3, time.Minute}}}, false, 10, nil, nil, 7},
		{"down adds back removals", Rules{Policies: []RateLimit{{PodsPolicy, 3, time.Minute}}}, false, 8, nil, []scaleEvent{{at: 30 * time.Second, change: 2}}, 7},
		{"down max select", Rules{Policies: []RateLimit{{PodsPolicy, 3, time.Minute}, {PercentPolicy, 50, time.Minute}}}, false, 10, nil, nil, 5},
		{"down min select", Rules{Select: SelectMin, Policies: []RateLimit{{PodsPolicy, 3, time.Minute}, {PercentPolicy, 50, time.Minute}}}, false, 10, nil, nil, 7},
		{"down disabled", Rules{Select: SelectDisabled}, false, 10, nil, nil, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHPA(1, 100)
			h.ups, h.downs = tc.ups, tc.downs
			now := 60 * time.Second
			var got int32
			if tc.up {
				h.cfg.Behavior.ScaleUp = tc.rules
				got = h.upLimit(now, tc.cur)
			} else {
				h.cfg.Behavior.ScaleDown = tc.rules
				got = h.downLimit(now, tc.cur)
			}
			if got != tc.wantLimit {
				t.Errorf("limit from %d = %d, want %d", tc.cur, got, tc.wantLimit)
			}
		})
	}
}

func TestReconcileBounds(t *testing.T) {
	h := newTestHPA(3, 8)
	ms := []Metric{{Value: 7000, Target: 70}}
	tests := []struct {
		name string
		cur  int32
		want int32
	}{
		{"disabled at zero", 0, 0},
		{"above max", 12, 8},
		{"below min", 1, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.reconcile(0, tc.cur, tc.cur, ms); got != tc.want {
				t.Errorf("reconcile(cur %d) = %d, want %d", tc.cur, got, tc.want)
			}
		})
	}
}

func TestScaleEventsReuseOutdated(t *testing.T) {
	h := newTestHPA(1, 100)
	for i := range 100 {
		h.storeScaleEvent(time.Duration(i)*15*time.Second, 1, 2)
	}
	if len(h.ups) > 3 {
		t.Errorf("after 100 scale-ups 15s apart, %d events kept, want at most 3 (older ones reused)", len(h.ups))
	}
}

// refStabilizer is the list-based stabilization of the Kubernetes HPA
// controller (stabilizeRecommendationWithBehaviors), written out plainly
// to check the monotonic queues against.
type refStabilizer struct {
	up, down time.Duration
	recs     []recommendation
}

func (r *refStabilizer) stabilize(now time.Duration, cur, p int32) int32 {
	upRec, downRec := p, p
	old := -1
	for i, rec := range r.recs {
		if rec.at > now-r.up {
			upRec = min(upRec, rec.replicas)
		}
		if rec.at > now-r.down {
			downRec = max(downRec, rec.replicas)
		}
		if rec.at < now-r.up && rec.at < now-r.down {
			old = i
		}
	}
	if old >= 0 {
		r.recs[old] = recommendation{now, p}
	} else {
		r.recs = append(r.recs, recommendation{now, p})
	}
	return min(max(cur, upRec), downRec)
}

func TestStabilizeMatchesKubernetesList(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	for c := range 200 {
		h := newTestHPA(1, 1000)
		h.cfg.Behavior.ScaleUp.StabilizationWindow = time.Duration(r.IntN(8)) * 15 * time.Second
		h.cfg.Behavior.ScaleDown.StabilizationWindow = time.Duration(r.IntN(30)) * 15 * time.Second
		ref := refStabilizer{up: h.cfg.Behavior.ScaleUp.StabilizationWindow, down: h.cfg.Behavior.ScaleDown.StabilizationWindow}
		now := time.Duration(0)
		for i := range 500 {
			now += time.Duration(1+r.IntN(4)) * 15 * time.Second / time.Duration(1+r.IntN(2))
			cur, p := int32(1+r.IntN(50)), int32(r.IntN(60))
			if got, want := h.stabilize(now, cur, p), ref.stabilize(now, cur, p); got != want {
				t.Fatalf("case %d step %d: stabilize(%v, %d, %d) = %d, Kubernetes' list gives %d", c, i, now, cur, p, got, want)
			}
		}
	}
}

func TestNilBehaviorNormalize(t *testing.T) {
	sec := func(s int) time.Duration { return time.Duration(s) * time.Second }
	tests := []struct {
		name     string
		cur, p   int32
		min, max int
		want     int32
	}{
		{"from 1 at most 4", 1, 20, 1, 100, 4},
		{"from 2 at most 4", 2, 20, 1, 100, 4},
		{"from 3 at most 6", 3, 20, 1, 100, 6},
		{"from 10 at most 20", 10, 50, 1, 100, 20},
		{"maxReplicas below the rate", 10, 50, 1, 15, 15},
		{"no scale-down rate limit", 40, 2, 1, 100, 2},
		{"minReplicas", 5, 1, 3, 100, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newNilBehaviorHPA(tc.min, tc.max)
			h.seeded = true
			assert.Equal(t, tc.want, h.normalize(sec(0), tc.cur, tc.p))
		})
	}
	t.Run("highest of the window, inclusive", func(t *testing.T) {
		h := newNilBehaviorHPA(1, 100)
		h.seeded = true
		assert.Equal(t, int32(4), h.normalize(sec(0), 1, 20))
		assert.Equal(t, int32(8), h.normalize(sec(15), 4, 3), "a lower proposal still climbs toward the window's 20")
		assert.Equal(t, int32(20), h.normalize(sec(300), 20, 3), "a sample exactly 300 s old counts")
		assert.Equal(t, int32(3), h.normalize(sec(301), 20, 3), "then it is gone")
	})
}

func TestValueMetricUsesReadyPods(t *testing.T) {
	h := newNilBehaviorHPA(1, 100)
	tests := []struct {
		name       string
		cur, ready int32
		value, tgt float64
		want       int32
	}{
		{"on target keeps current", 10, 6, 100, 100, 10},
		{"twice the target doubles the ready pods", 10, 6, 200, 100, 12},
		{"half the target halves them", 10, 8, 50, 100, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := h.propose(tc.cur, tc.ready, []Metric{{Value: tc.value, Target: tc.tgt, Type: ValueMetric}})
			require.True(t, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestReconcileSeedsCurrentReplicas(t *testing.T) {
	for _, behavior := range []bool{false, true} {
		h := newNilBehaviorHPA(1, 100)
		if behavior {
			h = newTestHPA(1, 100)
		}
		ms := []Metric{{Value: 70, Target: 70}} // wants 1
		assert.Equal(t, int32(12), h.reconcile(0, 12, 12, ms), "behavior %v: first sync must not scale below the recorded current replicas", behavior)
		assert.Equal(t, int32(12), h.reconcile(299*time.Second, 12, 12, ms))
		assert.Equal(t, int32(1), h.reconcile(301*time.Second, 12, 12, ms))
	}
}
