package inventory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// ReplicaRange is the range an autoscaler keeps a workload's replicas in.
type ReplicaRange struct {
	// Min and Max bound the replicas.
	Min int `json:"min"`
	Max int `json:"max"`
	// Source names the autoscaler: "HorizontalPodAutoscaler ns/name" or
	// "ScaledObject ns/name".
	Source string `json:"source"`
}

// workloadRef is a Deployment or StatefulSet as autoscalers and
// PodDisruptionBudgets find it, with where to record what they say.
type workloadRef struct {
	kind, namespace, name string
	selector              *metav1.LabelSelector
	podLabels             map[string]string
	autoscaling           **ReplicaRange
	pdb                   **PDB
	usage                 **Usage
}

// id returns "namespace/name".
func (r workloadRef) id() string { return r.namespace + "/" + r.name }

// refs returns the workloads of inv, Deployments then StatefulSets, index
// for index with the raw objects.
func refs(inv *Inventory, deps []appsv1.Deployment, sets []appsv1.StatefulSet) []workloadRef {
	out := make([]workloadRef, 0, len(deps)+len(sets))
	for i, d := range deps {
		out = append(out, workloadRef{kind: "Deployment", namespace: d.Namespace, name: d.Name, selector: d.Spec.Selector,
			podLabels: d.Spec.Template.Labels, autoscaling: &inv.Deployments[i].Autoscaling, pdb: &inv.Deployments[i].PDB, usage: &inv.Deployments[i].Usage})
	}
	for i, s := range sets {
		out = append(out, workloadRef{kind: "StatefulSet", namespace: s.Namespace, name: s.Name, selector: s.Spec.Selector,
			podLabels: s.Spec.Template.Labels, autoscaling: &inv.StatefulSets[i].Autoscaling, pdb: &inv.StatefulSets[i].PDB, usage: &inv.StatefulSets[i].Usage})
	}
	return out
}

// readHPAs lists the HorizontalPodAutoscalers (autoscaling/v2) of
// o.Namespace and sets the replica range of the Deployments and
// StatefulSets they target.
func readHPAs(ctx context.Context, kube kubernetes.Interface, o Options, ws []workloadRef) error {
	hpas, err := listAll(ctx, "horizontalpodautoscalers", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]autoscalingv2.HorizontalPodAutoscaler, string, error) {
		l, err := kube.AutoscalingV2().HorizontalPodAutoscalers(o.Namespace).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
	if err != nil {
		return err
	}
	for _, h := range hpas {
		minReplicas := 1
		if h.Spec.MinReplicas != nil {
			minReplicas = int(*h.Spec.MinReplicas)
		}
		r := &ReplicaRange{Min: minReplicas, Max: int(h.Spec.MaxReplicas), Source: fmt.Sprintf("HorizontalPodAutoscaler %s/%s", h.Namespace, h.Name)}
		setRange(ws, h.Namespace, h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name, r)
	}
	return nil
}

// setRange sets r on the workload of kind namespace/name. A ScaledObject
// wins over a HorizontalPodAutoscaler (KEDA runs one for it); among
// autoscalers of one kind the first by name wins, so the result does not
// depend on the API's order.
func setRange(ws []workloadRef, namespace, kind, name string, r *ReplicaRange) {
	i := slices.IndexFunc(ws, func(w workloadRef) bool { return w.namespace == namespace && w.kind == kind && w.name == name })
	if i < 0 {
		return
	}
	cur := *ws[i].autoscaling
	if cur == nil || rangeRank(r) > rangeRank(cur) || rangeRank(r) == rangeRank(cur) && r.Source < cur.Source {
		*ws[i].autoscaling = r
	}
}

// rangeRank orders replica ranges by source: ScaledObjects first.
func rangeRank(r *ReplicaRange) int {
	if strings.HasPrefix(r.Source, "ScaledObject ") {
		return 1
	}
	return 0
}

// readAutoscalers sets the replica ranges of ws from the
// HorizontalPodAutoscalers and, with o.Dynamic, KEDA's ScaledObjects. A
// cluster without KEDA's CRD has no ScaledObjects; any other failure to
// list them is returned as a warning.
func readAutoscalers(ctx context.Context, kube kubernetes.Interface, o Options, ws []workloadRef) (string, error) {
	var warning string
	if o.Dynamic != nil {
		if err := readScaledObjects(ctx, o.Dynamic, o, ws); err != nil {
			warning = fmt.Sprintf("ScaledObjects not read: %v", err)
		}
	}
	return warning, readHPAs(ctx, kube, o, ws)
}
