package scaler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/prescale-dev/prescale/datasets"
	"github.com/prescale-dev/prescale/pkg/store"
)

// demoMeta is the trigger of deploy/examples/scaledobject-demo.yaml.
func demoMeta() map[string]string {
	return map[string]string{
		"scalerAddress": "prescale.keda.svc:6000", "prometheus": "nasa", "query": "requests_per_minute",
		"targetPerPod": "20", "leadTime": "10m", "calendar": "nasa-1995", "eventFloors": "launch=12", "minReplicas": "1",
	}
}

// running is a Service being served by a test.
type running struct {
	svc  *Service
	logs *syncBuffer
	stop func() error // cancels Serve and returns its error
}

// serveConfig listens with cfg on loopback ports and a temporary store
// (unless cfg names one) and serves until the test ends.
func serveConfig(t *testing.T, cfg Config, now func() time.Time) *running {
	t.Helper()
	cfg.GRPC.Address, cfg.HTTP.Address = "127.0.0.1:0", "127.0.0.1:0"
	if cfg.Store.Path == "" {
		cfg.Store.Path = filepath.Join(t.TempDir(), "state", "store.db")
	}
	logs := &syncBuffer{}
	svc, err := Listen(cfg, Env{Logger: slog.New(slog.NewTextHandler(logs, nil)), Bundled: datasets.FS(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx) }()
	r := &running{svc: svc, logs: logs}
	var once bool
	var result error
	r.stop = func() error {
		if !once {
			once = true
			cancel()
			select {
			case result = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("Serve did not return 20s after its context ended")
			}
		}
		return result
	}
	t.Cleanup(func() { _ = r.stop() })
	return r
}

// dial connects to the service's gRPC address with creds (nil: plaintext).
func dial(t *testing.T, addr string, creds credentials.TransportCredentials) *grpc.ClientConn {
	t.Helper()
	if creds == nil {
		creds = insecure.NewCredentials()
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServiceDefaultReplay serves the default configuration: the bundled
// NASA trace replayed answers real values, explained on the HTTP side.
func TestServiceDefaultReplay(t *testing.T) {
	ny := newYork(t)
	now := time.Date(2026, 7, 15, 10, 0, 0, 0, ny) // a Wednesday morning
	cfg := DefaultConfig()
	cfg.HTTP.Debug = true
	r := serveConfig(t, cfg, func() time.Time { return now })
	conn := dial(t, r.svc.GRPCAddr().String(), nil)
	c := externalscaler.NewExternalScalerClient(conn)
	ctx := context.Background()
	so := &externalscaler.ScaledObjectRef{Namespace: "demo", Name: "nasa-www", ScalerMetadata: demoMeta()}
	spec, err := c.GetMetricSpec(ctx, so)
	if err != nil {
		t.Fatal(err)
	}
	v, active, err := kedaPoll(ctx, c, so, spec.MetricSpecs[0].MetricName)
	if err != nil {
		t.Fatal(err)
	}
	replay, _ := nasaReplay(t)
	live, err := replay.Instant(ctx, "", now)
	if err != nil || v < live.Value || !active {
		t.Errorf("served %v (active %v), live replayed %v (%v): want at least the live value", v, active, live.Value, err)
	}
	h, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: "externalscaler.ExternalScaler"})
	if err != nil || h.Status != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health = %v, %v", h, err)
	}
	base := "http://" + r.svc.HTTPAddr().String()
	code, body := httpGet(t, base+"/debug/decisions?scaledObject=demo/nasa-www")
	var resp DecisionsResponse
	if err := json.Unmarshal([]byte(body), &resp); code != 200 || err != nil || len(resp.Decisions) != 1 || !resp.Decisions[0].Decided {
		t.Errorf("/debug/decisions: %d %v\n%s", code, err, body)
	}
	if code, _ := httpGet(t, base+"/debug/decisions?scaledObject=demo/other"); code != http.StatusNotFound {
		t.Errorf("unknown ScaledObject: %d, want 404", code)
	}
	code, body = httpGet(t, base+"/metrics")
	if code != 200 || !strings.Contains(body, "prescale_scaler_decisions_total") || !strings.Contains(body, `prescale_scaler_triggers 1`) {
		t.Errorf("/metrics: %d\n%s", code, body)
	}
	if code, _ := httpGet(t, base+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("pprof served while off: %d", code)
	}
	if err := r.stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if !strings.Contains(r.logs.String(), "new store") {
		t.Errorf("new store not reported:\n%s", r.logs)
	}
}

