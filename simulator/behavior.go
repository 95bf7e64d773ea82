package simulator

import (
	"fmt"
	"time"
)

// HPA holds the settings of the HorizontalPodAutoscaler controller and of
// the HPA object KEDA creates (Kubernetes docs, "Horizontal Pod
// Autoscaling").
type HPA struct {
	// SyncPeriod is the controller's reconcile period,
	// --horizontal-pod-autoscaler-sync-period (default 15 s).
	SyncPeriod time.Duration
	// Tolerance is the controller's tolerance,
	// --horizontal-pod-autoscaler-tolerance (default 0.1): the relative
	// distance of the usage ratio from 1 under which the HPA does not
	// scale. A behavior's per-direction Tolerance overrides it. It must be
	// in [0, 1).
	Tolerance float64
	// DownscaleStabilization is the controller's
	// --horizontal-pod-autoscaler-downscale-stabilization (default 300 s):
	// the scale-down window of an HPA without behavior.
	DownscaleStabilization time.Duration
	// Behavior is the HPA's spec.behavior. KEDA copies the ScaledObject's
	// advanced.horizontalPodAutoscalerConfig.behavior into it, or leaves it
	// nil when the ScaledObject sets none, and the API server defaults a
	// behavior only when one is given. With nil behavior the controller
	// runs its older path (normalizeDesiredReplicas): the highest
	// recommendation of the last DownscaleStabilization, then a scale-up
	// of at most max(2 × current, 4) replicas per sync and no scale-down
	// rate limit. With a behavior it runs the behavior path
	// (normalizeDesiredReplicasWithBehaviors): per-direction windows,
	// policies and tolerances.
	Behavior *Behavior
}

// Behavior is an HPA's spec.behavior, with the API server's defaults filled
// (see DefaultBehavior).
type Behavior struct {
	// ScaleUp holds spec.behavior.scaleUp.
	ScaleUp Rules
	// ScaleDown holds spec.behavior.scaleDown.
	ScaleDown Rules
}

// Rules is one direction of an HPA's spec.behavior (HPAScalingRules).
type Rules struct {
	// StabilizationWindow: when scaling up, the HPA applies the lowest
	// recommendation of the window; when scaling down, the highest
	// (default 0 up, 300 s down).
	StabilizationWindow time.Duration
	// Select chooses among the policies' limits (default SelectMax).
	Select Select
	// Policies limit the change over a sliding period.
	Policies []RateLimit
	// Tolerance, when set, is this direction's tolerance (field tolerance
	// of HPAScalingRules, GA in Kubernetes 1.37), in [0, 1): the HPA scales
	// up only when the usage ratio exceeds 1 + the scale-up tolerance, and
	// down only when it is below 1 − the scale-down tolerance. Nil means
	// HPA.Tolerance.
	Tolerance *float64
}

// Select is an HPA selectPolicy.
type Select int

// The selectPolicy values. SelectMax picks the policy allowing the largest
// change, SelectMin the smallest, SelectDisabled forbids scaling in that
// direction.
const (
	SelectMax Select = iota
	SelectMin
	SelectDisabled
)

// String returns the Kubernetes spelling: Max, Min or Disabled.
func (s Select) String() string {
	switch s {
	case SelectMax:
		return "Max"
	case SelectMin:
		return "Min"
	case SelectDisabled:
		return "Disabled"
	}
	return fmt.Sprintf("Select(%d)", int(s))
}

// Kind is the type of an HPA scaling policy.
type Kind int

// The HPA scaling policy types: PodsPolicy limits the change to Value pods
// per Period, PercentPolicy to Value percent of the replicas at the start of
// the Period.
const (
	PodsPolicy Kind = iota
	PercentPolicy
)

