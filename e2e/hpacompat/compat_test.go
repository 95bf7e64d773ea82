package hpacompat

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

// seeds is the number of generated scenarios; their seeds are 1..seeds.
const seeds = 100

// scenarios returns the hand-written scenarios and the generated ones.
func scenarios() []scenario {
	scs := []scenario{
		spikeScenario("spike-nil-behavior", nil),
		spikeScenario("spike-empty-behavior", &autoscalingv2.HorizontalPodAutoscalerBehavior{}),
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		scs = append(scs, generate(seed))
	}
	return scs
}

// TestSimulatorMatchesController runs every scenario through Kubernetes'
// HPA controller and through the simulator and requires the same replica
// count after every sync. A failure names the scenario (its seed
// regenerates it), describes it, and lays out both timelines with the
// metric, marking the syncs that differ.
func TestSimulatorMatchesController(t *testing.T) {
	var ran, reachedMax, reachedMin, changed int
	scs := scenarios()
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			ran++
			want := controllerTimeline(t, sc)
			got := simulatorTimeline(t, sc)
			if i := firstDiff(want, got); i >= 0 {
				require.FailNow(t, "the simulator's replicas differ from Kubernetes' HPA controller",
					"%s\n%s", sc.describe(), formatTimelines(sc, want, got, "controller", "simulator"))
			}
			reachedMax += btoi(slices.Contains(want, sc.max))
			reachedMin += btoi(slices.Contains(want, sc.min))
			changed += btoi(!allEqual(want))
		})
	}
	if ran < len(scs) {
		return // a -run filter skipped some: the tallies are partial
	}
	// The scenarios must exercise the clamps and actually scale; a
	// generator that drifted into flat timelines would prove little.
	t.Logf("of %d scenarios: %d reach maxReplicas, %d reach minReplicas, %d scale at least once",
		len(scs), reachedMax, reachedMin, changed)
	require.GreaterOrEqual(t, reachedMax, seeds/5, "scenarios reaching maxReplicas")
	require.GreaterOrEqual(t, reachedMin, seeds/8, "scenarios reaching minReplicas")
	require.GreaterOrEqual(t, changed, seeds*2/3, "scenarios that scale at least once")
}

// TestGenerateReproducible checks that a seed always gives the same
// scenario, so that a failure's seed is enough to replay it.
func TestGenerateReproducible(t *testing.T) {
	for _, seed := range []uint64{1, 17, seeds} {
		require.Equal(t, generate(seed), generate(seed), "seed %d", seed)
	}
	require.NotEqual(t, generate(1).values, generate(2).values)
}

// TestGenerateCoverage checks that the generated scenarios cover what the
// comparison is meant to prove: both target types, nil and set behaviors,
// every selectPolicy, both policy types, per-direction tolerances, windows
// and periods off the sync grid, and every kind of metric event.
func TestGenerateCoverage(t *testing.T) {
	seen := map[string]int{}
	for seed := uint64(1); seed <= seeds; seed++ {
		sc := generate(seed)
		require.GreaterOrEqual(t, sc.min, int32(1), "seed %d: minReplicas", seed)
		require.True(t, sc.min <= sc.initial && sc.initial <= sc.max, "seed %d: initial replicas %d in [%d,%d]", seed, sc.initial, sc.min, sc.max)
		seen[sc.kind.String()]++
		if sc.phase != 0 {
			seen["phase"]++
		}
		for _, s := range sc.shape {
			seen["event "+firstWord(s)]++
		}
		if sc.behavior == nil {
			seen["behavior nil"]++
			continue
		}
		seen["behavior set"]++
		for _, r := range []*autoscalingv2.HPAScalingRules{sc.behavior.ScaleUp, sc.behavior.ScaleDown} {
			if r == nil {
				seen["rules default"]++
				continue
			}
			if r.SelectPolicy != nil {
				seen["select "+string(*r.SelectPolicy)]++
			}
			if r.Tolerance != nil {
				seen["tolerance"]++
			}
			if w := r.StabilizationWindowSeconds; w != nil && *w%15 != 0 {
				seen["window off grid"]++
			}
			for _, p := range r.Policies {
				seen["policy "+string(p.Type)]++
				if p.PeriodSeconds%15 != 0 {
					seen["period off grid"]++
				}
			}
		}
	}
	t.Logf("coverage: %v", seen)
	for _, k := range []string{"AverageValue", "Value", "behavior nil", "behavior set", "rules default",
		"select Max", "select Min", "select Disabled", "tolerance", "window off grid", "period off grid",
		"policy Pods", "policy Percent", "event starts", "event step", "event ramp", "event spike",
		"event drop", "event edge", "event drift", "phase"} {
		require.GreaterOrEqual(t, seen[k], 2, "generated scenarios with %q", k)
	}
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

func allEqual(tl []int32) bool {
	for _, x := range tl {
		if x != tl[0] {
			return false
		}
	}
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
