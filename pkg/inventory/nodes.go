package inventory

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// readNodes lists every node.
func readNodes(ctx context.Context, kube kubernetes.Interface, o Options) ([]corev1.Node, error) {
	return listAll(ctx, "nodes", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]corev1.Node, string, error) {
		l, err := kube.CoreV1().Nodes().List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
}

// convertNodes reads each node's pool, zone and instance type from its
// labels, and its allocatable.
func convertNodes(items []corev1.Node, o Options) []Node {
	out := make([]Node, len(items))
	for i, n := range items {
		out[i] = Node{
			Name:          n.Name,
			Pool:          firstLabel(n.Labels, o.PoolLabels),
			Zone:          firstLabel(n.Labels, o.ZoneLabels),
			InstanceType:  firstLabel(n.Labels, o.InstanceTypeLabels),
			Allocatable:   resources(n.Status.Allocatable),
			Unschedulable: n.Spec.Unschedulable,
		}
	}
	return out
}

// firstLabel returns the value of the first of keys set in labels.
func firstLabel(labels map[string]string, keys []string) string {
	for _, k := range keys {
		if v := labels[k]; v != "" {
			return v
		}
	}
	return ""
}

// resources converts a resource list: CPU in cores, memory in bytes, pods.
func resources(l corev1.ResourceList) capacity.Resources {
	r := capacity.Resources{}
	if q, ok := l[corev1.ResourceCPU]; ok {
		r.CPU = float64(q.MilliValue()) / 1000
	}
	if q, ok := l[corev1.ResourceMemory]; ok {
		r.Memory = q.Value()
	}
	if q, ok := l[corev1.ResourcePods]; ok {
		r.Pods = int(q.Value())
	}
	return r
}