// TestServiceTLS checks TLS and mutual TLS as KEDA's caCert, tlsClientCert
// and tlsClientKey configure them.
func TestServiceTLS(t *testing.T) {
	pki := newTestPKI(t)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pki.CA)
	clientCert, err := tls.X509KeyPair(pki.ClientCert, pki.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	withCA := credentials.NewTLS(&tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12})
	withClient := credentials.NewTLS(&tls.Config{RootCAs: roots, Certificates: []tls.Certificate{clientCert}, MinVersion: tls.VersionTLS12})
	tests := []struct {
		name   string
		mutual bool
		creds  credentials.TransportCredentials
		ok     bool
	}{
		{"tls, plaintext client", false, nil, false},
		{"tls, client trusting the CA", false, withCA, true},
		{"mtls, client without certificate", true, withCA, false},
		{"mtls, client with certificate", true, withClient, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.GRPC.TLS = pki.Files(tt.mutual)
			r := serveConfig(t, cfg, nil)
			conn := dial(t, r.svc.GRPCAddr().String(), tt.creds)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
			if (err == nil) != tt.ok {
				t.Errorf("health check over %s: %v, want success %v", tt.name, err, tt.ok)
			}
		})
	}
}

// TestServiceGracefulShutdown cancels Serve while a call waits on a slow
// Prometheus: the call completes, then the server is gone and the store
// closed.
func TestServiceGracefulShutdown(t *testing.T) {
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		fmt.Fprintf(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[%d,"420"]}]}}`, time.Now().Unix())
	}))
	defer prom.Close()
	cfg, err := ParseConfig([]byte("apiVersion: prescale.dev/v1alpha1\nkind: ScalerConfig\nqueryTimeout: 5s\nprometheus:\n- name: main\n  address: "+prom.URL+"\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	r := serveConfig(t, cfg, nil)
	c := externalscaler.NewExternalScalerClient(dial(t, r.svc.GRPCAddr().String(), nil))
	so := ref("checkout", fastMeta())
	spec, err := c.GetMetricSpec(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		v   float64
		err error
	}
	inFlight := make(chan result, 1)
	go func() {
		m, err := c.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: so, MetricName: spec.MetricSpecs[0].MetricName})
		if err != nil {
			inFlight <- result{err: err}
			return
		}
		inFlight <- result{v: m.MetricValues[0].MetricValueFloat}
	}()
	time.Sleep(100 * time.Millisecond)
	if err := r.stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if got := <-inFlight; got.err != nil || got.v != 420 {
		t.Errorf("in-flight call: %v, %v; want 420 drained", got.v, got.err)
	}
	st, err := store.Open(r.svc.cfg.Store.Path, store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("store still locked after Serve returned: %v", err)
	}
	defer st.Close()
	if d, err := st.Decision("shop/checkout/" + spec.MetricSpecs[0].MetricName); err != nil || d.Value != 420 {
		t.Errorf("decision not stored at shutdown: %+v, %v", d, err)
	}
	for _, s := range []string{"shutting down", "stopped"} {
		if !strings.Contains(r.logs.String(), s) {
			t.Errorf("log lacks %q:\n%s", s, r.logs)
		}
	}
}

// TestServiceCorruptStore starts on a corrupt store file: it is reported,
// moved aside and rebuilt, and the history backfilled by the first refit.
func TestServiceCorruptStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a bbolt file ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Store.Path = path
	now := time.Date(2026, 7, 15, 10, 0, 0, 0, newYork(t))
	r := serveConfig(t, cfg, func() time.Time { return now })
	if !strings.Contains(r.logs.String(), "store file was corrupt") {
		t.Errorf("corruption not reported:\n%s", r.logs)
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Errorf("corrupt file not moved aside: %v", aside)
	}
	so := &externalscaler.ScaledObjectRef{Namespace: "demo", Name: "nasa-www", ScalerMetadata: demoMeta()}
	tg, err := r.svc.Server().lookup(so)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for tg.snap.Load().model == "" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	h, err := r.svc.store.History(tg.key)
	if err != nil || h.Len() != 4*7*1440+1 {
		t.Errorf("history after the first refit: %d steps (%v), want four weeks backfilled", h.Len(), err)
	}
}

func TestListenErrors(t *testing.T) {
	bad := DefaultConfig()
	bad.RefitWorkers = -3
	if _, err := Listen(bad, Env{Bundled: datasets.FS()}); err == nil || !strings.Contains(err.Error(), "refitWorkers") {
		t.Errorf("invalid config: %v", err)
	}
	r := serveConfig(t, DefaultConfig(), nil)
	busy := DefaultConfig()
	busy.GRPC.Address, busy.HTTP.Address = r.svc.GRPCAddr().String(), "127.0.0.1:0"
	busy.Store.Path = filepath.Join(t.TempDir(), "store.db")
	if _, err := Listen(busy, Env{Bundled: datasets.FS()}); err == nil || !strings.Contains(err.Error(), "grpc.address") {
		t.Errorf("address in use: %v", err)
	}
	noBundle := DefaultConfig()
	noBundle.Store.Path = filepath.Join(t.TempDir(), "store.db")
	if _, err := Listen(noBundle, Env{}); err == nil || !strings.Contains(err.Error(), "replays[0]") {
		t.Errorf("bundled trace without bundled files: %v", err)
	}
}

// TestServiceHTTPSecurity checks the HTTP side: /debug/decisions only when
// enabled, the gRPC server's mutual TLS on every HTTP endpoint by default,
// and a plaintext /healthz-only address for probes.
func TestServiceHTTPSecurity(t *testing.T) {
	pki := newTestPKI(t)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pki.CA)
	clientCert, err := tls.X509KeyPair(pki.ClientCert, pki.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	withClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: roots, Certificates: []tls.Certificate{clientCert}, MinVersion: tls.VersionTLS12}}}
	noClientCert := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	get := func(c *http.Client, url string) (int, error) {
		resp, err := c.Get(url)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	t.Run("debug off by default", func(t *testing.T) {
		r := serveConfig(t, DefaultConfig(), nil)
		code, _ := httpGet(t, "http://"+r.svc.HTTPAddr().String()+"/debug/decisions")
		if code != http.StatusNotFound {
			t.Errorf("/debug/decisions: %d, want 404 while http.debug is off", code)
		}
	})
	t.Run("mutual TLS on HTTP", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.GRPC.TLS = pki.Files(true)
		cfg.HTTP.Debug = true
		cfg.HTTP.HealthAddress = "127.0.0.1:0"
		r := serveConfig(t, cfg, nil)
		base := "https://" + r.svc.HTTPAddr().String()
		for _, path := range []string{"/metrics", "/healthz", "/debug/decisions"} {
			if code, err := get(http.DefaultClient, "http://"+r.svc.HTTPAddr().String()+path); err == nil && code == http.StatusOK {
				t.Errorf("plaintext %s answered 200", path)
			}
			if _, err := get(noClientCert, base+path); err == nil {
				t.Errorf("%s answered a client without a certificate", path)
			}
			if code, err := get(withClient, base+path); err != nil || code != http.StatusOK {
				t.Errorf("%s with a client certificate: %d, %v", path, code, err)
			}
		}
		hz := "http://" + r.svc.HealthAddr().String()
		if code, body := httpGet(t, hz+"/healthz"); code != http.StatusOK || body != "ok\n" {
			t.Errorf("health address /healthz: %d %q", code, body)
		}
		for _, path := range []string{"/metrics", "/debug/decisions"} {
			if code, _ := httpGet(t, hz+path); code != http.StatusNotFound {
				t.Errorf("health address %s: %d, want 404", path, code)
			}
		}
	})
}

// TestDefaultAddressesLoopback checks that a configuration without
// addresses binds loopback only.
func TestDefaultAddressesLoopback(t *testing.T) {
	cfg := DefaultConfig()
	for name, addr := range map[string]string{"grpc": cfg.GRPC.Address, "http": cfg.HTTP.Address} {
		host, _, err := net.SplitHostPort(addr)
		if err != nil || !net.ParseIP(host).IsLoopback() {
			t.Errorf("default %s address %q: want a loopback host", name, addr)
		}
	}
}
