package scaledobject

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
	"github.com/prescale-dev/prescale/simulator/scaledobject/v1alpha1"
)

// dur formats a duration as the scaler's metadata writes it ("5m", "1h").
func dur(d time.Duration) string { return scaler.FormatDuration(d) }

// notes explains what Map did that the reader might not expect.
func notes(so *v1alpha1.ScaledObject, r *Result) []string {
	s := so.Spec
	h := r.Settings.HPA
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if s.MinReplicaCount == nil {
		add("minReplicaCount unset: KEDA's default 0, so KEDA scales the target to zero once no trigger has been active for cooldownPeriod (the HPA's minReplicas is 1)")
	}
	if s.MaxReplicaCount == nil {
		add("maxReplicaCount unset: KEDA's default %d", DefaultMaxReplicaCount)
	}
	if s.IdleReplicaCount != nil && r.Settings.KEDA.IdleReplicaCount == nil {
		add("idleReplicaCount 0 with minReplicaCount 0 is plain scale to zero")
	}
	out = append(out, behaviorNotes(so, h)...)
	out = append(out, triggerNotes(so, r)...)
	if a := s.Advanced; a != nil {
		if a.RestoreToOriginalReplicaCount {
			add("advanced.restoreToOriginalReplicaCount acts only when the ScaledObject is deleted: no effect on the simulation")
		}
		if c := a.HorizontalPodAutoscalerConfig; c != nil && c.Name != "" {
			add("advanced.horizontalPodAutoscalerConfig.name only names the HPA: no effect on the simulation")
		}
	}
	if t := s.ScaleTargetRef; t != nil && t.Kind != "" && t.Kind != "Deployment" {
		add("scaleTargetRef is a %s: the simulator models its pods as a Deployment's (start-up, readiness, billing)", t.Kind)
	}
	return out
}

// behaviorNotes explains which HPA path runs and what its behavior takes
// from the defaults.
func behaviorNotes(so *v1alpha1.ScaledObject, h simulator.HPA) []string {
	b := h.Behavior
	if b == nil {
		return []string{fmt.Sprintf("no advanced.horizontalPodAutoscalerConfig.behavior: KEDA leaves the HPA's behavior nil and the controller runs its older path "+
			"(the highest recommendation of the last %s, then at most max(2 x current, 4) replicas per sync up, no rate limit down)", dur(h.DownscaleStabilization))}
	}
	var out []string
	if so.NeedToPauseScaleIn() {
		out = append(out, fmt.Sprintf("annotation %s: KEDA sets the HPA's scaleDown.selectPolicy to Disabled", v1alpha1.PausedScaleInAnnotation))
	}
	if so.NeedToPauseScaleOut() {
		out = append(out, fmt.Sprintf("annotation %s: KEDA sets the HPA's scaleUp.selectPolicy to Disabled", v1alpha1.PausedScaleOutAnnotation))
	}
	out = append(out, "behavior set: the HPA runs the behavior path, the API server filling what the behavior leaves unset (scaleUp: no window, max(4 pods, 100%) per 15s; scaleDown: 100% per 15s)")
	var given *bool
	if a := so.Spec.Advanced; a != nil && a.HorizontalPodAutoscalerConfig != nil && a.HorizontalPodAutoscalerConfig.Behavior != nil {
		d := a.HorizontalPodAutoscalerConfig.Behavior.ScaleDown
		given = new(d != nil && d.StabilizationWindowSeconds != nil)
	}
	if given == nil || !*given {
		out = append(out, fmt.Sprintf("scaleDown.stabilizationWindowSeconds unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies (%s here)", dur(h.DownscaleStabilization)))
	}
	if b.ScaleUp.Tolerance == nil || b.ScaleDown.Tolerance == nil {
		out = append(out, fmt.Sprintf("a direction without tolerance takes the controller's --horizontal-pod-autoscaler-tolerance (%s here)", strconv.FormatFloat(h.Tolerance, 'g', -1, 64)))
	}
	return out
}

// triggerNotes explains per trigger what the simulation must provide or
// leaves out.
func triggerNotes(so *v1alpha1.ScaledObject, r *Result) []string {
	var out []string
	add := func(t Trigger, format string, args ...any) {
		out = append(out, fmt.Sprintf("spec.triggers[%d]: ", t.Index)+fmt.Sprintf(format, args...))
	}
	k := r.Settings.KEDA
	for _, t := range r.Triggers {
		if so.Spec.Triggers[t.Index].AuthenticationRef != nil {
			add(t, "authenticationRef only carries credentials: no effect on the simulation")
		}
		if k.Fallback != nil && t.MetricType == simulator.ValueMetric {
			add(t, "a Value target: KEDA divides its fallback metric by the ready pods, and cannot fall back while none is ready")
		}
		if k.UseCachedMetrics && t.Cron != nil {
			add(t, "with useCachedMetrics on the other triggers, the simulator reads this cron trigger from KEDA's cache too: its window may open up to pollingInterval late")
		}
		if m := t.Prescale; m != nil {
			if m.Metadata.Calendar != "" {
				add(t, "calendar %q names a calendar of the scaler's configuration: the simulation needs the same calendar", m.Metadata.Calendar)
			}
			if m.Metadata.Policy.Mode == policies.ModeShadow {
				add(t, "mode shadow serves the live demand and only reports the forecast: it scales as plain KEDA does")
			}
		}
	}
	if k.Fallback != nil && so.UsesHPAObservations() {
		out = append(out, "KEDA 2.21 does not poll the triggers itself here (minReplicaCount above 0, no idleReplicaCount, no cached metrics): "+
			"the simulator still reads them at each pollingInterval as well as each HPA sync, so fallback failures count up faster than in the cluster")
	}
	return out
}

