package inventory

import (
	"context"
	"errors"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	metricsv1beta1 "k8s.io/metrics/pkg/apis/metrics/v1beta1"
	metricsfake "k8s.io/metrics/pkg/client/clientset/versioned/fake"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// node returns a node with labels and allocatable cpu, memory and pods.
func node(name string, labels map[string]string, cpu, mem string, pods int64) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Status: corev1.NodeStatus{Allocatable: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(mem),
			corev1.ResourcePods: *resource.NewQuantity(pods, resource.DecimalSI),
		}},
	}
}

// requests returns a resource list of cpu and memory.
func requests(cpu, mem string) corev1.ResourceList {
	return corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(mem)}
}

// deploy returns a Deployment whose pods, labelled app=name, run one
// container per requests list.
func deploy(ns, name string, replicas *int32, labels map[string]string, reqs ...corev1.ResourceList) *appsv1.Deployment {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}}},
		},
		Status: appsv1.DeploymentStatus{ReadyReplicas: 2},
	}
	for _, r := range reqs {
		d.Spec.Template.Spec.Containers = append(d.Spec.Template.Spec.Containers, corev1.Container{Resources: corev1.ResourceRequirements{Requests: r}})
	}
	return d
}

// pod returns a pod labelled app=app.
func pod(ns, name, app string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{"app": app}}}
}

