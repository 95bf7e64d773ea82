package chart

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// chartDir is the chart under test, relative to this package.
const chartDir = "../../deploy/helm/prescale"

// manifests are the decoded objects of one rendering, by kind.
type manifests struct {
	deployments     []appsv1.Deployment
	services        []corev1.Service
	serviceAccounts []corev1.ServiceAccount
	configMaps      []corev1.ConfigMap
	pdbs            []policyv1.PodDisruptionBudget
	clusterRoles    []rbacv1.ClusterRole
	bindings        []rbacv1.ClusterRoleBinding
	serviceMonitors []serviceMonitor
	notes           string
}

// serviceMonitor mirrors the fields of prometheus-operator's
// monitoring.coreos.com/v1 ServiceMonitor the chart may set, so that a
// strict decode rejects any other.
type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		JobLabel          string               `json:"jobLabel,omitempty"`
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector struct {
			MatchNames []string `json:"matchNames,omitempty"`
		} `json:"namespaceSelector"`
		Endpoints []struct {
			Port          string `json:"port"`
			Path          string `json:"path,omitempty"`
			Scheme        string `json:"scheme,omitempty"`
			Interval      string `json:"interval,omitempty"`
			ScrapeTimeout string `json:"scrapeTimeout,omitempty"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// render renders the chart with Helm's engine for a release "prescale" in
// namespace "keda", the values files in order, then overrides.
func render(t *testing.T, overrides map[string]any, valuesFiles ...string) map[string]string {
	t.Helper()
	ch, err := loader.Load(chartDir)
	if err != nil {
		t.Fatalf("loading chart: %v", err)
	}
	vals := map[string]any{}
	for _, f := range valuesFiles {
		v, err := chartutil.ReadValuesFile(f)
		if err != nil {
			t.Fatalf("reading %s: %v", f, err)
		}
		vals = chartutil.CoalesceTables(v.AsMap(), vals)
	}
	vals = chartutil.CoalesceTables(overrides, vals)
	opts := chartutil.ReleaseOptions{Name: "prescale", Namespace: "keda", Revision: 1, IsInstall: true}
	rv, err := chartutil.ToRenderValues(ch, vals, opts, chartutil.DefaultCapabilities)
	if err != nil {
		t.Fatalf("render values: %v", err)
	}
	out, err := engine.Render(ch, rv)
	if err != nil {
		t.Fatalf("rendering: %v", err)
	}
	return out
}

// decode splits every rendered template into documents and decodes each
// strictly into its typed API object; an unknown kind or field fails.
func decode(t *testing.T, rendered map[string]string) manifests {
	t.Helper()
	var m manifests
	for _, name := range slices.Sorted(maps.Keys(rendered)) {
		if strings.HasSuffix(name, "NOTES.txt") {
			m.notes = rendered[name]
			continue
		}
		for i, doc := range splitDocuments(rendered[name]) {
			if err := m.add([]byte(doc)); err != nil {
				t.Errorf("%s, document %d: %v\n%s", name, i, err, doc)
			}
		}
	}
	return m
}

// splitDocuments returns the non-empty YAML documents of s.
func splitDocuments(s string) []string {
	var docs []string
	for _, d := range strings.Split("\n"+s, "\n---") {
		if len(bytes.TrimSpace(stripComments([]byte(d)))) > 0 {
			docs = append(docs, d)
		}
	}
	return docs
}

// stripComments drops comment-only lines.
func stripComments(b []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

// add decodes one document strictly by its apiVersion and kind.
func (m *manifests) add(doc []byte) error {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return err
	}
	switch tm.APIVersion + " " + tm.Kind {
	case "apps/v1 Deployment":
		return appendStrict(doc, &m.deployments)
	case "v1 Service":
		return appendStrict(doc, &m.services)
	case "v1 ServiceAccount":
		return appendStrict(doc, &m.serviceAccounts)
	case "v1 ConfigMap":
		return appendStrict(doc, &m.configMaps)
	case "policy/v1 PodDisruptionBudget":
		return appendStrict(doc, &m.pdbs)
	case "rbac.authorization.k8s.io/v1 ClusterRole":
		return appendStrict(doc, &m.clusterRoles)
	case "rbac.authorization.k8s.io/v1 ClusterRoleBinding":
		return appendStrict(doc, &m.bindings)
	case "monitoring.coreos.com/v1 ServiceMonitor":
		return appendStrict(doc, &m.serviceMonitors)
	}
	return fmt.Errorf("unexpected object %s %s", tm.APIVersion, tm.Kind)
}

// appendStrict decodes doc into a new T, failing on unknown or duplicate
// fields, and appends it to list.
func appendStrict[T any](doc []byte, list *[]T) error {
	var v T
	if err := yaml.UnmarshalStrict(doc, &v); err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

// one returns the single element of list, failing otherwise.
func one[T any](t *testing.T, what string, list []T) T {
	t.Helper()
	if len(list) != 1 {
		t.Fatalf("%d %s rendered, want 1", len(list), what)
	}
	return list[0]
}

// readTestdata returns a file of testdata.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
