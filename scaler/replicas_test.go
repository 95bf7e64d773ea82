package scaler

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeReplicas answers the replicas of the HPAs it holds, by
// namespace/name, and counts the calls.
type fakeReplicas struct {
	mu    sync.Mutex
	hpas  map[string]int
	calls int
}

func (f *fakeReplicas) Replicas(_ context.Context, namespace, name string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	n, ok := f.hpas[namespace+"/"+name]
	if !ok {
		return 0, errors.New("not found")
	}
	return n, nil
}

// TestHPAToleranceServed checks that a trigger with hpaTolerance reads the
// running replicas from the HPA KEDA names after the ScaledObject (or
// hpaName) and raises a value the HPA would leave alone past its
// tolerance; that with the replicas unknown it serves the tolerance as
// headroom; and that without hpaTolerance nothing is read.
func TestHPAToleranceServed(t *testing.T) {
	at := time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC) // live demand 1000
	tests := []struct {
		name      string
		meta      []string
		hpas      map[string]int
		noReader  bool
		want      float64
		wantCalls int
		reason    string
		wantHPA   string // explain's hpaName, empty without hpaTolerance
	}{
		{"KEDA's HPA name", []string{"hpaTolerance", "0.1"}, map[string]int{"shop/keda-hpa-api": 10}, false, 1045.001, 1, "10 running replicas", "keda-hpa-api"},
		{"hpaName", []string{"hpaTolerance", "0.1", "hpaName", "api-v2"}, map[string]int{"shop/api-v2": 10}, false, 1045.001, 1, "10 running replicas", "api-v2"},
		{"past the tolerance already", []string{"hpaTolerance", "0.1"}, map[string]int{"shop/keda-hpa-api": 9}, false, 1000, 1, "live demand", "keda-hpa-api"},
		{"replicas unreadable", []string{"hpaTolerance", "0.1"}, nil, false, 1100, 1, "running replicas unknown", "keda-hpa-api"},
		{"no reader", []string{"hpaTolerance", "0.1"}, nil, true, 1100, 0, "running replicas unknown", "keda-hpa-api"},
		{"no hpaTolerance", nil, map[string]int{"shop/keda-hpa-api": 10}, false, 1000, 0, "live demand", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reader := &fakeReplicas{hpas: tc.hpas}
			e := newTestEnv(t, at, func(o *Options) {
				if !tc.noReader {
					o.Replicas = reader
				}
			})
			r := ref("api", fastMeta(append([]string{"targetPerPod", "95"}, tc.meta...)...))
			tg := e.target(t, r)
			c := grpcClient(t, e.srv)
			spec, err := c.GetMetricSpec(context.Background(), r)
			require.NoError(t, err)
			var m *externalscaler.GetMetricsResponse
			for range 2 {
				m, err = c.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: r, MetricName: spec.MetricSpecs[0].MetricName})
				require.NoError(t, err)
				require.Len(t, m.MetricValues, 1)
				assert.InDelta(t, tc.want, m.MetricValues[0].MetricValueFloat, 1e-9)
			}
			assert.Equal(t, 2*tc.wantCalls, reader.calls)
			warned := 0
			if tc.wantCalls > 0 && tc.hpas == nil {
				warned = 1 // once for the two failed reads
			}
			assert.Equal(t, warned, strings.Count(e.logs.String(), "reading the running replicas"))
			tg.mu.Lock()
			reasons := tg.last.Reasons()
			tg.mu.Unlock()
			assert.Contains(t, reasons[len(reasons)-1], tc.reason)
			ex := e.srv.explain(tg)
			assert.Equal(t, tc.wantHPA, ex.HPAName)
			if tc.wantHPA != "" {
				assert.Equal(t, 0.1, ex.HPATolerance)
			} else {
				assert.Zero(t, ex.HPATolerance)
			}
		})
	}
}
