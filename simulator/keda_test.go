package simulator

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKEDAPoll(t *testing.T) {
	sec := func(s int) time.Duration { return time.Duration(s) * time.Second }
	idle := func(n int) *int { return &n }
	active := []Metric{{Value: 5, Target: 1, Active: true}}
	inactive := []Metric{{Value: 0, Target: 1}}
	failed := []Metric{{Value: math.NaN(), Target: 1}}
	tests := []struct {
		name       string
		cfg        KEDA
		everActive bool
		lastActive time.Duration
		now        time.Duration
		cur        int32
		ms         []Metric
		want       int32
	}{
		{"activates from zero", KEDA{MinReplicaCount: 0, MaxReplicaCount: 10}, false, 0, sec(30), 0, active, 1},
		{"activates to minReplicaCount", KEDA{MinReplicaCount: 3, MaxReplicaCount: 10}, false, 0, sec(30), 0, active, 3},
		{"idle to min when active", KEDA{MinReplicaCount: 3, MaxReplicaCount: 10, IdleReplicaCount: idle(0)}, true, 0, sec(30), 0, active, 3},
		{"active with replicas leaves them", KEDA{MaxReplicaCount: 10}, true, 0, sec(30), 4, active, 4},
		{"to zero after cooldown", KEDA{CooldownPeriod: sec(300), MaxReplicaCount: 10}, true, 0, sec(301), 4, inactive, 0},
		{"not at exactly cooldown", KEDA{CooldownPeriod: sec(300), MaxReplicaCount: 10}, true, 0, sec(300), 4, inactive, 4},
		{"to idle after cooldown", KEDA{CooldownPeriod: sec(60), MinReplicaCount: 2, MaxReplicaCount: 10, IdleReplicaCount: idle(0)}, true, 0, sec(90), 5, inactive, 0},
		{"never active: initial cooldown", KEDA{CooldownPeriod: sec(300), InitialCooldownPeriod: sec(120), MaxReplicaCount: 10}, false, 0, sec(90), 4, inactive, 4},
		{"never active: after initial cooldown", KEDA{CooldownPeriod: sec(300), InitialCooldownPeriod: sec(120), MaxReplicaCount: 10}, false, 0, sec(150), 4, inactive, 0},
		{"failure freezes without fallback", KEDA{CooldownPeriod: 0, MaxReplicaCount: 10}, true, 0, sec(600), 4, failed, 4},
		{"failure with fallback freezes", KEDA{MaxReplicaCount: 10, Fallback: &Fallback{Replicas: 6}}, true, 0, sec(600), 4, failed, 4},
		{"failure with zero fallback replicas scales in", KEDA{MaxReplicaCount: 10, Fallback: &Fallback{Replicas: 0}}, true, 0, sec(600), 4, failed, 0},
		{"restores minReplicaCount", KEDA{MinReplicaCount: 2, MaxReplicaCount: 10}, true, 0, sec(30), 1, inactive, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := kedaController{cfg: tc.cfg, everActive: tc.everActive, lastActive: tc.lastActive}
			assert.Equal(t, tc.want, k.poll(tc.now, tc.cur, tc.ms))
		})
	}
}

