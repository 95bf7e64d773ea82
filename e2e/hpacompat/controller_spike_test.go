package hpacompat

import (
	"testing"

	"github.com/stretchr/testify/require"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

// spikeScenario is the measured example of the project notes: a metric at
// its target of 10 that jumps to 200 for 30 s at t=120 s, one replica at
// t=0, maxReplicas 100, 10 minutes.
func spikeScenario(name string, b *autoscalingv2.HorizontalPodAutoscalerBehavior) scenario {
	sc := scenario{name: name, step: syncPeriod, target: 10_000, min: 1, max: 100, initial: 1,
		shape: []string{"10 with a spike to 200 for 30s at 2m0s"}, behavior: b}
	sc.values = make([]int64, 40)
	for i := range sc.values {
		sc.values[i] = 10_000
	}
	sc.values[8], sc.values[9] = 200_000, 200_000
	return sc
}

// steps returns a timeline of n syncs built from (first sync, replicas)
// pairs: each replica count holds until the next pair's sync.
func steps(n int, pairs ...int32) []int32 {
	tl := make([]int32, n)
	for i := 0; i < len(pairs); i += 2 {
		for k := int(pairs[i]); k < n; k++ {
			tl[k] = pairs[i+1]
		}
	}
	return tl
}

// TestControllerSpike checks the harness against the controller's
// behaviour measured before: with nil behavior the 300 s window keeps the
// spike's recommendation of 20, reached through the max(2×current, 4) cap
// (1 -> 4 -> 8 -> 16 -> 20 at 120/135/150/165 s) and held until 450 s (a
// sample exactly 300 s old still counts); with behavior {} the defaults
// scale up by max(100 %, 4 pods) per 15 s (1 -> 5 -> 10), the spike is over
// before the next step, and the strict window lets go at 435 s.
func TestControllerSpike(t *testing.T) {
	for _, tc := range []struct {
		name     string
		behavior *autoscalingv2.HorizontalPodAutoscalerBehavior
		want     []int32
	}{
		{"nil-behavior", nil, steps(40, 0, 1, 8, 4, 9, 8, 10, 16, 11, 20, 30, 1)},
		{"empty-behavior", &autoscalingv2.HorizontalPodAutoscalerBehavior{}, steps(40, 0, 1, 8, 5, 9, 10, 29, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := spikeScenario(tc.name, tc.behavior)
			got := controllerTimeline(t, sc)
			require.Equal(t, tc.want, got, "%s\n%s", sc.describe(), formatTimelines(sc, tc.want, got, "want", "controller"))
		})
	}
}

// controllerTimeline runs sc through the controller and returns the
// replicas after each sync, checking that the syncs fell every syncPeriod
// from sc.phase and on no other instant.
func controllerTimeline(t *testing.T, sc scenario) []int32 {
	t.Helper()
	syncs := runController(t, sc)
	n := sc.syncs()
	require.Len(t, syncs, n, "syncs of the controller over %v: %v", sc.duration(), syncs)
	tl := make([]int32, n)
	for k, s := range syncs {
		require.Equal(t, sc.syncAt(k), s.at, "instant of sync %d", k)
		tl[k] = s.replicas
	}
	return tl
}