// String returns the Kubernetes spelling: Pods or Percent.
func (k Kind) String() string {
	switch k {
	case PodsPolicy:
		return "Pods"
	case PercentPolicy:
		return "Percent"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// RateLimit is one HPA scaling policy (HPAScalingPolicy): at most Value pods
// or percent of change over any Period.
type RateLimit struct {
	// Kind is PodsPolicy or PercentPolicy.
	Kind Kind
	// Value is the number of pods or the percentage; it must be positive.
	Value int
	// Period is the sliding window of the limit, periodSeconds (at most
	// 1800 s in Kubernetes).
	Period time.Duration
}

// DefaultHPA returns the controller's defaults (15 s sync, 0.1 tolerance,
// 300 s downscale stabilization) and no behavior: the HPA KEDA creates for
// a ScaledObject that sets none.
func DefaultHPA() HPA {
	return HPA{
		SyncPeriod:             15 * time.Second,
		Tolerance:              0.1,
		DownscaleStabilization: 300 * time.Second,
	}
}

// DefaultBehavior returns the behavior the API server fills in for an
// empty spec.behavior: scale up by max(100 %, 4 pods) per 15 s with no
// stabilization; scale down by 100 % per 15 s after a 300 s stabilization
// window (Kubernetes docs, "Horizontal Pod Autoscaling", default
// behavior; pkg/apis/autoscaling/v2/defaults.go).
func DefaultBehavior() Behavior {
	return Behavior{
		ScaleUp: Rules{
			Select: SelectMax,
			Policies: []RateLimit{
				{Kind: PercentPolicy, Value: 100, Period: 15 * time.Second},
				{Kind: PodsPolicy, Value: 4, Period: 15 * time.Second},
			},
		},
		ScaleDown: Rules{
			StabilizationWindow: 300 * time.Second,
			Select:              SelectMax,
			Policies:            []RateLimit{{Kind: PercentPolicy, Value: 100, Period: 15 * time.Second}},
		},
	}
}

// tolerances returns the scale-down and scale-up tolerances in force:
// the behavior's per-direction ones where set, the controller's otherwise.
func (h HPA) tolerances() (down, up float64) {
	down, up = h.Tolerance, h.Tolerance
	if h.Behavior == nil {
		return down, up
	}
	if t := h.Behavior.ScaleDown.Tolerance; t != nil {
		down = *t
	}
	if t := h.Behavior.ScaleUp.Tolerance; t != nil {
		up = *t
	}
	return down, up
}

// ScaleUpTolerance returns the tolerance the HPA scales up past: the
// behavior's scale-up tolerance where set, the controller's otherwise —
// what a predictive policy works around (policies.Policy.Tolerance).
func (h HPA) ScaleUpTolerance() float64 {
	_, up := h.tolerances()
	return up
}

func (h HPA) validate() []error {
	var errs []error
	if h.SyncPeriod <= 0 {
		errs = append(errs, fieldErr("hpa.syncPeriod", "must be positive"))
	}
	if !(h.Tolerance >= 0 && h.Tolerance < 1) {
		errs = append(errs, fieldErr("hpa.tolerance", "must be in [0,1)"))
	}
	if h.DownscaleStabilization < 0 || h.DownscaleStabilization > time.Hour {
		errs = append(errs, fieldErr("hpa.downscaleStabilization", "must be in [0s,1h]"))
	}
	if h.Behavior == nil {
		return errs
	}
	errs = append(errs, h.Behavior.ScaleUp.validate("hpa.behavior.scaleUp")...)
	return append(errs, h.Behavior.ScaleDown.validate("hpa.behavior.scaleDown")...)
}

func (r Rules) validate(path string) []error {
	var errs []error
	if r.StabilizationWindow < 0 || r.StabilizationWindow > time.Hour {
		errs = append(errs, fieldErr(path+".stabilizationWindow", "must be in [0s,1h]"))
	}
	if r.Select < SelectMax || r.Select > SelectDisabled {
		errs = append(errs, fieldErr(path+".selectPolicy", "must be Max, Min or Disabled"))
	}
	if r.Tolerance != nil && !(*r.Tolerance >= 0 && *r.Tolerance < 1) {
		errs = append(errs, fieldErr(path+".tolerance", "must be in [0,1)"))
	}
	if len(r.Policies) == 0 && r.Select != SelectDisabled {
		errs = append(errs, fieldErr(path+".policies", "must hold at least one policy unless selectPolicy is Disabled"))
	}
	for i, p := range r.Policies {
		at := fmt.Sprintf("%s.policies[%d]", path, i)
		if p.Kind != PodsPolicy && p.Kind != PercentPolicy {
			errs = append(errs, fieldErr(at+".type", "must be Pods or Percent"))
		}
		if p.Value <= 0 {
			errs = append(errs, fieldErr(at+".value", "must be positive"))
		}
		if p.Period <= 0 || p.Period > 30*time.Minute {
			errs = append(errs, fieldErr(at+".periodSeconds", "must be in (0s,30m]"))
		}
	}
	return errs
}
