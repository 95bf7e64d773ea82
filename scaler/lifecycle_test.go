package scaler

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/policies"
)

// TestRestartAnswersFromStore: a new Server on the same store serves the
// stored forecast at once, with the source down and before any refit.
func TestRestartAnswersFromStore(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	r := ref("checkout", fastMeta())
	e.refit(t, r)
	if _, err := e.srv.decide(context.Background(), e.target(t, r)); err != nil {
		t.Fatal(err)
	}
	e.srv.flush()
	again, err := New(Options{Sources: map[string]Source{"main": e.src}, Store: e.store, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.src.setFail(errors.New("connection refused"))
	tg, err := again.lookup(r)
	if err != nil {
		t.Fatal(err)
	}
	if next := time.Unix(0, tg.nextRefit.Load()); !next.After(beforeRamp) {
		t.Errorf("restored trigger refits at %s, want after the stored fit's interval", next)
	}
	d, err := again.decide(context.Background(), tg)
	if err != nil || d.Source != policies.SourceForecast || d.Value != 3000 {
		t.Errorf("restarted scaler: %v from %s (%v), want the stored forecast's 3000", d.Value, d.Source, err)
	}
}

// TestHistoryBackfillThenRefresh: the first refit backfills the window,
// later ones fetch the steps since the stored end (with a small overlap).
func TestHistoryBackfillThenRefresh(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	r := ref("checkout", fastMeta())
	e.refit(t, r)
	e.clock.Advance(20 * time.Minute)
	e.refit(t, r)
	calls := e.src.rangeCalls()
	if len(calls) != 2 {
		t.Fatalf("%d range queries, want 2", len(calls))
	}
	end := beforeRamp.Truncate(5 * time.Minute)
	if !calls[0][0].Equal(end.Add(-7*24*time.Hour)) || !calls[0][1].Equal(end) {
		t.Errorf("backfill %v, want the week to %s", calls[0], end)
	}
	if got := calls[1][1].Sub(calls[1][0]); got != 40*time.Minute {
		t.Errorf("refresh spans %s, want 40m (20m new, 5 steps again and the end step)", got)
	}
	h, err := e.store.History(e.target(t, r).key)
	if err != nil || h.Missing() != 0 || !h.End().Equal(end.Add(25*time.Minute)) {
		t.Errorf("stored history ends %s with %d missing (%v)", h.End(), h.Missing(), err)
	}
}

// TestForecastErrorMetric: the point forecast made a lead time earlier is
// compared with the live demand.
func TestForecastErrorMetric(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	r := ref("checkout", fastMeta())
	tg := e.target(t, r)
	e.refit(t, r)
	if _, err := e.srv.decide(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	if n := metricValue(t, e.reg, "prescale_scaler_forecast_abs_percentage_error", nil); n != 0 {
		t.Fatalf("error observed before the lead time passed: %v", n)
	}
	e.clock.Advance(10 * time.Minute)
	if _, err := e.srv.decide(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	if n := metricValue(t, e.reg, "prescale_scaler_forecast_abs_percentage_error", nil); n != 1 {
		t.Fatalf("%v errors observed, want 1", n)
	}
	if x := e.srv.Explain("shop/checkout")[0]; x.ForecastAPE == nil || *x.ForecastAPE != 0 {
		t.Errorf("explained APE %v, want 0 (the ramp repeats exactly)", x.ForecastAPE)
	}
}

func TestChainKeepsWhatTheErrorNeeds(t *testing.T) {
	mk := func(at time.Time) *snapshot {
		return &snapshot{fittedAt: at, forecast: policies.Forecast{Start: at, Step: time.Minute, Values: []float64{1, 2, 3}},
			point: policies.Forecast{Start: at, Step: time.Minute, Values: []float64{float64(at.Minute()), 0, 0}}}
	}
	t0 := beforeRamp
	a, b, c := mk(t0), mk(t0.Add(time.Minute)), mk(t0.Add(2*time.Minute))
	chain(b, a, t0.Add(time.Minute), 5*time.Minute)
	chain(c, b, t0.Add(2*time.Minute), 90*time.Second)
	if c.older.Load() != b || b.older.Load() != a || a.older.Load() != nil {
		t.Fatal("chain dropped a snapshot still needed")
	}
	if v, ok := c.pointAt(t0, t0.Add(30*time.Second)); !ok || v != 52 {
		t.Errorf("pointAt = %v, %v; want the forecast made at %s", v, ok, t0.Format("15:04"))
	}
	d := mk(t0.Add(10 * time.Minute))
	chain(d, c, t0.Add(10*time.Minute), 5*time.Minute)
	if c.older.Load() != nil {
		t.Error("snapshots older than the newest fitted a lead time ago were kept")
	}
	if _, ok := d.pointAt(t0.Add(30*time.Minute), t0.Add(29*time.Minute)); ok {
		t.Error("pointAt beyond every forecast's horizon answered")
	}
}

// TestIdleTriggersForgotten: a trigger KEDA stops asking about is
// forgotten after IdleAfter, and its store key (history, forecast and
// decision) deleted.
func TestIdleTriggersForgotten(t *testing.T) {
	e := newTestEnv(t, beforeRamp, func(o *Options) { o.IdleAfter = time.Hour })
	r := ref("checkout", fastMeta())
	tg := e.target(t, r)
	if _, err := e.srv.decide(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	e.refit(t, r)
	e.srv.flush()
	e.clock.Advance(59 * time.Minute)
	e.srv.evictIdle(e.clock.Now())
	if len(e.srv.all()) != 1 {
		t.Fatal("trigger forgotten before IdleAfter")
	}
	e.clock.Advance(2 * time.Minute)
	e.srv.evictIdle(e.clock.Now())
	if len(e.srv.all()) != 0 || metricValue(t, e.reg, "prescale_scaler_triggers", nil) != 0 {
		t.Fatal("idle trigger kept")
	}
	keys, err := e.store.Keys()
	if err != nil || len(keys) != 0 {
		t.Errorf("store keys after the only trigger was forgotten: %q, %v; want none", keys, err)
	}
}

// TestEditedTriggerReplaced: a ScaledObject whose policy changes keeps one
// trigger (same metric), with the new policy and the last decision (which
// the rate limits start from).
func TestEditedTriggerReplaced(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	a := e.target(t, ref("checkout", fastMeta()))
	if _, err := e.srv.decide(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	b := e.target(t, ref("checkout", fastMeta("targetPerPod", "50")))
	if a.metric != b.metric || len(e.srv.all()) != 1 || e.srv.all()[0] != b {
		t.Errorf("edited trigger: %d registered", len(e.srv.all()))
	}
	if d, ok := b.lastDecision(); !ok || d.Value != 1000 || b.meta.Policy.TargetPerPod != 50 {
		t.Errorf("edited trigger starts from %+v (%v), want the last value 1000 and the new target", d, ok)
	}
	e.target(t, ref("checkout", fastMeta("query", "sum(up)")))
	if len(e.srv.all()) != 2 {
		t.Errorf("second trigger of another query: %d registered, want 2", len(e.srv.all()))
	}
}
