package scaler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/pkg/tenancy"
	"github.com/prescale-dev/prescale/policies"
)

// Options are the dependencies and settings of a Server. Store is required;
// zero settings take the defaults of Config.
type Options struct {
	// Sources are the metric sources triggers name with the prometheus key.
	Sources map[string]Source
	// Tenancy confines the queries of the sources it names to the
	// ScaledObject's namespace; a source it does not name (a replay) is
	// sent the queries as written.
	Tenancy map[string]tenancy.Policy
	// Calendars are the calendars triggers name with the calendar key.
	Calendars map[string]Events
	// Store keeps history, forecasts and decisions. The Server does not
	// close it.
	Store *store.Store
	// Retention is the store's history retention; it bounds historyWindow.
	// Zero means DefaultRetention.
	Retention time.Duration
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Registerer receives the scaler's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// QueryTimeout bounds each live query.
	QueryTimeout time.Duration
	// IdleAfter forgets triggers not asked about for this long.
	IdleAfter time.Duration
	// RefitWorkers is the number of concurrent refits.
	RefitWorkers int
	// Replicas reads the running replicas of a trigger whose metadata
	// sets hpaTolerance; nil leaves them unknown.
	Replicas ReplicaReader
	// StreamInterval is how often StreamIsActive re-evaluates; zero means
	// 15 seconds.
	StreamInterval time.Duration
	// FlushInterval is how often decisions are written to the store; zero
	// means 10 seconds.
	FlushInterval time.Duration
	// MaxTriggers bounds the triggers registered at once; zero means
	// DefaultMaxTriggers.
	MaxTriggers int
	// MaxTriggersPerNamespace bounds the triggers of one namespace; zero
	// means DefaultMaxTriggersPerNamespace.
	MaxTriggersPerNamespace int
	// StoreMaxBytes is the store's size budget (see StoreConfig.MaxBytes);
	// zero means DefaultStoreMaxBytes.
	StoreMaxBytes int64
	// StoreSweepInterval is how often KeepStore looks after the store;
	// zero means 5 minutes.
	StoreSweepInterval time.Duration
}

// withDefaults fills the zero settings.
func (o Options) withDefaults() Options {
	setIf(&o.Retention, 0, DefaultRetention)
	setIf(&o.QueryTimeout, 0, DefaultQueryTimeout)
	setIf(&o.IdleAfter, 0, DefaultIdleAfter)
	setIf(&o.RefitWorkers, 0, DefaultRefitWorkers)
	setIf(&o.StreamInterval, 0, 15*time.Second)
	setIf(&o.FlushInterval, 0, 10*time.Second)
	setIf(&o.MaxTriggers, 0, DefaultMaxTriggers)
	setIf(&o.MaxTriggersPerNamespace, 0, DefaultMaxTriggersPerNamespace)
	setIf(&o.StoreMaxBytes, 0, DefaultStoreMaxBytes)
	setIf(&o.StoreSweepInterval, 0, 5*time.Minute)
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Server is prescale's KEDA external scaler: each GetMetrics answers
// policies.Decide over the live demand, the cached forecast, the calendar's
// event floors and the previous decision. Forecasts are fitted in the
// background by Run. A Server is safe for concurrent use.
type Server struct {
	externalscaler.UnimplementedExternalScalerServer

	opts    Options
	log     *slog.Logger
	metrics *metrics
	codec   *utf8Codec // the gRPC codec the interceptors check requests with

	mu           sync.RWMutex
	targets      map[targetID][]*target
	total        int            // guarded by mu: registered triggers
	perNamespace map[string]int // guarded by mu: registered triggers by namespace

	streamsDone chan struct{} // closed to end StreamIsActive calls
	endStreams  sync.Once

	compactMinFree int64 // free bytes that make SweepStore compact the file
}

// activeReuse is how recent a decision IsActive reuses rather than
// querying the live demand again: KEDA calls IsActive right after
// GetMetrics at each poll.
const activeReuse = 5 * time.Second

// New returns a Server. Call Run to fit forecasts and store decisions.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("scaler: no store")
	}
	if len(opts.Sources) == 0 {
		return nil, errors.New("scaler: no metric source")
	}
	opts = opts.withDefaults()
	s := &Server{opts: opts, log: opts.Logger, targets: map[targetID][]*target{}, streamsDone: make(chan struct{}), codec: newUTF8Codec(),
		perNamespace: map[string]int{}, compactMinFree: compactMinFree}
	m, err := newMetrics(opts.Registerer, s.countScaledObjects)
	if err != nil {
		return nil, fmt.Errorf("registering the scaler's metrics: %w", err)
	}
	s.metrics = m
	return s, nil
}

