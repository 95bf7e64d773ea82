package inventory

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// autoscaledCluster reads a cluster running the Deployment shop/web of
// the storefront at live replicas, scaled by the autoscalers given (HPAs
// through kube, ScaledObjects through the dynamic client), its pods
// under a budget allowing one pod down.
func autoscaledCluster(t *testing.T, live int32, hpas []runtime.Object, scaledObjects ...runtime.Object) Inventory {
	t.Helper()
	objs := append([]runtime.Object{
		node("a1", map[string]string{"karpenter.sh/nodepool": "storefront", "topology.kubernetes.io/zone": "a", "node.kubernetes.io/instance-type": "m6i.xlarge"}, "4", "16Gi", 58),
		deploy("shop", "web", ptr(live), map[string]string{DefaultBusinessLineLabel: "storefront"}, requests("500m", "1Gi")),
		pdb("shop", "web", "web", nil, ptr(intstr.FromInt32(1))),
	}, hpas...)
	inv, err := Read(context.Background(), fake.NewClientset(objs...), nil, Options{Dynamic: kedaClient(scaledObjects...)})
	require.NoError(t, err)
	require.Len(t, inv.Deployments, 1)
	return inv
}

// TestMergeAutoscaled plans the replicas of an autoscaled workload within
// its autoscaler's range, or at its max, and records where they came
// from.
func TestMergeAutoscaled(t *testing.T) {
	t0 := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	series := func(counts ...int) capacity.Replicas {
		r := capacity.Replicas{}
		for i, n := range counts {
			r.Points = append(r.Points, capacity.ReplicaPoint{Time: t0.Add(time.Duration(i) * time.Hour), Replicas: n})
		}
		return r
	}
	hpa3to10 := []runtime.Object{hpa("shop", "web", "Deployment", "web", ptr[int32](3), 10)}
	hpaRange := &ReplicaRange{Min: 3, Max: 10, Source: "HorizontalPodAutoscaler shop/web"}
	kedaDefaults := scaledObject("shop", "web", map[string]any{"scaleTargetRef": map[string]any{"name": "web"}})
	kedaRange := &ReplicaRange{Min: 0, Max: 100, Source: "ScaledObject shop/web"}
	tests := []struct {
		name       string
		hpas       []runtime.Object
		keda       []runtime.Object
		live       int32
		source     *capacity.Replicas // the planning file's; nil: web is added at its live replicas
		at         Autoscaled
		want       capacity.Replicas
		origin     ReplicaOrigin
		rng        *ReplicaRange
		exceedsMax bool
		note       string // a note containing it; empty: no note on web
	}{
		{name: "HPA: source below min raised to min", hpas: hpa3to10, live: 4, source: ptr(capacity.FixedReplicas(1)),
			want: capacity.FixedReplicas(3), origin: OriginRaisedToMin, rng: hpaRange,
			note: `workload "web": its replicas fall to 1, below the min of HorizontalPodAutoscaler shop/web: raised to 3`},
		{name: "HPA: source above max capped at max", hpas: hpa3to10, live: 4, source: ptr(capacity.FixedReplicas(25)),
			want: capacity.FixedReplicas(10), origin: OriginCappedAtMax, rng: hpaRange, exceedsMax: true,
			note: `workload "web": its replicas peak at 25, which exceeds the max of HorizontalPodAutoscaler shop/web: capped at 10, the autoscaler cannot serve more`},
		{name: "HPA: source within range kept", hpas: hpa3to10, live: 4, source: ptr(capacity.FixedReplicas(7)),
			want: capacity.FixedReplicas(7), origin: OriginSource, rng: hpaRange},
		{name: "HPA: forecast clamped step by step", hpas: hpa3to10, live: 4, source: ptr(series(1, 2, 5, 25, 12, 4)),
			want:   capacity.Replicas{Points: []capacity.ReplicaPoint{{Time: t0, Replicas: 3}, {Time: t0.Add(2 * time.Hour), Replicas: 5}, {Time: t0.Add(3 * time.Hour), Replicas: 10}, {Time: t0.Add(5 * time.Hour), Replicas: 4}}},
			origin: OriginRaisedAndCapped, rng: hpaRange, exceedsMax: true, note: "its replicas peak at 25, which exceeds the max"},
		{name: "HPA: added at live replicas below min", hpas: hpa3to10, live: 1,
			want: capacity.FixedReplicas(3), origin: OriginRaisedToMin, rng: hpaRange, note: `workload "shop/web": its replicas fall to 1`},
		{name: "HPA: added at live replicas above max", hpas: hpa3to10, live: 25,
			want: capacity.FixedReplicas(10), origin: OriginCappedAtMax, rng: hpaRange, exceedsMax: true, note: "which exceeds the max"},
		{name: "HPA at max: below max", hpas: hpa3to10, live: 4, source: ptr(capacity.FixedReplicas(1)), at: AutoscaledMax,
			want: capacity.FixedReplicas(10), origin: OriginAtMax, rng: hpaRange,
			note: `1 autoscaled workloads planned at their autoscaler's max replicas throughout: web (10)`},
		{name: "HPA at max: forecast above max", hpas: hpa3to10, live: 4, source: ptr(series(2, 25)), at: AutoscaledMax,
			want: capacity.FixedReplicas(10), origin: OriginAtMax, rng: hpaRange, exceedsMax: true,
			note: `workload "web": planned at the max of HorizontalPodAutoscaler shop/web, 10 replicas throughout; its replicas peak at 25, which exceeds that max`},
		{name: "HPA at max: added at live replicas", hpas: hpa3to10, live: 4, at: AutoscaledMax,
			want: capacity.FixedReplicas(10), origin: OriginAtMax, rng: hpaRange, note: "shop/web (10)"},
		{name: "ScaledObject with KEDA's defaults: source kept", keda: []runtime.Object{kedaDefaults}, live: 4, source: ptr(capacity.FixedReplicas(1)),
			want: capacity.FixedReplicas(1), origin: OriginSource, rng: kedaRange},
		{name: "ScaledObject with KEDA's defaults: capped at 100", keda: []runtime.Object{kedaDefaults}, live: 4, source: ptr(capacity.FixedReplicas(250)),
			want: capacity.FixedReplicas(100), origin: OriginCappedAtMax, rng: kedaRange, exceedsMax: true, note: "exceeds the max of ScaledObject shop/web: capped at 100"},
		{name: "ScaledObject with KEDA's defaults at max", keda: []runtime.Object{kedaDefaults}, live: 4, source: ptr(capacity.FixedReplicas(1)), at: AutoscaledMax,
			want: capacity.FixedReplicas(100), origin: OriginAtMax, rng: kedaRange, note: "web (100)"},
		{name: "ScaledObject scaled to zero, at max", keda: []runtime.Object{kedaDefaults}, live: 0, at: AutoscaledMax,
			want: capacity.FixedReplicas(100), origin: OriginAtMax, rng: kedaRange, note: "shop/web (100)"},
		{name: "no autoscaler: source kept", live: 4, source: ptr(capacity.FixedReplicas(25)),
			want: capacity.FixedReplicas(25), origin: OriginSource},
		{name: "no autoscaler at max: source kept", live: 4, source: ptr(capacity.FixedReplicas(25)), at: AutoscaledMax,
			want: capacity.FixedReplicas(25), origin: OriginSource},
		{name: "no autoscaler: added at live replicas", live: 25,
			want: capacity.FixedReplicas(25), origin: OriginSource},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := autoscaledCluster(t, tc.live, tc.hpas, tc.keda...)
			assert.Equal(t, tc.rng, inv.Deployments[0].Autoscaling, "the range read")
			p := shop()
			name := "shop/web"
			if tc.source != nil {
				name = "web"
				p.Workloads[0].Replicas = *tc.source
			} else {
				p.Workloads = p.Workloads[1:]
			}
			m, err := MergeWith(p, inv, MergeOptions{Autoscaled: tc.at})
			require.NoError(t, err)
			got := workloadNamed(t, m.Problem, name)
			assert.Equal(t, tc.want, got.Replicas)
			assert.Equal(t, capacity.IntOrPercent{Value: tc.want.Peak() - 1}, got.MinAvailable, "the budget's maxUnavailable 1 of the planned replicas")

			planned := m.Inventory.Deployments[0].Planned
			require.NotNil(t, planned)
			assert.Equal(t, name, planned.Workload)
			assert.Equal(t, tc.origin, planned.Origin)
			assert.Equal(t, tc.want.Peak(), planned.Peak)
			assert.Equal(t, tc.rng, planned.Range)
			assert.Equal(t, tc.exceedsMax, planned.ExceedsMax)
			if tc.source != nil {
				assert.Equal(t, tc.source.Peak(), planned.SourcePeak)
			} else {
				assert.Equal(t, int(tc.live), planned.SourcePeak)
			}
			assert.Nil(t, inv.Deployments[0].Planned, "the inventory given is not modified")
			if tc.note == "" {
				assert.Empty(t, planned.Note)
				for _, n := range m.Notes {
					assert.NotContains(t, n, "web", "no note on web")
				}
				return
			}
			assert.True(t, containsSubstring(m.Notes, tc.note), "notes %q lack %q", m.Notes, tc.note)
		})
	}
}

