package scaledobject

import (
	"fmt"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/prescale-dev/prescale/simulator"
	"github.com/prescale-dev/prescale/simulator/scaledobject/v1alpha1"
)

// behaviorPath is where a ScaledObject sets its HPA's behavior.
const behaviorPath = "spec.advanced.horizontalPodAutoscalerConfig.behavior"

// Limits of the API server's validation of an HPA behavior
// (pkg/apis/autoscaling/validation).
const (
	maxStabilizationWindowSeconds = 3600
	maxPeriodSeconds              = 1800
)

// hpaBehavior returns the behavior KEDA 2.21 gives the HPA it creates for
// so (controllers/keda/hpa.go): the ScaledObject's own, copied, or nil;
// the paused-scale-in and paused-scale-out annotations set a direction's
// selectPolicy to Disabled, creating the behavior when there is none.
func hpaBehavior(so *v1alpha1.ScaledObject) *autoscalingv2.HorizontalPodAutoscalerBehavior {
	var b *autoscalingv2.HorizontalPodAutoscalerBehavior
	if a := so.Spec.Advanced; a != nil && a.HorizontalPodAutoscalerConfig != nil && a.HorizontalPodAutoscalerConfig.Behavior != nil {
		b = a.HorizontalPodAutoscalerConfig.Behavior.DeepCopy()
	}
	disabled := autoscalingv2.DisabledPolicySelect
	if so.NeedToPauseScaleIn() {
		if b == nil {
			b = &autoscalingv2.HorizontalPodAutoscalerBehavior{}
		}
		if b.ScaleDown == nil {
			b.ScaleDown = &autoscalingv2.HPAScalingRules{}
		}
		b.ScaleDown.SelectPolicy = &disabled
	}
	if so.NeedToPauseScaleOut() {
		if b == nil {
			b = &autoscalingv2.HorizontalPodAutoscalerBehavior{}
		}
		if b.ScaleUp == nil {
			b.ScaleUp = &autoscalingv2.HPAScalingRules{}
		}
		b.ScaleUp.SelectPolicy = &disabled
	}
	return b
}

// defaultBehavior fills b's unset fields as the API server does for a
// non-nil behavior (SetDefaults_HorizontalPodAutoscalerBehavior in
// Kubernetes' pkg/apis/autoscaling/v2/defaults.go): scale up by max(4
// pods, 100 %) per 15 s with no stabilization window; scale down by 100 %
// per 15 s with the stabilization window left unset (the controller then
// applies its --horizontal-pod-autoscaler-downscale-stabilization). A
// direction's given fields each replace the default; tolerance has no
// default (the controller's --horizontal-pod-autoscaler-tolerance
// applies).
func defaultBehavior(b *autoscalingv2.HorizontalPodAutoscalerBehavior) {
	b.ScaleUp = mergeRules(b.ScaleUp, defaultScaleUp())
	b.ScaleDown = mergeRules(b.ScaleDown, defaultScaleDown())
}

func defaultScaleUp() *autoscalingv2.HPAScalingRules {
	var window int32
	sel := autoscalingv2.MaxChangePolicySelect
	return &autoscalingv2.HPAScalingRules{
		StabilizationWindowSeconds: &window,
		SelectPolicy:               &sel,
		Policies: []autoscalingv2.HPAScalingPolicy{
			{Type: autoscalingv2.PodsScalingPolicy, Value: 4, PeriodSeconds: 15},
			{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15},
		},
	}
}

func defaultScaleDown() *autoscalingv2.HPAScalingRules {
	sel := autoscalingv2.MaxChangePolicySelect
	return &autoscalingv2.HPAScalingRules{
		SelectPolicy: &sel,
		Policies:     []autoscalingv2.HPAScalingPolicy{{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}},
	}
}

