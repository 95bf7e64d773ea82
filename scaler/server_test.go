package scaler

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/policies"
)

// beforeRamp is eight minutes before the daily 12:00 UTC ramp of dailyRamp.
var beforeRamp = time.Date(2025, 3, 12, 11, 52, 0, 0, time.UTC)

func TestGetMetricSpec(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	spec, err := c.GetMetricSpec(context.Background(), ref("checkout", fastMeta("targetPerPod", "80.5")))
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.MetricSpecs) != 1 {
		t.Fatalf("%d metric specs, want 1", len(spec.MetricSpecs))
	}
	ms := spec.MetricSpecs[0]
	if !strings.HasPrefix(ms.MetricName, "prescale-") || ms.TargetSizeFloat != 80.5 || ms.TargetSize != 81 {
		t.Errorf("spec = %+v, want prescale-…, target 80.5 (81 as integer)", ms)
	}
	if got := metricValue(t, e.reg, "prescale_scaler_triggers", nil); got != 1 {
		t.Errorf("triggers gauge = %v, want 1", got)
	}
}

func TestInvalidArgument(t *testing.T) {
	cal := &calendar.Calendar{}
	e := newTestEnv(t, beforeRamp, func(o *Options) {
		o.Calendars = map[string]Events{"shop": cal}
		o.Sources["other"] = o.Sources["main"]
	})
	c := grpcClient(t, e.srv)
	tests := []struct {
		name, key string
		md        map[string]string
	}{
		{"bad value", "quantile", fastMeta("prometheus", "main", "quantile", "2")},
		{"unknown key", "targetPerPods", fastMeta("prometheus", "main", "targetPerPods", "2")},
		{"source required among several", "prometheus", fastMeta()},
		{"source is a name", "prometheus", fastMeta("prometheus", "http://prometheus:9090")},
		{"unknown calendar", "calendar", fastMeta("prometheus", "main", "calendar", "nope")},
		{"floor of a type the calendar lacks", "eventFloors", fastMeta("prometheus", "main", "calendar", "shop", "eventFloors", "sale=4")},
		{"history beyond retention", "historyWindow", fastMeta("prometheus", "main", "historyWindow", "6w")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.GetMetricSpec(context.Background(), ref("x", tt.md))
			if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `"`+tt.key+`"`) {
				t.Errorf("GetMetricSpec: %v, want InvalidArgument naming %q", err, tt.key)
			}
			_, err = c.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: ref("x", tt.md), MetricName: "m"})
			if status.Code(err) != codes.InvalidArgument {
				t.Errorf("GetMetrics: %v, want InvalidArgument", err)
			}
		})
	}
	_, err := c.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: ref("x", fastMeta("prometheus", "main")), MetricName: "s0-other"})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "s0-other") {
		t.Errorf("GetMetrics for a foreign metric name: %v, want InvalidArgument naming it", err)
	}
	if _, err := c.IsActive(context.Background(), &externalscaler.ScaledObjectRef{}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("IsActive without a reference: %v", err)
	}
}

// TestForecastAheadOfRamp drives the scaler as KEDA does: before the
// daily ramp the live demand is calm, yet the scaler already asks for the
// pods the ramp will need; it never serves less than the live demand.
func TestForecastAheadOfRamp(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	r := ref("checkout", fastMeta())
	spec, err := c.GetMetricSpec(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	metric := spec.MetricSpecs[0].MetricName
	v, _, err := kedaPoll(context.Background(), c, r, metric)
	if err != nil || v != 1000 {
		t.Fatalf("before the first fit: %v, %v; want the live 1000", v, err)
	}
	e.refit(t, r)
	for at := beforeRamp; at.Before(beforeRamp.Add(90 * time.Minute)); at = at.Add(30 * time.Second) {
		e.clock.Set(at)
		v, active, err := kedaPoll(context.Background(), c, r, metric)
		if err != nil {
			t.Fatal(err)
		}
		live := dailyRamp(at)
		if v < live {
			t.Fatalf("at %s served %v below the live %v", at.Format("15:04:05"), v, live)
		}
		if !active {
			t.Fatalf("at %s not active with value %v", at.Format("15:04:05"), v)
		}
		if at.Equal(beforeRamp) && v < 3000 {
			t.Fatalf("8 minutes before the ramp served %v, want the ramp's 3000 ahead of it", v)
		}
	}
	x := e.srv.Explain("shop/checkout")
	if len(x) != 1 || !x[0].Decided || x[0].Model == "" || len(x[0].Reasons) == 0 {
		t.Errorf("Explain = %+v", x)
	}
}

func TestEventFloors(t *testing.T) {
	sale := time.Date(2025, 3, 12, 15, 0, 0, 0, time.UTC)
	cal, err := calendar.Parse([]byte(`apiVersion: prescale.dev/v1alpha1
kind: Calendar
metadata: {name: shop}
spec:
  timeZone: UTC
  events:
  - {name: spring sale, type: sale, start: 2025-03-12 15:00, end: 2025-03-12 17:00, lead: 10m}
`), "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, sale.Add(-25*time.Minute), func(o *Options) { o.Calendars = map[string]Events{"shop": cal} })
	r := ref("checkout", fastMeta("calendar", "shop", "eventFloors", "sale=40", "leadTime", "5m"))
	tg := e.target(t, r)
	tests := []struct {
		at     time.Duration // from the sale's start
		want   float64
		source policies.Source
	}{
		{-25 * time.Minute, 1000, policies.SourceLive},
		{-14 * time.Minute, 4000, policies.SourceEvent}, // lead (10m) + lead time (5m) ahead
		{30 * time.Minute, 4000, policies.SourceEvent},
		{2*time.Hour + time.Minute, 1000, policies.SourceLive},
	}
	for _, tt := range tests {
		e.clock.Set(sale.Add(tt.at))
		d, err := e.srv.decide(context.Background(), tg)
		if err != nil || d.Value != tt.want || d.Source != tt.source {
			t.Errorf("at sale%+v: %v from %s (%v), want %v from %s", tt.at, d.Value, d.Source, err, tt.want, tt.source)
		}
	}
}

func TestIsActiveAndStream(t *testing.T) {
	e := newTestEnv(t, beforeRamp, func(o *Options) { o.StreamInterval = 10 * time.Millisecond })
	c := grpcClient(t, e.srv)
	calm := ref("calm", fastMeta("activationValue", "1500", "quantile", "0.5", "leadTime", "0s"))
	busy := ref("busy", fastMeta("activationValue", "500"))
	for _, tt := range []struct {
		r    *externalscaler.ScaledObjectRef
		want bool
	}{{calm, false}, {busy, true}} {
		a, err := c.IsActive(context.Background(), tt.r)
		if err != nil || a.Result != tt.want {
			t.Errorf("IsActive(%s) = %v, %v; want %v", tt.r.Name, a, err, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := c.StreamIsActive(ctx, calm)
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil || first.Result {
		t.Fatalf("first streamed answer = %v, %v; want false", first, err)
	}
	e.clock.Set(time.Date(2025, 3, 12, 12, 10, 0, 0, time.UTC)) // the ramp: 3000 > 1500
	second, err := stream.Recv()
	if err != nil || !second.Result {
		t.Fatalf("after the ramp started, streamed %v, %v; want true", second, err)
	}
	e.srv.stopStreams()
	if _, err := stream.Recv(); err != io.EOF {
		t.Errorf("after stopStreams, Recv = %v, want EOF", err)
	}
}
