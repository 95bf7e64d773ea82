package v1alpha1

import (
	"fmt"
	"reflect"
	"strconv"
)

// The trigger types KEDA's fallback and useCachedMetrics rules single out.
const (
	cpuString    = "cpu"
	memoryString = "memory"
	cronString   = "cron"
)

// NeedToBePausedByAnnotation reports whether the ScaledObject is paused by
// the paused-replicas annotation (any value) or the paused annotation.
func (so *ScaledObject) NeedToBePausedByAnnotation() bool {
	if _, found := so.GetAnnotations()[PausedReplicasAnnotation]; found {
		return true
	}
	return getBoolAnnotation(so, PausedAnnotation)
}

// NeedToPauseScaleIn reports whether scale-in is paused by the
// paused-scale-in annotation.
func (so *ScaledObject) NeedToPauseScaleIn() bool {
	return getBoolAnnotation(so, PausedScaleInAnnotation)
}

// NeedToForceActivation reports whether activation is forced by the
// force-activation annotation.
func (so *ScaledObject) NeedToForceActivation() bool {
	return getBoolAnnotation(so, ForceActivationAnnotation)
}

// NeedToPauseScaleOut reports whether scale-out is paused by the
// paused-scale-out annotation.
func (so *ScaledObject) NeedToPauseScaleOut() bool {
	return getBoolAnnotation(so, PausedScaleOutAnnotation)
}

// getBoolAnnotation reads a boolean annotation as KEDA does: absent is
// false, a value strconv.ParseBool does not read is true.
func getBoolAnnotation(so *ScaledObject, annotation string) bool {
	value, found := so.GetAnnotations()[annotation]
	if !found {
		return false
	}
	b, err := strconv.ParseBool(value)
	if err != nil {
		return true
	}
	return b
}

// IsUsingModifiers reports whether spec.advanced.scalingModifiers sets
// any field.
func (so *ScaledObject) IsUsingModifiers() bool {
	return so.Spec.Advanced != nil && !reflect.DeepEqual(so.Spec.Advanced.ScalingModifiers, ScalingModifiers{})
}

// IsPollingIntervalRelevant reports whether KEDA's own scale loop still
// polls the triggers: when minReplicaCount is 0 (the default), when
// idleReplicaCount is set, or when a trigger uses cached metrics.
func (so *ScaledObject) IsPollingIntervalRelevant() bool {
	minReplicas := int32(0)
	if so.Spec.MinReplicaCount != nil {
		minReplicas = *so.Spec.MinReplicaCount
	}
	if minReplicas == 0 || so.Spec.IdleReplicaCount != nil {
		return true
	}
	for _, trigger := range so.Spec.Triggers {
		if trigger.UseCachedMetrics {
			return true
		}
	}
	return false
}

// UsesHPAObservations reports whether KEDA derives the ScaledObject's
// state from the HPA's metric observations instead of polling the
// triggers itself: when polling is not relevant and no scalingModifiers
// are set.
func (so *ScaledObject) UsesHPAObservations() bool {
	return !so.IsPollingIntervalRelevant() && !so.IsUsingModifiers()
}

// GetHPAMinReplicas returns the HPA's minReplicas: minReplicaCount when
// above 0, else 1.
func (so *ScaledObject) GetHPAMinReplicas() *int32 {
	if so.Spec.MinReplicaCount != nil && *so.Spec.MinReplicaCount > 0 {
		return so.Spec.MinReplicaCount
	}
	tmp := defaultHPAMinReplicas
	return &tmp
}

// GetHPAMaxReplicas returns the HPA's maxReplicas: maxReplicaCount, else
// 100.
func (so *ScaledObject) GetHPAMaxReplicas() int32 {
	if so.Spec.MaxReplicaCount != nil {
		return *so.Spec.MaxReplicaCount
	}
	return defaultHPAMaxReplicas
}

// FallbackScalingModifiers reports whether the fallback behavior is
// scalingModifiers.
func (so *ScaledObject) FallbackScalingModifiers() bool {
	return so.Spec.Fallback != nil && so.Spec.Fallback.Behavior == FallbackBehaviorScalingModifiers
}

// CheckReplicaCountBoundsAreValid checks the replica counts as KEDA v2.21
// does: the minimum (the HPA's minReplicas when minReplicaCount is set,
// else 0) must not exceed the HPA's maxReplicas, and idleReplicaCount,
// when set, must be below that minimum. Its messages are KEDA's.
func CheckReplicaCountBoundsAreValid(scaledObject *ScaledObject) error {
	minReplicas := int32(0)
	if scaledObject.Spec.MinReplicaCount != nil {
		minReplicas = *scaledObject.GetHPAMinReplicas()
	}
	maxReplicas := scaledObject.GetHPAMaxReplicas()

	if minReplicas > maxReplicas {
		return fmt.Errorf("MinReplicaCount=%d must be less than MaxReplicaCount=%d", minReplicas, maxReplicas)
	}
	if idle := scaledObject.Spec.IdleReplicaCount; idle != nil && *idle >= minReplicas {
		return fmt.Errorf("IdleReplicaCount=%d must be less than MinReplicaCount=%d", *idle, minReplicas)
	}
	return nil
}

// CheckFallbackValid checks a fallback as KEDA v2.21 does: its
// failureThreshold and replicas must not be negative and, without
// scalingModifiers, at least one trigger must be neither cpu nor memory.
// Its messages are KEDA's.
func CheckFallbackValid(scaledObject *ScaledObject) error {
	f := scaledObject.Spec.Fallback
	if f == nil {
		return nil
	}
	if f.FailureThreshold < 0 || f.Replicas < 0 {
		return fmt.Errorf("FailureThreshold=%d & Replicas=%d must both be greater than or equal to 0",
			f.FailureThreshold, f.Replicas)
	}
	if scaledObject.IsUsingModifiers() {
		return nil
	}
	for _, trigger := range scaledObject.Spec.Triggers {
		if trigger.Type != cpuString && trigger.Type != memoryString {
			return nil
		}
	}
	return fmt.Errorf("at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled")
}

// ValidateTriggers checks the triggers as KEDA v2.21 does: there is at
// least one, useCachedMetrics is not set on a cpu, memory or cron trigger,
// and no two triggers share a (non-empty) name. It returns the first
// problem, with KEDA's message.
func ValidateTriggers(triggers []ScaleTriggers) error {
	if len(triggers) == 0 {
		return fmt.Errorf("no triggers defined in the ScaledObject/ScaledJob")
	}
	names := make(map[string]bool, len(triggers))
	for _, trigger := range triggers {
		if trigger.UseCachedMetrics {
			if trigger.Type == cpuString || trigger.Type == memoryString || trigger.Type == cronString {
				return fmt.Errorf("property \"useCachedMetrics\" is not supported for %q scaler", trigger.Type)
			}
		}
		if name := trigger.Name; name != "" {
			if names[name] {
				return fmt.Errorf("triggerName %q is defined multiple times in the ScaledObject/ScaledJob, but it must be unique", name)
			}
			names[name] = true
		}
	}
	return nil
}
