package metricsource

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
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
	var rt http.RoundTripper = base
	if c.BearerToken != "" || c.BearerTokenFile != "" || c.Username != "" {
		rt = &authTransport{next: base, cfg: c}
	}
	return &limitTransport{next: rt, max: c.MaxResponseBytes}, nil
}

// limitTransport bounds the body of each answer.
type limitTransport struct {
	next http.RoundTripper
	max  int64
}

// RoundTrip implements http.RoundTripper: an answer whose Content-Length
// exceeds the limit fails at once, others fail when the limit is crossed.
func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > t.max {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d", ErrTooLarge, resp.ContentLength, t.max)
	}
	resp.Body = &limitedBody{body: resp.Body, left: t.max, max: t.max}
	return resp, nil
}

// limitedBody fails a read that would go past the limit.
type limitedBody struct {
	body io.ReadCloser
	left int64
	max  int64
}

// Read implements io.Reader.
func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		n, err := b.body.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, b.max)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

// Close implements io.Closer.
func (b *limitedBody) Close() error { return b.body.Close() }

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
