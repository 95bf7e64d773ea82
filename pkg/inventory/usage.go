package inventory

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
	metricsv1beta1 "k8s.io/metrics/pkg/apis/metrics/v1beta1"
	metricsclientset "k8s.io/metrics/pkg/client/clientset/versioned"
)

// readUsage sets the Usage of each workload of ws: the metrics of the pods
// its selector matches, summed. pods are every namespace's pods, or nil
// when they could not be listed: then the pods of o.Namespace are listed
// here. A failing metrics API is returned as a warning, leaving Usage nil;
// a failing core API as an error.
func readUsage(ctx context.Context, kube kubernetes.Interface, metrics metricsclientset.Interface, o Options, ws []workloadRef, pods []corev1.Pod) (string, error) {
	usage, err := listAll(ctx, "pod metrics", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]metricsv1beta1.PodMetrics, string, error) {
		l, err := metrics.MetricsV1beta1().PodMetricses(o.Namespace).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
	if err != nil {
		return fmt.Sprintf("usage not read: %v", err), nil
	}
	if pods == nil {
		if pods, err = listPods(ctx, kube, o.Namespace, o.PageSize); err != nil {
			return "", err
		}
	}
	byPod := podUsage(usage)
	byNamespace := map[string][]corev1.Pod{}
	for _, p := range pods {
		if _, ok := byPod[p.Namespace+"/"+p.Name]; ok {
			byNamespace[p.Namespace] = append(byNamespace[p.Namespace], p)
		}
	}
	for _, w := range ws {
		*w.usage = sumUsage(w.selector, byNamespace[w.namespace], byPod)
	}
	return "", nil
}

// sumUsage sums the usage of the pods of a workload's namespace (pods)
// that its selector matches; an invalid or empty selector matches no pod.
func sumUsage(selector *metav1.LabelSelector, pods []corev1.Pod, byPod map[string]Usage) *Usage {
	out := &Usage{}
	sel, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil || sel.Empty() {
		return out
	}
	for _, p := range pods {
		if u := byPod[p.Namespace+"/"+p.Name]; sel.Matches(labels.Set(p.Labels)) {
			out.Pods++
			out.CPU += u.CPU
			out.Memory += u.Memory
		}
	}
	return out
}

// podUsage sums each pod's containers: CPU in cores, memory in bytes.
func podUsage(items []metricsv1beta1.PodMetrics) map[string]Usage {
	out := make(map[string]Usage, len(items))
	for _, m := range items {
		var u Usage
		for _, c := range m.Containers {
			u.CPU += float64(c.Usage.Cpu().MilliValue()) / 1000
			u.Memory += c.Usage.Memory().Value()
		}
		out[m.Namespace+"/"+m.Name] = u
	}
	return out
}
