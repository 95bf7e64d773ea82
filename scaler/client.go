package scaler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"google.golang.org/grpc"
)

// Answer is a scaler's answer to one KEDA poll of a trigger.
type Answer struct {
	// Metric is the metric name GetMetricSpec returned.
	Metric string
	// Target is the metric's target per pod (AverageValue), in the
	// query's unit.
	Target float64
	// Value is GetMetrics' value, in the query's unit.
	Value float64
	// Active is IsActive's answer.
	Active bool
}

// Replicas returns the replica count KEDA's HPA derives from the answer
// for an AverageValue metric, ceil(Value / Target); 0 when Target is not
// positive.
func (a Answer) Replicas() int {
	if a.Target <= 0 {
		return 0
	}
	return int(math.Ceil(a.Value / a.Target))
}

// Ask polls the external scaler behind conn for one trigger as KEDA does:
// GetMetricSpec (as when KEDA creates the HPA), GetMetrics for the metric
// it named, then IsActive. ref carries the trigger's metadata as KEDA
// sends it. Errors name the call that failed and wrap the gRPC status.
func Ask(ctx context.Context, conn grpc.ClientConnInterface, ref *externalscaler.ScaledObjectRef) (Answer, error) {
	var a Answer
	c := externalscaler.NewExternalScalerClient(conn)
	spec, err := c.GetMetricSpec(ctx, ref)
	if err != nil {
		return a, fmt.Errorf("GetMetricSpec: %w", err)
	}
	if len(spec.GetMetricSpecs()) == 0 {
		return a, errors.New("GetMetricSpec: no metric spec")
	}
	a.Metric, a.Target = spec.MetricSpecs[0].GetMetricName(), spec.MetricSpecs[0].GetTargetSizeFloat()
	m, err := c.GetMetrics(ctx, &externalscaler.GetMetricsRequest{ScaledObjectRef: ref, MetricName: a.Metric})
	if err != nil {
		return a, fmt.Errorf("GetMetrics: %w", err)
	}
	if len(m.GetMetricValues()) == 0 {
		return a, errors.New("GetMetrics: no metric value")
	}
	a.Value = m.MetricValues[0].GetMetricValueFloat()
	act, err := c.IsActive(ctx, ref)
	if err != nil {
		return a, fmt.Errorf("IsActive: %w", err)
	}
	a.Active = act.GetResult()
	return a, nil
}

// ClientTLS is the TLS of a client of the scaler, as KEDA's external
// scaler reads it from the trigger (enableTLS, unsafeSsl) and its
// TriggerAuthentication (caCert, tlsClientCert, tlsClientKey: PEM
// contents, not file names).
type ClientTLS struct {
	// CACert is the PEM CA the server's certificate must chain to; empty
	// means the host's roots.
	CACert []byte
	// ClientCert and ClientKey are the PEM client certificate and key
	// presented for mutual TLS; both or neither.
	ClientCert, ClientKey []byte
	// UnsafeSSL skips the verification of the server's certificate.
	UnsafeSSL bool
	// ServerName overrides the name verified in the server's certificate;
	// empty means the dialled host.
	ServerName string
}

// Config returns the client's TLS configuration (TLS 1.2 or later).
func (c ClientTLS) Config() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: c.UnsafeSSL, ServerName: c.ServerName} //nolint:gosec // unsafeSsl is KEDA's own opt-in
	if len(c.CACert) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(c.CACert) {
			return nil, errors.New("caCert: no PEM certificate")
		}
		cfg.RootCAs = pool
	}
	if (len(c.ClientCert) > 0) != (len(c.ClientKey) > 0) {
		return nil, errors.New("tlsClientCert and tlsClientKey: give both or neither")
	}
	if len(c.ClientCert) > 0 {
		cert, err := tls.X509KeyPair(c.ClientCert, c.ClientKey)
		if err != nil {
			return nil, fmt.Errorf("tlsClientCert and tlsClientKey: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}
