package metricsource

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name    string
		cfg     PrometheusConfig
		wantMsg string // empty: valid
	}{
		{"minimal", PrometheusConfig{Address: "http://prometheus:9090"}, ""},
		{"https with prefix and ca", PrometheusConfig{Address: "https://thanos.example/prefix", CAFile: "ca.pem"}, ""},
		{"basic auth", PrometheusConfig{Address: "http://p", Username: "u", Password: "p"}, ""},
		{"empty address", PrometheusConfig{}, "address"},
		{"no scheme", PrometheusConfig{Address: "prometheus:9090"}, "address"},
		{"ftp", PrometheusConfig{Address: "ftp://p"}, "address"},
		{"bad url", PrometheusConfig{Address: "http://p:port"}, "address"},
		{"two credentials", PrometheusConfig{Address: "http://p", BearerToken: "t", Username: "u"}, "at most one"},
		{"token and token file", PrometheusConfig{Address: "http://p", BearerToken: "t", BearerTokenFile: "f"}, "at most one"},
		{"password alone", PrometheusConfig{Address: "http://p", Password: "p"}, "without username"},
		{"ca file on http", PrometheusConfig{Address: "http://p", CAFile: "ca.pem"}, "ca file"},
		{"negative timeout", PrometheusConfig{Address: "http://p", Timeout: -time.Second}, "timeout"},
		{"too many points", PrometheusConfig{Address: "http://p", MaxPoints: 11001}, "max points"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.wantMsg == "" && err != nil || tc.wantMsg != "" && (err == nil || !strings.Contains(err.Error(), tc.wantMsg)) {
				t.Errorf("Validate(%+v) = %v, want %q", tc.cfg, err, tc.wantMsg)
			}
		})
	}
}

// scalarBody is a query API answer holding the scalar 5.
const scalarBody = `{"status":"success","data":{"resultType":"scalar","result":[1736121600,"5"]}}`

func TestCredentials(t *testing.T) {
	var mu sync.Mutex
	var gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotAuth = r.Header.Get("Authorization")
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(scalarBody))
	}))
	defer srv.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	cases := []struct {
		name  string
		cfg   PrometheusConfig
		token string // written to tokenFile first, if set
		want  string
	}{
		{"none", PrometheusConfig{}, "", ""},
		{"bearer", PrometheusConfig{BearerToken: "s3cret"}, "", "Bearer s3cret"},
		{"bearer file", PrometheusConfig{BearerTokenFile: tokenFile}, "first\n", "Bearer first"},
		{"bearer file rotated", PrometheusConfig{BearerTokenFile: tokenFile}, "second", "Bearer second"},
		{"basic", PrometheusConfig{Username: "alice", Password: "pw"}, "", "Basic YWxpY2U6cHc="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.token != "" {
				if err := os.WriteFile(tokenFile, []byte(tc.token), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tc.cfg.Address = srv.URL
			p, err := NewPrometheus(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if s, err := p.Instant(context.Background(), "x", time.Now()); err != nil || s.Value != 5 {
				t.Fatalf("Instant = %v, %v; want 5", s, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if gotAuth != tc.want {
				t.Errorf("Authorization = %q, want %q", gotAuth, tc.want)
			}
		})
	}
	t.Run("empty token file", func(t *testing.T) {
		if err := os.WriteFile(tokenFile, []byte(" \n"), 0o600); err != nil {
			t.Fatal(err)
		}
		p, _ := NewPrometheus(PrometheusConfig{Address: srv.URL, BearerTokenFile: tokenFile})
		if _, err := p.Instant(context.Background(), "x", time.Now()); err == nil || !strings.Contains(err.Error(), "empty") {
			t.Errorf("Instant with an empty token file = %v, want an error", err)
		}
	})
}

func TestTLSCA(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(scalarBody))
	}))
	defer srv.Close()
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("trusted ca", func(t *testing.T) {
		p, err := NewPrometheus(PrometheusConfig{Address: srv.URL, CAFile: caFile})
		if err != nil {
			t.Fatal(err)
		}
		if s, err := p.Instant(context.Background(), "x", time.Now()); err != nil || s.Value != 5 {
			t.Errorf("Instant = %v, %v; want 5", s, err)
		}
	})
	t.Run("system roots reject", func(t *testing.T) {
		p, _ := NewPrometheus(PrometheusConfig{Address: srv.URL})
		if _, err := p.Instant(context.Background(), "x", time.Now()); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("Instant = %v, want a certificate error", err)
		}
	})
	for name, file := range map[string]string{"missing ca file": filepath.Join(dir, "nope.pem"), "ca file without pem": notPEM} {
		t.Run(name, func(t *testing.T) {
			if _, err := NewPrometheus(PrometheusConfig{Address: srv.URL, CAFile: file}); err == nil {
				t.Error("NewPrometheus succeeded")
			}
		})
	}
}

// TestDeadline checks that a server slower than Timeout fails the call
// when the timeout passes, for both kinds of query.
func TestDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	const timeout = 200 * time.Millisecond
	p, err := NewPrometheus(PrometheusConfig{Address: srv.URL, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"instant": func() error { _, err := p.Instant(context.Background(), "slow", time.Now()); return err },
		"range": func() error {
			_, err := p.Range(context.Background(), "slow", time.Now().Add(-time.Hour), time.Now(), time.Minute)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := call()
			took := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), `"slow"`) {
				t.Errorf("got %v, want a deadline error naming the query", err)
			}
			if took < timeout || took > timeout+time.Second {
				t.Errorf("returned after %s, want about %s", took, timeout)
			}
		})
	}
}
