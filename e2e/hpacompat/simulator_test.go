package hpacompat

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/simulator"
)

// simStart is the instant of the simulated trace's first step; only
// offsets from it matter.
var simStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// replay is the scenario's KEDA trigger as a simulator.Policy: the metric
// at now, with the scenario's target and target type. It is always active
// so that KEDA, whose minReplicaCount is at least 1 here, never acts.
type replay struct{ sc scenario }

// Name returns "replay".
func (replay) Name() string { return "replay" }

// Metrics appends the scenario's metric at now.
func (p replay) Metrics(now time.Time, _ simulator.Observations, dst []simulator.Metric) []simulator.Metric {
	m := simulator.Metric{
		Value:  float64(p.sc.valueAt(now.Sub(simStart))) / 1000,
		Target: float64(p.sc.target) / 1000,
		Active: true,
	}
	if p.sc.kind == valueTarget {
		m.Type = simulator.ValueMetric
	}
	return append(dst, m)
}

// simJob returns sc as a simulator job in phase with the harness: the
// controller's flags, HPA syncs pinned at sc.phase + 0, 15 s, 30 s..., no metric lag,
// pods ready as soon as they are created, KEDA's minReplicaCount equal to
// the HPA's minReplicas (at least 1, so KEDA's activation never scales).
func simJob(sc scenario) simulator.Job {
	set := simulator.DefaultSettings()
	set.Seed = max(sc.seed, 1)
	set.Pods = simulator.Pods{Capacity: float64(sc.target) / 1000, Startup: simulator.Fixed(0)}
	set.KEDA.MinReplicaCount = int(sc.min)
	set.KEDA.MaxReplicaCount = int(sc.max)
	set.HPA = simulator.HPA{SyncPeriod: syncPeriod, Tolerance: tolerance,
		DownscaleStabilization: downscaleWindow, Behavior: simBehavior(sc.behavior)}
	set.Metrics = simulator.Scrape{}
	set.InitialReplicas = int(sc.initial)
	set.PinPhases, set.Phases = true, simulator.Phases{Sync: sc.phase}
	set.Timeline = true
	demand := make([]float64, len(sc.values))
	for i, v := range sc.values {
		demand[i] = float64(v) / 1000
	}
	return simulator.Job{
		Demand:   timeseries.Series{Name: sc.name, Start: simStart, Step: sc.step, Values: demand},
		Policy:   replay{sc: sc},
		Settings: set,
	}
}

// simulatorTimeline runs sc through the simulator and returns the replicas
// set at each HPA sync instant (Point.Desired of the step starting then).
func simulatorTimeline(t *testing.T, sc scenario) []int32 {
	t.Helper()
	res, err := simulator.Run(context.Background(), simJob(sc))
	require.NoError(t, err, sc.describe())
	var tl []int32
	for _, p := range res.Timeline {
		if p.Time.Sub(simStart)%syncPeriod == sc.phase {
			tl = append(tl, int32(p.Desired))
		}
	}
	return tl
}

// simBehavior converts spec.behavior as the user writes it to the
// simulator's: nil stays nil; the fields left unset take
// simulator.DefaultBehavior's values, which must be the API server's
// defaults for the comparison to hold.
func simBehavior(b *autoscalingv2.HorizontalPodAutoscalerBehavior) *simulator.Behavior {
	if b == nil {
		return nil
	}
	d := simulator.DefaultBehavior()
	return &simulator.Behavior{ScaleUp: simRules(b.ScaleUp, d.ScaleUp), ScaleDown: simRules(b.ScaleDown, d.ScaleDown)}
}

// simRules overlays the fields set in r on the defaults def.
func simRules(r *autoscalingv2.HPAScalingRules, def simulator.Rules) simulator.Rules {
	if r == nil {
		return def
	}
	if r.StabilizationWindowSeconds != nil {
		def.StabilizationWindow = time.Duration(*r.StabilizationWindowSeconds) * time.Second
	}
	if r.SelectPolicy != nil {
		def.Select = map[autoscalingv2.ScalingPolicySelect]simulator.Select{
			autoscalingv2.MaxChangePolicySelect: simulator.SelectMax,
			autoscalingv2.MinChangePolicySelect: simulator.SelectMin,
			autoscalingv2.DisabledPolicySelect:  simulator.SelectDisabled,
		}[*r.SelectPolicy]
	}
	if r.Policies != nil {
		def.Policies = nil
		for _, p := range r.Policies {
			kind := simulator.PodsPolicy
			if p.Type == autoscalingv2.PercentScalingPolicy {
				kind = simulator.PercentPolicy
			}
			def.Policies = append(def.Policies, simulator.RateLimit{Kind: kind, Value: int(p.Value),
				Period: time.Duration(p.PeriodSeconds) * time.Second})
		}
	}
	if r.Tolerance != nil {
		// The controller reads the quantity with AsApproximateFloat64.
		tol := r.Tolerance.AsApproximateFloat64()
		def.Tolerance = &tol
	}
	return def
}