// GetMetricSpec registers the trigger and returns its metric: the name
// GetMetrics answers to and targetPerPod as the AverageValue target.
func (s *Server) GetMetricSpec(ctx context.Context, ref *externalscaler.ScaledObjectRef) (*externalscaler.GetMetricSpecResponse, error) {
	t, err := s.lookup(ref)
	if err != nil {
		return nil, grpcError(err)
	}
	target := t.meta.Policy.TargetPerPod
	return &externalscaler.GetMetricSpecResponse{MetricSpecs: []*externalscaler.MetricSpec{{
		MetricName: t.metric, TargetSizeFloat: target, TargetSize: int64(math.Ceil(target)),
	}}}, nil
}

// GetMetrics decides and returns the value to serve now. It answers
// Unavailable when nothing safe can be served, so that KEDA's fallback
// applies.
func (s *Server) GetMetrics(ctx context.Context, req *externalscaler.GetMetricsRequest) (*externalscaler.GetMetricsResponse, error) {
	t, err := s.lookup(req.GetScaledObjectRef())
	if err != nil {
		return nil, grpcError(err)
	}
	if name := req.GetMetricName(); name != t.metric {
		return nil, grpcError(fmt.Errorf("%w %q for %s: this trigger answers to %q", ErrUnknownMetric, name, t.id, t.metric))
	}
	d, err := s.decide(ctx, t)
	if err != nil {
		return nil, grpcError(err)
	}
	v := served(d.Value)
	return &externalscaler.GetMetricsResponse{MetricValues: []*externalscaler.MetricValue{{
		MetricName: t.metric, MetricValueFloat: v, MetricValue: int64(math.Round(v)),
	}}}, nil
}

// served clamps a decided value into [0, MaxServedValue], so that KEDA's
// int64 MetricValue holds it: the live demand a source reports is not
// bounded.
func served(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return min(max(v, 0), MaxServedValue)
}

// IsActive reports whether the served value is above activationValue,
// reusing the decision of a GetMetrics call made just before.
func (s *Server) IsActive(ctx context.Context, ref *externalscaler.ScaledObjectRef) (*externalscaler.IsActiveResponse, error) {
	t, err := s.lookup(ref)
	if err != nil {
		return nil, grpcError(err)
	}
	active, err := s.isActive(ctx, t)
	if err != nil {
		return nil, grpcError(err)
	}
	return &externalscaler.IsActiveResponse{Result: active}, nil
}

// StreamIsActive sends IsActive's answer at once, then whenever it
// changes, re-evaluating every StreamInterval, until the client leaves or
// the server stops.
func (s *Server) StreamIsActive(ref *externalscaler.ScaledObjectRef, stream externalscaler.ExternalScaler_StreamIsActiveServer) error {
	t, err := s.lookup(ref)
	if err != nil {
		return grpcError(err)
	}
	tick := time.NewTicker(s.opts.StreamInterval)
	defer tick.Stop()
	sent, last := false, false
	for {
		active, err := s.isActive(stream.Context(), t)
		if err == nil && (!sent || active != last) {
			if err := stream.Send(&externalscaler.IsActiveResponse{Result: active}); err != nil {
				return err
			}
			sent, last = true, active
		}
		select {
		case <-stream.Context().Done():
			return nil
		case <-s.streamsDone:
			return nil
		case <-tick.C:
		}
	}
}

// isActive decides (or reuses a decision made within activeReuse) and
// compares with activationValue.
func (s *Server) isActive(ctx context.Context, t *target) (bool, error) {
	if d, ok := t.lastDecision(); ok && s.opts.Now().Sub(d.At) < activeReuse && !d.At.After(s.opts.Now()) {
		t.lastCall.Store(s.opts.Now().UnixNano())
		return d.Value > t.meta.ActivationValue, nil
	}
	d, err := s.decide(ctx, t)
	if err != nil {
		return false, err
	}
	return d.Value > t.meta.ActivationValue, nil
}

// countScaledObjects returns the number of ScaledObjects registered.
func (s *Server) countScaledObjects() float64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return float64(len(s.targets))
}

// stopStreams ends the StreamIsActive calls, for a graceful stop.
func (s *Server) stopStreams() { s.endStreams.Do(func() { close(s.streamsDone) }) }

// decided records what one decision means for the target's state, metrics
// and logs.
func (s *Server) decided(t *target, d policies.Decision, err, liveErr error) {
	degraded := liveErr != nil || (err == nil && d.Degraded)
	if err != nil {
		s.metrics.noSafeValue.Inc()
	} else {
		s.metrics.decided(d, degraded)
	}
	if t.degraded.Swap(degraded) == degraded {
		return
	}
	if degraded {
		s.metrics.degraded.Inc()
		s.log.Warn("live demand unavailable: serving from the forecast, event floors or last value",
			"scaledObject", t.id.String(), "metric", t.metric, "error", errorString(liveErr, err))
	} else {
		s.metrics.degraded.Dec()
		s.log.Info("live demand available again", "scaledObject", t.id.String(), "metric", t.metric)
	}
}

// errorString returns the first non-nil error's message.
func errorString(errs ...error) string {
	for _, err := range errs {
		if err != nil {
			return err.Error()
		}
	}
	return ""
}
