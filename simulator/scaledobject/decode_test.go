package scaledobject

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/field"
	"github.com/prescale-dev/prescale/simulator"
)

// TestExamplesDecode decodes and maps every file of deploy/examples that
// holds a ScaledObject, and checks the mapped settings are valid for the
// simulator.
func TestExamplesDecode(t *testing.T) {
	root := filepath.Join("..", "..", "deploy", "examples")
	n := 0
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		doc, err := Load(path, "")
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			require.NoError(t, err)
			r, err := doc.Map(simulator.DefaultSettings())
			require.NoError(t, err)
			s := r.Settings
			s.Pods.Capacity = 1
			require.NoError(t, s.Validate(), "settings mapped from %s", path)
			assert.NotEmpty(t, r.Triggers)
		})
		return nil
	})
	require.NoError(t, err)
	require.GreaterOrEqual(t, n, 5, "example ScaledObjects found")
}

// TestBadFiles checks that every problem of each testdata/*.bad.yaml is
// reported with its line, its path and the right sentinel.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file        string
		want        []string // substrings of one error each, in order
		unsupported bool     // some error wraps ErrNotSupported
		valid       bool     // no error wraps ErrInvalid
		sentinel    error    // when set, errors.Is(err, sentinel)
	}{
		{file: "unknown-field", want: []string{
			"unknown-field.bad.yaml:8: spec.minReplicas: unknown field: did you mean minReplicaCount?",
			"unknown-field.bad.yaml:9: spec.pollInterval: unknown field: did you mean pollingInterval?",
			"unknown-field.bad.yaml:12: spec.advanced.horizontalPodAutoscalerConfig.behaviour: unknown field: did you mean behavior?",
			"unknown-field.bad.yaml:17: spec.triggers[0].metricTyp: unknown field: did you mean metricType?",
		}},
		{file: "wrong-types", want: []string{
			`wrong-types.bad.yaml:8: spec.maxReplicaCount: must be an integer, not a string ("ten")`,
			`wrong-types.bad.yaml:9: spec.cooldownPeriod: must be an integer, not a number ("1.5")`,
			"wrong-types.bad.yaml:10: spec.pollingInterval: 99999999999 does not fit in a 32-bit integer",
			`wrong-types.bad.yaml:15: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance: must be a quantity such as 0.05 or "50m", not "lots"`,
			"wrong-types.bad.yaml:18: spec.triggers[0].useCachedMetrics: must be true or false, not a string",
			`wrong-types.bad.yaml:22: spec.triggers[0].metadata.targetPerPod: must be a string, not an integer: quote it ("80")`,
			`wrong-types.bad.yaml:23: spec.triggers[0].metadata.enableTLS: must be a string, not a boolean: quote it ("yes")`,
			"wrong-types.bad.yaml:24: spec.triggers[1].metadata: must be a mapping, not a list",
		}},
		{file: "required", want: []string{
			"required.bad.yaml:7: spec.minReplicaCount: duplicate key (first on line 6)",
			"required.bad.yaml:9: spec.fallback.replicas: required",
			"required.bad.yaml:12: spec.triggers[0].type: required",
			"required.bad.yaml:5: spec.scaleTargetRef: required",
		}},
		{file: "idle-not-below-min", want: []string{
			"idle-not-below-min.bad.yaml:9: spec.idleReplicaCount: KEDA rejects the replica bounds: IdleReplicaCount=2 must be less than MinReplicaCount=2",
		}},
		{file: "fallback-cpu", unsupported: true, want: []string{
			"fallback-cpu.bad.yaml:8: spec.fallback: KEDA rejects the fallback: at least one trigger (that is not cpu or memory)",
			`fallback-cpu.bad.yaml:12: spec.triggers[0].type: trigger type "cpu"`,
		}},
		{file: "behavior", want: []string{
			"behavior.bad.yaml:13: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.stabilizationWindowSeconds: 4000: must be in [0,3600]",
			`behavior.bad.yaml:12: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.selectPolicy: "Fastest": must be Max, Min or Disabled`,
			`behavior.bad.yaml:15: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].type: "Replicas": must be Pods or Percent`,
			"behavior.bad.yaml:16: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].value: 0: must be greater than zero",
			"behavior.bad.yaml:17: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].periodSeconds: 3600: must be in [1,1800]",
			"behavior.bad.yaml:20: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies: must hold at least one policy",
			"behavior.bad.yaml:21: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.tolerance: -0.1: must not be negative",
		}},
		{file: "metadata", unsupported: true, want: []string{
			"metadata.bad.yaml:14: spec.triggers[0].metadata.leadtime: unknown key of prescale's scaler: did you mean leadTime?",
			"metadata.bad.yaml:15: spec.triggers[0].metadata.quantile: must be between 0.5 and 0.99",
			"metadata.bad.yaml:10: spec.triggers[0].metadata.targetPerPod: required",
			"metadata.bad.yaml:13: spec.triggers[0].metadata.targetPerPods: unknown key of prescale's scaler: did you mean targetPerPod?",
			`metadata.bad.yaml:21: spec.triggers[1].metadata.threshold: "-1": want a positive number`,
			`metadata.bad.yaml:22: spec.triggers[1].metadata.activationThreshold: "lots": want a number`,
			`metadata.bad.yaml:26: spec.triggers[2].metadata.start: "0 25 * * *"`,
			`metadata.bad.yaml:27: spec.triggers[2].metadata.end: "0 25 * * *"`,
			"metadata.bad.yaml:27: spec.triggers[2].metadata.end: the same as start",
			`metadata.bad.yaml:25: spec.triggers[2].metadata.timezone: "Mars/Olympus"`,
			`metadata.bad.yaml:28: spec.triggers[2].metadata.desiredReplicas: "0": want a positive integer`,
			"metadata.bad.yaml:30: spec.triggers[3].metadata.scalerAddress: required",
			"metadata.bad.yaml:17: spec.triggers[1].useCachedMetrics: true where spec.triggers[0] has false",
		}},
		{file: "unsupported", unsupported: true, valid: true, want: []string{
			"unsupported.bad.yaml:11: spec.advanced.scalingModifiers: a formula combining the triggers: not supported by the simulator",
			"unsupported.bad.yaml:5: metadata.annotations: pausing the ScaledObject",
			`unsupported.bad.yaml:19: spec.triggers[0].type: trigger type "kafka"`,
			"unsupported.bad.yaml:25: spec.triggers[1].metricType: a cron trigger with a Value target",
			`unsupported.bad.yaml:35: spec.triggers[2].metadata.targetPerPodFromEnv: reading targetPerPod from the workload's environment variable "TARGET_PER_POD"`,
			"unsupported.bad.yaml:17: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.tolerance: 1.5: a tolerance of 1 or more",
		}},
		{file: "several", sentinel: ErrAmbiguous, want: []string{
			`several.bad.yaml: several ScaledObjects: choose one by name: the file holds "first" (line 1), "second" (line 15)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file+".bad.yaml")
			doc, err := Load(path, "")
			if err == nil {
				_, err = doc.Map(simulator.DefaultSettings())
			}
			require.Error(t, err, "%s maps without error", path)
			errs := flatten(err)
			require.Len(t, errs, len(tt.want), "errors of %s:\n%v", path, err)
			for i, w := range tt.want {
				assert.Contains(t, errs[i].Error(), w, "error %d of %s", i, path)
				var fe *field.Error
				assert.True(t, errors.As(errs[i], &fe), "error %d of %s is not a *field.Error", i, path)
			}
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
				return
			}
			assert.Equal(t, !tt.valid, errors.Is(err, ErrInvalid), "ErrInvalid in %v", err)
			assert.Equal(t, tt.unsupported, errors.Is(err, ErrNotSupported), "ErrNotSupported in %v", err)
		})
	}
}

// TestChoose picks a ScaledObject by name among several, and reports a
// missing one.
func TestChoose(t *testing.T) {
	path := filepath.Join("testdata", "several.bad.yaml")
	tests := []struct {
		name    string
		wantMax int
		wantErr error
		msg     string
	}{
		{name: "first", wantMax: 100},
		{name: "second", wantMax: 7},
		{name: "third", wantErr: ErrNotFound, msg: `no ScaledObject named "third": the file holds "first" (line 1), "second" (line 15)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Load(path, tt.name)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Contains(t, err.Error(), tt.msg)
				return
			}
			require.NoError(t, err)
			r, err := doc.Map(simulator.DefaultSettings())
			require.NoError(t, err)
			assert.Equal(t, tt.name, r.Name)
			assert.Equal(t, tt.wantMax, r.Settings.KEDA.MaxReplicaCount)
		})
	}
}

