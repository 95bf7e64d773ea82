package kedacompat

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers"
	"github.com/kedacore/keda/v2/pkg/scalers/scalersconfig"
	v2 "k8s.io/api/autoscaling/v2"
)

// TestKEDAExternalScaler runs a plain `prescale serve` (the bundled NASA
// trace replayed) and queries it through KEDA's own external scaler
// client, exactly as the KEDA operator and metrics server do:
// GetMetricSpecForScaling, then GetMetricsAndActivity per poll; in
// plaintext and over mutual TLS. It ends the scaler with SIGTERM and
// expects a clean exit.
func TestKEDAExternalScaler(t *testing.T) {
	bin := buildPrescale(t)
	p := newPKI(t)
	tests := []struct {
		name   string
		mutual bool
	}{
		{"plaintext", false},
		{"mutual TLS", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"--store", filepath.Join(t.TempDir(), "store.db"), "--debug", "--http-tls", "none"}
			meta := map[string]string{
				"prometheus": "nasa", "query": "requests_per_minute", "targetPerPod": "20", "leadTime": "10m",
				"calendar": "nasa-1995", "eventFloors": "launch=12", "minReplicas": "1",
			}
			auth := map[string]string{}
			if tt.mutual {
				args = append(args, "--tls-cert", p.file(t, "tls.crt", p.serverCert), "--tls-key", p.file(t, "tls.key", p.serverKey),
					"--tls-client-ca", p.file(t, "ca.crt", p.ca))
				meta["enableTLS"] = "true"
				auth = map[string]string{"caCert": string(p.ca), "tlsClientCert": string(p.clientCert), "tlsClientKey": string(p.clientKey)}
			}
			sc := startScaler(t, bin, args...)
			meta["scalerAddress"] = sc.grpcAddr
			s, err := scalers.NewExternalScaler(&scalersconfig.ScalerConfig{
				ScalableObjectName: "nasa-www", ScalableObjectNamespace: "demo", ScalableObjectType: "ScaledObject",
				TriggerType: "external", TriggerIndex: 0, TriggerMetadata: meta, AuthParams: auth,
				MetricType: v2.AverageValueMetricType, GlobalHTTPTimeout: 3 * time.Second,
				TriggerUniqueKey: "ScaledObject-demo-nasa-www-0",
			})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close(context.Background())
			checkKEDAPolls(t, s, sc)
			sc.stop(t)
		})
	}
}

// checkKEDAPolls reads the metric spec and three polls through KEDA's
// client and compares them with what the scaler says it served.
func checkKEDAPolls(t *testing.T, s scalers.Scaler, sc *scalerProcess) {
	t.Helper()
	ctx := context.Background()
	specs := s.GetMetricSpecForScaling(ctx)
	if len(specs) != 1 || specs[0].External == nil {
		t.Fatalf("KEDA built metric specs %+v, want one external metric", specs)
	}
	ext := specs[0].External
	if !strings.HasPrefix(ext.Metric.Name, "s0-prescale-") || ext.Target.Type != v2.AverageValueMetricType ||
		ext.Target.AverageValue == nil || ext.Target.AverageValue.AsApproximateFloat64() != 20 {
		t.Fatalf("metric spec %+v (target %+v), want s0-prescale-… with an average value of 20", ext.Metric, ext.Target)
	}
	for poll := range 3 {
		var got float64
		var active bool
		// A wall-clock minute that replays a gap of the trace has no safe
		// value until the first forecast is fitted (a second or two).
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			metrics, act, err := s.GetMetricsAndActivity(ctx, ext.Metric.Name)
			if err == nil && len(metrics) == 1 && metrics[0].MetricName == ext.Metric.Name {
				got, active = metrics[0].Value.AsApproximateFloat64(), act
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("poll %d: %v (%d values)", poll, err, len(metrics))
			}
		}
		served := sc.lastServed(t)
		if !active || got < 20 || abs(got-served) > 0.001 {
			t.Errorf("poll %d: KEDA read %v (active %v); the scaler served %v", poll, got, active, served)
		}
		t.Logf("poll %d: KEDA read %v; the scaler served %v", poll, got, served)
	}
}

// scalerProcess is a running `prescale serve`.
type scalerProcess struct {
	cmd                *exec.Cmd
	grpcAddr, httpAddr string
	exited             chan error
	logs               *logBuffer
}

// buildPrescale builds the prescale command of the enclosing module.
func buildPrescale(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "prescale")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/prescale")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building prescale: %v\n%s", err, out)
	}
	return bin
}

// startScaler runs `prescale serve` on loopback ports and waits until it
// reports its addresses.
func startScaler(t *testing.T, bin string, args ...string) *scalerProcess {
	t.Helper()
	args = append([]string{"serve", "--grpc-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0", "--log-format", "json"}, args...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &scalerProcess{cmd: cmd, exited: make(chan error, 1), logs: &logBuffer{}}
	addrs := make(chan [2]string, 1)
	go p.readLogs(stderr, addrs)
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	select {
	case a := <-addrs:
		p.grpcAddr, p.httpAddr = a[0], a[1]
	case err := <-p.exited:
		t.Fatalf("prescale serve exited: %v\n%s", err, p.logs)
	case <-time.After(60 * time.Second):
		t.Fatalf("prescale serve did not start in 60s:\n%s", p.logs)
	}
	return p
}

// readLogs keeps the scaler's logs and reports its addresses.
func (p *scalerProcess) readLogs(r io.Reader, addrs chan<- [2]string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		p.logs.add(sc.Text())
		var line struct{ Msg, GRPC, HTTP string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
			addrs <- [2]string{line.GRPC, line.HTTP}
		}
	}
}

// lastServed returns the value the scaler says it last served to the
// demo ScaledObject, from its debug endpoint.
func (p *scalerProcess) lastServed(t *testing.T) float64 {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://%s/debug/decisions?scaledObject=demo/nasa-www", p.httpAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Decisions []struct{ Value float64 }
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Decisions) != 1 {
		t.Fatalf("debug endpoint: %v, %d decisions", err, len(body.Decisions))
	}
	return body.Decisions[0].Value
}

// stop sends SIGTERM and expects a clean exit within the drain timeout.
func (p *scalerProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			t.Errorf("prescale serve exited with %v after SIGTERM:\n%s", err, p.logs)
		}
	case <-time.After(20 * time.Second):
		t.Errorf("prescale serve still running 20s after SIGTERM:\n%s", p.logs)
	}
}

// logBuffer keeps log lines for failure messages.
type logBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (b *logBuffer) add(l string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines = append(b.lines, l)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
