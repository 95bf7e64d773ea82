package scaler

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestLiveFaults checks that a failing live query degrades to the forecast
// or the last value, never below the policy floor, and that the degraded
// state shows in metrics and logs.
func TestLiveFaults(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	r := ref("checkout", fastMeta("minReplicas", "35"))
	tg := e.target(t, r)
	e.refit(t, r)
	e.src.setFail(errors.New("connection refused"))
	d, err := e.srv.decide(context.Background(), tg)
	if err != nil || !d.Degraded || d.Value != 3500 {
		t.Fatalf("Prometheus down: %+v, %v; want 3500 (minReplicas over the forecast's 3000), degraded", d, err)
	}
	if g := metricValue(t, e.reg, "prescale_scaler_degraded_triggers", nil); g != 1 {
		t.Errorf("degraded gauge = %v, want 1", g)
	}
	if !strings.Contains(e.logs.String(), "live demand unavailable") || !strings.Contains(e.logs.String(), "connection refused") {
		t.Errorf("no degraded warning in the logs:\n%s", e.logs)
	}
	if n := metricValue(t, e.reg, "prescale_scaler_decisions_total", map[string]string{"degraded": "true"}); n != 1 {
		t.Errorf("degraded decisions = %v, want 1", n)
	}
	e.src.setFail(nil)
	if _, err := e.srv.decide(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	if g := metricValue(t, e.reg, "prescale_scaler_degraded_triggers", nil); g != 0 {
		t.Errorf("degraded gauge after recovery = %v, want 0", g)
	}
}

func TestNoSafeValueIsUnavailable(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	r := ref("checkout", fastMeta())
	e.src.setFail(errors.New("connection refused"))
	_, _, err := kedaPoll(context.Background(), c, r, e.target(t, r).metric)
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("no live, forecast or previous value: %v, want Unavailable", err)
	}
	e.src.setFail(nil)
	v, _, err := kedaPoll(context.Background(), c, r, e.target(t, r).metric)
	if err != nil || v != 1000 {
		t.Fatalf("after recovery: %v, %v", v, err)
	}
	e.src.setFail(errors.New("connection refused"))
	e.clock.Advance(time.Minute)
	v, _, err = kedaPoll(context.Background(), c, r, e.target(t, r).metric)
	if err != nil || v != 1000 {
		t.Errorf("blind without forecast: %v, %v; want the last value 1000 held", v, err)
	}
	if n := metricValue(t, e.reg, "prescale_scaler_no_safe_value_total", nil); n != 1 {
		t.Errorf("no-safe-value counter = %v, want 1", n)
	}
}

// TestSlowSource checks the per-call deadline: a live query slower than
// QueryTimeout is abandoned and the forecast served in time.
func TestSlowSource(t *testing.T) {
	e := newTestEnv(t, beforeRamp, func(o *Options) { o.QueryTimeout = 50 * time.Millisecond })
	r := ref("checkout", fastMeta())
	tg := e.target(t, r)
	e.refit(t, r)
	e.src.delay.Store(int64(5 * time.Second))
	start := time.Now()
	d, err := e.srv.decide(context.Background(), tg)
	if took := time.Since(start); took > time.Second {
		t.Errorf("decision took %s with a 50ms query timeout", took)
	}
	if err != nil || !d.Degraded || d.Value != 3000 {
		t.Errorf("slow source: %+v, %v; want the forecast 3000, degraded", d, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := e.srv.decide(ctx, tg); err != nil || time.Since(start) > 35*time.Millisecond {
		t.Errorf("the call's own deadline was not halved: took %s, %v", time.Since(start), err)
	}
}

func TestRefitFailureKeepsForecast(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	r := ref("checkout", fastMeta())
	e.refit(t, r)
	tg := e.target(t, r)
	e.src.setFail(errors.New("prometheus: 503"))
	e.clock.Advance(16 * time.Minute)
	e.srv.refit(context.Background(), tg)
	if tg.refitErr.Load() != nil {
		t.Fatalf("refresh failure of a stored history failed the refit: %s", *tg.refitErr.Load())
	}
	e2 := newTestEnv(t, beforeRamp, nil)
	e2.src.setFail(errors.New("prometheus: 503"))
	tg2 := e2.target(t, r)
	e2.srv.refit(context.Background(), tg2)
	if msg := tg2.refitErr.Load(); msg == nil || !strings.Contains(*msg, "503") {
		t.Fatalf("backfill failure not reported: %v", msg)
	}
	if next := time.Unix(0, tg2.nextRefit.Load()); next.Sub(beforeRamp) >= 15*time.Minute {
		t.Errorf("failed refit retried at %s, want sooner than the interval", next)
	}
	if !strings.Contains(e2.logs.String(), "refit failed") {
		t.Errorf("no refit warning logged:\n%s", e2.logs)
	}
}
