package scaler

import (
	"context"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/metricsource/promtest"
	"github.com/prescale-dev/prescale/policies"
)

// The flash sale the integration test scales for: Wednesdays 19:00-20:00
// UTC, three times in the history and once more ahead.
var (
	saleStart  = time.Date(2025, 3, 19, 19, 0, 0, 0, time.UTC)
	historyBeg = saleStart.Add(-21*24*time.Hour - 19*time.Hour) // Wednesday 2025-02-26 00:00
)

const saleCalendar = `apiVersion: prescale.dev/v1alpha1
kind: Calendar
metadata: {name: shop}
spec:
  timeZone: UTC
  events:
  - {name: flash sale 1, type: flash-sale, start: 2025-02-26 19:00, end: 2025-02-26 20:00}
  - {name: flash sale 2, type: flash-sale, start: 2025-03-05 19:00, end: 2025-03-05 20:00}
  - {name: flash sale 3, type: flash-sale, start: 2025-03-12 19:00, end: 2025-03-12 20:00}
  - {name: flash sale 4, type: flash-sale, start: 2025-03-19 19:00, end: 2025-03-19 20:00}
`

// shopDemand is requests/s with a daily shape (peak at 15:00 UTC), quieter
// weekends, three times the demand during a flash sale, and 3 % noise.
func shopDemand(t time.Time, noise float64) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60
	v := 150 + 250*(0.5+0.5*math.Sin(2*math.Pi*(h-9)/24))
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		v *= 0.6
	}
	if t.Weekday() == time.Wednesday && t.Hour() == 19 {
		v *= 3
	}
	return v * (1 + 0.03*noise)
}

// writeShop loads one-minute samples of shopDemand from historyBeg to
// three hours after the sale into srv, returning them by minute.
func writeShop(t *testing.T, srv *promtest.Server) map[int64]float64 {
	rng := rand.New(rand.NewPCG(7, 7))
	byMinute := map[int64]float64{}
	var smp []promtest.Sample
	for at := historyBeg; at.Before(saleStart.Add(3 * time.Hour)); at = at.Add(time.Minute) {
		v := shopDemand(at, rng.NormFloat64())
		byMinute[at.Unix()/60] = v
		smp = append(smp, promtest.Sample{Time: at, Value: v})
	}
	srv.Write(promtest.Series{Name: "shop_requests_per_second", Labels: map[string]string{"app": "checkout"}, Samples: smp})
	return byMinute
}

