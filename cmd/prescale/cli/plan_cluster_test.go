package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metricsv1beta1 "k8s.io/metrics/pkg/apis/metrics/v1beta1"
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
	pods := []corev1.Pod{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-1", Labels: map[string]string{"app": "storefront-web"}}}}
	usage := []metricsv1beta1.PodMetrics{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-1"},
		Containers: []metricsv1beta1.ContainerMetrics{{Name: "main", Usage: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse("150m"), corev1.ResourceMemory: resource.MustParse("300Mi")}}}}}
	// list answers a path, cluster-wide or in one namespace.
	list := func(path string) (any, bool) {
		ns := ""
		for _, prefix := range []string{"/api/v1", "/apis/apps/v1", "/apis/metrics.k8s.io/v1beta1"} {
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
		case "/api/v1/pods":
			return corev1.PodList{TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"}, Items: pods}, true
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
	for _, want := range []string{"Read 4 nodes and 2 Deployments", "shop/storefront-web  storefront", "12.000     0.150"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out[strings.Index(out, "Cluster"):])
		}
	}
}
