package apimirror

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	keda "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	mirror "github.com/prescale-dev/prescale/simulator/scaledobject/v1alpha1"
)

// root is the main module's directory.
var root = filepath.Join("..", "..", "..")

// TestTypesMatch compares the shape of the two ScaledObject types field by
// field: Go names, struct tags, field order (the JSON order) and types;
// types from outside the two packages (ObjectMeta, the HPA behavior) must
// be the very same type.
func TestTypesMatch(t *testing.T) {
	k := shape(reflect.TypeFor[keda.ScaledObject]())
	m := shape(reflect.TypeFor[mirror.ScaledObject]())
	if k != m {
		t.Errorf("the mirror's ScaledObject differs from KEDA's:\n%s", lineDiff(k, m))
	}
}

// TestConstantsMatch compares the constants the mirror copies.
func TestConstantsMatch(t *testing.T) {
	for _, c := range [][2]string{
		{keda.ScaledObjectOwnerAnnotation, mirror.ScaledObjectOwnerAnnotation},
		{keda.ScaledObjectTransferHpaOwnershipAnnotation, mirror.ScaledObjectTransferHpaOwnershipAnnotation},
		{keda.ScaledObjectExcludedLabelsAnnotation, mirror.ScaledObjectExcludedLabelsAnnotation},
		{keda.ValidationsHpaOwnershipAnnotation, mirror.ValidationsHpaOwnershipAnnotation},
		{keda.PausedReplicasAnnotation, mirror.PausedReplicasAnnotation},
		{keda.PausedAnnotation, mirror.PausedAnnotation},
		{keda.PausedScaleInAnnotation, mirror.PausedScaleInAnnotation},
		{keda.PausedScaleOutAnnotation, mirror.PausedScaleOutAnnotation},
		{keda.ForceActivationAnnotation, mirror.ForceActivationAnnotation},
		{keda.FallbackBehaviorStatic, mirror.FallbackBehaviorStatic},
		{keda.FallbackBehaviorCurrentReplicas, mirror.FallbackBehaviorCurrentReplicas},
		{keda.FallbackBehaviorCurrentReplicasIfHigher, mirror.FallbackBehaviorCurrentReplicasIfHigher},
		{keda.FallbackBehaviorCurrentReplicasIfLower, mirror.FallbackBehaviorCurrentReplicasIfLower},
		{keda.FallbackBehaviorScalingModifiers, mirror.FallbackBehaviorScalingModifiers},
		{string(keda.HealthStatusHappy), string(mirror.HealthStatusHappy)},
		{string(keda.HealthStatusFailing), string(mirror.HealthStatusFailing)},
		{keda.CompositeMetricName, mirror.CompositeMetricName},
	} {
		if c[0] != c[1] {
			t.Errorf("constant: KEDA has %q, the mirror %q", c[0], c[1])
		}
	}
}

