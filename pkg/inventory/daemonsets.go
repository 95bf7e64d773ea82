package inventory

import (
	"context"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"k8s.io/klog/v2"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// DaemonSet is one DaemonSet: its pod's requests are overhead on every
// node it runs on.
type DaemonSet struct {
	// Namespace and Name identify the DaemonSet.
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Requests are one pod's effective requests: CPU in cores, memory in
	// bytes, and Pods 1.
	Requests capacity.Resources `json:"requests"`
	// Scheduled is the number of nodes running its pod now
	// (status.currentNumberScheduled).
	Scheduled int `json:"scheduled"`
	// EveryNode is set when it has no node selector and no required node
	// affinity, so that it runs on every node whose taints it tolerates,
	// nodes of pools without live nodes included.
	EveryNode bool `json:"every_node"`
	// Nodes are the nodes its node selector, required node affinity and
	// tolerations admit, in the inventory's order.
	Nodes []string `json:"nodes"`
	// Pools are the pools of those nodes, sorted; nodes without a pool
	// label are not counted.
	Pools []string `json:"pools"`
}

// daemonTaints are the taints the DaemonSet controller tolerates for every
// DaemonSet's pods: node conditions and cordoning.
var daemonTaints = []string{
	corev1.TaintNodeNotReady, corev1.TaintNodeUnreachable, corev1.TaintNodeDiskPressure, corev1.TaintNodeMemoryPressure,
	corev1.TaintNodePIDPressure, corev1.TaintNodeUnschedulable, corev1.TaintNodeNetworkUnavailable,
}

// listDaemonSets lists the DaemonSets of every namespace: their pods take
// room on nodes whatever namespace is planned.
func listDaemonSets(ctx context.Context, kube kubernetes.Interface, o Options) ([]appsv1.DaemonSet, error) {
	return listAll(ctx, "daemonsets", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]appsv1.DaemonSet, string, error) {
		l, err := kube.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
}

// daemonSet converts one DaemonSet and finds the nodes it runs on among
// nodes (raw, index for index with the converted ones).
func daemonSet(d appsv1.DaemonSet, raw []corev1.Node, nodes []Node) DaemonSet {
	req := PodRequests(d.Spec.Template.Spec)
	spec := d.Spec.Template.Spec
	required := spec.Affinity != nil && spec.Affinity.NodeAffinity != nil && spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil
	out := DaemonSet{
		Namespace: d.Namespace, Name: d.Name, Scheduled: int(d.Status.CurrentNumberScheduled),
		Requests:  capacity.Resources{CPU: float64(req.Cpu().MilliValue()) / 1000, Memory: req.Memory().Value(), Pods: 1},
		EveryNode: len(spec.NodeSelector) == 0 && !required,
		Nodes:     []string{}, Pools: []string{},
	}
	affinity := nodeaffinity.NewRequiredNodeAffinity(spec.NodeSelector, spec.Affinity)
	for i := range raw {
		if !runsOn(affinity, spec.Tolerations, &raw[i]) {
			continue
		}
		out.Nodes = append(out.Nodes, nodes[i].Name)
		if p := nodes[i].Pool; p != "" && !slices.Contains(out.Pools, p) {
			out.Pools = append(out.Pools, p)
		}
	}
	slices.Sort(out.Pools)
	return out
}

// runsOn reports whether a DaemonSet pod with affinity and tolerations may
// run on n: its selector and required affinity match, and it tolerates
// every NoSchedule and NoExecute taint but those of daemonTaints.
func runsOn(affinity nodeaffinity.RequiredNodeAffinity, tolerations []corev1.Toleration, n *corev1.Node) bool {
	if ok, err := affinity.Match(n); err != nil || !ok {
		return false
	}
	_, untolerated := corev1helpers.FindMatchingUntoleratedTaint(klog.Background(), n.Spec.Taints, tolerations, func(t *corev1.Taint) bool {
		return (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) && !slices.Contains(daemonTaints, t.Key)
	}, false)
	return !untolerated
}
