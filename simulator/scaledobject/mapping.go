package scaledobject

import (
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/simulator"
	"github.com/prescale-dev/prescale/simulator/scaledobject/v1alpha1"
)

// KEDA 2.21's defaults for a ScaledObject's optional fields.
const (
	DefaultPollingInterval       = 30 * time.Second
	DefaultCooldownPeriod        = 300 * time.Second
	DefaultInitialCooldownPeriod = time.Duration(0)
	DefaultMinReplicaCount       = 0
	DefaultMaxReplicaCount       = 100
)

// Result is a ScaledObject mapped for the simulator.
type Result struct {
	// Namespace and Name identify the ScaledObject.
	Namespace, Name string
	// Settings are the base settings given to Map with KEDA's fields and
	// the HPA's behavior replaced by the ScaledObject's (see Map).
	Settings simulator.Settings
	// Triggers describe the ScaledObject's triggers, in order.
	Triggers []Trigger
	// Notes say what is mapped in a way worth knowing: defaults applied,
	// the HPA's path, what is ignored because it cannot change the
	// scaling.
	Notes []string
}

// Map validates the ScaledObject and maps it onto base (usually
// simulator.DefaultSettings with the pods described): Settings.KEDA takes
// every field of spec (KEDA's defaults where unset: see the Default
// constants) and the triggers' useCachedMetrics; Settings.HPA.Behavior
// takes the behavior KEDA gives the HPA, nil when the ScaledObject sets
// none (the API server's defaults filled otherwise); the HPA's controller
// settings (sync period, tolerance, downscale stabilization) stay base's,
// as they are flags of the controller, not fields of the object. Every
// problem is reported, each a *field.Error wrapping ErrInvalid or
// ErrNotSupported, joined.
func (d *Document) Map(base simulator.Settings) (*Result, error) {
	so := d.Object
	if so == nil {
		return nil, fmt.Errorf("mapping a document without a ScaledObject: %w", ErrInvalid)
	}
	p := &problems{doc: d}
	r := &Result{Namespace: so.Namespace, Name: so.Name, Settings: base}
	validateSpec(p, so)
	r.Triggers = triggers(p, so)
	r.Settings.KEDA = kedaSettings(p, so, r.Triggers)
	r.Settings.HPA.Behavior = nil
	if b := hpaBehavior(so); b != nil {
		defaultBehavior(b)
		r.Settings.HPA.Behavior = mapBehavior(p, b, base.HPA.DownscaleStabilization)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	r.Notes = notes(so, r)
	return r, nil
}

// validateSpec applies the CRD's schema and KEDA's exported checks (as
// mirrored by v1alpha1).
func validateSpec(p *problems, so *v1alpha1.ScaledObject) {
	s := so.Spec
	if s.ScaleTargetRef == nil || s.ScaleTargetRef.Name == "" {
		p.invalid("spec.scaleTargetRef.name", "required")
	}
	atLeast := func(path string, v *int32, lo int32) {
		if v != nil && *v < lo {
			p.invalid(path, "%d: must be at least %d", *v, lo)
		}
	}
	atLeast("spec.pollingInterval", s.PollingInterval, 1)
	atLeast("spec.cooldownPeriod", s.CooldownPeriod, 0)
	atLeast("spec.initialCooldownPeriod", s.InitialCooldownPeriod, 0)
	atLeast("spec.idleReplicaCount", s.IdleReplicaCount, 0)
	atLeast("spec.minReplicaCount", s.MinReplicaCount, 0)
	atLeast("spec.maxReplicaCount", s.MaxReplicaCount, 1)
	if err := v1alpha1.CheckReplicaCountBoundsAreValid(so); err != nil {
		path := "spec.idleReplicaCount"
		if s.MinReplicaCount != nil && *s.MinReplicaCount > so.GetHPAMaxReplicas() {
			path = "spec.minReplicaCount"
		}
		p.invalid(path, "KEDA rejects the replica bounds: %w", err)
	}
	if len(s.Triggers) == 0 {
		p.invalid("spec.triggers", "must hold at least one trigger")
	} else if err := v1alpha1.ValidateTriggers(s.Triggers); err != nil {
		p.invalid("spec.triggers", "KEDA rejects the triggers: %w", err)
	}
	if f := s.Fallback; f != nil {
		if err := v1alpha1.CheckFallbackValid(so); err != nil {
			p.invalid("spec.fallback", "KEDA rejects the fallback: %w", err)
		}
		switch f.Behavior {
		case "", v1alpha1.FallbackBehaviorStatic, v1alpha1.FallbackBehaviorCurrentReplicas,
			v1alpha1.FallbackBehaviorCurrentReplicasIfHigher, v1alpha1.FallbackBehaviorCurrentReplicasIfLower:
		case v1alpha1.FallbackBehaviorScalingModifiers:
			p.unsupported("spec.fallback.behavior", "scalingModifiers")
		default:
			p.invalid("spec.fallback.behavior", "%q: must be static, currentReplicas, currentReplicasIfHigher, currentReplicasIfLower or scalingModifiers", f.Behavior)
		}
	}
	if so.IsUsingModifiers() {
		p.unsupported("spec.advanced.scalingModifiers", "a formula combining the triggers")
	}
	if so.NeedToBePausedByAnnotation() {
		p.unsupported("metadata.annotations", "pausing the ScaledObject (%s or %s)", v1alpha1.PausedAnnotation, v1alpha1.PausedReplicasAnnotation)
	}
	if so.NeedToForceActivation() {
		p.unsupported("metadata.annotations["+v1alpha1.ForceActivationAnnotation+"]", "forcing activation")
	}
}

// kedaSettings maps spec's KEDA fields, with KEDA's defaults.
func kedaSettings(p *problems, so *v1alpha1.ScaledObject, ts []Trigger) simulator.KEDA {
	s := so.Spec
	seconds := func(v *int32, def time.Duration) time.Duration {
		if v == nil {
			return def
		}
		return time.Duration(*v) * time.Second
	}
	k := simulator.KEDA{
		PollingInterval:       seconds(s.PollingInterval, DefaultPollingInterval),
		CooldownPeriod:        seconds(s.CooldownPeriod, DefaultCooldownPeriod),
		InitialCooldownPeriod: seconds(s.InitialCooldownPeriod, DefaultInitialCooldownPeriod),
		MinReplicaCount:       DefaultMinReplicaCount,
		MaxReplicaCount:       int(so.GetHPAMaxReplicas()),
	}
	if s.MinReplicaCount != nil {
		k.MinReplicaCount = int(*s.MinReplicaCount)
	}
	// KEDA accepts idleReplicaCount 0 with an explicit minReplicaCount 0
	// (CheckReplicaCountBoundsAreValid compares with the HPA's minReplicas,
	// 1): it is then plain scale to zero.
	if i := s.IdleReplicaCount; i != nil && !(*i == 0 && k.MinReplicaCount == 0) {
		k.IdleReplicaCount = new(int(*i))
	}
	if f := s.Fallback; f != nil {
		k.Fallback = &simulator.Fallback{FailureThreshold: int(f.FailureThreshold), Replicas: int(f.Replicas),
			Behavior: simulator.FallbackBehavior(f.Behavior)}
	}
	k.UseCachedMetrics = cached(p, ts)
	return k
}

// cached returns the triggers' common useCachedMetrics; cron triggers,
// which KEDA does not let cache, take the others'.
func cached(p *problems, ts []Trigger) bool {
	first := -1
	for _, t := range ts {
		if t.Cron != nil {
			continue
		}
		if first < 0 {
			first = t.Index
			continue
		}
		if t.UseCachedMetrics != ts[first].UseCachedMetrics {
			p.unsupported(fmt.Sprintf("spec.triggers[%d].useCachedMetrics", t.Index),
				"%t where spec.triggers[%d] has %t (the simulator applies one useCachedMetrics to every trigger)",
				t.UseCachedMetrics, first, ts[first].UseCachedMetrics)
		}
	}
	return first >= 0 && ts[first].UseCachedMetrics
}
