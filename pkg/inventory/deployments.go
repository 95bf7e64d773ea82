package inventory

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// listDeployments lists the Deployments of o.Namespace (all when empty).
func listDeployments(ctx context.Context, kube kubernetes.Interface, o Options) ([]appsv1.Deployment, error) {
	return listAll(ctx, "deployments", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]appsv1.Deployment, string, error) {
		l, err := kube.AppsV1().Deployments(o.Namespace).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
}

// deployment converts one Deployment.
func deployment(d appsv1.Deployment, blLabel string) Deployment {
	replicas, bl, req := podSet(d.ObjectMeta, d.Spec.Replicas, d.Spec.Template, blLabel)
	return Deployment{
		Namespace: d.Namespace, Name: d.Name, BusinessLine: bl,
		Replicas: replicas, ReadyReplicas: int(d.Status.ReadyReplicas),
		Requests: req, MaxSurge: maxSurge(d.Spec.Strategy),
	}
}

// podSet reads what a Deployment and a StatefulSet share: the replicas
// asked for (1 when unset, as the API server defaults them), the business
// line (the object's label, else its pod template's) and one pod's
// requests.
func podSet(meta metav1.ObjectMeta, replicas *int32, tmpl corev1.PodTemplateSpec, blLabel string) (int, string, capacity.Resources) {
	n := 1
	if replicas != nil {
		n = int(*replicas)
	}
	bl := meta.Labels[blLabel]
	if bl == "" {
		bl = tmpl.Labels[blLabel]
	}
	req := PodRequests(tmpl.Spec)
	return n, bl, capacity.Resources{CPU: float64(req.Cpu().MilliValue()) / 1000, Memory: req.Memory().Value(), Pods: 1}
}

// maxSurge returns the rolling update's maxSurge, Kubernetes' default 25%
// when unset, and 0 for the Recreate strategy.
func maxSurge(s appsv1.DeploymentStrategy) capacity.IntOrPercent {
	if s.Type == appsv1.RecreateDeploymentStrategyType {
		return capacity.IntOrPercent{}
	}
	if s.RollingUpdate == nil || s.RollingUpdate.MaxSurge == nil {
		return capacity.IntOrPercent{Value: 25, Percent: true}
	}
	v := *s.RollingUpdate.MaxSurge
	if v.Type == intstr.Int {
		return capacity.IntOrPercent{Value: v.IntValue()}
	}
	p, err := intstr.GetScaledValueFromIntOrPercent(&v, 100, true)
	if err != nil {
		return capacity.IntOrPercent{Value: 25, Percent: true}
	}
	return capacity.IntOrPercent{Value: p, Percent: true}
}

// PodRequests returns the CPU and memory a pod of spec requests as the
// scheduler counts them: the containers' requests plus the restartable
// (sidecar) init containers', or the largest regular init container's plus
// the sidecars started before it if that is more, plus the pod overhead. A
// container with a limit but no request requests its limit.
func PodRequests(spec corev1.PodSpec) corev1.ResourceList {
	reqs := corev1.ResourceList{}
	for _, c := range spec.Containers {
		addTo(reqs, containerRequests(c))
	}
	sidecars, initMax := corev1.ResourceList{}, corev1.ResourceList{}
	for _, c := range spec.InitContainers {
		r := containerRequests(c)
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			addTo(reqs, r)
			addTo(sidecars, r)
			r = sidecars.DeepCopy()
		} else {
			addTo(r, sidecars)
		}
		maxTo(initMax, r)
	}
	maxTo(reqs, initMax)
	addTo(reqs, spec.Overhead)
	return reqs
}

// containerRequests returns a container's CPU and memory requests, each
// defaulting to its limit.
func containerRequests(c corev1.Container) corev1.ResourceList {
	out := corev1.ResourceList{}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if q, ok := c.Resources.Requests[name]; ok {
			out[name] = q.DeepCopy()
		} else if q, ok := c.Resources.Limits[name]; ok {
			out[name] = q.DeepCopy()
		}
	}
	return out
}

// addTo adds b's CPU and memory to a.
func addTo(a, b corev1.ResourceList) {
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if q, ok := b[name]; ok {
			sum := a[name]
			sum.Add(q)
			a[name] = sum
		}
	}
}

// maxTo raises a's CPU and memory to b's where b's are larger.
func maxTo(a, b corev1.ResourceList) {
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		q, ok := b[name]
		if !ok {
			continue
		}
		if cur, ok := a[name]; !ok || q.Cmp(cur) > 0 {
			a[name] = q.DeepCopy()
		}
	}
}
