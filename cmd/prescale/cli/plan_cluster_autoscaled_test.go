package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// autoscaledInventory reads, through fake clientsets, a shop running web
// (an HPA scales it from 3 to 10 replicas), worker (a ScaledObject with
// KEDA's defaults, 0 to 100) and static (no autoscaler), 4 replicas each.
func autoscaledInventory(t *testing.T) inventory.Inventory {
	t.Helper()
	deploy := func(name string) *appsv1.Deployment {
		return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name, Labels: map[string]string{inventory.DefaultBusinessLineLabel: "shop"}},
			Spec: appsv1.DeploymentSpec{Replicas: ptrTo[int32](4), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
					Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Resources: corev1.ResourceRequirements{
						Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("1Gi")}}}}}}}}
	}
	kube := fake.NewClientset(
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1", Labels: map[string]string{
			"karpenter.sh/nodepool": "shop", "topology.kubernetes.io/zone": "a", "node.kubernetes.io/instance-type": "m6i.xlarge"}}},
		deploy("web"), deploy("worker"), deploy("static"),
		&autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"},
			Spec: autoscalingv2.HorizontalPodAutoscalerSpec{ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{Kind: "Deployment", Name: "web"},
				MinReplicas: ptrTo[int32](3), MaxReplicas: 10}},
	)
	so := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
		"metadata": map[string]any{"namespace": "shop", "name": "worker"},
		"spec":     map[string]any{"scaleTargetRef": map[string]any{"name": "worker"}}}}
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{inventory.ScaledObjectResource: "ScaledObjectList"}, so)
	inv, err := inventory.Read(context.Background(), kube, nil, inventory.Options{Dynamic: dyn})
	require.NoError(t, err)
	return inv
}

// autoscaledProblem plans web, worker and static of the shop pool at the
// replicas given.
func autoscaledProblem(web, worker, static int) capacity.Problem {
	m := capacity.InstanceType{Name: "m6i.xlarge", PricePerHour: 0.192, Allocatable: capacity.Resources{CPU: 3.92, Memory: 14 << 30, Pods: 58}}
	w := func(name string, n int) capacity.Workload {
		return capacity.Workload{Name: name, BusinessLine: "shop", Requests: capacity.Resources{CPU: 1, Memory: 1 << 30}, Replicas: capacity.FixedReplicas(n)}
	}
	return capacity.Problem{
		Pools:     []capacity.Pool{{Name: "shop", BusinessLines: []string{"shop"}, Zones: []string{"a"}, InstanceTypes: []capacity.InstanceType{m}}},
		Workloads: []capacity.Workload{w("web", web), w("worker", worker), w("static", static)},
	}
}

// TestPlanClusterAutoscaled plans the workloads an autoscaler scales
// within its range, or at its max with --autoscaled-at max, and records
// where each planned count came from.
func TestPlanClusterAutoscaled(t *testing.T) {
	inv := autoscaledInventory(t)
	type want struct {
		replicas int
		origin   inventory.ReplicaOrigin
	}
	tests := []struct {
		name                string
		flag                string
		web, worker, static int // the sources' replicas
		want                map[string]want
		notes               []string
	}{
		{name: "below the HPA's min: raised to min", flag: "clamped", web: 1, worker: 1, static: 1,
			want:  map[string]want{"web": {3, inventory.OriginRaisedToMin}, "worker": {1, inventory.OriginSource}, "static": {1, inventory.OriginSource}},
			notes: []string{`workload "web": its replicas fall to 1, below the min of HorizontalPodAutoscaler shop/web: raised to 3`}},
		{name: "above the HPA's max: capped at max", flag: "clamped", web: 25, worker: 25, static: 25,
			want:  map[string]want{"web": {10, inventory.OriginCappedAtMax}, "worker": {25, inventory.OriginSource}, "static": {25, inventory.OriginSource}},
			notes: []string{`workload "web": its replicas peak at 25, which exceeds the max of HorizontalPodAutoscaler shop/web: capped at 10, the autoscaler cannot serve more`}},
		{name: "above KEDA's default max", flag: "", web: 5, worker: 250, static: 250,
			want:  map[string]want{"web": {5, inventory.OriginSource}, "worker": {100, inventory.OriginCappedAtMax}, "static": {250, inventory.OriginSource}},
			notes: []string{`workload "worker": its replicas peak at 250, which exceeds the max of ScaledObject shop/worker: capped at 100, the autoscaler cannot serve more`}},
		{name: "at max", flag: "max", web: 1, worker: 1, static: 1,
			want:  map[string]want{"web": {10, inventory.OriginAtMax}, "worker": {100, inventory.OriginAtMax}, "static": {1, inventory.OriginSource}},
			notes: []string{"2 autoscaled workloads planned at their autoscaler's max replicas throughout: web (10), worker (100)"}},
		{name: "at max, forecast above it", flag: "max", web: 25, worker: 1, static: 1,
			want:  map[string]want{"web": {10, inventory.OriginAtMax}, "worker": {100, inventory.OriginAtMax}, "static": {1, inventory.OriginSource}},
			notes: []string{`workload "web": planned at the max of HorizontalPodAutoscaler shop/web, 10 replicas throughout; its replicas peak at 25, which exceeds that max: the autoscaler cannot serve more`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := planClusterFlags{autoscaledAt: tc.flag}
			p, info, err := f.mergeInventory(autoscaledProblem(tc.web, tc.worker, tc.static), inv)
			require.NoError(t, err)
			require.Len(t, p.Workloads, 3)
			for _, w := range p.Workloads {
				assert.Equal(t, tc.want[w.Name].replicas, w.Replicas.Peak(), "planned replicas of %s", w.Name)
			}
			require.Len(t, info.inventory.Deployments, 3)
			for _, d := range info.inventory.Deployments {
				require.NotNil(t, d.Planned, d.Name)
				assert.Equal(t, tc.want[d.Name].origin, d.Planned.Origin, "origin of %s", d.Name)
				assert.Equal(t, tc.want[d.Name].replicas, d.Planned.Peak, "recorded peak of %s", d.Name)
			}
			for _, n := range tc.notes {
				assert.Contains(t, info.notes(), n)
			}
		})
	}
}

