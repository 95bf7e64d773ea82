package inventory

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	k8stesting "k8s.io/client-go/testing"
)

// scaledObject returns a ScaledObject of spec.
func scaledObject(ns, name string, spec map[string]any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
		"metadata": map[string]any{"namespace": ns, "name": name},
		"spec":     spec,
	}}
}

// kedaClient is a dynamic client serving objs as ScaledObjects.
func kedaClient(objs ...runtime.Object) *dynamicfake.FakeDynamicClient {
	return dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{ScaledObjectResource: "ScaledObjectList"}, objs...)
}

func TestReadScaledObjects(t *testing.T) {
	web := scaledObject("shop", "web", map[string]any{"scaleTargetRef": map[string]any{"name": "web"}, "minReplicaCount": int64(1), "maxReplicaCount": int64(20)})
	cache := scaledObject("shop", "cache", map[string]any{"scaleTargetRef": map[string]any{"name": "cache", "kind": "StatefulSet"}})
	stray := scaledObject("shop", "stray", map[string]any{"scaleTargetRef": map[string]any{"name": "gone"}, "maxReplicaCount": int64(3)})
	hpaRange := func(lo, hi int, name string) *ReplicaRange {
		return &ReplicaRange{Min: lo, Max: hi, Source: "HorizontalPodAutoscaler shop/" + name}
	}
	tests := []struct {
		name     string
		dyn      func() *dynamicfake.FakeDynamicClient
		web      *ReplicaRange
		cache    *ReplicaRange
		warnings []string
	}{
		{"ScaledObjects win over HPAs, KEDA's defaults", func() *dynamicfake.FakeDynamicClient { return kedaClient(web, cache, stray) },
			&ReplicaRange{Min: 1, Max: 20, Source: "ScaledObject shop/web"}, &ReplicaRange{Min: 0, Max: 100, Source: "ScaledObject shop/cache"}, nil},
		{"no KEDA CRD", func() *dynamicfake.FakeDynamicClient {
			c := kedaClient()
			c.PrependReactor("list", "scaledobjects", func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, apierrors.NewNotFound(ScaledObjectResource.GroupResource(), "")
			})
			return c
		}, hpaRange(2, 12, "web"), hpaRange(1, 4, "cache"), nil},
		{"forbidden", func() *dynamicfake.FakeDynamicClient {
			c := kedaClient(web)
			c.PrependReactor("list", "scaledobjects", func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, errors.New("forbidden")
			})
			return c
		}, hpaRange(2, 12, "web"), hpaRange(1, 4, "cache"), []string{"ScaledObjects not read: listing scaledobjects: forbidden"}},
		{"not a whole number", func() *dynamicfake.FakeDynamicClient {
			return kedaClient(scaledObject("shop", "web", map[string]any{"scaleTargetRef": map[string]any{"name": "web"}, "maxReplicaCount": "many"}))
		}, hpaRange(2, 12, "web"), hpaRange(1, 4, "cache"), []string{"ScaledObjects not read: scaledobject shop/web: spec.maxReplicaCount: many is not a whole number"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := Read(context.Background(), wholeCluster(), nil, Options{Dynamic: tc.dyn()})
			require.NoError(t, err)
			require.Len(t, inv.Deployments, 1)
			assert.Equal(t, tc.web, inv.Deployments[0].Autoscaling)
			for _, s := range inv.StatefulSets {
				if s.Name == "cache" {
					assert.Equal(t, tc.cache, s.Autoscaling)
				}
			}
			var warnings []string
			for _, w := range inv.Warnings {
				if w != "several PodDisruptionBudgets select StatefulSet shop/db: db and db-old" {
					warnings = append(warnings, w)
				}
			}
			assert.Equal(t, tc.warnings, warnings)
		})
	}
}
