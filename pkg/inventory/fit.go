package inventory

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// Fit says whether today's nodes hold today's pods: the requests of the
// pods bound to each node, DaemonSet pods included, against the node's
// allocatable.
type Fit struct {
	// Pods is the number of pods bound to a node of the inventory, not
	// finished (neither Succeeded nor Failed).
	Pods int `json:"pods"`
	// Pending is the number of unfinished pods bound to no node yet.
	Pending int `json:"pending"`
	// Misfits are the nodes whose pods request more CPU, memory or pod
	// slots than they offer, in the inventory's node order.
	Misfits []NodeFit `json:"misfits"`
}

// Fits reports whether every node holds its pods and no pod waits for a
// node.
func (f Fit) Fits() bool { return len(f.Misfits) == 0 && f.Pending == 0 }

// NodeFit is one node's pods against its allocatable.
type NodeFit struct {
	// Node and Pool name the node.
	Node string `json:"node"`
	Pool string `json:"pool"`
	// Requested is the sum of its pods' requests: CPU in cores, memory in
	// bytes, and Pods the number of pods.
	Requested capacity.Resources `json:"requested"`
	// Allocatable is what the node offers pods.
	Allocatable capacity.Resources `json:"allocatable"`
	// Over names the resources requested beyond allocatable: "cpu",
	// "memory", "pods".
	Over []string `json:"over"`
}

// listPods lists the pods of namespace ns (all when empty).
func listPods(ctx context.Context, kube kubernetes.Interface, ns string, pageSize int64) ([]corev1.Pod, error) {
	return listAll(ctx, "pods", pageSize, func(ctx context.Context, lo metav1.ListOptions) ([]corev1.Pod, string, error) {
		l, err := kube.CoreV1().Pods(ns).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
}

// checkFit sums the requests of the unfinished pods of every namespace per
// node and compares them with the nodes' allocatable.
func checkFit(nodes []Node, pods []corev1.Pod) *Fit {
	at := make(map[string]int, len(nodes))
	for i, n := range nodes {
		at[n.Name] = i
	}
	sums := make([]capacity.Resources, len(nodes))
	out := &Fit{Misfits: []NodeFit{}}
	for _, p := range pods {
		if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		if p.Spec.NodeName == "" {
			out.Pending++
			continue
		}
		i, ok := at[p.Spec.NodeName]
		if !ok {
			continue
		}
		out.Pods++
		req := PodRequests(p.Spec)
		sums[i].CPU += float64(req.Cpu().MilliValue()) / 1000
		sums[i].Memory += req.Memory().Value()
		sums[i].Pods++
	}
	for i, n := range nodes {
		var over []string
		// Compare millicores as integers: float sums drift.
		if milli(sums[i].CPU) > milli(n.Allocatable.CPU) {
			over = append(over, "cpu")
		}
		if sums[i].Memory > n.Allocatable.Memory {
			over = append(over, "memory")
		}
		if sums[i].Pods > n.Allocatable.Pods {
			over = append(over, "pods")
		}
		if over != nil {
			out.Misfits = append(out.Misfits, NodeFit{Node: n.Name, Pool: n.Pool, Requested: sums[i], Allocatable: n.Allocatable, Over: over})
		}
	}
	return out
}

// milli rounds cores to millicores.
func milli(cores float64) int64 {
	if cores < 0 {
		return int64(cores*1000 - 0.5)
	}
	return int64(cores*1000 + 0.5)
}