// TestMergeAutoscaledLeftOut leaves out a workload scaled to zero that an
// HPA scales, or a ScaledObject that allows zero, as without autoscaler.
func TestMergeAutoscaledLeftOut(t *testing.T) {
	kedaDefaults := scaledObject("shop", "web", map[string]any{"scaleTargetRef": map[string]any{"name": "web"}})
	tests := []struct {
		name string
		hpas []runtime.Object
		keda []runtime.Object
		at   Autoscaled
	}{
		{name: "no autoscaler"},
		{name: "HPA (it does not scale from zero)", hpas: []runtime.Object{hpa("shop", "web", "Deployment", "web", ptr[int32](3), 10)}, at: AutoscaledMax},
		{name: "ScaledObject with min 0", keda: []runtime.Object{kedaDefaults}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := autoscaledCluster(t, 0, tc.hpas, tc.keda...)
			p := shop()
			p.Workloads = p.Workloads[1:] // web is not planned by name
			m, err := MergeWith(p, inv, MergeOptions{Autoscaled: tc.at})
			require.NoError(t, err)
			assert.Len(t, m.Problem.Workloads, len(p.Workloads), "shop/web not added")
			assert.Nil(t, m.Inventory.Deployments[0].Planned)
		})
	}
}

func TestParseAutoscaled(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "", want: "clamped"},
		{in: "clamped", want: "clamped"},
		{in: "max", want: "max"},
		{in: "maxx", err: `unknown value "maxx" (did you mean max?): use clamped or max`},
		{in: "clamp", err: `unknown value "clamp" (did you mean clamped?): use clamped or max`},
		{in: "current", err: `unknown value "current": use clamped or max`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseAutoscaled(tc.in)
			if tc.err != "" {
				assert.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, Autoscaled(tc.want), got)
		})
	}
	_, err := MergeWith(shop(), Inventory{}, MergeOptions{Autoscaled: "peak"})
	assert.EqualError(t, err, `autoscaled: unknown value "peak": use clamped or max`)
}

// workloadNamed returns p's workload called name.
func workloadNamed(t *testing.T, p capacity.Problem, name string) capacity.Workload {
	t.Helper()
	for _, w := range p.Workloads {
		if w.Name == name {
			return w
		}
	}
	require.Failf(t, "workload missing", "no workload %q in %+v", name, p.Workloads)
	return capacity.Workload{}
}

// containsSubstring reports whether one of ss contains sub.
func containsSubstring(ss []string, sub string) bool {
	return slices.ContainsFunc(ss, func(s string) bool { return strings.Contains(s, sub) })
}
