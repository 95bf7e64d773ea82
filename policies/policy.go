package policies

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Mode selects which value a scaler serves.
type Mode string

// The modes a policy can run in.
const (
	// ModePredictive serves max(live, forecast over the lead time, event
	// floors), then the clamps.
	ModePredictive Mode = "predictive"
	// ModeReactive serves the live demand, then the clamps: plain KEDA.
	ModeReactive Mode = "reactive"
	// ModeShadow computes the predictive value and reports it, but serves
	// the reactive one: for trying prescale next to an existing autoscaler.
	ModeShadow Mode = "shadow"
)

// Policy is the configuration of one workload's decision, parsed once.
// Demand is in the metric's unit (for example requests/s) throughout.
type Policy struct {
	// Mode selects the served value. The zero value is invalid.
	Mode Mode
	// TargetPerPod is the demand one ready pod serves. The HPA asks for
	// ceil(value / TargetPerPod) replicas. Must be positive.
	TargetPerPod float64
	// LeadTime is how long a pod needs from creation to serving (start-up
	// plus warm-up): the forecast is read over [now, now+LeadTime].
	LeadTime time.Duration
	// MinReplicas and MaxReplicas bound the served value to
	// [MinReplicas, MaxReplicas] x TargetPerPod. MaxReplicas 0 means none.
	MinReplicas, MaxReplicas int
	// Risk, in (0, 1), turns on risk-based targets: the predictive value is
	// the live demand times the Risk-quantile of its learned growth over the
	// lead time (Forecast.Growth), the newsvendor quantile: the probability
	// that the demand to come stays within what is served. With price c_u
	// of an unserved unit and c_o of a pod serving one unit for the lead
	// time, Risk = c_u/(c_u+c_o). While the live demand is known it
	// replaces the forecast peak, and the calendar floors by the floors
	// learned from the events' past occurrences (Growth.Floor). Zero keeps
	// the forecast peak and the calendar floors.
	Risk float64
	// MaxScaleUpPerMinute limits how fast the served value may rise above
	// the live demand, as a fraction of the previous served value per
	// minute (1 = may double each minute). 0 means no limit. The live demand
	// itself is never held back.
	MaxScaleUpPerMinute float64
	// MaxScaleDownPerMinute limits how fast the served value may fall, as a
	// fraction of the previous served value per minute (0.1 = at most 10%
	// less each minute). 0 means no limit.
	MaxScaleDownPerMinute float64
	// Headroom multiplies the predictive value made of demand (the live
	// demand, the risk target and the learned event floor, or the forecast
	// peak) before the calendar's floors, the hold and the clamps: 1.25
	// asks for a quarter more pods than TargetPerPod gives, as a target
	// utilisation 1/1.25 of the HPA's would, without changing the target
	// the HPA holds. The scaler's tuning sets it. 0 means 1; otherwise it
	// must be in [1, MaxHeadroom]. Reactive mode, and the reactive value
	// of shadow mode, ignore it.
	Headroom float64
	// Tolerance is the HPA's tolerance for scaling up (the controller's
	// --horizontal-pod-autoscaler-tolerance, 0.1 by default, or the
	// behavior's scale-up tolerance), which predictive mode works around:
	// the HPA leaves the replicas alone while the served value is within
	// 1+Tolerance of their target, so a value asking for a few more pods
	// than run would go unserved. With the running replicas known
	// (Inputs.Replicas), such a value is raised just past the tolerance, so
	// that the HPA scales up; unknown, the value is multiplied by
	// 1+Tolerance, as a target utilisation of 1/(1+Tolerance) would. A
	// policy with a Tolerance can therefore take the pods' full capacity as
	// TargetPerPod. The rate limits apply after it. A Headroom of at least
	// 1+Tolerance already leaves the tolerance's room, and turns the
	// workaround off. 0 means none; it must be in [0, MaxTolerance].
	// Reactive mode, and the reactive value of shadow mode, ignore it.
	Tolerance float64
}

// MaxTolerance bounds Policy.Tolerance.
const MaxTolerance = 0.5

// MaxHeadroom bounds Policy.Headroom: ten times the pods TargetPerPod
// gives.
const MaxHeadroom = 10

// headroom returns the factor the predictive value's demand terms are
// multiplied by: Headroom, or 1 when unset.
func (p Policy) headroom() float64 {
	if p.Headroom == 0 {
		return 1
	}
	return p.Headroom
}

// ErrInvalidPolicy is wrapped by every error Validate returns.
var ErrInvalidPolicy = errors.New("invalid policy")

// FieldError is a validation error naming the offending field.
type FieldError struct {
	Field  string
	Reason string
}

// Error returns "field: reason".
func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap lets errors.Is(err, ErrInvalidPolicy) hold.
func (e *FieldError) Unwrap() error { return ErrInvalidPolicy }

// Validate reports the first invalid field of p as a *FieldError.
func (p Policy) Validate() error {
	switch {
	case p.Mode != ModePredictive && p.Mode != ModeReactive && p.Mode != ModeShadow:
		return &FieldError{"mode", fmt.Sprintf("%q is not one of predictive, reactive, shadow", p.Mode)}
	case !(p.TargetPerPod > 0) || math.IsInf(p.TargetPerPod, 0):
		return &FieldError{"targetPerPod", "must be a positive number"}
	case p.LeadTime < 0:
		return &FieldError{"leadTime", "must not be negative"}
	case p.MinReplicas < 0:
		return &FieldError{"minReplicas", "must not be negative"}
	case p.MaxReplicas < 0:
		return &FieldError{"maxReplicas", "must not be negative"}
	case p.MaxReplicas > 0 && p.MaxReplicas < p.MinReplicas:
		return &FieldError{"maxReplicas", fmt.Sprintf("%d is below minReplicas %d", p.MaxReplicas, p.MinReplicas)}
	case !(p.Risk >= 0 && p.Risk < 1):
		return &FieldError{"risk", "must be in [0, 1)"}
	case !(p.MaxScaleUpPerMinute >= 0) || math.IsInf(p.MaxScaleUpPerMinute, 0):
		return &FieldError{"maxScaleUpPerMinute", "must be a non-negative number"}
	case !(p.MaxScaleDownPerMinute >= 0) || p.MaxScaleDownPerMinute > 1:
		return &FieldError{"maxScaleDownPerMinute", "must be in [0, 1]"}
	case !(p.Tolerance >= 0 && p.Tolerance <= MaxTolerance):
		return &FieldError{"tolerance", fmt.Sprintf("%v: must be in [0, %v]", p.Tolerance, MaxTolerance)}
	case p.Headroom != 0 && !(p.Headroom >= 1 && p.Headroom <= MaxHeadroom):
		return &FieldError{"headroom", fmt.Sprintf("%v: must be 0 (none) or in [1, %d]", p.Headroom, MaxHeadroom)}
	}
	return nil
}

// Replicas returns the replica count the HPA derives from a served value:
// ceil(value / TargetPerPod), the AverageValue arithmetic of an external
// metric.
func (p Policy) Replicas(value float64) int {
	if !(value > 0) {
		return 0
	}
	return int(math.Ceil(value/p.TargetPerPod - 1e-9))
}
