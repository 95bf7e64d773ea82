package metricsource

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
)

// newTransport builds the HTTP transport of c: TLS roots from CAFile and
// the credentials, if any.
func newTransport(c PrometheusConfig) (http.RoundTripper, error) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading ca file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca file %q holds no PEM certificate", c.CAFile)
		}
		base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	if c.BearerToken == "" && c.BearerTokenFile == "" && c.Username == "" {
		return base, nil
	}
	return &authTransport{next: base, cfg: c}, nil
}

// authTransport adds credentials to each request.
type authTransport struct {
	next http.RoundTripper
	cfg  PrometheusConfig
}

// RoundTrip implements http.RoundTripper on a clone of req.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	switch {
	case t.cfg.Username != "":
		req.SetBasicAuth(t.cfg.Username, t.cfg.Password)
	case t.cfg.BearerTokenFile != "":
		tok, err := readToken(t.cfg.BearerTokenFile)
		if err != nil {
			if req.Body != nil {
				_ = req.Body.Close()
			}
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+string(tok))
	default:
		req.Header.Set("Authorization", "Bearer "+t.cfg.BearerToken)
	}
	return t.next.RoundTrip(req)
}

// readToken reads a bearer token file, trimming surrounding white space.
func readToken(path string) ([]byte, error) {
	tok, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading bearer token file: %w", err)
	}
	tok = bytes.TrimSpace(tok)
	if len(tok) == 0 {
		return nil, fmt.Errorf("bearer token file %q is empty", path)
	}
	return tok, nil
}
