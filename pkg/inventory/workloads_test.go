package inventory

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// sts returns a StatefulSet whose pods, labelled app=name, run one
// container per requests list.
func sts(ns, name string, replicas *int32, labels map[string]string, reqs ...corev1.ResourceList) *appsv1.StatefulSet {
	s := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: appsv1.StatefulSetSpec{
			Replicas: replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}}},
		},
		Status: appsv1.StatefulSetStatus{ReadyReplicas: 1},
	}
	for _, r := range reqs {
		s.Spec.Template.Spec.Containers = append(s.Spec.Template.Spec.Containers, corev1.Container{Resources: corev1.ResourceRequirements{Requests: r}})
	}
	return s
}

// daemon returns a DaemonSet with a node selector, tolerations and one
// container.
func daemon(ns, name string, selector map[string]string, tolerations []corev1.Toleration, req corev1.ResourceList) *appsv1.DaemonSet {
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.DaemonSetSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			NodeSelector: selector, Tolerations: tolerations,
			Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{Requests: req}}},
		}}},
		Status: appsv1.DaemonSetStatus{CurrentNumberScheduled: 2},
	}
}

// hpa returns an HPA scaling kind/name between lo (nil: unset) and hi.
func hpa(ns, name, kind, target string, lo *int32, hi int32) *autoscalingv2.HorizontalPodAutoscaler {
	return &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{Kind: kind, Name: target, APIVersion: "apps/v1"},
			MinReplicas:    lo, MaxReplicas: hi,
		},
	}
}

// pdb returns a PodDisruptionBudget selecting app=app.
func pdb(ns, name, app string, minAvailable, maxUnavailable *intstr.IntOrString) *policyv1.PodDisruptionBudget {
	return &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: policyv1.PodDisruptionBudgetSpec{
			Selector:     &metav1.LabelSelector{MatchLabels: map[string]string{"app": app}},
			MinAvailable: minAvailable, MaxUnavailable: maxUnavailable,
		},
	}
}

// boundPod returns a pod on node with one container's requests, in phase.
func boundPod(name, node string, phase corev1.PodPhase, req corev1.ResourceList) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name},
		Spec:       corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Resources: corev1.ResourceRequirements{Requests: req}}}},
		Status:     corev1.PodStatus{Phase: phase},
	}
}

// wholeCluster is a cluster with every kind the inventory reads: two
// pools of nodes (one GPU node tainted), Deployments and StatefulSets,
// DaemonSets, autoscalers, budgets and pods bound to nodes.
func wholeCluster() *fake.Clientset {
	bl := DefaultBusinessLineLabel
	pool := func(p, zone string) map[string]string {
		return map[string]string{"karpenter.sh/nodepool": p, "topology.kubernetes.io/zone": zone, "node.kubernetes.io/instance-type": "m6i.xlarge"}
	}
	gpu := node("g1", pool("gpu", "us-east-1a"), "4", "16Gi", 58)
	gpu.Labels["accelerator"] = "nvidia"
	gpu.Spec.Taints = []corev1.Taint{{Key: "nvidia.com/gpu", Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}}
	web := deploy("shop", "web", ptr[int32](3), map[string]string{bl: "storefront"}, requests("500m", "1Gi"))
	return fake.NewClientset(
		node("a1", pool("storefront", "us-east-1a"), "2", "4Gi", 3),
		node("a2", pool("storefront", "us-east-1b"), "2", "4Gi", 58),
		gpu,
		web,
		sts("shop", "db", ptr[int32](2), nil, requests("2", "8Gi"), requests("250m", "256Mi")),
		sts("shop", "cache", nil, map[string]string{bl: "storefront"}, requests("1", "2Gi")),
		sts("batch", "queue", ptr[int32](0), nil),
		daemon("kube-system", "node-exporter", nil, nil, requests("100m", "128Mi")),
		daemon("kube-system", "gpu-driver", map[string]string{"accelerator": "nvidia"},
			[]corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpExists}}, requests("200m", "256Mi")),
		daemon("kube-system", "untolerant", map[string]string{"accelerator": "nvidia"}, nil, requests("1", "1Gi")),
		hpa("shop", "web", "Deployment", "web", ptr[int32](2), 12),
		hpa("shop", "cache", "StatefulSet", "cache", nil, 4),
		hpa("shop", "stray", "Deployment", "gone", nil, 9),
		pdb("shop", "web", "web", ptr(intstr.FromInt32(2)), nil),
		pdb("shop", "db", "db", nil, ptr(intstr.FromString("50%"))),
		pdb("shop", "db-old", "db", ptr(intstr.FromInt32(1)), nil),
		boundPod("web-1", "a1", corev1.PodRunning, requests("1500m", "1Gi")),
		boundPod("web-2", "a1", corev1.PodRunning, requests("1", "1Gi")),
		boundPod("web-3", "a2", corev1.PodRunning, requests("1", "1Gi")),
		boundPod("done", "a2", corev1.PodSucceeded, requests("4", "8Gi")),
		boundPod("exporter-a1", "a1", corev1.PodRunning, requests("100m", "128Mi")),
		boundPod("exporter-a2", "a1", corev1.PodRunning, requests("100m", "4Gi")),
		boundPod("waiting", "", corev1.PodPending, requests("1", "1Gi")),
		boundPod("elsewhere", "gone-node", corev1.PodRunning, requests("64", "1Ti")),
	)
}

