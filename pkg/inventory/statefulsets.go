package inventory

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// StatefulSet is one StatefulSet and what its pods request and use.
type StatefulSet struct {
	// Namespace and Name identify the StatefulSet.
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// BusinessLine is the business line label's value, on the StatefulSet
	// or else on its pod template, or empty.
	BusinessLine string `json:"business_line"`
	// Replicas is the desired replica count (spec.replicas, 1 when
	// unset); ReadyReplicas those ready now.
	Replicas      int `json:"replicas"`
	ReadyReplicas int `json:"ready_replicas"`
	// Requests are one pod's effective requests: CPU in cores, memory in
	// bytes, and Pods 1.
	Requests capacity.Resources `json:"requests"`
	// Autoscaling is the replica range an autoscaler targeting the
	// StatefulSet keeps it in; nil when none does.
	Autoscaling *ReplicaRange `json:"autoscaling,omitempty"`
	// PDB is the PodDisruptionBudget selecting its pods; nil when none
	// does.
	PDB *PDB `json:"pdb,omitempty"`
	// Usage is what the pods use now; nil without the metrics API.
	Usage *Usage `json:"usage,omitempty"`
	// Planned is the replicas MergeWith planned the StatefulSet at and where
	// they came from; nil when it is not planned or not merged.
	Planned *PlannedReplicas `json:"planned,omitempty"`
}

// listStatefulSets lists the StatefulSets of o.Namespace (all when empty).
func listStatefulSets(ctx context.Context, kube kubernetes.Interface, o Options) ([]appsv1.StatefulSet, error) {
	return listAll(ctx, "statefulsets", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]appsv1.StatefulSet, string, error) {
		l, err := kube.AppsV1().StatefulSets(o.Namespace).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
}

// statefulSet converts one StatefulSet. Its rolling updates replace pods
// one at a time without surging, so it has no maxSurge.
func statefulSet(s appsv1.StatefulSet, blLabel string) StatefulSet {
	replicas, bl, req := podSet(s.ObjectMeta, s.Spec.Replicas, s.Spec.Template, blLabel)
	return StatefulSet{
		Namespace: s.Namespace, Name: s.Name, BusinessLine: bl,
		Replicas: replicas, ReadyReplicas: int(s.Status.ReadyReplicas), Requests: req,
	}
}