// podMetrics returns the metrics of a pod with one container per usage.
func podMetrics(ns, name string, usage ...corev1.ResourceList) *metricsv1beta1.PodMetrics {
	m := &metricsv1beta1.PodMetrics{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	for _, u := range usage {
		m.Containers = append(m.Containers, metricsv1beta1.ContainerMetrics{Name: "c", Usage: u})
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// cluster is a small shop: nodes from Karpenter, GKE and an unlabelled
// one; three Deployments in two namespaces; pods with metrics.
func cluster(t *testing.T) (*fake.Clientset, *metricsfake.Clientset) {
	t.Helper()
	bl := DefaultBusinessLineLabel
	web := deploy("shop", "web", ptr[int32](3), map[string]string{bl: "storefront"}, requests("500m", "768Mi"), requests("100m", "64Mi"))
	web.Spec.Strategy = appsv1.DeploymentStrategy{RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: ptr(intstr.FromInt32(2))}}
	api := deploy("shop", "api", nil, nil, requests("1", "2Gi"))
	api.Spec.Template.Labels[bl] = "checkout"
	api.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	other := deploy("batch", "web", ptr[int32](0), nil, requests("2", "1Gi"))
	kube := fake.NewClientset(
		node("n1", map[string]string{"karpenter.sh/nodepool": "storefront", "cloud.google.com/gke-nodepool": "ignored",
			"topology.kubernetes.io/zone": "us-east-1a", "node.kubernetes.io/instance-type": "m6i.xlarge"}, "3920m", "14Gi", 58),
		node("n2", map[string]string{"cloud.google.com/gke-nodepool": "checkout",
			"failure-domain.beta.kubernetes.io/zone": "us-east-1b", "beta.kubernetes.io/instance-type": "c6i.large"}, "1930m", "3Gi", 29),
		node("n3", nil, "2", "4Gi", 110),
		web, api, other,
		pod("shop", "web-1", "web"), pod("shop", "web-2", "web"), pod("shop", "api-1", "api"), pod("batch", "web-9", "web"),
	)
	metrics := metricsfake.NewSimpleClientset()
	gvr := schema.GroupVersionResource{Group: "metrics.k8s.io", Version: "v1beta1", Resource: "pods"}
	for _, m := range []*metricsv1beta1.PodMetrics{
		podMetrics("shop", "web-1", requests("200m", "300Mi"), requests("10m", "20Mi")),
		podMetrics("shop", "web-2", requests("300m", "400Mi")),
		podMetrics("shop", "api-1", requests("1500m", "1Gi")),
		podMetrics("batch", "web-9", requests("4", "1Gi")),
	} {
		if err := metrics.Tracker().Create(gvr, m, m.Namespace); err != nil {
			t.Fatal(err)
		}
	}
	return kube, metrics
}

func TestRead(t *testing.T) {
	kube, metrics := cluster(t)
	inv, err := Read(context.Background(), kube, metrics, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantNodes := map[string]Node{
		"n1": {Name: "n1", Pool: "storefront", Zone: "us-east-1a", InstanceType: "m6i.xlarge", Allocatable: capacity.Resources{CPU: 3.92, Memory: 14 << 30, Pods: 58}},
		"n2": {Name: "n2", Pool: "checkout", Zone: "us-east-1b", InstanceType: "c6i.large", Allocatable: capacity.Resources{CPU: 1.93, Memory: 3 << 30, Pods: 29}},
		"n3": {Name: "n3", Allocatable: capacity.Resources{CPU: 2, Memory: 4 << 30, Pods: 110}},
	}
	if len(inv.Nodes) != len(wantNodes) {
		t.Fatalf("%d nodes, want %d", len(inv.Nodes), len(wantNodes))
	}
	for _, n := range inv.Nodes {
		if n != wantNodes[n.Name] {
			t.Errorf("node %+v, want %+v", n, wantNodes[n.Name])
		}
	}
	got := map[string]Deployment{}
	for _, d := range inv.Deployments {
		got[d.Namespace+"/"+d.Name] = d
	}
	tests := []struct {
		id           string
		bl           string
		replicas     int
		cpu          float64
		mem          int64
		surge        capacity.IntOrPercent
		usage        Usage
		usageMessage string
	}{
		{"shop/web", "storefront", 3, 0.6, 832 << 20, capacity.IntOrPercent{Value: 2}, Usage{Pods: 2, CPU: 0.51, Memory: 720 << 20}, "two pods, three containers"},
		{"shop/api", "checkout", 1, 1, 2 << 30, capacity.IntOrPercent{}, Usage{Pods: 1, CPU: 1.5, Memory: 1 << 30}, "business line from the pod template"},
		{"batch/web", "", 0, 2, 1 << 30, capacity.IntOrPercent{Value: 25, Percent: true}, Usage{Pods: 1, CPU: 4, Memory: 1 << 30}, "same name, other namespace"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			d, ok := got[tc.id]
			if !ok {
				t.Fatalf("deployment missing from %+v", inv.Deployments)
			}
			if d.BusinessLine != tc.bl || d.Replicas != tc.replicas || d.Requests != (capacity.Resources{CPU: tc.cpu, Memory: tc.mem, Pods: 1}) || d.MaxSurge != tc.surge {
				t.Errorf("got %+v, want business line %q, %d replicas, %g cores, %d bytes, surge %+v", d, tc.bl, tc.replicas, tc.cpu, tc.mem, tc.surge)
			}
			if d.Usage == nil || d.Usage.Pods != tc.usage.Pods || !close(d.Usage.CPU, tc.usage.CPU) || d.Usage.Memory != tc.usage.Memory {
				t.Errorf("usage %+v, want %+v (%s)", d.Usage, tc.usage, tc.usageMessage)
			}
		})
	}
	if len(inv.Warnings) != 0 {
		t.Errorf("warnings %v", inv.Warnings)
	}
}

// close compares floats summed from millicores.
func close(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestReadOptions(t *testing.T) {
	kube, _ := cluster(t)
	inv, err := Read(context.Background(), kube, nil, Options{
		Namespace: "batch", PoolLabels: []string{"cloud.google.com/gke-nodepool"}, BusinessLineLabel: "team",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Deployments) != 1 || inv.Deployments[0].Namespace != "batch" || inv.Deployments[0].Usage != nil {
		t.Errorf("deployments %+v, want batch/web alone, without usage", inv.Deployments)
	}
	if inv.Nodes[0].Pool != "ignored" {
		t.Errorf("node n1 pool %q, want the GKE label's value with PoolLabels set", inv.Nodes[0].Pool)
	}
}

// TestReadMetricsFailure keeps the inventory and warns when the metrics
// API fails.
func TestReadMetricsFailure(t *testing.T) {
	kube, metrics := cluster(t)
	metrics.PrependReactor("list", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("the server could not find the requested resource")
	})
	inv, err := Read(context.Background(), kube, metrics, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0], "usage not read: listing pod metrics: the server could not find") {
		t.Errorf("warnings %q", inv.Warnings)
	}
	for _, d := range inv.Deployments {
		if d.Usage != nil {
			t.Errorf("%s has usage %+v without metrics", d.Name, d.Usage)
		}
	}
}

func TestReadErrors(t *testing.T) {
	for _, resource := range []string{"nodes", "deployments", "pods"} {
		t.Run(resource, func(t *testing.T) {
			kube, metrics := cluster(t)
			kube.PrependReactor("list", resource, func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, errors.New("forbidden")
			})
			_, err := Read(context.Background(), kube, metrics, Options{})
			if err == nil || err.Error() != "listing "+resource+": forbidden" {
				t.Errorf("err = %v, want listing %s: forbidden", err, resource)
			}
		})
	}
}

// TestReadPages follows continue tokens, two nodes a page.
func TestReadPages(t *testing.T) {
	kube := fake.NewClientset()
	var limits []int64
	kube.PrependReactor("list", "nodes", func(a k8stesting.Action) (bool, runtime.Object, error) {
		opts := a.(k8stesting.ListActionImpl).ListOptions
		limits = append(limits, opts.Limit)
		page := &corev1.NodeList{}
		switch opts.Continue {
		case "":
			page.Items = []corev1.Node{*node("a", nil, "1", "1Gi", 10), *node("b", nil, "1", "1Gi", 10)}
			page.Continue = "p2"
		case "p2":
			page.Items = []corev1.Node{*node("c", nil, "1", "1Gi", 10)}
		}
		return true, page, nil
	})
	inv, err := Read(context.Background(), kube, nil, Options{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Nodes) != 3 || inv.Nodes[2].Name != "c" || len(limits) != 2 || limits[0] != 2 {
		t.Errorf("nodes %+v after list calls with limits %v", inv.Nodes, limits)
	}
}