// TestPlanClusterAutoscaledFlag checks --autoscaled-at's values.
func TestPlanClusterAutoscaledFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"unknown value", []string{"--autoscaled-at", "current", "--kubeconfig", "kubeconfig"}, `--autoscaled-at: unknown value "current": use clamped or max`},
		{"did you mean", []string{"--autoscaled-at", "maxx", "--kubeconfig", "kubeconfig"}, `--autoscaled-at: unknown value "maxx" (did you mean max?): use clamped or max`},
		{"without --kubeconfig", []string{"--autoscaled-at", "max"}, "--autoscaled-at: only meaningful with --kubeconfig"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, append([]string{"plan", "--config", planEcommerce}, tc.args...)...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
	f := planClusterFlags{autoscaledAt: "peak"}
	_, _, err := f.mergeInventory(autoscaledProblem(1, 1, 1), inventory.Inventory{})
	assert.EqualError(t, err, `--autoscaled-at: unknown value "peak": use clamped or max`)
}

// TestPlanClusterAutoscaledRun plans the e-commerce file against the test
// cluster: storefront-web's planned replicas, up to 96, are capped at its
// HPA's max of 40, or held at 40 with --autoscaled-at max, where the
// newsletter added from the cluster is at its ScaledObject's max of 5.
func TestPlanClusterAutoscaledRun(t *testing.T) {
	kubeconfig := writePlanKubeconfig(t, planAPIServer(t, false).URL)
	replicas := func(doc planDoc, name string) int {
		i := slices.IndexFunc(doc.Workloads, func(w struct {
			Name     string `json:"name"`
			Replicas int    `json:"replicas"`
		}) bool {
			return w.Name == name
		})
		require.GreaterOrEqual(t, i, 0, "no workload %s", name)
		return doc.Workloads[i].Replicas
	}
	planned := func(doc planDoc, name string) *inventory.PlannedReplicas {
		require.NotNil(t, doc.Cluster)
		i := slices.IndexFunc(doc.Cluster.Deployments, func(d inventory.Deployment) bool { return d.Name == name })
		require.GreaterOrEqual(t, i, 0, "no Deployment %s", name)
		return doc.Cluster.Deployments[i].Planned
	}
	tests := []struct {
		name       string
		args       []string
		web        inventory.ReplicaOrigin
		newsletter int
		note       string
	}{
		{"default", nil, inventory.OriginCappedAtMax, 2,
			`workload "storefront-web": its replicas peak at 96, which exceeds the max of HorizontalPodAutoscaler shop/storefront-web: capped at 40, the autoscaler cannot serve more`},
		{"at max", []string{"--autoscaled-at", "max"}, inventory.OriginAtMax, 5,
			`workload "storefront-web": planned at the max of HorizontalPodAutoscaler shop/storefront-web, 40 replicas throughout; its replicas peak at 96`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := planJSONOf(t, append([]string{"--config", planEcommerce, "--kubeconfig", kubeconfig}, tc.args...)...)
			assert.LessOrEqual(t, replicas(doc, "storefront-web"), 40, "the peak plan within the HPA's max")
			assert.Equal(t, tc.newsletter, replicas(doc, "shop/newsletter"))
			web := planned(doc, "storefront-web")
			require.NotNil(t, web)
			assert.Equal(t, tc.web, web.Origin)
			assert.Equal(t, 96, web.SourcePeak)
			assert.Equal(t, 40, web.Peak)
			assert.True(t, web.ExceedsMax)
			assert.True(t, slices.ContainsFunc(doc.Cluster.Notes, func(n string) bool { return strings.HasPrefix(n, tc.note) }), "notes %q lack %q", doc.Cluster.Notes, tc.note)
			assert.Nil(t, planned(doc, "coredns"), "not planned: no business line")
		})
	}
}
