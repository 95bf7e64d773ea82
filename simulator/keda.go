package simulator

import (
	"math"
	"time"
)

// kedaController is KEDA's scale loop for one ScaledObject: every
// PollingInterval it reads every trigger, caches the readings when
// UseCachedMetrics is set, and handles the activation phase, the only
// scaling KEDA does itself (0 <-> minReplicas); the HPA does the rest.
// It follows the KEDA docs ("Scaling Deployments": pollingInterval,
// cooldownPeriod, minReplicaCount, activation) and RequestScale in KEDA's
// pkg/scaling/executor/scale_scaledobjects.go.
type kedaController struct {
	cfg KEDA
	// lastActive is the last poll at which a trigger was active. It starts
	// at the beginning of the trace: the workload was serving then.
	lastActive time.Duration
	cache      []Metric
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

// poll runs one scale-loop iteration at now with cur replicas and returns
// the replicas KEDA sets.
//
// Rules: when a trigger is active and the target is at zero, KEDA scales it
// to max(minReplicaCount, 1) and records the activity; when active with
// replicas, it only records the activity (not when another trigger failed).
// When no trigger is active: a failure freezes the target (no fallback is
// modelled); with minReplicaCount 0 it scales to zero once the last
// activity is more than cooldownPeriod old (strictly, as KEDA compares
// lastActive+cooldown < now); below minReplicaCount it restores it.
func (k *kedaController) poll(now time.Duration, cur int32, ms []Metric) int32 {
	if k.cfg.UseCachedMetrics {
		k.cache = append(k.cache[:0], ms...)
	}
	active, failed := activity(ms)
	if active {
		switch {
		case cur == 0:
			k.lastActive = now
			return int32(max(k.cfg.MinReplicaCount, 1))
		case !failed:
			k.lastActive = now
		}
		return cur
	}
	floor := int32(k.cfg.MinReplicaCount)
	switch {
	case failed:
	case cur > 0 && floor == 0:
		if k.lastActive+k.cfg.CooldownPeriod < now {
			return 0
		}
	case cur < floor:
		return floor
	}
	return cur
}