func TestReadStatefulSets(t *testing.T) {
	inv, err := Read(context.Background(), wholeCluster(), nil, Options{})
	require.NoError(t, err)
	got := map[string]StatefulSet{}
	for _, s := range inv.StatefulSets {
		got[s.Namespace+"/"+s.Name] = s
	}
	tests := []struct {
		id       string
		bl       string
		replicas int
		requests capacity.Resources
		auto     *ReplicaRange
		pdb      string
	}{
		{"shop/db", "", 2, capacity.Resources{CPU: 2.25, Memory: 8<<30 + 256<<20, Pods: 1}, nil, "db maxUnavailable 50%"},
		{"shop/cache", "storefront", 1, capacity.Resources{CPU: 1, Memory: 2 << 30, Pods: 1}, &ReplicaRange{Min: 1, Max: 4, Source: "HorizontalPodAutoscaler shop/cache"}, ""},
		{"batch/queue", "", 0, capacity.Resources{Pods: 1}, nil, ""},
	}
	require.Len(t, got, len(tests))
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			s, ok := got[tc.id]
			require.True(t, ok)
			assert.Equal(t, tc.bl, s.BusinessLine)
			assert.Equal(t, tc.replicas, s.Replicas)
			assert.Equal(t, tc.requests, s.Requests)
			assert.Equal(t, tc.auto, s.Autoscaling)
			if tc.pdb == "" {
				assert.Nil(t, s.PDB)
			} else if assert.NotNil(t, s.PDB) {
				assert.Equal(t, tc.pdb, s.PDB.String())
			}
		})
	}
}

func TestReadDaemonSets(t *testing.T) {
	inv, err := Read(context.Background(), wholeCluster(), nil, Options{})
	require.NoError(t, err)
	tests := []struct {
		name      string
		everyNode bool
		nodes     []string
		pools     []string
		requests  capacity.Resources
	}{
		{"node-exporter", true, []string{"a1", "a2"}, []string{"storefront"}, capacity.Resources{CPU: 0.1, Memory: 128 << 20, Pods: 1}},
		{"gpu-driver", false, []string{"g1"}, []string{"gpu"}, capacity.Resources{CPU: 0.2, Memory: 256 << 20, Pods: 1}},
		{"untolerant", false, []string{}, []string{}, capacity.Resources{CPU: 1, Memory: 1 << 30, Pods: 1}},
	}
	require.Len(t, inv.DaemonSets, len(tests))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d DaemonSet
			for _, x := range inv.DaemonSets {
				if x.Name == tc.name {
					d = x
				}
			}
			require.Equal(t, tc.name, d.Name)
			assert.Equal(t, tc.everyNode, d.EveryNode)
			assert.Equal(t, tc.nodes, d.Nodes)
			assert.Equal(t, tc.pools, d.Pools)
			assert.Equal(t, tc.requests, d.Requests)
			assert.Equal(t, 2, d.Scheduled)
		})
	}
}

