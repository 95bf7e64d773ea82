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
	// Tolerance is the relative distance of the usage ratio from 1 under
	// which the HPA does not scale, --horizontal-pod-autoscaler-tolerance
	// (default 0.1). It must be in [0, 1).
	Tolerance float64
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

// DefaultHPA returns the controller defaults and the default behavior the
// API server fills in: scale up by max(100 %, 4 pods) per 15 s with no
// stabilization; scale down by 100 % per 15 s after a 300 s stabilization
// window (Kubernetes docs, "Horizontal Pod Autoscaling", default behavior).
func DefaultHPA() HPA {
	return HPA{
		SyncPeriod: 15 * time.Second,
		Tolerance:  0.1,
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

func (h HPA) validate() []error {
	var errs []error
	if h.SyncPeriod <= 0 {
		errs = append(errs, fieldErr("hpa.syncPeriod", "must be positive"))
	}
	if !(h.Tolerance >= 0 && h.Tolerance < 1) {
		errs = append(errs, fieldErr("hpa.tolerance", "must be in [0,1)"))
	}
	errs = append(errs, h.ScaleUp.validate("hpa.scaleUp")...)
	return append(errs, h.ScaleDown.validate("hpa.scaleDown")...)
}

func (r Rules) validate(path string) []error {
	var errs []error
	if r.StabilizationWindow < 0 || r.StabilizationWindow > time.Hour {
		errs = append(errs, fieldErr(path+".stabilizationWindow", "must be in [0s,1h]"))
	}
	if r.Select < SelectMax || r.Select > SelectDisabled {
		errs = append(errs, fieldErr(path+".selectPolicy", "must be Max, Min or Disabled"))
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
