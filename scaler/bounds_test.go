package scaler

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestRefNames checks the ScaledObject names a request may carry against
// Kubernetes' limits; the two refs that would share a store key if their
// parts were joined as given are both refused.
func TestRefNames(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	long := strings.Repeat("a", 1<<20)
	cases := []struct {
		name, ns, obj string
		ok            bool
	}{
		{name: "plain", ns: "shop", obj: "web", ok: true},
		{name: "dotted name", ns: "shop", obj: "web.v2", ok: true},
		{name: "longest namespace", ns: strings.Repeat("n", 63), obj: "web", ok: true},
		{name: "longest name", ns: "shop", obj: strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61), ok: true},
		{name: "slash in the name", ns: "x", obj: "a/b"},
		{name: "slash in the namespace", ns: "x/a", obj: "b"},
		{name: "namespace over 63 bytes", ns: strings.Repeat("n", 64), obj: "web"},
		{name: "name over 253 bytes", ns: "shop", obj: strings.Repeat("a.", 127)},
		{name: "1 MB name", ns: "shop", obj: long},
		{name: "upper case", ns: "Shop", obj: "web"},
		{name: "empty namespace", ns: "", obj: "web"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &externalscaler.ScaledObjectRef{Namespace: tc.ns, Name: tc.obj, ScalerMetadata: fastMeta()}
			_, err := c.GetMetricSpec(context.Background(), r)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Equal(t, codes.InvalidArgument, status.Code(err), "error %v", err)
			assert.LessOrEqual(t, len(status.Convert(err).Message()), maxMessage)
		})
	}
}

// TestMessagesBounded checks that an error echoing a huge key or value
// stays short.
func TestMessagesBounded(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	huge := strings.Repeat("k", 1<<20)
	for name, md := range map[string]map[string]string{
		"unknown key":   fastMeta(huge, "1"),
		"bad value":     fastMeta("targetPerPod", huge),
		"many bad keys": manyKeys(2000),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.GetMetricSpec(context.Background(), ref("web", md))
			require.Equal(t, codes.InvalidArgument, status.Code(err))
			assert.LessOrEqual(t, len(status.Convert(err).Message()), maxMessage)
		})
	}
}

func manyKeys(n int) map[string]string {
	md := fastMeta()
	for i := range n {
		md[strings.Repeat("x", 100)+string(rune('a'+i%26))+strings.Repeat("y", i)] = "1"
	}
	return md
}

// TestNumbersInRange checks that metadata numbers are bounded so that the
// served value stays finite and KEDA's int64 TargetSize fits.
func TestNumbersInRange(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	for _, tc := range []struct {
		name string
		md   map[string]string
		key  string
	}{
		{name: "huge targetPerPod", md: fastMeta("targetPerPod", "1e308"), key: "targetPerPod"},
		{name: "targetPerPod past int64", md: fastMeta("targetPerPod", "1e19"), key: "targetPerPod"},
		{name: "huge activationValue", md: fastMeta("activationValue", "1e300"), key: "activationValue"},
		{name: "huge maxScaleUpPerMinute", md: fastMeta("maxScaleUpPerMinute", "1e300"), key: "maxScaleUpPerMinute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.GetMetricSpec(context.Background(), ref("web", tc.md))
			require.Equal(t, codes.InvalidArgument, status.Code(err), "error %v", err)
			assert.Contains(t, err.Error(), `"`+tc.key+`"`)
		})
	}
	for _, tc := range []struct {
		name string
		md   map[string]string
	}{
		{name: "largest targetPerPod", md: fastMeta("targetPerPod", "1e12", "minReplicas", "1000000", "mode", "reactive")},
		{name: "most minReplicas", md: fastMeta("minReplicas", "1000000", "mode", "reactive")},
		{name: "most minReplicas, predictive", md: fastMeta("minReplicas", "1000000", "maxScaleUpPerMinute", "1000")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ref("web-"+strings.ReplaceAll(strings.ToLower(tc.name), " ", "-"), tc.md)
			r.Name = strings.ReplaceAll(r.Name, ",", "")
			spec, err := c.GetMetricSpec(context.Background(), r)
			require.NoError(t, err)
			s := spec.MetricSpecs[0]
			assert.Greater(t, s.TargetSize, int64(0))
			assert.InDelta(t, s.TargetSizeFloat, float64(s.TargetSize), 1)
			m, err := c.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: r, MetricName: s.MetricName})
			require.NoError(t, err)
			v := m.MetricValues[0]
			assert.False(t, math.IsInf(v.MetricValueFloat, 0) || math.IsNaN(v.MetricValueFloat), "served %v", v.MetricValueFloat)
			assert.GreaterOrEqual(t, v.MetricValue, int64(0), "served %v", v.MetricValueFloat)
		})
	}
}