// Describe returns the mapping in readable lines: the KEDA settings, the
// HPA's behavior, each trigger and the notes.
func (r *Result) Describe() []string {
	k := r.Settings.KEDA
	idle, fallback := "none", "none"
	if k.IdleReplicaCount != nil {
		idle = strconv.Itoa(*k.IdleReplicaCount)
	}
	if f := k.Fallback; f != nil {
		b := f.Behavior
		if b == "" {
			b = simulator.FallbackStatic
		}
		fallback = fmt.Sprintf("%d replicas (%s) after %d failures", f.Replicas, b, f.FailureThreshold)
	}
	out := []string{
		"ScaledObject " + strings.TrimPrefix(r.Namespace+"/"+r.Name, "/"),
		fmt.Sprintf("keda: replicas %d..%d, idle %s, pollingInterval %s, cooldownPeriod %s, initialCooldownPeriod %s, fallback %s, useCachedMetrics %t",
			k.MinReplicaCount, k.MaxReplicaCount, idle, dur(k.PollingInterval), dur(k.CooldownPeriod), dur(k.InitialCooldownPeriod), fallback, k.UseCachedMetrics),
	}
	if b := r.Settings.HPA.Behavior; b == nil {
		out = append(out, "hpa.behavior: nil")
	} else {
		out = append(out, "hpa.behavior.scaleUp: "+describeRules(b.ScaleUp), "hpa.behavior.scaleDown: "+describeRules(b.ScaleDown))
	}
	for _, t := range r.Triggers {
		out = append(out, fmt.Sprintf("trigger[%d] %s: ", t.Index, describeType(t))+t.describe())
	}
	for _, n := range r.Notes {
		out = append(out, "note: "+n)
	}
	return out
}

func describeType(t Trigger) string {
	s := t.Type
	if t.Prescale != nil {
		s += " (prescale)"
	}
	if t.Name != "" {
		s += " " + strconv.Quote(t.Name)
	}
	return s
}

func describeRules(r simulator.Rules) string {
	pols := make([]string, len(r.Policies))
	for i, p := range r.Policies {
		unit := " pods"
		if p.Kind == simulator.PercentPolicy {
			unit = "%"
		}
		pols[i] = fmt.Sprintf("%d%s per %s", p.Value, unit, dur(p.Period))
	}
	tol := "the controller's"
	if r.Tolerance != nil {
		tol = strconv.FormatFloat(*r.Tolerance, 'g', -1, 64)
	}
	return fmt.Sprintf("window %s, select %s, policies [%s], tolerance %s", dur(r.StabilizationWindow), r.Select, strings.Join(pols, ", "), tol)
}

// describe lists what the simulator reads of the trigger.
func (t Trigger) describe() string {
	s := fmt.Sprintf("metricType %s, useCachedMetrics %t", t.MetricType, t.UseCachedMetrics)
	g := strconv.FormatFloat
	switch {
	case t.Prescale != nil:
		m := t.Prescale.Metadata
		pol := m.Policy
		none := func(v string) string {
			if v == "0" {
				return "none"
			}
			return v
		}
		s += fmt.Sprintf(", mode %s, targetPerPod %s, activationValue %s, leadTime %s, minReplicas %d, maxReplicas %s, maxScaleUpPerMinute %s, maxScaleDownPerMinute %s, model %s, quantile %s, risk %s, hpaTolerance %s, eventShift %s, step %s, historyWindow %s, refitInterval %s",
			pol.Mode, g(pol.TargetPerPod, 'g', -1, 64), g(m.ActivationValue, 'g', -1, 64), dur(pol.LeadTime), pol.MinReplicas, none(strconv.Itoa(pol.MaxReplicas)),
			none(g(pol.MaxScaleUpPerMinute, 'g', -1, 64)), none(g(pol.MaxScaleDownPerMinute, 'g', -1, 64)), m.Model, g(m.Quantile, 'g', -1, 64),
			g(pol.Risk, 'g', -1, 64), none(g(pol.Tolerance, 'g', -1, 64)), dur(m.EventShift), dur(m.Step), dur(m.HistoryWindow), dur(m.RefitInterval))
		for _, f := range m.EventFloors {
			s += fmt.Sprintf(", floor %s=%d", f.Type, f.Replicas)
		}
		s += ", stated: " + strings.Join(t.Prescale.Stated, ",")
	case t.Prometheus != nil:
		s += fmt.Sprintf(", threshold %s, activationThreshold %s", g(t.Prometheus.Threshold, 'g', -1, 64), g(t.Prometheus.ActivationThreshold, 'g', -1, 64))
	case t.Cron != nil:
		c := t.Cron
		s += fmt.Sprintf(", start %q, end %q, timezone %s, desiredReplicas %d", c.Start, c.End, c.Timezone, c.DesiredReplicas)
	}
	return s
}
