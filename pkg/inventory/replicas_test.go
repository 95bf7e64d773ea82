package inventory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func TestHPAReplicas(t *testing.T) {
	hpa := func(name string, desired, current int32) *autoscalingv2.HorizontalPodAutoscaler {
		return &autoscalingv2.HorizontalPodAutoscaler{
			ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name},
			Status:     autoscalingv2.HorizontalPodAutoscalerStatus{DesiredReplicas: desired, CurrentReplicas: current},
		}
	}
	kube := fake.NewClientset(hpa("keda-hpa-api", 12, 10), hpa("keda-hpa-new", 0, 3))
	r, err := WatchHPAReplicas(context.Background(), kube, 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(r.Stop)
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

// TestWatchHPAReplicasFollowsTheHPA checks that a watching HPAReplicas
// sees an autoscaler created, then scaled, after it started.
func TestWatchHPAReplicasFollowsTheHPA(t *testing.T) {
	kube := fake.NewClientset()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := WatchHPAReplicas(ctx, kube, 10*time.Second)
	require.NoError(t, err)
	defer r.Stop()
	_, err = r.Replicas(ctx, "shop", "keda-hpa-api")
	require.Error(t, err, "no autoscaler yet")
	hpas := kube.AutoscalingV2().HorizontalPodAutoscalers("shop")
	h := &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "keda-hpa-api"},
		Status: autoscalingv2.HorizontalPodAutoscalerStatus{DesiredReplicas: 4}}
	h, err = hpas.Create(ctx, h, metav1.CreateOptions{})
	require.NoError(t, err)
	seen := func(want int) func() bool {
		return func() bool { n, err := r.Replicas(ctx, "shop", "keda-hpa-api"); return err == nil && n == want }
	}
	require.Eventually(t, seen(4), 10*time.Second, 10*time.Millisecond)
	h.Status.DesiredReplicas = 9
	_, err = hpas.UpdateStatus(ctx, h, metav1.UpdateOptions{})
	require.NoError(t, err)
	require.Eventually(t, seen(9), 10*time.Second, 10*time.Millisecond)
}

// TestWatchHPAReplicasForbidden checks that a watch the API server refuses
// fails within its wait, naming what to grant.
func TestWatchHPAReplicasForbidden(t *testing.T) {
	kube := fake.NewClientset()
	kube.PrependReactor("list", "horizontalpodautoscalers", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "autoscaling", Resource: "horizontalpodautoscalers"}, "", errors.New("rbac"))
	})
	_, err := WatchHPAReplicas(context.Background(), kube, 200*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "list and watch horizontalpodautoscalers")
}
