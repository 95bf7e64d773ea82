package inventory

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// HPAReplicas reads the replica count a HorizontalPodAutoscaler works
// from, for a scaler that works around its tolerance: the desired replicas
// of its last sync, which it set on the scale target's spec and compares
// the next proposal with (the replicas currently running before its first
// sync).
type HPAReplicas struct {
	kube kubernetes.Interface
}

// NewHPAReplicas returns an HPAReplicas reading through kube.
func NewHPAReplicas(kube kubernetes.Interface) *HPAReplicas { return &HPAReplicas{kube: kube} }

// Replicas returns the replicas of the HorizontalPodAutoscaler name in
// namespace (autoscaling/v2).
func (r *HPAReplicas) Replicas(ctx context.Context, namespace, name string) (int, error) {
	hpa, err := r.kube.AutoscalingV2().HorizontalPodAutoscalers(namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return 0, fmt.Errorf("horizontalpodautoscaler %s/%s: %w", namespace, name, err)
	}
	if n := hpa.Status.DesiredReplicas; n > 0 {
		return int(n), nil
	}
	return int(hpa.Status.CurrentReplicas), nil
}
