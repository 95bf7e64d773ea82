package scaler

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// serverTLS returns the gRPC server's TLS configuration for f, or nil when
// f names no certificate. With a client CA, clients must present a
// certificate it signed. The files are re-read at a handshake when their
// modification time has changed, so rotated certificates are picked up
// without a restart.
func serverTLS(f TLSFiles) (*tls.Config, error) {
	if f.CertFile == "" {
		return nil, nil
	}
	r := &certReloader{files: f}
	if _, err := r.load(); err != nil {
		return nil, err
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if f.ClientCAFile == "" {
		cfg.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			st, err := r.load()
			return st.cert, err
		}
		return cfg, nil
	}
	cfg.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) {
		st, err := r.load()
		if err != nil {
			return nil, err
		}
		return &tls.Config{
			MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{*st.cert},
			ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: st.clientCAs,
		}, nil
	}
	return cfg, nil
}

// certReloader caches the parsed TLS files, reloading them when a file's
// modification time changes. A failed reload keeps the last good files.
type certReloader struct {
	files TLSFiles

	mu    sync.Mutex
	state *tlsState
}

// tlsState is one load of the TLS files.
type tlsState struct {
	cert      *tls.Certificate
	clientCAs *x509.CertPool
	modTimes  [3]time.Time
}

// load returns the current files, re-reading them if one changed.
func (r *certReloader) load() (*tlsState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	mod := r.modTimes()
	if r.state != nil && r.state.modTimes == mod {
		return r.state, nil
	}
	st, err := r.read(mod)
	if err != nil {
		if r.state != nil {
			return r.state, nil
		}
		return nil, err
	}
	r.state = st
	return st, nil
}

// modTimes returns the modification times of the files (zero if absent).
func (r *certReloader) modTimes() [3]time.Time {
	var out [3]time.Time
	for i, p := range []string{r.files.CertFile, r.files.KeyFile, r.files.ClientCAFile} {
		if p == "" {
			continue
		}
		if info, err := os.Stat(p); err == nil {
			out[i] = info.ModTime()
		}
	}
	return out
}

// read parses the files.
func (r *certReloader) read(mod [3]time.Time) (*tlsState, error) {
	cert, err := tls.LoadX509KeyPair(r.files.CertFile, r.files.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("grpc.tls: loading certFile %q and keyFile %q: %w", r.files.CertFile, r.files.KeyFile, err)
	}
	st := &tlsState{cert: &cert, modTimes: mod}
	if r.files.ClientCAFile == "" {
		return st, nil
	}
	pem, err := os.ReadFile(r.files.ClientCAFile)
	if err != nil {
		return nil, fmt.Errorf("grpc.tls.clientCAFile: %w", err)
	}
	st.clientCAs = x509.NewCertPool()
	if !st.clientCAs.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("grpc.tls.clientCAFile %q: %w", r.files.ClientCAFile, errors.New("no PEM certificate in it"))
	}
	return st, nil
}
