package inventory

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// ScaledObjectResource is KEDA's ScaledObject resource.
var ScaledObjectResource = schema.GroupVersionResource{Group: "keda.sh", Version: "v1alpha1", Resource: "scaledobjects"}

// KEDA's defaults for a ScaledObject's replica counts.
const (
	kedaDefaultMinReplicas = 0
	kedaDefaultMaxReplicas = 100
)

// readScaledObjects lists the ScaledObjects of o.Namespace through dyn and
// sets the replica range of the Deployments and StatefulSets they scale:
// minReplicaCount (KEDA's default 0) to maxReplicaCount (default 100). A
// cluster without the CRD has none.
func readScaledObjects(ctx context.Context, dyn dynamic.Interface, o Options, ws []workloadRef) error {
	items, err := listAll(ctx, "scaledobjects", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]unstructured.Unstructured, string, error) {
		l, err := dyn.Resource(ScaledObjectResource).Namespace(o.Namespace).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.GetContinue(), nil
	})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, so := range items {
		id := so.GetNamespace() + "/" + so.GetName()
		target, _, err := unstructured.NestedString(so.Object, "spec", "scaleTargetRef", "name")
		if err != nil || target == "" {
			continue
		}
		kind, _, _ := unstructured.NestedString(so.Object, "spec", "scaleTargetRef", "kind")
		if kind == "" {
			kind = "Deployment"
		}
		lo, err := replicaCount(so, "minReplicaCount", kedaDefaultMinReplicas)
		if err != nil {
			return fmt.Errorf("scaledobject %s: %w", id, err)
		}
		hi, err := replicaCount(so, "maxReplicaCount", kedaDefaultMaxReplicas)
		if err != nil {
			return fmt.Errorf("scaledobject %s: %w", id, err)
		}
		setRange(ws, so.GetNamespace(), kind, target, &ReplicaRange{Min: lo, Max: hi, Source: "ScaledObject " + id})
	}
	return nil
}

// replicaCount reads spec.field as a whole number, def when unset.
func replicaCount(so unstructured.Unstructured, field string, def int) (int, error) {
	v, ok, err := unstructured.NestedFieldNoCopy(so.Object, "spec", field)
	if err != nil || !ok || v == nil {
		return def, nil
	}
	switch n := v.(type) {
	case int64:
		return int(n), nil
	case float64:
		if n == float64(int(n)) {
			return int(n), nil
		}
	}
	return 0, fmt.Errorf("spec.%s: %v is not a whole number", field, v)
}
