package v1alpha1

import (
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/runtime"
)

// DeepCopy returns a copy of so sharing no memory with it (nil for nil):
// without it, ObjectMeta's DeepCopy, promoted, would copy the metadata
// only.
func (so *ScaledObject) DeepCopy() *ScaledObject {
	if so == nil {
		return nil
	}
	out := &ScaledObject{TypeMeta: so.TypeMeta}
	so.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Spec = *so.Spec.DeepCopy()
	out.Status = *so.Status.DeepCopy()
	return out
}

// DeepCopyObject makes ScaledObject a runtime.Object, as KEDA's type is.
func (so *ScaledObject) DeepCopyObject() runtime.Object {
	if c := so.DeepCopy(); c != nil {
		return c
	}
	return nil
}

// DeepCopy returns a copy of s sharing no memory with it.
func (s *ScaledObjectSpec) DeepCopy() *ScaledObjectSpec {
	if s == nil {
		return nil
	}
	out := *s
	if s.ScaleTargetRef != nil {
		t := *s.ScaleTargetRef
		out.ScaleTargetRef = &t
	}
	out.PollingInterval = copyPtr(s.PollingInterval)
	out.InitialCooldownPeriod = copyPtr(s.InitialCooldownPeriod)
	out.CooldownPeriod = copyPtr(s.CooldownPeriod)
	out.IdleReplicaCount = copyPtr(s.IdleReplicaCount)
	out.MinReplicaCount = copyPtr(s.MinReplicaCount)
	out.MaxReplicaCount = copyPtr(s.MaxReplicaCount)
	if a := s.Advanced; a != nil {
		c := *a
		if h := a.HorizontalPodAutoscalerConfig; h != nil {
			hc := *h
			hc.Behavior = h.Behavior.DeepCopy()
			c.HorizontalPodAutoscalerConfig = &hc
		}
		out.Advanced = &c
	}
	if s.Triggers != nil {
		out.Triggers = make([]ScaleTriggers, len(s.Triggers))
		for i, t := range s.Triggers {
			out.Triggers[i] = *t.DeepCopy()
		}
	}
	out.Fallback = copyPtr(s.Fallback)
	return &out
}

// DeepCopy returns a copy of t sharing no memory with it.
func (t *ScaleTriggers) DeepCopy() *ScaleTriggers {
	if t == nil {
		return nil
	}
	out := *t
	out.Metadata = maps.Clone(t.Metadata)
	out.AuthenticationRef = copyPtr(t.AuthenticationRef)
	return &out
}

// DeepCopy returns a copy of s sharing no memory with it.
func (s *ScaledObjectStatus) DeepCopy() *ScaledObjectStatus {
	if s == nil {
		return nil
	}
	out := *s
	out.ScaleTargetGVKR = copyPtr(s.ScaleTargetGVKR)
	out.OriginalReplicaCount = copyPtr(s.OriginalReplicaCount)
	out.LastActiveTime = s.LastActiveTime.DeepCopy()
	out.ExternalMetricNames = slices.Clone(s.ExternalMetricNames)
	out.ResourceMetricNames = slices.Clone(s.ResourceMetricNames)
	out.Conditions = slices.Clone(s.Conditions)
	if s.Health != nil {
		out.Health = make(map[string]HealthStatus, len(s.Health))
		for k, h := range s.Health {
			h.NumberOfFailures = copyPtr(h.NumberOfFailures)
			out.Health[k] = h
		}
	}
	out.TriggersActivity = maps.Clone(s.TriggersActivity)
	out.PausedReplicaCount = copyPtr(s.PausedReplicaCount)
	out.TriggersTypes = copyPtr(s.TriggersTypes)
	out.AuthenticationsTypes = copyPtr(s.AuthenticationsTypes)
	return &out
}

// copyPtr returns a pointer to a copy of *p, nil for nil; only for types
// without pointers, slices or maps.
func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
