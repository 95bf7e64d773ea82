package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	metricsv1beta1 "k8s.io/metrics/pkg/apis/metrics/v1beta1"

	"github.com/prescale-dev/prescale/pkg/inventory"
)

// planAPIServer serves the lists prescale plan reads, as the API server
// and metrics-server would; without metrics the metrics API is missing.
func planAPIServer(t *testing.T, metrics bool) *httptest.Server {
	t.Helper()
	node := func(name, pool, zone, typ string) corev1.Node {
		return corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			"karpenter.sh/nodepool": pool, "topology.kubernetes.io/zone": zone, "node.kubernetes.io/instance-type": typ}},
			Status: corev1.NodeStatus{Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("7910m"),
				corev1.ResourceMemory: resource.MustParse("29Gi"), corev1.ResourcePods: resource.MustParse("58")}}}
	}
	deploy := func(ns, name, bl string, replicas int32, cpu, mem string) appsv1.Deployment {
		d := appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{}},
			Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
					Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Resources: corev1.ResourceRequirements{
						Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(mem)}}}}}}}}
		if bl != "" {
			d.Labels["prescale.dev/business-line"] = bl
		}
		return d
	}
	nodes := []corev1.Node{
		node("a1", "storefront", "us-east-1a", "m6i.2xlarge"), node("a2", "storefront", "us-east-1b", "m6i.2xlarge"),
		node("b1", "checkout", "us-east-1c", "m6i.xlarge"), node("s1", "system", "us-east-1a", "t3.large"),
	}
	deployments := []appsv1.Deployment{
		deploy("shop", "storefront-web", "storefront", 30, "400m", "512Mi"),
		deploy("shop", "newsletter", "storefront", 2, "250m", "256Mi"),
		deploy("kube-system", "coredns", "", 2, "100m", "70Mi"),
	}
	statefulSets := []appsv1.StatefulSet{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "orders-db", Labels: map[string]string{"prescale.dev/business-line": "storefront"}},
		Spec: appsv1.StatefulSetSpec{Replicas: ptrTo[int32](2), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "orders-db"}},
			Template: deployments[0].Spec.Template}}}
	statefulSets[0].Spec.Template.Labels = map[string]string{"app": "orders-db"}
	daemonSets := []appsv1.DaemonSet{{ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "node-exporter"},
		Spec: appsv1.DaemonSetSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "main",
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")}}}}}}}}}
	hpas := []autoscalingv2.HorizontalPodAutoscaler{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "storefront-web"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{Kind: "Deployment", Name: "storefront-web"},
			MinReplicas: ptrTo[int32](10), MaxReplicas: 40}}}
	half := intstr.FromString("50%")
	pdbs := []policyv1.PodDisruptionBudget{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "orders-db"},
		Spec: policyv1.PodDisruptionBudgetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "orders-db"}}, MinAvailable: &half}}}
	bound := func(name, node, cpu string) corev1.Pod {
		return corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name}, Spec: corev1.PodSpec{NodeName: node,
			Containers: []corev1.Container{{Name: "main", Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)}}}}}}
	}
	pods := []corev1.Pod{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-1", Labels: map[string]string{"app": "storefront-web"}}, Spec: corev1.PodSpec{NodeName: "a1"}},
		bound("orders-db-0", "b1", "6"), bound("orders-db-1", "b1", "2"), bound("exporter-b1", "b1", "100m")}
	usage := []metricsv1beta1.PodMetrics{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-1"},
		Containers: []metricsv1beta1.ContainerMetrics{{Name: "main", Usage: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse("150m"), corev1.ResourceMemory: resource.MustParse("300Mi")}}}}}
	// list answers a path, cluster-wide or in one namespace.
	list := func(path string) (any, bool) {
		ns := ""
		for _, prefix := range []string{"/api/v1", "/apis/apps/v1", "/apis/autoscaling/v2", "/apis/policy/v1", "/apis/keda.sh/v1alpha1", "/apis/metrics.k8s.io/v1beta1"} {
			if rest, ok := strings.CutPrefix(path, prefix+"/namespaces/"); ok {
				var kind string
				ns, kind, _ = strings.Cut(rest, "/")
				path = prefix + "/" + kind
			}
		}
		in := func(m metav1.ObjectMeta) bool { return ns == "" || m.Namespace == ns }
		switch path {
		case "/api/v1/nodes":
			return corev1.NodeList{TypeMeta: metav1.TypeMeta{Kind: "NodeList", APIVersion: "v1"}, Items: nodes}, true
		case "/apis/apps/v1/deployments":
			l := appsv1.DeploymentList{TypeMeta: metav1.TypeMeta{Kind: "DeploymentList", APIVersion: "apps/v1"}}
			for _, d := range deployments {
				if in(d.ObjectMeta) {
					l.Items = append(l.Items, d)
				}
			}
			return l, true
		case "/apis/apps/v1/statefulsets":
			return appsv1.StatefulSetList{TypeMeta: metav1.TypeMeta{Kind: "StatefulSetList", APIVersion: "apps/v1"}, Items: inNamespace(statefulSets, in)}, true
		case "/apis/apps/v1/daemonsets":
			return appsv1.DaemonSetList{TypeMeta: metav1.TypeMeta{Kind: "DaemonSetList", APIVersion: "apps/v1"}, Items: inNamespace(daemonSets, in)}, true
		case "/apis/autoscaling/v2/horizontalpodautoscalers":
			return autoscalingv2.HorizontalPodAutoscalerList{TypeMeta: metav1.TypeMeta{Kind: "HorizontalPodAutoscalerList", APIVersion: "autoscaling/v2"}, Items: inNamespace(hpas, in)}, true
		case "/apis/policy/v1/poddisruptionbudgets":
			return policyv1.PodDisruptionBudgetList{TypeMeta: metav1.TypeMeta{Kind: "PodDisruptionBudgetList", APIVersion: "policy/v1"}, Items: inNamespace(pdbs, in)}, true
		case "/apis/keda.sh/v1alpha1/scaledobjects":
			return map[string]any{"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObjectList", "metadata": map[string]any{}, "items": []any{
				map[string]any{"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": map[string]any{"namespace": "shop", "name": "newsletter"},
					"spec": map[string]any{"scaleTargetRef": map[string]any{"name": "newsletter"}, "minReplicaCount": 1, "maxReplicaCount": 5}}}}, true
		case "/api/v1/pods":
			return corev1.PodList{TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"}, Items: inNamespace(pods, in)}, true
		case "/apis/metrics.k8s.io/v1beta1/pods":
			return metricsv1beta1.PodMetricsList{TypeMeta: metav1.TypeMeta{Kind: "PodMetricsList", APIVersion: "metrics.k8s.io/v1beta1"}, Items: usage}, metrics
		}
		return nil, false
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		body, ok := list(r.URL.Path)
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			body = metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
				Status: metav1.StatusFailure, Reason: metav1.StatusReasonNotFound, Code: http.StatusNotFound, Message: "the server could not find the requested resource"}
		}
		if err := json.NewEncoder(w).Encode(body); err != nil {
			t.Error(err)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// ptrTo returns a pointer to v.
func ptrTo[T any](v T) *T { return &v }

// inNamespace keeps the objects in returns true for.
func inNamespace[T any, P interface {
	*T
	GetNamespace() string
}](items []T, in func(metav1.ObjectMeta) bool) []T {
	var out []T
	for i := range items {
		if in(metav1.ObjectMeta{Namespace: P(&items[i]).GetNamespace()}) {
			out = append(out, items[i])
		}
	}
	return out
}

// TestPlanCluster merges a live inventory into the e-commerce plan: today's
// nodes priced as current, live requests, Deployments added, notes.
func TestPlanCluster(t *testing.T) {
	for _, metrics := range []bool{true, false} {
		name := map[bool]string{true: "with metrics", false: "without metrics"}[metrics]
		t.Run(name, func(t *testing.T) {
			kubeconfig := writePlanKubeconfig(t, planAPIServer(t, metrics).URL)
			doc := planJSONOf(t, "--config", planEcommerce, "--kubeconfig", kubeconfig, "--context", "test")
			if doc.Cluster == nil || len(doc.Cluster.Nodes) != 4 || len(doc.Cluster.Deployments) != 3 {
				t.Fatalf("cluster %+v, want 4 nodes and 3 Deployments", doc.Cluster)
			}
			wantCurrent := (2*0.384 + 0.192) * 72 // two m6i.2xlarge and an m6i.xlarge for 72 hours
			if got := doc.Timeline.Current["cost"].(float64); !planNear(got, wantCurrent) {
				t.Errorf("current cost %g $, want %g $ from the live nodes", got, wantCurrent)
			}
			var webCPU float64
			for _, n := range doc.Nodes {
				for _, p := range n.Pods {
					if p.Workload == "storefront-web" {
						webCPU = p.CPU
					}
				}
			}
			if webCPU != 0.4 {
				t.Errorf("storefront-web pods request %g cores, want the live 0.4", webCPU)
			}
			if !slices.ContainsFunc(doc.Workloads, func(w struct {
				Name     string `json:"name"`
				Replicas int    `json:"replicas"`
			}) bool {
				return w.Name == "shop/newsletter" && w.Replicas == 2
			}) {
				t.Errorf("workloads %+v lack shop/newsletter at 2 replicas", doc.Workloads)
			}
			notes := strings.Join(doc.Cluster.Notes, "\n")
			for _, want := range []string{`1 live nodes left out of the current cost: pool "system" is not in the planning file`, "1 Deployments without a business line label left out"} {
				if !strings.Contains(notes, want) {
					t.Errorf("notes %q lack %q", notes, want)
				}
			}
			if usage := strings.Contains(notes, "usage not read"); usage == metrics {
				t.Errorf("metrics API served: %v, notes: %q", metrics, notes)
			}
		})
	}
}

// TestPlanClusterTable shows the cluster's Deployments with their usage.
func TestPlanClusterTable(t *testing.T) {
	kubeconfig := writePlanKubeconfig(t, planAPIServer(t, true).URL)
	out, err := run(t, "plan", "--config", planEcommerce, "--kubeconfig", kubeconfig, "--namespace", "shop")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Read 4 nodes, 2 Deployments, 1 StatefulSets and 1 DaemonSets", "shop/orders-db (StatefulSet)  storefront", "12.000     0.150"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out[strings.Index(out, "Cluster"):])
		}
	}
}

