package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPlanBadFlags checks that every bad flag is rejected with an error
// naming it.
func TestPlanBadFlags(t *testing.T) {
	kubeconfig := writePlanKubeconfig(t, "http://127.0.0.1:1")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no config", nil, "--config: required"},
		{"unknown output", []string{"--config", planEcommerce, "--output", "xml"}, `--output: unknown format "xml": use table, json, markdown or html`},
		{"bad instant", []string{"--config", planEcommerce, "--at", "Black Friday"}, `--at: `},
		{"negative deadline", []string{"--config", planEcommerce, "--deadline", "-1s"}, "--deadline: must not be negative, got -1s"},
		{"context without kubeconfig", []string{"--config", planEcommerce, "--context", "prod"}, "--context: only meaningful with --kubeconfig"},
		{"namespace without kubeconfig", []string{"--config", planEcommerce, "--namespace", "shop"}, "--namespace: only meaningful with --kubeconfig"},
		{"labels without kubeconfig", []string{"--config", planEcommerce, "--pool-label", "pool"}, "--pool-label: only meaningful with --kubeconfig"},
		{"business line label without kubeconfig", []string{"--config", planEcommerce, "--business-line-label", "team"}, "--business-line-label: only meaningful"},
		{"empty pool label", []string{"--config", planEcommerce, "--kubeconfig", kubeconfig, "--pool-label", "a,,b"}, "--pool-label: empty label key"},
		{"empty zone label", []string{"--config", planEcommerce, "--kubeconfig", kubeconfig, "--zone-label", ""}, "--zone-label: empty label key"},
		{"empty type label", []string{"--config", planEcommerce, "--kubeconfig", kubeconfig, "--instance-type-label", ""}, "--instance-type-label: empty label key"},
		{"empty business line label", []string{"--config", planEcommerce, "--kubeconfig", kubeconfig, "--business-line-label", ""}, "--business-line-label: empty label key"},
		{"unreachable cluster", []string{"--config", planEcommerce, "--kubeconfig", kubeconfig}, "reading cluster http://127.0.0.1:1: listing nodes: "},
		{"missing kubeconfig", []string{"--config", planEcommerce, "--kubeconfig", "no-such-kubeconfig"}, "--kubeconfig: "},
		{"unknown context", []string{"--config", planEcommerce, "--kubeconfig", kubeconfig, "--context", "prod"}, `--context: no context "prod" in ` + kubeconfig + " (contexts: test)"},
		{"unwritable out", []string{"--config", planEcommerce, "--out", filepath.Join(t.TempDir(), "no", "plan.txt")}, "--out: "},
		{"missing config", []string{"--config", "no-such-plan.yaml"}, "reading planning file: open no-such-plan.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, append([]string{"plan"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("prescale plan %s: err = %v, want it to contain %q", strings.Join(tc.args, " "), err, tc.want)
			}
		})
	}
}

// TestPlanBadInputs checks that bad planning files and bad replica
// sources are rejected with errors naming the file and the field.
func TestPlanBadInputs(t *testing.T) {
	dir := t.TempDir()
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	trace := abs("../../../datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz")
	sim := abs("testdata/plan/simulation-timeline.csv")
	nasa := "{trace: " + trace + ", timeCol: minute_start_edt, valueCol: count, timeZone: America/New_York, capacityPerPod: 4, "
	writePlanConfig(t, filepath.Join(dir, "bad-calendar.yaml"), "apiVersion: prescale.dev/v1alpha1\nkind: Calendar\nspec: {events: [{name: x}]}\n")
	tests := []struct {
		name   string
		source string // the replicasFrom of the only workload
		want   string
	}{
		{"config error", "{trace: x.csv}", "spec.workloads[0].replicasFrom.capacityPerPod: must be a positive demand per replica"},
		{"missing trace", "{trace: no-such.csv, capacityPerPod: 4}", "spec.workloads[0].replicasFrom.trace: open "},
		{"trace column", "{trace: " + trace + ", capacityPerPod: 4}", "spec.workloads[0].replicasFrom.trace: "},
		{"unknown model", nasa + "resample: 1h, model: prophet}", `spec.workloads[0].replicasFrom.model: "prophet" is not a model: use one of snaive, holt-winters, mseasonal, auto`},
		{"horizon off the grid", nasa + "resample: 1h, horizon: 90m}", "spec.workloads[0].replicasFrom.horizon: 1h30m0s is not a whole number of the trace's 1h0m0s steps"},
		{"resample off the grid", nasa + "resample: 90s}", "spec.workloads[0].replicasFrom.resample: "},
		{"missing calendar", nasa + "resample: 1h, calendar: no-such-calendar.yaml}", "spec.workloads[0].replicasFrom.calendar: "},
		{"bad calendar", nasa + "resample: 1h, calendar: bad-calendar.yaml}", "spec.workloads[0].replicasFrom.calendar: "},
		{"missing simulation", "{simulation: no-such-timeline.csv, policy: predictive}", "spec.workloads[0].replicasFrom.simulation: open "},
		{"unknown policy", "{simulation: " + sim + ", policy: magic}", `spec.workloads[0].replicasFrom.policy: no rows of policy "magic" in ` + sim + " (policies: oracle, predictive, reactive)"},
		{"simulation is a trace", "{simulation: " + trace + ", policy: predictive}", "spec.workloads[0].replicasFrom.simulation: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			body := strings.Replace(planMinimal, "      replicas:\n", "      replicasFrom: "+tc.source+"\n      replicasUnused:\n", 1)
			body = body[:strings.Index(body, "      replicasUnused:")]
			body = strings.Replace(body, "end: 2025-11-29T00:00:00Z", "end: 1995-09-02T00:00:00Z", 1)
			body = strings.Replace(body, "start: 2025-11-28T00:00:00Z", "start: 1995-09-01T00:00:00Z", 1)
			writePlanConfig(t, path, body)
			_, err := run(t, "plan", "--config", path)
			// The file, the line and column when the field is in it, the field.
			want := regexp.MustCompile(regexp.QuoteMeta(path) + `(:[0-9]+:[0-9]+)?: ` + regexp.QuoteMeta(tc.want))
			if err == nil || !want.MatchString(err.Error()) {
				t.Fatalf("err = %v, want it to match %q", err, want)
			}
		})
	}
}

// writePlanKubeconfig writes a kubeconfig whose only context, "test",
// points at server, and returns its path.
func writePlanKubeconfig(t *testing.T, server string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	body := `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: "` + server + `"}
users:
- name: test
  user: {token: test-token}
contexts:
- name: test
  context: {cluster: test, user: test}
current-context: test
`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