// TestPrometheusAheadOfEvent drives the scaler over gRPC exactly as KEDA
// does (GetMetricSpec, then GetMetrics and IsActive per poll) against a
// real Prometheus holding three weeks of history, through a known flash
// sale: it must ask for more before the sale's ramp arrives, and never
// serve below the live demand.
func TestPrometheusAheadOfEvent(t *testing.T) {
	prom := promtest.Start(t)
	live := writeShop(t, prom)
	calPath := filepath.Join(t.TempDir(), "shop.yaml")
	if err := os.WriteFile(calPath, []byte(saleCalendar), 0o600); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Load(calPath, calendar.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := metricsource.NewPrometheus(metricsource.PrometheusConfig{Address: prom.URL()})
	if err != nil {
		t.Fatal(err)
	}
	start := saleStart.Add(-55 * time.Minute)
	e := newTestEnv(t, start, func(o *Options) {
		o.Sources = map[string]Source{"main": src}
		o.Calendars = map[string]Events{"shop": cal}
	})
	c := grpcClient(t, e.srv)
	meta := func(kv ...string) map[string]string {
		md := map[string]string{"scalerAddress": "prescale:6000", "prometheus": "main", "query": `sum(shop_requests_per_second{app="checkout"})`,
			"targetPerPod": "20", "leadTime": "30m", "step": "5m", "historyWindow": "3w", "calendar": "shop", "minReplicas": "2"}
		for i := 0; i+1 < len(kv); i += 2 {
			md[kv[i]] = kv[i+1]
		}
		return md
	}
	byForecast := &externalscaler.ScaledObjectRef{Namespace: "shop", Name: "checkout", ScalerMetadata: meta()}
	byFloor := &externalscaler.ScaledObjectRef{Namespace: "shop", Name: "checkout-floor",
		ScalerMetadata: meta("eventFloors", "flash-sale=45", "model", "snaive", "quantile", "0.5", "query", `sum(shop_requests_per_second)`)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = e.srv.Run(ctx) }()
	refs := []*externalscaler.ScaledObjectRef{byForecast, byFloor}
	metrics := make([]string, len(refs))
	for i, r := range refs {
		spec, err := c.GetMetricSpec(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		metrics[i] = spec.MetricSpecs[0].MetricName
		waitFitted(t, e, r)
	}
	firstHigh := make([]time.Time, len(refs))
	for at := start; at.Before(saleStart.Add(90 * time.Minute)); at = at.Add(30 * time.Second) {
		e.clock.Set(at)
		want := live[at.Unix()/60]
		for i, r := range refs {
			v, active, err := kedaPoll(ctx, c, r, metrics[i])
			if err != nil {
				t.Fatalf("%s at %s: %v", r.Name, at.Format("15:04:05"), err)
			}
			if v < want-1e-9 || !active {
				t.Fatalf("%s at %s served %.1f (active %v) below the live %.1f", r.Name, at.Format("15:04:05"), v, active, want)
			}
			if firstHigh[i].IsZero() && v >= 1.8*want {
				firstHigh[i] = at
			}
		}
		if at.Equal(saleStart.Add(-10 * time.Minute)) {
			x := e.srv.Explain("shop/checkout-floor")
			// A risk-based target takes the floor learned from the past
			// sales, not the calendar's.
			if len(x) != 1 || x[0].Event != "flash sale 4" || !(x[0].EventFloor > 0) || x[0].Replicas < 45 {
				t.Errorf("explanation 10m before the sale: %+v, want the flash sale's learned floor and at least its 45 replicas", x)
			}
		}
	}
	for i, r := range refs {
		lead := saleStart.Sub(firstHigh[i])
		t.Logf("%s: first asked for at least 1.8x the live demand %s before the sale", r.Name, lead)
		if firstHigh[i].IsZero() || lead < 20*time.Minute {
			t.Errorf("%s asked for the sale's capacity only at %s, want at least 20m before %s (lead time 30m)",
				r.Name, firstHigh[i].Format("15:04:05"), saleStart.Format("15:04"))
		}
	}
}

// waitFitted waits until Run has fitted r's forecast.
func waitFitted(t *testing.T, e *testEnv, r *externalscaler.ScaledObjectRef) {
	t.Helper()
	tg := e.target(t, r)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if tg.snap.Load().hasForecast() {
			return
		}
		if msg := tg.refitErr.Load(); msg != nil {
			t.Fatalf("refit of %s: %s", r.Name, *msg)
		}
	}
	t.Fatalf("no forecast for %s after 30s", r.Name)
}

// TestPrometheusFaults serves through a slow Prometheus, NaN, +Inf and
// empty query results and a stopped Prometheus: each time the scaler keeps
// answering from the forecast, never below the policy floor, shows the
// degraded state, and recovers.
func TestPrometheusFaults(t *testing.T) {
	prom := promtest.Start(t)
	now := time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)
	var smp []promtest.Sample
	for at := now.Add(-8 * 24 * time.Hour); !at.After(now); at = at.Add(time.Minute) {
		smp = append(smp, promtest.Sample{Time: at, Value: shopDemand(at, 0)})
	}
	add := func(from time.Duration, n int, v float64) {
		for i := range n {
			smp = append(smp, promtest.Sample{Time: now.Add(from + time.Duration(i)*time.Minute), Value: v})
		}
	}
	add(time.Minute, 9, 300)       // healthy
	add(10*time.Minute, 10, nan()) // NaN
	add(20*time.Minute, 10, math.Inf(1))
	// nothing from 30m: empty once the 5-minute lookback runs out
	prom.Write(promtest.Series{Name: "faulty_demand", Samples: smp})

	var delay atomic.Int64
	target, _ := url.Parse(prom.URL())
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(delay.Load()))
		proxy.ServeHTTP(w, r)
	}))
	defer slow.Close()
	src, err := metricsource.NewPrometheus(metricsource.PrometheusConfig{Address: slow.URL})
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, now, func(o *Options) {
		o.Sources = map[string]Source{"main": src}
		o.QueryTimeout = 200 * time.Millisecond
	})
	c := grpcClient(t, e.srv)
	r := &externalscaler.ScaledObjectRef{Namespace: "shop", Name: "faulty", ScalerMetadata: map[string]string{
		"query": "sum(faulty_demand)", "targetPerPod": "10", "minReplicas": "20", "step": "5m", "historyWindow": "1w",
		"model": "snaive", "leadTime": "5m", "refitInterval": "1h",
	}}
	spec, err := c.GetMetricSpec(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	metric := spec.MetricSpecs[0].MetricName
	e.refit(t, r)
	floor := 200.0
	tests := []struct {
		name     string
		at       time.Duration
		slow     time.Duration
		stop     bool
		degraded bool
	}{
		{"healthy", 5 * time.Minute, 0, false, false},
		{"slow beyond the deadline", 6 * time.Minute, 2 * time.Second, false, true},
		{"recovered", 7 * time.Minute, 0, false, false},
		{"NaN", 15 * time.Minute, 0, false, true},
		{"+Inf", 25 * time.Minute, 0, false, true},
		{"empty", 40 * time.Minute, 0, false, true},
		{"down", 8 * time.Minute, 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Set(now.Add(tt.at))
			delay.Store(int64(tt.slow))
			if tt.stop {
				prom.Stop()
				slow.Close()
			}
			began := time.Now()
			v, _, err := kedaPoll(context.Background(), c, r, metric)
			if took := time.Since(began); took > time.Second {
				t.Errorf("poll took %s", took)
			}
			if err != nil || v < floor {
				t.Fatalf("served %v, %v; want at least the floor %v", v, err, floor)
			}
			x := e.srv.Explain("shop/faulty")[0]
			if x.Degraded != tt.degraded || (tt.degraded && (x.LiveError == "" || x.DecidedBy != string(policies.SourceForecast))) {
				t.Errorf("explanation %+v, want degraded %v", x, tt.degraded)
			}
			if g := metricValue(t, e.reg, "prescale_scaler_degraded_triggers", nil); g != boolFloat(tt.degraded) {
				t.Errorf("degraded gauge %v", g)
			}
			t.Logf("%s: served %.0f from %s; %s", tt.name, v, x.DecidedBy, x.LiveError)
		})
	}
	if n := metricValue(t, e.reg, "prescale_scaler_live_query_duration_seconds", map[string]string{"outcome": "error"}); n != 5 {
		t.Errorf("%v failed live queries counted, want 5", n)
	}
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// ExampleParseMetadata shows the typed metadata of a trigger.
func ExampleParseMetadata() {
	m, err := ParseMetadata(map[string]string{
		"scalerAddress": "prescale.keda:6000",
		"query":         `sum(rate(http_requests_total{service="checkout"}[2m]))`,
		"targetPerPod":  "80",
		"leadTime":      "4m",
		"calendar":      "shop",
		"eventFloors":   "double11=60,flash-sale=20",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Policy.Mode, m.Policy.TargetPerPod, m.Policy.LeadTime, m.Quantile, m.Model)
	fmt.Println(m.EventFloors, m.Step, FormatDuration(m.HistoryWindow), m.HorizonSteps())
	_, err = ParseMetadata(map[string]string{"query": "up", "targetPerPod": "80", "quantile": "0.999"})
	fmt.Println(err)
	// Output:
	// predictive 80 4m0s 0.9 auto
	// [{double11 60} {flash-sale 20}] 1m0s 4w 35
	// metadata key "quantile" (value "0.999"): must be between 0.5 and 0.99
}
