package demo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// The demo's ScaledObject: deploy/examples/scaledobject-demo.yaml's name
// and source, with the page's policy.
const (
	scaledObjectNamespace = "demo"
	scaledObjectName      = "nasa-www"
	liveHistoryWindow     = "1w"
)

// scaledObjectMetadata returns the trigger metadata the demo sends as KEDA
// would for a ScaledObject running the page's predictive policy: the same
// demand per pod, lead time, model, quantile, risk, replica bounds and
// calendar, no peak-based event floors, and one week of history (the
// simulation's, which also keeps the replay from reaching back past the
// trace's first week).
func scaledObjectMetadata(startup time.Duration) map[string]string {
	return map[string]string{
		"prometheus":    "nasa",
		"query":         "requests_per_minute",
		"targetPerPod":  strconv.FormatFloat(predictiveTargetPerPod(), 'g', -1, 64),
		"leadTime":      scaler.FormatDuration(leadTime(startup)),
		"model":         simulator.DefaultPredictiveModel,
		"quantile":      strconv.FormatFloat(simulator.DefaultQuantile, 'g', -1, 64),
		"risk":          strconv.FormatFloat(simulator.DefaultRisk, 'g', -1, 64),
		"calendar":      "nasa-1995",
		"minReplicas":   strconv.Itoa(minReplicas),
		"maxReplicas":   strconv.Itoa(maxReplicas),
		"historyWindow": liveHistoryWindow,
	}
}

// Live is the scaler's answer to one KEDA poll, and why.
type Live struct {
	// At is the trace instant the scaler was asked at: its clock was
	// pinned to the wall-clock instant that replays it.
	At time.Time
	// Metric is the metric name GetMetricSpec returned, and Target its
	// target per pod (AverageValue), requests per minute.
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

// liveQuery is one poll of the live scaler: the trace instant asked at,
// the wall-clock instant replaying it, and the trigger's metadata.
type liveQuery struct {
	at, wall time.Time
	meta     map[string]string
}

// newLiveQuery pins the poll to the trace instant at of the bundled trace
// as the default scaler replays it.
func newLiveQuery(c campaign, at time.Time, startup time.Duration) (liveQuery, error) {
	rp, err := scaler.NewReplay(c.trace, c.loc)
	if err != nil {
		return liveQuery{}, fmt.Errorf("replaying the bundled trace: %w", err)
	}
	wall := rp.WallTime(at)
	if !rp.TraceTime(wall).Equal(at) {
		return liveQuery{}, fmt.Errorf("the replay cannot reach %s", at.Format(time.RFC3339))
	}
	return liveQuery{at: at, wall: wall, meta: scaledObjectMetadata(startup)}, nil
}

// askScaler starts the default scaler (the bundled NASA trace replayed)
// with its clock pinned to q's instant, on loopback ports with its store
// in dir, polls it once as KEDA does, waiting up to wait for its first
// forecast, and shuts it down.
func askScaler(ctx context.Context, bundled fs.FS, dir string, q liveQuery, wait time.Duration) (Live, error) {
	cfg := scaler.DefaultConfig()
	cfg.GRPC.Address, cfg.HTTP.Address = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Store.Path = filepath.Join(dir, "store.db")
	log := slog.New(slog.DiscardHandler)
	svc, err := scaler.Listen(cfg, scaler.Env{Logger: log, Registry: prometheus.NewRegistry(), Bundled: bundled,
		Now: func() time.Time { return q.wall }})
	if err != nil {
		return Live{}, fmt.Errorf("starting the scaler: %w", err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Serve(sctx) }()
	live, err := poll(ctx, svc, q, wait)
	stop()
	if serr := <-done; serr != nil && !errors.Is(serr, context.Canceled) {
		err = errors.Join(err, fmt.Errorf("stopping the scaler: %w", serr))
	}
	return live, err
}

// poll registers the trigger with GetMetricSpec, waits for its first
// forecast, then asks the scaler as KEDA does (scaler.Ask).
func poll(ctx context.Context, svc *scaler.Service, q liveQuery, wait time.Duration) (Live, error) {
	live := Live{At: q.at}
	conn, err := grpc.NewClient(svc.GRPCAddr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return live, fmt.Errorf("dialling the scaler: %w", err)
	}
	defer conn.Close()
	ref := &externalscaler.ScaledObjectRef{Namespace: scaledObjectNamespace, Name: scaledObjectName, ScalerMetadata: q.meta}
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
