package scaledobject

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/simulator"
)

// manifestWith returns a ScaledObject of one prometheus trigger with the
// given annotations and advanced section (YAML, indented under spec).
func manifestWith(annotations, advanced string) string {
	return `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: b
` + annotations + `spec:
  scaleTargetRef: {name: web}
` + advanced + `  triggers:
  - type: prometheus
    metadata: {serverAddress: "http://p:9090", query: up, threshold: "1"}
`
}

// TestBehavior maps HPA behaviors as KEDA and the API server make them.
func TestBehavior(t *testing.T) {
	s := 15 * time.Second
	up := simulator.Rules{Select: simulator.SelectMax, Policies: []simulator.RateLimit{
		{Kind: simulator.PodsPolicy, Value: 4, Period: s}, {Kind: simulator.PercentPolicy, Value: 100, Period: s}}}
	down := func(window time.Duration) simulator.Rules {
		return simulator.Rules{StabilizationWindow: window, Select: simulator.SelectMax,
			Policies: []simulator.RateLimit{{Kind: simulator.PercentPolicy, Value: 100, Period: s}}}
	}
	tol := 0.05
	tests := []struct {
		name, annotations, advanced string
		want                        *simulator.Behavior
	}{
		{name: "none: nil, the controller's older path"},
		{name: "advanced without behavior", advanced: "  advanced: {horizontalPodAutoscalerConfig: {name: x}}\n"},
		{name: "empty: every default, the controller's downscale window",
			advanced: "  advanced: {horizontalPodAutoscalerConfig: {behavior: {}}}\n",
			want:     &simulator.Behavior{ScaleUp: up, ScaleDown: down(2 * time.Minute)}},
		{name: "given fields replace the defaults one by one",
			advanced: `  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleUp:
          tolerance: 50m
          policies: [{type: Percent, value: 50, periodSeconds: 60}]
        scaleDown:
          stabilizationWindowSeconds: 60
          selectPolicy: Min
`,
			want: &simulator.Behavior{
				ScaleUp: simulator.Rules{Select: simulator.SelectMax, Tolerance: &tol,
					Policies: []simulator.RateLimit{{Kind: simulator.PercentPolicy, Value: 50, Period: time.Minute}}},
				ScaleDown: simulator.Rules{StabilizationWindow: time.Minute, Select: simulator.SelectMin,
					Policies: []simulator.RateLimit{{Kind: simulator.PercentPolicy, Value: 100, Period: s}}},
			}},
		{name: "paused scale-out creates a behavior",
			annotations: "  annotations: {autoscaling.keda.sh/paused-scale-out: \"true\"}\n",
			want: &simulator.Behavior{ScaleUp: simulator.Rules{Select: simulator.SelectDisabled, Policies: up.Policies},
				ScaleDown: down(2 * time.Minute)}},
		{name: "paused scale-in false is no pause",
			annotations: "  annotations: {autoscaling.keda.sh/paused-scale-in: \"false\"}\n"},
	}
	base := simulator.DefaultSettings()
	base.HPA.DownscaleStabilization = 2 * time.Minute
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode([]byte(manifestWith(tt.annotations, tt.advanced)), "so.yaml", "")
			require.NoError(t, err)
			r, err := doc.Map(base)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Settings.HPA.Behavior)
			assert.Equal(t, base.HPA.SyncPeriod, r.Settings.HPA.SyncPeriod, "controller flags stay the base's")
			if tt.want == nil {
				assert.Contains(t, strings.Join(r.Notes, "\n"), "no advanced.horizontalPodAutoscalerConfig.behavior: KEDA leaves the HPA's behavior nil")
			}
		})
	}
}

// TestMapDoesNotModify leaves the decoded object untouched: KEDA copies
// the behavior before the annotations change it.
func TestMapDoesNotModify(t *testing.T) {
	y := manifestWith("  annotations: {autoscaling.keda.sh/paused-scale-in: \"true\"}\n",
		"  advanced: {horizontalPodAutoscalerConfig: {behavior: {scaleUp: {}}}}\n")
	doc, err := Decode([]byte(y), "so.yaml", "")
	require.NoError(t, err)
	before := doc.Object.DeepCopy()
	_, err = doc.Map(simulator.DefaultSettings())
	require.NoError(t, err)
	assert.Equal(t, before, doc.Object)
}

// TestKEDADefaults maps an object with every optional field unset, built
// in code.
func TestKEDADefaults(t *testing.T) {
	doc, err := Decode([]byte(manifestWith("", "")), "", "")
	require.NoError(t, err)
	r, err := NewDocument(doc.Object).Map(simulator.DefaultSettings())
	require.NoError(t, err)
	k := r.Settings.KEDA
	assert.Equal(t, simulator.KEDA{PollingInterval: 30 * time.Second, CooldownPeriod: 300 * time.Second, MaxReplicaCount: 100}, k)
	require.Len(t, r.Triggers, 1)
	assert.Equal(t, simulator.AverageValueMetric, r.Triggers[0].MetricType)

	_, err = NewDocument(nil).Map(simulator.DefaultSettings())
	require.ErrorIs(t, err, ErrInvalid)
}