func TestReadAutoscalingAndPDBs(t *testing.T) {
	inv, err := Read(context.Background(), wholeCluster(), nil, Options{})
	require.NoError(t, err)
	require.Len(t, inv.Deployments, 1)
	web := inv.Deployments[0]
	assert.Equal(t, &ReplicaRange{Min: 2, Max: 12, Source: "HorizontalPodAutoscaler shop/web"}, web.Autoscaling)
	require.NotNil(t, web.PDB)
	assert.Equal(t, "web minAvailable 2", web.PDB.String())
	assert.Equal(t, []string{"several PodDisruptionBudgets select StatefulSet shop/db: db and db-old"}, inv.Warnings)

	tests := []struct {
		name     string
		pdb      PDB
		replicas int
		want     int
	}{
		{"min count", PDB{MinAvailable: &capacity.IntOrPercent{Value: 2}}, 5, 2},
		{"min percent rounds up", PDB{MinAvailable: &capacity.IntOrPercent{Value: 50, Percent: true}}, 5, 3},
		{"max unavailable percent rounds up", PDB{MaxUnavailable: &capacity.IntOrPercent{Value: 50, Percent: true}}, 5, 2},
		{"max unavailable beyond replicas", PDB{MaxUnavailable: &capacity.IntOrPercent{Value: 9}}, 5, 0},
		{"neither", PDB{}, 5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.pdb.MinAvailableOf(tc.replicas))
		})
	}
}

func TestReadFit(t *testing.T) {
	inv, err := Read(context.Background(), wholeCluster(), nil, Options{})
	require.NoError(t, err)
	require.NotNil(t, inv.Fit)
	assert.False(t, inv.Fit.Fits())
	assert.Equal(t, 5, inv.Fit.Pods, "pods on known nodes, finished ones left out")
	assert.Equal(t, 1, inv.Fit.Pending)
	require.Len(t, inv.Fit.Misfits, 1)
	a1 := inv.Fit.Misfits[0]
	assert.Equal(t, "a1", a1.Node)
	assert.Equal(t, "storefront", a1.Pool)
	assert.Equal(t, []string{"cpu", "memory", "pods"}, a1.Over)
	assert.InDelta(t, 2.7, a1.Requested.CPU, 1e-9)
	assert.Equal(t, int64(6<<30+128<<20), a1.Requested.Memory)
	assert.Equal(t, 4, a1.Requested.Pods)
}

// TestReadOptionalFailures keeps the inventory when autoscalers, budgets
// or the pods cannot be listed, and says so.
func TestReadOptionalFailures(t *testing.T) {
	tests := []struct {
		resource string
		warning  string
	}{
		{"horizontalpodautoscalers", "replica ranges not read: listing horizontalpodautoscalers: forbidden"},
		{"poddisruptionbudgets", "PodDisruptionBudgets not read: listing poddisruptionbudgets: forbidden"},
		{"pods", "fit of today's pods not checked: listing pods: forbidden"},
	}
	for _, tc := range tests {
		t.Run(tc.resource, func(t *testing.T) {
			kube := wholeCluster()
			kube.PrependReactor("list", tc.resource, func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, errors.New("forbidden")
			})
			inv, err := Read(context.Background(), kube, nil, Options{})
			require.NoError(t, err)
			assert.Contains(t, inv.Warnings, tc.warning)
			assert.Len(t, inv.StatefulSets, 3)
		})
	}
}

// TestReadRequiredFailures fails when StatefulSets or DaemonSets cannot be
// listed: the plan would miss their pods.
func TestReadRequiredFailures(t *testing.T) {
	for _, resource := range []string{"statefulsets", "daemonsets"} {
		t.Run(resource, func(t *testing.T) {
			kube := wholeCluster()
			kube.PrependReactor("list", resource, func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, errors.New("forbidden")
			})
			_, err := Read(context.Background(), kube, nil, Options{})
			require.EqualError(t, err, "listing "+resource+": forbidden")
		})
	}
}
