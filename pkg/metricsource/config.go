package metricsource

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Defaults applied by NewPrometheus to zero PrometheusConfig fields.
const (
	// DefaultTimeout bounds one HTTP request to Prometheus.
	DefaultTimeout = 10 * time.Second
	// MaxPointsPerRequest is Prometheus' limit on the points of one series
	// in a range query; longer ranges are split into several requests.
	MaxPointsPerRequest = 11_000
	// DefaultMaxResponseBytes bounds the body of one answer: a range
	// request of MaxPointsPerRequest points of one series is about 0.4 MB.
	DefaultMaxResponseBytes = 16 << 20
)

// PrometheusConfig says how to reach a Prometheus-compatible query API.
type PrometheusConfig struct {
	// Address is the server's base URL, e.g. "http://prometheus:9090"
	// (any path prefix is kept: "https://thanos.example/prefix").
	Address string
	// Timeout bounds each HTTP request (one per Instant call, one per
	// chunk of a Range call) and is sent as the query's evaluation timeout.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// BearerToken is sent as "Authorization: Bearer <token>".
	BearerToken string
	// BearerTokenFile names a file holding the token, read on every request
	// so that a rotated token (a Kubernetes service account's) is picked up.
	BearerTokenFile string
	// Username and Password, if Username is set, are sent as basic auth.
	Username, Password string
	// CAFile names a PEM file of certificate authorities trusted for an
	// https Address, instead of the system roots.
	CAFile string
	// MaxPoints caps the points per range request; zero means
	// MaxPointsPerRequest. Lower values only make more requests.
	MaxPoints int
	// MaxResponseBytes bounds the body of one answer, in bytes: a longer
	// answer is an error wrapping ErrTooLarge, read no further. Zero means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
}

// Validate checks the address and that at most one kind of credential is
// given.
func (c PrometheusConfig) Validate() error {
	u, err := url.Parse(c.Address)
	if err != nil {
		return fmt.Errorf("address: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("address %q: want an http or https URL with a host", c.Address)
	}
	creds := 0
	for _, set := range []bool{c.BearerToken != "", c.BearerTokenFile != "", c.Username != ""} {
		if set {
			creds++
		}
	}
	switch {
	case creds > 1:
		return errors.New("bearer token, bearer token file and basic auth: set at most one")
	case c.Password != "" && c.Username == "":
		return errors.New("password set without username")
	case c.CAFile != "" && u.Scheme != "https":
		return fmt.Errorf("ca file set for the %s address %q", u.Scheme, c.Address)
	case c.Timeout < 0:
		return fmt.Errorf("timeout %s is negative", c.Timeout)
	case c.MaxResponseBytes < 0:
		return fmt.Errorf("max response bytes %d is negative", c.MaxResponseBytes)
	case c.MaxPoints < 0 || c.MaxPoints > MaxPointsPerRequest:
		return fmt.Errorf("max points %d, want 0 to %d", c.MaxPoints, MaxPointsPerRequest)
	}
	return nil
}

// withDefaults returns c with zero fields replaced by their defaults.
func (c PrometheusConfig) withDefaults() PrometheusConfig {
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxPoints == 0 {
		c.MaxPoints = MaxPointsPerRequest
	}
	if c.MaxResponseBytes == 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	return c
}