// TestFixtures checks every ScaledObject of simulator/scaledobject's test
// files and of deploy/examples, good and bad.
func TestFixtures(t *testing.T) {
	var files []string
	for _, glob := range []string{
		filepath.Join(root, "simulator", "scaledobject", "testdata", "*.yaml"),
		filepath.Join(root, "deploy", "examples", "*.yaml"),
	} {
		f, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	n := 0
	for _, f := range files {
		docs, err := scaledObjects(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, d := range docs {
			n++
			t.Run(fmt.Sprintf("%s#%d", filepath.Base(f), i), func(t *testing.T) {
				for _, d := range check(d, d) {
					t.Error(d)
				}
			})
		}
	}
	if n < 15 {
		t.Fatalf("found %d ScaledObjects in %d files, want at least 15", n, len(files))
	}
}

// TestTrickyCases checks ScaledObjects at the edges of KEDA's rules; want
// is a part of the error KEDA's validations report, empty for none, so
// that the table keeps exercising the error paths.
func TestTrickyCases(t *testing.T) {
	const prom = "  triggers: [{type: prometheus, metadata: {serverAddress: 'http://p:9090', query: up, threshold: '1'}}]\n"
	const cpu = "  triggers: [{type: cpu, metricType: Utilization, metadata: {value: '60'}}, {type: memory, metadata: {value: '60'}}]\n"
	tests := []struct {
		name, annotations, spec, want string
	}{
		{name: "defaults", spec: prom},
		{name: "min above max", spec: "  minReplicaCount: 5\n  maxReplicaCount: 3\n" + prom, want: "MinReplicaCount=5 must be less than MaxReplicaCount=3"},
		{name: "min equals max", spec: "  minReplicaCount: 3\n  maxReplicaCount: 3\n" + prom},
		{name: "min above the default max", spec: "  minReplicaCount: 150\n" + prom, want: "MinReplicaCount=150 must be less than MaxReplicaCount=100"},
		{name: "min 0 and max 0", spec: "  minReplicaCount: 0\n  maxReplicaCount: 0\n" + prom, want: "MinReplicaCount=1 must be less than MaxReplicaCount=0"},
		{name: "max 0 without min", spec: "  maxReplicaCount: 0\n" + prom},
		{name: "negative max", spec: "  maxReplicaCount: -1\n" + prom, want: "MinReplicaCount=0 must be less than MaxReplicaCount=-1"},
		{name: "idle 0 without min", spec: "  idleReplicaCount: 0\n" + prom, want: "IdleReplicaCount=0 must be less than MinReplicaCount=0"},
		{name: "idle 0 with min 0", spec: "  idleReplicaCount: 0\n  minReplicaCount: 0\n" + prom},
		{name: "idle equals min", spec: "  idleReplicaCount: 2\n  minReplicaCount: 2\n" + prom, want: "IdleReplicaCount=2 must be less than MinReplicaCount=2"},
		{name: "idle below min", spec: "  idleReplicaCount: 1\n  minReplicaCount: 3\n" + prom},
		{name: "negative min with idle", spec: "  idleReplicaCount: 1\n  minReplicaCount: -2\n" + prom, want: "IdleReplicaCount=1 must be less than MinReplicaCount=1"},
		{name: "negative idle", spec: "  idleReplicaCount: -1\n" + prom},
		{name: "min and idle above max", spec: "  idleReplicaCount: 9\n  minReplicaCount: 8\n  maxReplicaCount: 4\n" + prom, want: "MinReplicaCount=8"},
		{name: "fallback", spec: "  fallback: {failureThreshold: 3, replicas: 6, behavior: currentReplicasIfHigher}\n" + prom},
		{name: "fallback of zeros", spec: "  fallback: {failureThreshold: 0, replicas: 0}\n" + prom},
		{name: "fallback negative threshold", spec: "  fallback: {failureThreshold: -1, replicas: 6}\n" + prom, want: "FailureThreshold=-1 & Replicas=6 must both be greater than or equal to 0"},
		{name: "fallback negative replicas", spec: "  fallback: {failureThreshold: 2, replicas: -3}\n" + cpu, want: "FailureThreshold=2 & Replicas=-3"},
		{name: "fallback on cpu and memory", spec: "  fallback: {failureThreshold: 3, replicas: 6}\n" + cpu, want: "at least one trigger (that is not cpu or memory)"},
		{name: "fallback on cpu and prometheus", spec: "  fallback: {failureThreshold: 3, replicas: 6}\n" +
			"  triggers: [{type: cpu, metadata: {value: '60'}}, {type: prometheus, metadata: {query: up}}]\n"},
		{name: "fallback on cpu with a formula", spec: "  fallback: {failureThreshold: 3, replicas: 6, behavior: scalingModifiers}\n" +
			"  advanced: {scalingModifiers: {formula: 'a + b', target: '10', activationTarget: '1', metricType: AverageValue}}\n" + cpu},
		{name: "fallback on cpu with a modifier's metricType only", spec: "  fallback: {failureThreshold: 3, replicas: 6}\n" +
			"  advanced: {scalingModifiers: {metricType: Value}}\n" + cpu},
		{name: "fallback on cpu with empty modifiers", spec: "  fallback: {failureThreshold: 3, replicas: 6}\n" +
			"  advanced: {scalingModifiers: {}, restoreToOriginalReplicaCount: true}\n" + cpu, want: "at least one trigger"},
		{name: "fallback without triggers", spec: "  fallback: {failureThreshold: 3, replicas: 6}\n  triggers: []\n", want: "no triggers defined in the ScaledObject/ScaledJob"},
		{name: "no triggers", spec: "  triggers: []\n", want: "no triggers defined"},
		{name: "null triggers", spec: "  triggers: null\n", want: "no triggers defined"},
		{name: "duplicate trigger names", spec: "  triggers: [{type: prometheus, name: a, metadata: {}}, {type: external, name: b, metadata: {}}, {type: cron, name: a, metadata: {}}]\n",
			want: `triggerName "a" is defined multiple times in the ScaledObject/ScaledJob, but it must be unique`},
		{name: "empty names twice", spec: "  triggers: [{type: prometheus, name: '', metadata: {}}, {type: prometheus, metadata: {}}]\n"},
		{name: "names differing in case", spec: "  triggers: [{type: prometheus, name: a, metadata: {}}, {type: prometheus, name: A, metadata: {}}]\n"},
		{name: "cached cpu", spec: "  triggers: [{type: cpu, useCachedMetrics: true, metadata: {value: '5'}}]\n", want: `property "useCachedMetrics" is not supported for "cpu" scaler`},
		{name: "cached memory", spec: "  triggers: [{type: prometheus, metadata: {}}, {type: memory, useCachedMetrics: true, metadata: {}}]\n", want: `"memory" scaler`},
		{name: "cached cron after a duplicate name", spec: "  triggers: [{type: prometheus, name: a, metadata: {}}, {type: cron, name: a, useCachedMetrics: true, metadata: {}}]\n",
			want: `property "useCachedMetrics" is not supported for "cron" scaler`},
		{name: "cached prometheus and external", spec: "  minReplicaCount: 2\n  triggers: [{type: prometheus, useCachedMetrics: true, metadata: {}}, {type: external, useCachedMetrics: false, metadata: {}}]\n"},
		{name: "HPA observations", spec: "  minReplicaCount: 2\n" + prom},
		{name: "HPA observations with modifiers", spec: "  minReplicaCount: 2\n  advanced: {scalingModifiers: {formula: x}}\n" + prom},
		{name: "annotations true", annotations: "  annotations: {autoscaling.keda.sh/paused: 'true', autoscaling.keda.sh/force-activation: 'TRUE', autoscaling.keda.sh/paused-scale-in: '1', autoscaling.keda.sh/paused-scale-out: t}\n", spec: prom},
		{name: "annotations false", annotations: "  annotations: {autoscaling.keda.sh/paused: 'false', autoscaling.keda.sh/force-activation: '0', autoscaling.keda.sh/paused-scale-in: 'False', autoscaling.keda.sh/paused-scale-out: 'no'}\n", spec: prom},
		{name: "annotations not booleans", annotations: "  annotations: {autoscaling.keda.sh/paused: 'maybe', autoscaling.keda.sh/paused-scale-out: ''}\n", spec: prom},
		{name: "paused replicas", annotations: "  annotations: {autoscaling.keda.sh/paused-replicas: '0', autoscaling.keda.sh/paused: 'false'}\n", spec: prom},
		{name: "every field", annotations: "  labels: {app: web}\n  annotations: {scaledobject.keda.sh/transfer-hpa-ownership: 'true'}\n", spec: "" +
			"  scaleTargetRef: {name: web, apiVersion: apps/v1, kind: StatefulSet, envSourceContainerName: app}\n" +
			"  pollingInterval: 15\n  initialCooldownPeriod: 60\n  cooldownPeriod: 120\n  idleReplicaCount: 0\n  minReplicaCount: 1\n  maxReplicaCount: 20\n" +
			"  advanced:\n    restoreToOriginalReplicaCount: true\n    horizontalPodAutoscalerConfig:\n      name: web-hpa\n      behavior:\n" +
			"        scaleUp: {stabilizationWindowSeconds: 0, selectPolicy: Max, tolerance: 50m, policies: [{type: Pods, value: 4, periodSeconds: 15}]}\n" +
			"        scaleDown: {stabilizationWindowSeconds: 300, policies: [{type: Percent, value: 10, periodSeconds: 60}]}\n" +
			"  fallback: {failureThreshold: 3, replicas: 6, behavior: static}\n" +
			"  triggers: [{type: external, name: p, useCachedMetrics: true, metricType: Value, metadata: {scalerAddress: 'prescale:9090'}, authenticationRef: {name: tls, kind: ClusterTriggerAuthentication}}]\n" +
			"status:\n  scaleTargetKind: apps/v1.StatefulSet\n  scaleTargetGVKR: {group: apps, version: v1, kind: StatefulSet, resource: statefulsets}\n" +
			"  originalReplicaCount: 3\n  lastActiveTime: '2026-01-02T03:04:05Z'\n  externalMetricNames: [s0-p]\n  resourceMetricNames: []\n" +
			"  compositeScalerName: c\n  conditions: [{type: Ready, status: 'True', reason: ScaledObjectReady, message: ok}]\n" +
			"  health: {s0-p: {numberOfFailures: 2, status: Failing}}\n  triggersActivity: {s0-p: {isActive: true}}\n" +
			"  pausedReplicaCount: 1\n  hpaName: keda-hpa-web\n  triggersTypes: external\n  authenticationsTypes: tls\n"},
		{name: "unknown field", spec: "  minReplicas: 2\n" + prom},
		{name: "wrong type", spec: "  maxReplicaCount: ten\n" + prom},
		{name: "wrong type in status", spec: prom + "status: {health: {a: {numberOfFailures: x}}}\n"},
		{name: "metadata not strings", spec: "  triggers: [{type: prometheus, metadata: {threshold: 5}}]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			if !strings.Contains(spec, "scaleTargetRef:") {
				spec = "  scaleTargetRef: {name: web}\n" + spec
			}
			y := []byte("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: so\n  namespace: shop\n" +
				tt.annotations + "spec:\n" + spec)
			for _, d := range check(y, y) {
				t.Error(d)
			}
			var so keda.ScaledObject
			if err := sigsyaml.Unmarshal(y, &so); err != nil {
				if tt.want != "" {
					t.Fatalf("decoding: %v", err)
				}
				return
			}
			got := fmt.Sprint(errors.Join(keda.CheckReplicaCountBoundsAreValid(&so), keda.ValidateTriggers(so.Spec.Triggers), keda.CheckFallbackValid(&so)))
			switch {
			case tt.want == "" && got != "<nil>":
				t.Errorf("KEDA rejects the case: %s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("KEDA reports %q, want %q in it", got, tt.want)
			}
		})
	}
}

// TestCheckCanFail feeds check different documents for KEDA and the
// mirror: it must report the differences.
func TestCheckCanFail(t *testing.T) {
	base := "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: so}\nspec:\n  scaleTargetRef: {name: web}\n  triggers: [{type: cpu, metadata: {}}]\n"
	diffs := strings.Join(check([]byte(base+"  minReplicaCount: 3\n"), []byte(base+"  minReplicaCount: 3\n  maxReplicaCount: 2\n  fallback: {failureThreshold: 1, replicas: 1}\n")), "\n")
	for _, want := range []string{"JSON:", "CheckReplicaCountBoundsAreValid:", "CheckFallbackValid:", "helpers:"} {
		if !strings.Contains(diffs, want) {
			t.Errorf("check does not report %q; it reports:\n%s", want, diffs)
		}
	}
	if diffs := check([]byte(base), []byte(base+"  bogus: 1\n")); len(diffs) == 0 || !strings.Contains(diffs[0], "strict decoding") {
		t.Errorf("check does not report a decoding difference: %q", diffs)
	}
	type fallback struct {
		FailureThreshold int32 `json:"failureThreshold"`
		Replicas         int32 `json:"replicas,omitempty"`
		Behavior         string
	}
	if shape(reflect.TypeFor[keda.Fallback]()) == shape(reflect.TypeFor[fallback]()) {
		t.Error("shape does not tell a different tag or type name")
	}
}

// check decodes kedaYAML into KEDA's type and mirrorYAML into the mirror's
// (the same document but in TestCheckCanFail) and returns every
// difference: in strict decoding, in the JSON each marshals to, in the
// JSON each re-decodes from the other's, in the three validations and in
// the helpers simulator/scaledobject reads.
func check(kedaYAML, mirrorYAML []byte) []string {
	var diffs []string
	var k keda.ScaledObject
	var m mirror.ScaledObject
	ek, em := sigsyaml.UnmarshalStrict(kedaYAML, &k), sigsyaml.UnmarshalStrict(mirrorYAML, &m)
	if fmt.Sprint(ek) != fmt.Sprint(em) {
		diffs = append(diffs, fmt.Sprintf("strict decoding: KEDA's type: %v; the mirror: %v", ek, em))
	}
	if ek != nil || em != nil {
		// What a lenient decoder makes of it must agree too.
		k, m = keda.ScaledObject{}, mirror.ScaledObject{}
		ek, em = sigsyaml.Unmarshal(kedaYAML, &k), sigsyaml.Unmarshal(mirrorYAML, &m)
		if fmt.Sprint(ek) != fmt.Sprint(em) {
			diffs = append(diffs, fmt.Sprintf("decoding: KEDA's type: %v; the mirror: %v", ek, em))
		}
		if ek != nil || em != nil {
			return diffs
		}
	}
	jk, errK := json.Marshal(&k)
	jm, errM := json.Marshal(&m)
	if errK != nil || errM != nil {
		return append(diffs, fmt.Sprintf("marshaling: KEDA's type: %v; the mirror: %v", errK, errM))
	}
	if !bytes.Equal(jk, jm) {
		diffs = append(diffs, fmt.Sprintf("JSON: KEDA's type: %s\nthe mirror: %s", jk, jm))
	}
	var k2 keda.ScaledObject
	var m2 mirror.ScaledObject
	if err := sigsyaml.UnmarshalStrict(jm, &k2); err != nil {
		diffs = append(diffs, fmt.Sprintf("KEDA's type does not decode the mirror's JSON: %v", err))
	} else if j, _ := json.Marshal(&k2); !bytes.Equal(j, jm) {
		diffs = append(diffs, fmt.Sprintf("JSON round trip through KEDA's type: %s\nnot %s", j, jm))
	}
	if err := sigsyaml.UnmarshalStrict(jk, &m2); err != nil {
		diffs = append(diffs, fmt.Sprintf("the mirror does not decode KEDA's JSON: %v", err))
	} else if j, _ := json.Marshal(&m2); !bytes.Equal(j, jk) {
		diffs = append(diffs, fmt.Sprintf("JSON round trip through the mirror: %s\nnot %s", j, jk))
	}
	if jc, _ := json.Marshal(m.DeepCopy()); !bytes.Equal(jc, jm) {
		diffs = append(diffs, fmt.Sprintf("the mirror's DeepCopy: %s\nnot %s", jc, jm))
	}
	for _, v := range []struct {
		name string
		k, m error
	}{
		{"CheckReplicaCountBoundsAreValid", keda.CheckReplicaCountBoundsAreValid(&k), mirror.CheckReplicaCountBoundsAreValid(&m)},
		{"ValidateTriggers", keda.ValidateTriggers(k.Spec.Triggers), mirror.ValidateTriggers(m.Spec.Triggers)},
		{"CheckFallbackValid", keda.CheckFallbackValid(&k), mirror.CheckFallbackValid(&m)},
	} {
		if fmt.Sprint(v.k) != fmt.Sprint(v.m) {
			diffs = append(diffs, fmt.Sprintf("%s: KEDA: %v; the mirror: %v", v.name, v.k, v.m))
		}
	}
	hk := fmt.Sprint(k.GetHPAMaxReplicas(), *k.GetHPAMinReplicas(), k.IsUsingModifiers(), k.NeedToBePausedByAnnotation(),
		k.NeedToForceActivation(), k.NeedToPauseScaleIn(), k.NeedToPauseScaleOut(), k.IsPollingIntervalRelevant(),
		k.UsesHPAObservations(), k.FallbackScalingModifiers())
	hm := fmt.Sprint(m.GetHPAMaxReplicas(), *m.GetHPAMinReplicas(), m.IsUsingModifiers(), m.NeedToBePausedByAnnotation(),
		m.NeedToForceActivation(), m.NeedToPauseScaleIn(), m.NeedToPauseScaleOut(), m.IsPollingIntervalRelevant(),
		m.UsesHPAObservations(), m.FallbackScalingModifiers())
	if hk != hm {
		diffs = append(diffs, fmt.Sprintf("helpers: KEDA: %s; the mirror: %s", hk, hm))
	}
	return diffs
}

// marker gives this package's path.
type marker struct{}

// own reports whether t is declared in KEDA's API package or the mirror
// (or in this test), whose types shape describes field by field.
func own(t reflect.Type) bool {
	p := t.PkgPath()
	return p == reflect.TypeFor[keda.ScaledObject]().PkgPath() || p == reflect.TypeFor[mirror.ScaledObject]().PkgPath() ||
		p == reflect.TypeFor[marker]().PkgPath() && t.Name() != ""
}

// shape describes a type, one line per field, without its package:
// struct fields with their tags and types, recursively through the types
// of the two packages; other named types by their full name.
func shape(t reflect.Type) string {
	var b strings.Builder
	var walk func(t reflect.Type, indent string)
	seen := map[reflect.Type]bool{}
	typeName := func(t reflect.Type) string {
		if own(t) {
			return t.Name()
		}
		return t.String() + " (" + t.PkgPath() + ")"
	}
	walk = func(t reflect.Type, indent string) {
		switch {
		case t.Kind() == reflect.Pointer:
			b.WriteString("*")
			walk(t.Elem(), indent)
			return
		case t.Kind() == reflect.Slice && !own(t):
			b.WriteString("[]")
			walk(t.Elem(), indent)
			return
		case t.Kind() == reflect.Map && !own(t):
			b.WriteString("map[" + typeName(t.Key()) + "]")
			walk(t.Elem(), indent)
			return
		case !own(t):
			b.WriteString(typeName(t))
			return
		}
		b.WriteString(t.Name() + " " + t.Kind().String())
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				fmt.Fprintf(&b, "\n%s  %s (embedded %t) `%s` ", indent, f.Name, f.Anonymous, f.Tag)
				walk(f.Type, indent+"  ")
			}
		case reflect.Slice, reflect.Pointer:
			b.WriteString(" of ")
			walk(t.Elem(), indent)
		case reflect.Map:
			b.WriteString(" of " + typeName(t.Key()) + " to ")
			walk(t.Elem(), indent)
		}
	}
	walk(t, "")
	return b.String()
}

// lineDiff lists the lines of a and b that differ, by position.
func lineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n  KEDA:   %s\n  mirror: %s", i+1, x, y))
		}
	}
	return strings.Join(out, "\n")
}

// scaledObjects returns the ScaledObject documents of a YAML file, each
// re-encoded on its own.
func scaledObjects(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out [][]byte
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if !isScaledObject(&doc) {
			continue
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		if err := enc.Encode(&doc); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
		out = append(out, buf.Bytes())
	}
}

// isScaledObject reports whether a document's top-level kind is
// ScaledObject.
func isScaledObject(doc *yaml.Node) bool {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "kind" {
			return m.Content[i+1].Value == "ScaledObject"
		}
	}
	return false
}
