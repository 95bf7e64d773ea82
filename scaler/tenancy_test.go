package scaler

import (
	"context"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/prescale-dev/prescale/pkg/metricsource/promtest"
)

// TestTenancy serves a configuration whose Prometheus holds the demand of
// two namespaces and a series of Prometheus itself, and checks what a
// ScaledObject of each namespace can read through the scaler.
func TestTenancy(t *testing.T) {
	prom := promtest.Start(t)
	at := time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)
	series := func(name string, labels map[string]string, v float64) promtest.Series {
		var smp []promtest.Sample
		for d := 10 * time.Minute; d >= 0; d -= time.Minute {
			smp = append(smp, promtest.Sample{Time: at.Add(-d), Value: v})
		}
		return promtest.Series{Name: name, Labels: labels, Samples: smp}
	}
	prom.Write(
		series("demand", map[string]string{"namespace": "team-a", "app": "checkout"}, 10),
		series("demand", map[string]string{"namespace": "team-b", "app": "checkout"}, 1000),
		series("process_resident_memory_bytes", map[string]string{"job": "prometheus"}, 123456789),
	)
	cfg := DefaultConfig()
	cfg.Replays, cfg.Calendars = nil, nil
	cfg.Prometheus = []PrometheusServer{
		{Name: "main", Address: prom.URL(), Tenancy: TenancyConfig{UnconfinedNamespaces: []string{"platform"}}},
		{Name: "templated", Address: prom.URL(), Tenancy: TenancyConfig{Templates: []QueryTemplate{
			{Name: "rps", Query: `sum(demand{app="${app}"})`},
		}}},
	}
	run := serveConfig(t, cfg, func() time.Time { return at })
	c := externalscaler.NewExternalScalerClient(dial(t, run.svc.GRPCAddr().String(), nil))

	poll := func(ns string, md map[string]string) (float64, error) {
		md["targetPerPod"], md["mode"] = "1", "reactive"
		r := &externalscaler.ScaledObjectRef{Namespace: ns, Name: "web", ScalerMetadata: md}
		spec, err := c.GetMetricSpec(context.Background(), r)
		if err != nil {
			return 0, err
		}
		m, err := c.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: r, MetricName: spec.MetricSpecs[0].MetricName})
		if err != nil {
			return 0, err
		}
		return m.MetricValues[0].MetricValueFloat, nil
	}
	cases := []struct {
		name, ns string
		md       map[string]string
		want     float64
		code     codes.Code
		message  string
	}{
		{name: "own namespace only", ns: "team-a", md: map[string]string{"prometheus": "main", "query": "sum(demand)"}, want: 10},
		{name: "the other namespace", ns: "team-b", md: map[string]string{"prometheus": "main", "query": "sum(demand)"}, want: 1000},
		{name: "Prometheus' own series are out of reach", ns: "team-a",
			md: map[string]string{"prometheus": "main", "query": `max(process_resident_memory_bytes{job="prometheus"})`}, code: codes.Unavailable},
		{name: "unconfined namespace reads cluster-wide series", ns: "platform",
			md: map[string]string{"prometheus": "main", "query": `max(process_resident_memory_bytes{job="prometheus"})`}, want: 123456789},
		{name: "asking for another namespace", ns: "team-a",
			md:   map[string]string{"prometheus": "main", "query": `sum(demand{namespace="team-b"})`},
			code: codes.InvalidArgument, message: "selects another tenant's series"},
		{name: "rewriting the namespace label", ns: "team-a",
			md:   map[string]string{"prometheus": "main", "query": `sum(label_replace(demand, "namespace", "x", "", ""))`},
			code: codes.InvalidArgument, message: "rewrites the tenant label"},
		{name: "not PromQL", ns: "team-a", md: map[string]string{"prometheus": "main", "query": `sum(`},
			code: codes.InvalidArgument, message: "does not parse"},
		{name: "template", ns: "team-a",
			md: map[string]string{"prometheus": "templated", "queryTemplate": "rps", "templateArgs": "app=checkout"}, want: 10},
		{name: "written query on a templated source", ns: "team-a",
			md:   map[string]string{"prometheus": "templated", "query": "sum(demand)"},
			code: codes.InvalidArgument, message: "accepts only its named templates"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := poll(tc.ns, tc.md)
			if tc.code != codes.OK {
				require.Error(t, err, "served %v", got)
				assert.Equal(t, tc.code, status.Code(err), "error %v", err)
				assert.Contains(t, status.Convert(err).Message(), tc.message)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
