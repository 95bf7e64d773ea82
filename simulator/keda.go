package simulator

import (
	"math"
	"time"
)

// kedaController is KEDA's scale loop for one ScaledObject: every
// PollingInterval it reads every trigger, caches the readings when
// UseCachedMetrics is set, and handles the activation phase, the only
// scaling KEDA does itself (0 or idle <-> minReplicas); the HPA does the
// rest. It follows RequestScale, scaleFromZeroOrIdle and scaleToZeroOrIdle
// in KEDA's pkg/scaling/executor/scale_scaledobjects.go (v2.21).
type kedaController struct {
	cfg KEDA
	// lastActive is the last poll at which a trigger was active, valid
	// when everActive is set. A workload that has replicas at the start of
	// the trace counts as active then: it was serving.
	lastActive time.Duration
	everActive bool
	cache      []Metric
	// failures counts each trigger's failed readings in a row, for the
	// fallback.
	failures []int
}

// activity reports whether any trigger is active and whether any failed
// (NaN value). A failed trigger is not active.
func activity(ms []Metric) (active, failed bool) {
	for _, m := range ms {
		switch {
		case math.IsNaN(m.Value):
			failed = true
		case m.Active:
			active = true
		}
	}
	return active, failed
}

// fallback applies KEDA's fallback to the readings of one instant, in
// place: a failed reading counts a failure and a good one resets the
// count; once a trigger has failed more than FailureThreshold times in a
// row its reading becomes the fallback metric, active (doFallback in KEDA's
// pkg/fallback). cur is the scale target's replicas, ready its ready pods.
// Without a fallback it only counts.
func (k *kedaController) fallback(ms []Metric, cur, ready int32) {
	for len(k.failures) < len(ms) {
		k.failures = append(k.failures, 0)
	}
	f := k.cfg.Fallback
	for i := range ms {
		if !math.IsNaN(ms[i].Value) {
			k.failures[i] = 0
			continue
		}
		k.failures[i]++
		if f == nil || k.failures[i] <= f.FailureThreshold {
			continue
		}
		replicas := float64(f.Replicas)
		switch f.Behavior {
		case FallbackCurrentReplicas:
			replicas = float64(cur)
		case FallbackCurrentReplicasIfHigher:
			replicas = math.Max(float64(cur), replicas)
		case FallbackCurrentReplicasIfLower:
			replicas = math.Min(float64(cur), replicas)
		}
		if ms[i].Type == ValueMetric {
			if ready == 0 {
				continue // KEDA cannot fall back on a Value metric with no ready pod: the error stands
			}
			replicas /= float64(ready)
		}
		ms[i].Value = math.Trunc(ms[i].Target*1000*replicas) / 1000
		ms[i].Active = true
	}
}

// poll runs one scale-loop iteration at now with cur replicas and returns
// the replicas KEDA sets.
//
// Rules, from RequestScale: when a trigger is active and the target is at
// zero, or below minReplicaCount in idle mode, KEDA scales it to
// max(minReplicaCount, 1) and records the activity; when active with
// replicas, it only records the activity (not when another trigger
// failed). When no trigger is active: a failure with a fallback of
// nonzero replicas, or without a fallback, freezes the target; above the
// idle count in idle mode, or above zero with minReplicaCount 0, it
// scales to the idle count (or minReplicaCount) once the last activity is
// more than cooldownPeriod old, or, when no trigger was ever active, once
// the ScaledObject (created at the trace's start) is more than
// initialCooldownPeriod old (strict comparisons, as KEDA's Before); below
// minReplicaCount without idle mode it restores minReplicaCount.
func (k *kedaController) poll(now time.Duration, cur int32, ms []Metric) int32 {
	if k.cfg.UseCachedMetrics {
		k.cache = append(k.cache[:0], ms...)
	}
	floor := int32(k.cfg.MinReplicaCount)
	idle := k.cfg.IdleReplicaCount
	active, failed := activity(ms)
	if active {
		switch {
		case (idle != nil && cur < floor) || cur == 0:
			k.lastActive, k.everActive = now, true
			return max(floor, 1)
		case !failed:
			k.lastActive, k.everActive = now, true
		}
		return cur
	}
	fb := k.cfg.Fallback
	switch {
	case failed && fb != nil && fb.Replicas != 0:
	case failed && fb == nil:
	case (idle != nil && cur > int32(*idle)) || (cur > 0 && floor == 0):
		cooled := k.lastActive+k.cfg.CooldownPeriod < now
		if !k.everActive {
			cooled = k.cfg.InitialCooldownPeriod < now
		}
		if cooled {
			if idle != nil {
				return int32(*idle)
			}
			return floor
		}
	case idle == nil && cur < floor:
		return floor
	}
	return cur
}
