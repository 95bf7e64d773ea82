package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/prescale-dev/prescale/scaler"
)

// lockedBuffer is an io.Writer safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// servingAddrs waits for the "serving" log line and returns its addresses.
func servingAddrs(t *testing.T, logs *lockedBuffer, done <-chan error) (grpcAddr, httpAddr string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, logs)
		default:
		}
		sc := bufio.NewScanner(strings.NewReader(logs.String()))
		for sc.Scan() {
			var line struct{ Msg, GRPC, HTTP string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
				return line.GRPC, line.HTTP
			}
		}
	}
	t.Fatalf("serve did not report its addresses:\n%s", logs)
	return "", ""
}

// TestServeDefaultThenExplain runs a plain `prescale serve` (the bundled
// replay), asks it as KEDA does for the demo ScaledObject, explains the
// answer, and stops it as SIGTERM would.
func TestServeDefaultThenExplain(t *testing.T) {
	store := filepath.Join(t.TempDir(), "state", "store.db")
	logs := &lockedBuffer{}
	cmd := NewRootCommand()
	cmd.SetArgs([]string{"serve", "--grpc-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0",
		"--store", store, "--log-format", "json", "--debug"})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(logs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	grpcAddr, httpAddr := servingAddrs(t, logs, done)

	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := externalscaler.NewExternalScalerClient(conn)
	so := &externalscaler.ScaledObjectRef{Namespace: "demo", Name: "nasa-www", ScalerMetadata: map[string]string{
		"scalerAddress": grpcAddr, "prometheus": "nasa", "query": "requests_per_minute", "targetPerPod": "20",
		"leadTime": "10m", "calendar": "nasa-1995", "eventFloors": "launch=12", "minReplicas": "1"}}
	spec, err := c.GetMetricSpec(ctx, so)
	if err != nil {
		t.Fatal(err)
	}
	var value float64
	// The replayed trace has gaps: until the first forecast is fitted a
	// minute inside one has no safe value, so retry briefly.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		m, err := c.GetMetrics(ctx, &externalscaler.GetMetricsRequest{ScaledObjectRef: so, MetricName: spec.MetricSpecs[0].MetricName})
		if err == nil {
			value = m.MetricValues[0].MetricValueFloat
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GetMetrics: %v", err)
		}
	}
	if value < 20 {
		t.Errorf("served %v, below minReplicas x targetPerPod", value)
	}
	out, err := run(t, "explain", "demo/nasa-www", "--addr", "http://"+httpAddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("explain:\n%s", out)
	for _, want := range []string{"demo/nasa-www", "served", "live", "forecast", "event", "clamp", "because:"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after its context ended", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(store); err != nil {
		t.Errorf("store not created: %v", err)
	}
}

func TestServeFlagsOverrideFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "scaler.yaml")
	cfgYAML := "apiVersion: prescale.dev/v1alpha1\nkind: ScalerConfig\nrefitWorkers: 3\ngrpc: {address: ':7000'}\n" +
		"prometheus: [{name: main, address: 'http://prometheus:9090'}]\n"
	if err := os.WriteFile(file, []byte(cfgYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := newServeCommand()
	if err := cmd.Flags().Parse([]string{"--config", file, "--grpc-address", "127.0.0.1:7001", "--query-timeout", "250ms", "--pprof"}); err != nil {
		t.Fatal(err)
	}
	f := &serveFlags{}
	f.config, _ = cmd.Flags().GetString("config")
	f.grpcAddress, _ = cmd.Flags().GetString("grpc-address")
	f.queryTimeout, _ = cmd.Flags().GetString("query-timeout")
	f.pprof, _ = cmd.Flags().GetBool("pprof")
	cfg, err := f.configuration(cmd.Flags())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.GRPC.Address != "127.0.0.1:7001" || cfg.RefitWorkers != 3 || time.Duration(cfg.QueryTimeout) != 250*time.Millisecond ||
		!cfg.HTTP.Pprof || cfg.HTTP.Address != scaler.DefaultHTTPAddress || len(cfg.Prometheus) != 1 {
		t.Errorf("configuration = %+v: want the file's values with the set flags on top", cfg)
	}
}

func TestServeErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: prescale.dev/v1alpha1\nkind: ScalerConfig\nrefitWorker: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown field", []string{"serve", "--config", bad}, "refitWorker: unknown field"},
		{"missing file", []string{"serve", "--config", "/nonexistent/scaler.yaml"}, "--config"},
		{"bad timeout", []string{"serve", "--query-timeout", "soon"}, "--query-timeout"},
		{"invalid override", []string{"serve", "--refit-workers", "0", "--store", filepath.Join(t.TempDir(), "s.db")}, "refitWorkers"},
		{"bad log level", []string{"serve", "--log-level", "loud"}, "--log-level"},
		{"bad log format", []string{"serve", "--log-format", "xml"}, "--log-format"},
		{"missing kubeconfig", []string{"serve", "--kubeconfig", "/nonexistent/kubeconfig"}, "--kubeconfig"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("prescale %s: %v, want an error containing %q", strings.Join(tt.args, " "), err, tt.want)
			}
		})
	}
}