func TestKEDAFallback(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name      string
		fb        Fallback
		typ       MetricType
		cur       int32
		ready     int32
		failures  int // failed readings before the one checked
		wantValue float64
		wantAct   bool
	}{
		{"below threshold the error stands", Fallback{FailureThreshold: 3, Replicas: 6}, AverageValueMetric, 4, 4, 2, nan, false},
		{"past the threshold: static", Fallback{FailureThreshold: 3, Replicas: 6}, AverageValueMetric, 4, 4, 3, 6 * 50, true},
		{"current replicas", Fallback{FailureThreshold: 0, Replicas: 6, Behavior: FallbackCurrentReplicas}, AverageValueMetric, 4, 4, 0, 4 * 50, true},
		{"current if higher", Fallback{FailureThreshold: 0, Replicas: 6, Behavior: FallbackCurrentReplicasIfHigher}, AverageValueMetric, 9, 9, 0, 9 * 50, true},
		{"current if lower", Fallback{FailureThreshold: 0, Replicas: 6, Behavior: FallbackCurrentReplicasIfLower}, AverageValueMetric, 9, 9, 0, 6 * 50, true},
		{"value metric divides by ready pods", Fallback{FailureThreshold: 0, Replicas: 6}, ValueMetric, 4, 3, 0, 50 * 6.0 / 3, true},
		{"value metric without ready pods", Fallback{FailureThreshold: 0, Replicas: 6}, ValueMetric, 4, 0, 0, nan, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := kedaController{cfg: KEDA{Fallback: &tc.fb}}
			for range tc.failures {
				k.fallback([]Metric{{Value: nan, Target: 50, Type: tc.typ}}, tc.cur, tc.ready)
			}
			ms := []Metric{{Value: nan, Target: 50, Type: tc.typ}}
			k.fallback(ms, tc.cur, tc.ready)
			if math.IsNaN(tc.wantValue) {
				assert.True(t, math.IsNaN(ms[0].Value), "value %v, want the error (NaN)", ms[0].Value)
			} else {
				assert.InDelta(t, tc.wantValue, ms[0].Value, 1e-9)
			}
			assert.Equal(t, tc.wantAct, ms[0].Active)
		})
	}
	t.Run("a good reading resets the count", func(t *testing.T) {
		k := kedaController{cfg: KEDA{Fallback: &Fallback{FailureThreshold: 1, Replicas: 6}}}
		k.fallback([]Metric{{Value: nan, Target: 1}}, 1, 1)
		k.fallback([]Metric{{Value: 3, Target: 1}}, 1, 1)
		ms := []Metric{{Value: nan, Target: 1}}
		k.fallback(ms, 1, 1)
		assert.True(t, math.IsNaN(ms[0].Value), "one failure after a reset must not fall back")
	})
}

// TestFallbackScalesDuringOutage runs a metric outage through the whole
// simulator: with a fallback of 8 replicas the HPA scales to 8 once the
// threshold is passed; without one it keeps the replicas it had.
func TestFallbackScalesDuringOutage(t *testing.T) {
	y := timeseries15s(40, func(i int) float64 {
		if i >= 8 {
			return math.NaN()
		}
		return 140
	})
	run := func(fb *Fallback) []Point {
		s := validSettings()
		s.Pods.Startup = Fixed(0)
		s.Metrics.Lag = 0
		s.KEDA.MinReplicaCount = 1
		s.KEDA.Fallback = fb
		s.PinPhases = true
		s.Timeline = true
		res, err := Run(context.Background(), Job{Demand: y, Policy: Reactive{Capacity: 100, Utilisation: 0.7}, Settings: s})
		require.NoError(t, err)
		return res.Timeline
	}
	without := run(nil)
	assert.Equal(t, 2, without[len(without)-1].Desired, "without fallback the replicas freeze")
	with := run(&Fallback{FailureThreshold: 3, Replicas: 8})
	assert.Equal(t, 8, with[len(with)-1].Desired, "with fallback the HPA scales to fallback.replicas")
	assert.Equal(t, 2, with[8].Desired, "the first failures are tolerated")
}

func TestPhasesDrawnFromSeed(t *testing.T) {
	s := validSettings()
	a1, b1 := phases(s)
	a2, b2 := phases(s)
	assert.Equal(t, a1, a2)
	assert.Equal(t, b1, b2)
	assert.True(t, a1 >= 0 && a1 < s.HPA.SyncPeriod && b1 >= 0 && b1 < s.KEDA.PollingInterval)
	seen := map[time.Duration]bool{}
	for seed := range uint64(20) {
		s.Seed = seed
		a, _ := phases(s)
		seen[a] = true
	}
	assert.Greater(t, len(seen), 10, "phases must vary with the seed")
	s.PinPhases, s.Phases = true, Phases{Sync: 5 * time.Second, Poll: 7 * time.Second}
	a, b := phases(s)
	assert.Equal(t, 5*time.Second, a)
	assert.Equal(t, 7*time.Second, b)
}
