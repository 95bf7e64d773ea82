package scaler

import (
	"cmp"
	"context"
	"math"
	"time"

	"github.com/prescale-dev/prescale/policies"
)

// decide computes the value to serve now: the live demand from one instant
// query under a short deadline, the cached forecast and event floors, and
// the previous decision, through policies.Decide. Nothing here fits a model
// or runs a range query.
func (s *Server) decide(ctx context.Context, t *target) (policies.Decision, error) {
	now := s.opts.Now()
	t.lastCall.Store(now.UnixNano())
	live, liveErr := s.live(ctx, t, now)
	snap := t.snap.Load()
	in := policies.Inputs{
		Now: now, Live: live, StaleAfter: staleAfter(t.meta.Step),
		Forecast: snap.forecast, Floors: snap.floors,
		Replicas: s.replicas(ctx, t),
	}
	t.mu.Lock()
	prev := t.last
	if t.hasLast {
		in.Previous = &prev
	}
	if t.recent == nil {
		t.recent = policies.NewRecent(maxAnchor)
	}
	t.recent.Add(now, live)
	if g := snap.forecast.Growth; g != nil && g.Anchor > 0 {
		in.Anchor = t.recent.Max(live.At, g.Anchor)
	}
	d, err := policies.Decide(t.servedPolicy(), in)
	if err == nil {
		t.last, t.hasLast, t.dirty = d, true, true
	}
	t.liveErr = liveErr
	if ape, ok := forecastError(snap, now, t.meta.Policy.LeadTime, live, liveErr); ok {
		t.apeValue = ape
		s.metrics.forecastAPE.Observe(ape)
	}
	t.mu.Unlock()
	s.decided(t, d, err, liveErr)
	return d, err
}

// live queries the trigger's source for the demand at now, under the
// configured timeout or half the call's remaining time, whichever is
// shorter. A failure gives a NaN observation, which Decide treats as
// unknown.
func (s *Server) live(ctx context.Context, t *target, now time.Time) (policies.Observation, error) {
	qctx, cancel := s.queryContext(ctx)
	defer cancel()
	start := time.Now()
	smp, err := t.source.Instant(qctx, t.query, now)
	if err != nil {
		s.metrics.instantErr.Observe(time.Since(start).Seconds())
		return policies.Observation{Value: math.NaN()}, err
	}
	s.metrics.instantOK.Observe(time.Since(start).Seconds())
	return policies.Observation{Value: smp.Value, At: smp.Time}, nil
}

// ReplicaReader reads the replica count an HPA works from: the scale
// target's spec replicas, against which it applies its tolerance.
type ReplicaReader interface {
	// Replicas returns the replicas of the HorizontalPodAutoscaler name in
	// namespace.
	Replicas(ctx context.Context, namespace, name string) (int, error)
}

// replicas reads the running replicas for a trigger whose policy works
// around the HPA's tolerance, under the live query's timeout; 0 (unknown)
// without a reader, without a tolerance or on error, when the policy
// takes the tolerance as headroom instead.
func (s *Server) replicas(ctx context.Context, t *target) int {
	if s.opts.Replicas == nil || t.meta.Policy.Tolerance == 0 || t.meta.Policy.Mode == policies.ModeReactive {
		return 0
	}
	rctx, cancel := s.queryContext(ctx)
	defer cancel()
	name := t.hpaName()
	n, err := s.opts.Replicas.Replicas(rctx, t.id.namespace, name)
	if err != nil {
		// Logged when the error changes, not at every call.
		msg := err.Error()
		if old := t.replicaErr.Swap(&msg); old == nil || *old != msg {
			s.log.Warn("reading the running replicas: taking the HPA's tolerance as headroom", "scaledObject", t.id.String(), "hpa", name, "err", err)
		}
		return 0
	}
	t.replicaErr.Store(nil)
	return max(n, 0)
}

// queryContext bounds a query of one call by the configured timeout or
// half the call's remaining time, whichever is shorter.
func (s *Server) queryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	timeout := s.opts.QueryTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl)/2)
	}
	return context.WithTimeout(ctx, timeout)
}

// hpaName returns the HorizontalPodAutoscaler whose replicas the trigger
// reads: hpaName, or the name KEDA gives the one it creates.
func (t *target) hpaName() string { return cmp.Or(t.meta.HPAName, kedaHPAPrefix+t.id.name) }

// kedaHPAPrefix prefixes the ScaledObject's name in the name KEDA gives
// the HorizontalPodAutoscaler it creates.
const kedaHPAPrefix = "keda-hpa-"

// maxAnchor is how long the live values are kept for the anchor of a
// risk-based target: the longest of policies.DefaultAnchors, with room.
const maxAnchor = time.Hour

// staleAfter is how old a live sample may be: two steps, at least a
// minute (Prometheus itself looks back five minutes).
func staleAfter(step time.Duration) time.Duration { return max(2*step, time.Minute) }

// forecastError returns the absolute percentage error, as a ratio, of the
// point forecast for now made at least lead earlier, against a positive
// live value.
func forecastError(snap *snapshot, now time.Time, lead time.Duration, live policies.Observation, liveErr error) (float64, bool) {
	if liveErr != nil || !(live.Value > 0) || math.IsInf(live.Value, 0) {
		return 0, false
	}
	f, ok := snap.pointAt(now, now.Add(-lead))
	if !ok {
		return 0, false
	}
	return math.Abs(f-live.Value) / live.Value, true
}

// nan returns a NaN, the marker of an unknown value.
func nan() float64 { return math.NaN() }
