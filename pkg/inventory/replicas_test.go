package inventory

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestHPAReplicas(t *testing.T) {
	hpa := func(name string, desired, current int32) *autoscalingv2.HorizontalPodAutoscaler {
		return &autoscalingv2.HorizontalPodAutoscaler{
			ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name},
			Status:     autoscalingv2.HorizontalPodAutoscalerStatus{DesiredReplicas: desired, CurrentReplicas: current},
		}
	}
	r := NewHPAReplicas(fake.NewClientset(hpa("keda-hpa-api", 12, 10), hpa("keda-hpa-new", 0, 3)))
	tests := []struct {
		name, namespace, hpa string
		want                 int
		notFound             bool
	}{
		{"the desired replicas of the last sync", "shop", "keda-hpa-api", 12, false},
		{"the running replicas before the first sync", "shop", "keda-hpa-new", 3, false},
		{"another namespace", "other", "keda-hpa-api", 0, true},
		{"no such autoscaler", "shop", "keda-hpa-gone", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := r.Replicas(context.Background(), tc.namespace, tc.hpa)
			if tc.notFound {
				require.Error(t, err)
				assert.True(t, apierrors.IsNotFound(err), "wrapped NotFound: %v", err)
				assert.Contains(t, err.Error(), tc.namespace+"/"+tc.hpa)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, n)
		})
	}
}
