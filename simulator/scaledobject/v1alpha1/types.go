// Package v1alpha1 mirrors the ScaledObject API of KEDA v2.21
// (github.com/kedacore/keda/v2/apis/keda/v1alpha1): the Go types a
// ScaledObject manifest decodes into, its constants, the helpers
// simulator/scaledobject reads it with and KEDA's three exported
// validations (CheckReplicaCountBoundsAreValid, ValidateTriggers,
// CheckFallbackValid), with the same rules and messages.
//
// KEDA's package also holds the ScaledJob and TriggerAuthentication APIs
// and its admission webhooks, which link controller-runtime, client-go's
// informers and an expression engine into any binary importing it; this
// mirror needs only k8s.io/apimachinery's object metadata and k8s.io/api's
// autoscaling/v2 types. The types keep KEDA's Go names, JSON field names,
// omitempty flags and field types, so that a manifest decodes, and fails
// to decode, exactly as it does into KEDA's type; e2e/kedacompat/apimirror
// checks both against KEDA's own package.
package v1alpha1

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ScaledObject is a specification for a ScaledObject resource.
type ScaledObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec ScaledObjectSpec `json:"spec"`
	// +optional
	Status ScaledObjectStatus `json:"status,omitempty"`
}

// Annotations KEDA reads on a ScaledObject.
const (
	ScaledObjectOwnerAnnotation                = "scaledobject.keda.sh/name"
	ScaledObjectTransferHpaOwnershipAnnotation = "scaledobject.keda.sh/transfer-hpa-ownership"
	ScaledObjectExcludedLabelsAnnotation       = "scaledobject.keda.sh/hpa-excluded-labels"
	ValidationsHpaOwnershipAnnotation          = "validations.keda.sh/hpa-ownership"
	PausedReplicasAnnotation                   = "autoscaling.keda.sh/paused-replicas"
	PausedAnnotation                           = "autoscaling.keda.sh/paused"
	PausedScaleInAnnotation                    = "autoscaling.keda.sh/paused-scale-in"
	PausedScaleOutAnnotation                   = "autoscaling.keda.sh/paused-scale-out"
	ForceActivationAnnotation                  = "autoscaling.keda.sh/force-activation"
)

// The values of spec.fallback.behavior.
const (
	FallbackBehaviorStatic                  = "static"
	FallbackBehaviorCurrentReplicas         = "currentReplicas"
	FallbackBehaviorCurrentReplicasIfHigher = "currentReplicasIfHigher"
	FallbackBehaviorCurrentReplicasIfLower  = "currentReplicasIfLower"
	FallbackBehaviorScalingModifiers        = "scalingModifiers"
)

// HealthStatus is the status for a ScaledObject's health.
type HealthStatus struct {
	// +optional
	NumberOfFailures *int32 `json:"numberOfFailures,omitempty"`
	// +optional
	Status HealthStatusType `json:"status,omitempty"`
}

// TriggerActivityStatus represents the activity status of an external
// trigger.
type TriggerActivityStatus struct {
	// +optional
	IsActive bool `json:"isActive"`
}

// HealthStatusType is an indication of whether the health status is happy
// or failing.
type HealthStatusType string

const (
	// HealthStatusHappy means the status of the health object is happy.
	HealthStatusHappy HealthStatusType = "Happy"
	// HealthStatusFailing means the status of the health object is failing.
	HealthStatusFailing HealthStatusType = "Failing"

	// CompositeMetricName is used for scalingModifiers composite metric.
	CompositeMetricName string = "composite-metric"

	defaultHPAMinReplicas int32 = 1
	defaultHPAMaxReplicas int32 = 100
)

// ScaledObjectSpec is the spec for a ScaledObject resource. KEDA's CRD
// also requires minReplicaCount <= maxReplicaCount (default 100).
type ScaledObjectSpec struct {
	ScaleTargetRef *ScaleTarget `json:"scaleTargetRef"`
	// +optional; CRD minimum 1
	PollingInterval *int32 `json:"pollingInterval,omitempty"`
	// +optional; CRD minimum 0
	InitialCooldownPeriod *int32 `json:"initialCooldownPeriod,omitempty"`
	// +optional; CRD minimum 0
	CooldownPeriod *int32 `json:"cooldownPeriod,omitempty"`
	// +optional; CRD minimum 0
	IdleReplicaCount *int32 `json:"idleReplicaCount,omitempty"`
	// +optional; CRD minimum 0
	MinReplicaCount *int32 `json:"minReplicaCount,omitempty"`
	// +optional; CRD minimum 1
	MaxReplicaCount *int32 `json:"maxReplicaCount,omitempty"`
	// +optional
	Advanced *AdvancedConfig `json:"advanced,omitempty"`

	// CRD: at least one item.
	Triggers []ScaleTriggers `json:"triggers"`
	// +optional
	Fallback *Fallback `json:"fallback,omitempty"`
}

// Fallback is the spec for fallback options.
type Fallback struct {
	// CRD minimum 0
	FailureThreshold int32 `json:"failureThreshold"`
	// CRD minimum 0
	Replicas int32 `json:"replicas"`
	// +optional; CRD default static, one of static, currentReplicas,
	// currentReplicasIfHigher, currentReplicasIfLower, scalingModifiers
	Behavior string `json:"behavior,omitempty"`
}

