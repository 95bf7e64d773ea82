package metricsource

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// Sample is one value of a query at one instant.
type Sample struct {
	// Value is the query's value, in the units of the query.
	Value float64
	// Time is the evaluation instant Prometheus reports (millisecond
	// resolution), in UTC.
	Time time.Time
}

// Prometheus queries a Prometheus-compatible HTTP API (Prometheus, Thanos,
// Mimir, VictoriaMetrics). It is safe for concurrent use.
type Prometheus struct {
	api       v1.API
	server    string
	timeout   time.Duration
	maxPoints int
}

// NewPrometheus validates cfg and builds a client. It does not contact the
// server.
func NewPrometheus(cfg PrometheusConfig) (*Prometheus, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("prometheus config: %w", err)
	}
	cfg = cfg.withDefaults()
	rt, err := newTransport(cfg)
	if err != nil {
		return nil, fmt.Errorf("prometheus config: %w", err)
	}
	client, err := api.NewClient(api.Config{Address: cfg.Address, RoundTripper: rt})
	if err != nil {
		return nil, fmt.Errorf("prometheus config: %w", err)
	}
	u, _ := url.Parse(cfg.Address)
	return &Prometheus{
		api: v1.NewAPI(client), server: u.Host + u.Path,
		timeout: cfg.Timeout, maxPoints: cfg.MaxPoints,
	}, nil
}

// Instant evaluates query at the instant at. The result must be a scalar
// or an instant vector of exactly one series with a finite value; see the
// package errors for the other cases. Warnings from the server are dropped.
func (p *Prometheus) Instant(ctx context.Context, query string, at time.Time) (Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	val, _, _, err := p.api.Query(ctx, query, at, v1.WithTimeout(p.timeout))
	if err == nil {
		err = ctx.Err() // an answer decoded past the deadline is too late
	}
	if err == nil {
		var s Sample
		if s, err = oneSample(val); err == nil {
			return s, nil
		}
	}
	return Sample{}, fmt.Errorf("querying %s for %q at %s: %w", p.server, query, at.UTC().Format(time.RFC3339), err)
}

// oneSample extracts the single finite value of an instant query result.
func oneSample(val model.Value) (Sample, error) {
	var s Sample
	switch v := val.(type) {
	case *model.Scalar:
		s = Sample{Value: float64(v.Value), Time: v.Timestamp.Time().UTC()}
	case model.Vector:
		switch {
		case len(v) == 0:
			return Sample{}, ErrEmpty
		case len(v) > 1:
			return Sample{}, &SeriesCountError{Count: len(v)}
		case v[0].Histogram != nil:
			return Sample{}, fmt.Errorf("%w: native histogram", ErrResultType)
		}
		s = Sample{Value: float64(v[0].Value), Time: v[0].Timestamp.Time().UTC()}
	default:
		return Sample{}, fmt.Errorf("%w: %s result", ErrResultType, resultType(val))
	}
	if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
		return Sample{}, fmt.Errorf("%w: %v", ErrNotFinite, s.Value)
	}
	return s, nil
}

// resultType names the type of a result, nil included.
func resultType(val model.Value) string {
	if val == nil {
		return "empty"
	}
	return val.Type().String()
}
