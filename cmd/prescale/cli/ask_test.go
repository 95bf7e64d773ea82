package cli

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPKI writes a CA, a server certificate for 127.0.0.1 and a client
// certificate into dir and returns their files by name: ca.crt, tls.crt,
// tls.key, client.crt, client.key.
func testPKI(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	write := func(name, kind string, der []byte) {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
		files[name] = path
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	write("ca.crt", "CERTIFICATE", caDER)
	leaf := func(name string, serial int64, usage x509.ExtKeyUsage, ips []net.IP) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		require.NoError(t, err)
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(t, err)
		prefix := map[string]string{"server": "tls", "client": "client"}[name]
		write(prefix+".crt", "CERTIFICATE", der)
		write(prefix+".key", "PRIVATE KEY", keyDER)
	}
	leaf("server", 2, x509.ExtKeyUsageServerAuth, []net.IP{net.IPv4(127, 0, 0, 1)})
	leaf("client", 3, x509.ExtKeyUsageClientAuth, nil)
	return files
}

// startServe runs prescale serve in-process with its debug endpoint on
// loopback ports and returns its gRPC and HTTP addresses; it stops when
// the test ends.
func startServe(t *testing.T, extra ...string) (grpcAddr, httpAddr string) {
	t.Helper()
	logs := &lockedBuffer{}
	cmd := NewRootCommand()
	cmd.SetArgs(append([]string{"serve", "--grpc-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0",
		"--store", filepath.Join(t.TempDir(), "store.db"), "--log-format", "json", "--debug"}, extra...))
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(logs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "serve after its context ended")
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return servingAddrs(t, logs, done)
}

// askUntilAnswered runs prescale ask until the scaler answers: until its
// first forecast, a minute in a gap of the replayed trace has no safe
// value and is answered Unavailable.
func askUntilAnswered(t *testing.T, args ...string) string {
	t.Helper()
	var err error
	var out string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if out, err = run(t, args...); err == nil {
			return out
		}
	}
	require.NoError(t, err, "prescale %s", strings.Join(args, " "))
	return out
}

// TestAskServe asks an in-process prescale serve about the demo
// ScaledObject and about KEY=VALUE metadata, in plaintext and over mutual
// TLS, and checks that the answer and the explanation agree.
func TestAskServe(t *testing.T) {
	pki := testPKI(t, t.TempDir())
	tests := []struct {
		name      string
		serveArgs []string
		scheme    string
		askArgs   []string
	}{
		{name: "plaintext", scheme: "http"},
		{name: "mutual TLS", scheme: "https",
			serveArgs: []string{"--tls-cert", pki["tls.crt"], "--tls-key", pki["tls.key"], "--tls-client-ca", pki["ca.crt"]},
			askArgs:   []string{"--ca-cert", pki["ca.crt"], "--tls-client-cert", pki["client.crt"], "--tls-client-key", pki["client.key"]}},
	}
	inputs := []struct {
		name   string
		args   []string
		object string
	}{
		{"ScaledObject file", []string{"--scaledobject", filepath.Join("..", "..", "..", "deploy", "examples", "scaledobject-demo.yaml")}, "demo/nasa-www"},
		{"metadata", []string{"--namespace", "shop", "--name", "nasa-copy", "prometheus=nasa", "query=requests_per_minute",
			"targetPerPod=10", "leadTime=6m", "calendar=nasa-1995"}, "shop/nasa-copy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			grpcAddr, httpAddr := startServe(t, tc.serveArgs...)
			for _, in := range inputs {
				t.Run(in.name, func(t *testing.T) {
					args := append(append([]string{"ask", "--addr", grpcAddr, "--http-addr", tc.scheme + "://" + httpAddr}, tc.askArgs...), in.args...)
					out := askUntilAnswered(t, append(args, "--output", "json")...)
					var results []askResult
					require.NoError(t, json.Unmarshal([]byte(out), &results), out)
					require.Len(t, results, 1)
					r := results[0]
					assert.Equal(t, in.object, r.Namespace+"/"+r.Name)
					assert.True(t, strings.HasPrefix(r.Metric, "prescale-"), "metric %q", r.Metric)
					assert.Positive(t, r.Value)
					require.NotNil(t, r.Explanation, "no explanation: %s", r.Unexplained)
					assert.Equal(t, in.object, r.Explanation.ScaledObject)
					assert.Equal(t, r.Metric, r.Explanation.Metric)
					assert.Equal(t, r.Target, r.Explanation.TargetPerPod)
					assert.GreaterOrEqual(t, r.Replicas, 1)

					text := askUntilAnswered(t, args...)
					for _, want := range []string{in.object + " trigger 0", "GetMetricSpec  metric " + r.Metric, "IsActive", "because:"} {
						assert.Contains(t, text, want)
					}
				})
			}
		})
	}
}

// TestAskErrors checks that bad input and an absent scaler are reported
// with the flag at fault or a hint to start the scaler.
func TestAskErrors(t *testing.T) {
	pki := testPKI(t, t.TempDir())
	so := filepath.Join("..", "..", "..", "deploy", "examples", "scaledobject-demo.yaml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"ask"}, "--scaledobject: give a ScaledObject file"},
		{"both inputs", []string{"ask", "--scaledobject", so, "query=x"}, "not both"},
		{"not key=value", []string{"ask", "query"}, `metadata "query": want KEY=VALUE`},
		{"key twice", []string{"ask", "a=1", "a=2"}, "key a given twice"},
		{"missing file", []string{"ask", "--scaledobject", "nope.yaml"}, "--scaledobject"},
		{"bad output", []string{"ask", "--output", "yaml", "a=1"}, "--output"},
		{"half a client pair", []string{"ask", "--tls-client-cert", pki["client.crt"], "a=1"}, "give both or neither"},
		{"nothing listens", []string{"ask", "--addr", "127.0.0.1:1", "--timeout", "3s", "a=1"}, "start the scaler with prescale serve"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestAskMutualTLSNeedsClientCert checks that a scaler with a client CA
// refuses ask without a client certificate, as it refuses KEDA.
func TestAskMutualTLSNeedsClientCert(t *testing.T) {
	pki := testPKI(t, t.TempDir())
	grpcAddr, _ := startServe(t, "--tls-cert", pki["tls.crt"], "--tls-key", pki["tls.key"], "--tls-client-ca", pki["ca.crt"])
	_, err := run(t, "ask", "--addr", grpcAddr, "--http-addr", "", "--ca-cert", pki["ca.crt"], "--timeout", "3s",
		"prometheus=nasa", "query=requests_per_minute", "targetPerPod=10")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GetMetricSpec")
}