// AdvancedConfig specifies advance scaling options.
type AdvancedConfig struct {
	// +optional
	HorizontalPodAutoscalerConfig *HorizontalPodAutoscalerConfig `json:"horizontalPodAutoscalerConfig,omitempty"`
	// +optional
	RestoreToOriginalReplicaCount bool `json:"restoreToOriginalReplicaCount,omitempty"`
	// +optional
	ScalingModifiers ScalingModifiers `json:"scalingModifiers,omitempty"`
}

// ScalingModifiers describes advanced scaling logic options like formula.
type ScalingModifiers struct {
	Formula string `json:"formula,omitempty"`
	Target  string `json:"target,omitempty"`
	// +optional
	ActivationTarget string `json:"activationTarget,omitempty"`
	// +optional; CRD: AverageValue or Value
	MetricType autoscalingv2.MetricTargetType `json:"metricType,omitempty"`
}

// HorizontalPodAutoscalerConfig specifies horizontal scale config.
type HorizontalPodAutoscalerConfig struct {
	// +optional
	Behavior *autoscalingv2.HorizontalPodAutoscalerBehavior `json:"behavior,omitempty"`
	// +optional
	Name string `json:"name,omitempty"`
}

// ScaleTarget holds the reference to the scale target Object.
type ScaleTarget struct {
	// CRD minimum length 1
	Name string `json:"name"`
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// +optional
	Kind string `json:"kind,omitempty"`
	// +optional
	EnvSourceContainerName string `json:"envSourceContainerName,omitempty"`
}

// ScaledObjectStatus is the status for a ScaledObject resource.
type ScaledObjectStatus struct {
	// +optional
	ScaleTargetKind string `json:"scaleTargetKind,omitempty"`
	// +optional
	ScaleTargetGVKR *GroupVersionKindResource `json:"scaleTargetGVKR,omitempty"`
	// +optional
	OriginalReplicaCount *int32 `json:"originalReplicaCount,omitempty"`
	// +optional
	LastActiveTime *metav1.Time `json:"lastActiveTime,omitempty"`
	// +optional
	ExternalMetricNames []string `json:"externalMetricNames,omitempty"`
	// +optional
	ResourceMetricNames []string `json:"resourceMetricNames,omitempty"`
	// +optional
	CompositeScalerName string `json:"compositeScalerName,omitempty"`
	// +optional
	Conditions Conditions `json:"conditions,omitempty"`
	// +optional
	Health map[string]HealthStatus `json:"health,omitempty"`
	// +optional
	TriggersActivity map[string]TriggerActivityStatus `json:"triggersActivity,omitempty"`
	// +optional
	PausedReplicaCount *int32 `json:"pausedReplicaCount,omitempty"`
	// +optional
	HpaName string `json:"hpaName,omitempty"`
	// +optional
	TriggersTypes *string `json:"triggersTypes,omitempty"`
	// +optional
	AuthenticationsTypes *string `json:"authenticationsTypes,omitempty"`
}

// GroupVersionKindResource provides unified structure for
// schema.GroupVersionKind and Resource.
type GroupVersionKindResource struct {
	Group    string `json:"group"`
	Version  string `json:"version"`
	Kind     string `json:"kind"`
	Resource string `json:"resource"`
}

// ConditionType is the type of a status condition.
type ConditionType string

// Condition to store the condition state.
type Condition struct {
	// Type of condition
	Type ConditionType `json:"type" description:"type of status condition"`
	// Status of the condition, one of True, False, Unknown.
	Status metav1.ConditionStatus `json:"status" description:"status of the condition, one of True, False, Unknown"`
	// The reason for the condition's last transition.
	// +optional
	Reason string `json:"reason,omitempty" description:"one-word CamelCase reason for the condition's last transition"`
	// A human readable message indicating details about the transition.
	// +optional
	Message string `json:"message,omitempty" description:"human-readable message indicating details about last transition"`
}

// Conditions an array representation to store multiple Conditions.
type Conditions []Condition

// ScaleTriggers reference the scaler that will be used.
type ScaleTriggers struct {
	// CRD minimum length 1
	Type string `json:"type"`
	// +optional
	Name string `json:"name,omitempty"`

	UseCachedMetrics bool `json:"useCachedMetrics,omitempty"`

	Metadata map[string]string `json:"metadata"`
	// +optional
	AuthenticationRef *AuthenticationRef `json:"authenticationRef,omitempty"`
	// +optional
	MetricType autoscalingv2.MetricTargetType `json:"metricType,omitempty"`
}

// AuthenticationRef points to the TriggerAuthentication or
// ClusterTriggerAuthentication object that is used to authenticate the
// scaler with the environment.
type AuthenticationRef struct {
	Name string `json:"name"`
	// Kind of the resource being referred to. Defaults to
	// TriggerAuthentication.
	// +optional; CRD: TriggerAuthentication or ClusterTriggerAuthentication
	Kind string `json:"kind,omitempty"`
}