// TestDecodeDocuments covers what is not a ScaledObject to decode.
func TestDecodeDocuments(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       error
		msg        string
	}{
		{"empty", "", ErrNotFound, "no ScaledObject of kind ScaledObject in the file's 0 documents"},
		{"comments only", "# nothing\n---\n# still nothing\n", ErrNotFound, "0 documents"},
		{"other kinds", "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: apps/v1\nkind: Deployment\n", ErrNotFound, "2 documents"},
		{"not YAML", "kind: [", ErrInvalid, "so.yaml: parsing YAML"},
		{"wrong apiVersion", "apiVersion: keda.sh/v1\nkind: ScaledObject\nspec: {scaleTargetRef: {name: a}, triggers: []}\n", ErrInvalid,
			`so.yaml:1: apiVersion: a ScaledObject must be keda.sh/v1alpha1, not "keda.sh/v1"`},
		{"no spec", "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: a}\n", ErrInvalid, "so.yaml:1: spec: required"},
		{"spec not a mapping", "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec: 3\n", ErrInvalid, "so.yaml:3: spec: must be a mapping, not an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.yaml), "so.yaml", "")
			require.ErrorIs(t, err, tt.want)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// TestAnchorsAndMerges reads YAML anchors and merge keys as
// sigs.k8s.io/yaml does.
func TestAnchorsAndMerges(t *testing.T) {
	const y = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: anchors}
spec:
  scaleTargetRef: {name: web}
  maxReplicaCount: &max 12
  triggers:
  - type: prometheus
    metadata: &prom
      serverAddress: http://prometheus:9090
      query: up
      threshold: "4"
  - type: prometheus
    name: again
    metadata:
      <<: *prom
`
	doc, err := Decode([]byte(y), "so.yaml", "")
	require.NoError(t, err)
	r, err := doc.Map(simulator.DefaultSettings())
	require.NoError(t, err)
	assert.Equal(t, 12, r.Settings.KEDA.MaxReplicaCount)
	require.Len(t, r.Triggers, 2)
	assert.Equal(t, 4.0, r.Triggers[0].Prometheus.Threshold)
	assert.Equal(t, 4.0, r.Triggers[1].Prometheus.Threshold)
	assert.Equal(t, "up", r.Triggers[1].Prometheus.Query)

	overridden := strings.Replace(y, "      <<: *prom\n", "      <<: *prom\n      threshold: \"8\"\n", 1)
	_, err = Decode([]byte(overridden), "so.yaml", "")
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "so.yaml:17: spec.triggers[1].metadata.threshold: set twice: also by the merge key (<<) on line 16")
}

func TestSuggest(t *testing.T) {
	known := []string{"minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod", "triggers", "fallback"}
	tests := []struct{ in, want string }{
		{"MinReplicaCount", ": did you mean minReplicaCount?"},
		{"maxReplicas", ": did you mean maxReplicaCount?"},
		{"cooldown", ": did you mean cooldownPeriod?"},
		{"trigger", ": did you mean triggers?"},
		{"fallbak", ": did you mean fallback?"},
		{"replicas", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, didYouMean(tt.in, known), "didYouMean(%q)", tt.in)
	}
}