// TestPlanClusterInventory reads StatefulSets, DaemonSets, autoscalers and
// budgets, counts DaemonSet pods as pool overhead and names the node whose
// pods do not fit.
func TestPlanClusterInventory(t *testing.T) {
	kubeconfig := writePlanKubeconfig(t, planAPIServer(t, false).URL)
	doc := planJSONOf(t, "--config", planEcommerce, "--kubeconfig", kubeconfig)
	c := doc.Cluster
	require.NotNil(t, c)
	require.Len(t, c.StatefulSets, 1)
	db := c.StatefulSets[0]
	assert.Equal(t, "orders-db", db.Name)
	assert.Equal(t, 2, db.Replicas)
	require.NotNil(t, db.PDB)
	assert.Equal(t, "orders-db minAvailable 50%", db.PDB.String())
	web := c.Deployments[slices.IndexFunc(c.Deployments, func(d inventory.Deployment) bool { return d.Name == "storefront-web" })]
	assert.Equal(t, &inventory.ReplicaRange{Min: 10, Max: 40, Source: "HorizontalPodAutoscaler shop/storefront-web"}, web.Autoscaling)
	newsletter := c.Deployments[slices.IndexFunc(c.Deployments, func(d inventory.Deployment) bool { return d.Name == "newsletter" })]
	assert.Equal(t, &inventory.ReplicaRange{Min: 1, Max: 5, Source: "ScaledObject shop/newsletter"}, newsletter.Autoscaling, "read through the dynamic client")
	require.Len(t, c.DaemonSets, 1)
	assert.Equal(t, []string{"a1", "a2", "b1", "s1"}, c.DaemonSets[0].Nodes)
	assert.Equal(t, []string{"checkout", "storefront", "system"}, c.DaemonSets[0].Pools)
	require.NotNil(t, c.Fit)
	require.Len(t, c.Fit.Misfits, 1)
	assert.Equal(t, "b1", c.Fit.Misfits[0].Node)
	assert.Equal(t, []string{"cpu"}, c.Fit.Misfits[0].Over)
	assert.True(t, slices.ContainsFunc(doc.Workloads, func(w struct {
		Name     string `json:"name"`
		Replicas int    `json:"replicas"`
	}) bool {
		return w.Name == "shop/orders-db" && w.Replicas == 2
	}), "the StatefulSet is planned")
	assert.Contains(t, c.Notes, `pool "storefront": 1 DaemonSets on its live nodes add 0.100 cores, 0.12 GiB and 1 pods to each node's overhead (kube-system/node-exporter)`)

	out, err := run(t, "plan", "--config", planEcommerce, "--kubeconfig", kubeconfig)
	require.NoError(t, err)
	tests := []struct{ name, want string }{
		{"StatefulSet row", "shop/orders-db (StatefulSet)"},
		{"replica range", "10-40 (HorizontalPodAutoscaler shop/storefront-web)"},
		{"budget", "orders-db minAvailable 50%"},
		{"DaemonSets section", "Cluster DaemonSets"},
		{"DaemonSet row", "kube-system/node-exporter"},
		{"fit verdict", "1 of 4 nodes do not fit their pods (b1)"},
		{"fit row", "8.100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, out, tc.want)
		})
	}
}