// mergeRules copies the non-nil fields of from over to, as Kubernetes'
// copyHPAScalingRules does; an empty but given policies list is kept.
func mergeRules(from, to *autoscalingv2.HPAScalingRules) *autoscalingv2.HPAScalingRules {
	if from == nil {
		return to
	}
	if from.SelectPolicy != nil {
		to.SelectPolicy = from.SelectPolicy
	}
	if from.StabilizationWindowSeconds != nil {
		to.StabilizationWindowSeconds = from.StabilizationWindowSeconds
	}
	if from.Policies != nil {
		to.Policies = from.Policies
	}
	if from.Tolerance != nil {
		to.Tolerance = from.Tolerance
	}
	return to
}

// mapBehavior validates a defaulted behavior as the API server does
// (validateScalingRules) and maps it; down is the controller's downscale
// stabilization, the scale-down window when the behavior leaves it unset.
func mapBehavior(p *problems, b *autoscalingv2.HorizontalPodAutoscalerBehavior, down time.Duration) *simulator.Behavior {
	return &simulator.Behavior{
		ScaleUp:   mapRules(p, behaviorPath+".scaleUp", b.ScaleUp, 0),
		ScaleDown: mapRules(p, behaviorPath+".scaleDown", b.ScaleDown, down),
	}
}

// mapRules validates and maps one direction; window is used when the
// direction's stabilization window is unset.
func mapRules(p *problems, path string, r *autoscalingv2.HPAScalingRules, window time.Duration) simulator.Rules {
	var out simulator.Rules
	out.StabilizationWindow = window
	if w := r.StabilizationWindowSeconds; w != nil {
		if *w < 0 || *w > maxStabilizationWindowSeconds {
			p.invalid(path+".stabilizationWindowSeconds", "%d: must be in [0,%d]", *w, maxStabilizationWindowSeconds)
		}
		out.StabilizationWindow = time.Duration(*w) * time.Second
	}
	switch *r.SelectPolicy {
	case autoscalingv2.MaxChangePolicySelect:
		out.Select = simulator.SelectMax
	case autoscalingv2.MinChangePolicySelect:
		out.Select = simulator.SelectMin
	case autoscalingv2.DisabledPolicySelect:
		out.Select = simulator.SelectDisabled
	default:
		p.invalid(path+".selectPolicy", "%q: must be Max, Min or Disabled", *r.SelectPolicy)
	}
	if len(r.Policies) == 0 {
		p.invalid(path+".policies", "must hold at least one policy (the API server asks for one even with selectPolicy Disabled)")
	}
	for i, pol := range r.Policies {
		out.Policies = append(out.Policies, mapPolicy(p, fmt.Sprintf("%s.policies[%d]", path, i), pol))
	}
	if t := r.Tolerance; t != nil {
		v := t.AsApproximateFloat64()
		switch {
		case t.Sign() < 0:
			p.invalid(path+".tolerance", "%g: must not be negative", v)
		case v >= 1:
			p.unsupported(path+".tolerance", "%g: a tolerance of 1 or more (the simulator takes tolerances in [0,1))", v)
		default:
			out.Tolerance = &v
		}
	}
	return out
}

func mapPolicy(p *problems, path string, pol autoscalingv2.HPAScalingPolicy) simulator.RateLimit {
	out := simulator.RateLimit{Value: int(pol.Value), Period: time.Duration(pol.PeriodSeconds) * time.Second}
	switch pol.Type {
	case autoscalingv2.PodsScalingPolicy:
		out.Kind = simulator.PodsPolicy
	case autoscalingv2.PercentScalingPolicy:
		out.Kind = simulator.PercentPolicy
	default:
		p.invalid(path+".type", "%q: must be Pods or Percent", pol.Type)
	}
	if pol.Value <= 0 {
		p.invalid(path+".value", "%d: must be greater than zero", pol.Value)
	}
	if pol.PeriodSeconds <= 0 || pol.PeriodSeconds > maxPeriodSeconds {
		p.invalid(path+".periodSeconds", "%d: must be in [1,%d]", pol.PeriodSeconds, maxPeriodSeconds)
	}
	return out
}
