package promtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RequireEnv is the environment variable that turns a missing Prometheus
// binary from a skipped test into a failed one.
const RequireEnv = "PRESCALE_REQUIRE_PROMETHEUS"

// debianBinary is where Debian's prometheus package installs the server.
const debianBinary = "/usr/bin/prometheus"

// readyTimeout bounds the wait for /-/ready after the process starts.
const readyTimeout = 30 * time.Second

// config is the server's configuration: no scrape jobs, and out-of-order
// samples accepted for 30 days so that Write may send series in any order.
const config = `storage:
  tsdb:
    out_of_order_time_window: 30d
`

// Server is a Prometheus process started by Start. Its methods may be
// called from the test's goroutine; Write and Stop fail the test on error.
type Server struct {
	tb     testing.TB
	url    string
	cmd    *exec.Cmd
	log    *syncBuffer
	exited chan struct{}
	once   sync.Once
	client *http.Client
}

// Start starts a Prometheus server and registers its Stop with tb.Cleanup.
// It skips the test when no binary is found and RequireEnv is unset.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin, err := findBinary()
	if err != nil {
		if os.Getenv(RequireEnv) != "" {
			tb.Fatalf("promtest: %v (and %s is set)", err, RequireEnv)
		}
		tb.Skipf("promtest: %v", err)
	}
	dir := tb.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		tb.Fatalf("promtest: %v", err)
	}
	for attempt := 1; ; attempt++ {
		s, err := start(tb, bin, cfg, filepath.Join(dir, "data"))
		if err == nil {
			tb.Cleanup(s.Stop)
			return s
		}
		if attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			tb.Fatalf("promtest: starting %s: %v", bin, err)
		}
	}
}

// findBinary returns the prometheus executable to run.
func findBinary() (string, error) {
	if p, err := exec.LookPath("prometheus"); err == nil {
		return p, nil
	}
	if info, err := os.Stat(debianBinary); err == nil && !info.IsDir() {
		return debianBinary, nil
	}
	return "", errors.New("no prometheus binary on PATH or at " + debianBinary)
}

// start runs one Prometheus process on a free port and waits until ready.
func start(tb testing.TB, bin, cfg, data string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s := &Server{
		tb: tb, url: "http://" + addr, log: &syncBuffer{}, exited: make(chan struct{}),
		client: &http.Client{Timeout: 30 * time.Second},
	}
	s.cmd = exec.Command(bin,
		"--config.file="+cfg,
		"--storage.tsdb.path="+data,
		"--storage.tsdb.retention.time=3650d",
		"--web.listen-address="+addr,
		"--web.enable-remote-write-receiver",
		"--log.level=warn",
	)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(); err != nil {
		s.kill()
		return nil, fmt.Errorf("%w; log:\n%s", err, s.log.String())
	}
	return s, nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls /-/ready until it answers 200, the process exits or
// readyTimeout passes.
func (s *Server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/-/ready", nil)
		if resp, err := s.client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return errors.New("prometheus exited before it was ready")
		case <-ctx.Done():
			return fmt.Errorf("prometheus not ready after %s", readyTimeout)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:40123".
func (s *Server) URL() string { return s.url }

// Log returns what the server has logged (warnings and errors).
func (s *Server) Log() string { return s.log.String() }

// Stop terminates the server (SIGTERM, then SIGKILL after 10 s) and waits
// for it to exit. It is safe to call more than once; Start registers it
// with tb.Cleanup.
func (s *Server) Stop() {
	s.once.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			s.tb.Errorf("promtest: prometheus ignored SIGTERM for 10s; killing it")
			s.kill()
		}
	})
}

// kill ends the process at once and waits for it.
func (s *Server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// syncBuffer is a bytes.Buffer safe for the process's writers and readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
