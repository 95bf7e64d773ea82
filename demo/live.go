package demo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/prescale-dev/prescale/scaler"
)

// The ScaledObject of deploy/examples/scaledobject-demo.yaml, as KEDA
// sends it to the external scaler.
const (
	scaledObjectNamespace = "demo"
	scaledObjectName      = "nasa-www"
)

// scaledObjectMetadata returns the trigger metadata of the demo
// ScaledObject (scalerAddress is KEDA's, not sent to the scaler).
func scaledObjectMetadata() map[string]string {
	return map[string]string{
		"prometheus":   "nasa",
		"query":        "requests_per_minute",
		"targetPerPod": "20",
		"leadTime":     "10m",
		"calendar":     "nasa-1995",
		"eventFloors":  "launch=12",
		"minReplicas":  "1",
	}
}

// Live is the scaler's answer to one KEDA poll, and why.
type Live struct {
	// Address is the gRPC address the scaler listened on.
	Address string
	// Metric is the metric name GetMetricSpec returned, and Target its
	// target per pod (AverageValue).
	Metric string
	Target float64
	// Value is GetMetrics' metric value; KEDA's HPA sets
	// ceil(Value / Target) replicas.
	Value float64
	// Replicas is the replica count the scaler decided.
	Replicas int
	// Active is IsActive's answer.
	Active bool
	// Explanation is the scaler's account of the decision.
	Explanation scaler.Explanation
	// WaitedForForecast is how long the demo waited for the first forecast.
	WaitedForForecast time.Duration
}

// askScaler starts the default scaler (the bundled NASA trace replayed on
// the wall clock) on loopback ports with its store in dir, polls it once
// as KEDA does, waiting up to wait for its first forecast, and shuts it
// down.
func askScaler(ctx context.Context, bundled fs.FS, dir string, wait time.Duration) (Live, error) {
	cfg := scaler.DefaultConfig()
	cfg.GRPC.Address, cfg.HTTP.Address = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Store.Path = filepath.Join(dir, "store.db")
	log := slog.New(slog.DiscardHandler)
	svc, err := scaler.Listen(cfg, scaler.Env{Logger: log, Registry: prometheus.NewRegistry(), Bundled: bundled})
	if err != nil {
		return Live{}, fmt.Errorf("starting the scaler: %w", err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Serve(sctx) }()
	live, err := poll(ctx, svc, wait)
	stop()
	if serr := <-done; serr != nil && !errors.Is(serr, context.Canceled) {
		err = errors.Join(err, fmt.Errorf("stopping the scaler: %w", serr))
	}
	return live, err
}

// poll registers the trigger with GetMetricSpec, waits for its first
// forecast, then asks the scaler as KEDA does (scaler.Ask).
func poll(ctx context.Context, svc *scaler.Service, wait time.Duration) (Live, error) {
	live := Live{Address: svc.GRPCAddr().String()}
	conn, err := grpc.NewClient(live.Address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return live, fmt.Errorf("dialling the scaler: %w", err)
	}
	defer conn.Close()
	ref := &externalscaler.ScaledObjectRef{Namespace: scaledObjectNamespace, Name: scaledObjectName, ScalerMetadata: scaledObjectMetadata()}
	if _, err := externalscaler.NewExternalScalerClient(conn).GetMetricSpec(ctx, ref); err != nil {
		return live, fmt.Errorf("GetMetricSpec: %w", err)
	}
	live.WaitedForForecast = waitForForecast(ctx, svc, wait)
	a, err := scaler.Ask(ctx, conn, ref)
	if err != nil {
		return live, err
	}
	live.Metric, live.Target, live.Value, live.Active = a.Metric, a.Target, a.Value, a.Active
	if ex := svc.Server().Explain(scaledObjectNamespace + "/" + scaledObjectName); len(ex) > 0 {
		live.Explanation = ex[0]
		live.Replicas = ex[0].Replicas
	}
	return live, nil
}

// waitForForecast waits until the trigger's forecast is fitted (or failed),
// or for at most wait, and returns how long it waited.
func waitForForecast(ctx context.Context, svc *scaler.Service, wait time.Duration) time.Duration {
	start := time.Now()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for time.Since(start) < wait {
		ex := svc.Server().Explain(scaledObjectNamespace + "/" + scaledObjectName)
		if len(ex) > 0 && (!ex[0].FittedAt.IsZero() || ex[0].RefitError != "") {
			break
		}
		select {
		case <-ctx.Done():
			return time.Since(start)
		case <-tick.C:
		}
	}
	return time.Since(start)
}
