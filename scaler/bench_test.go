package scaler

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"

	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// constSource answers every instant query at once with a fixed value.
type constSource float64

func (c constSource) Instant(_ context.Context, _ string, at time.Time) (metricsource.Sample, error) {
	return metricsource.Sample{Value: float64(c), Time: at}, nil
}

func (c constSource) Range(context.Context, string, time.Time, time.Time, time.Duration) (timeseries.Series, error) {
	return timeseries.Series{}, metricsource.ErrEmpty
}

// benchRequests registers n triggers with a cached forecast of the
// default horizon (36 one-minute steps) and returns their GetMetrics
// requests.
func benchRequests(b *testing.B, e *testEnv, n int) []*externalscaler.GetMetricsRequest {
	b.Helper()
	now := e.clock.Now()
	reqs := make([]*externalscaler.GetMetricsRequest, n)
	for i := range reqs {
		r := &externalscaler.ScaledObjectRef{Namespace: fmt.Sprintf("ns-%d", i%50), Name: fmt.Sprintf("app-%d", i),
			ScalerMetadata: map[string]string{"scalerAddress": "prescale:6000", "query": fmt.Sprintf(`sum(rate(http_requests_total{app="app-%d"}[2m]))`, i),
				"targetPerPod": "100", "minReplicas": "2", "maxReplicas": "200", "maxScaleDownPerMinute": "0.1"}}
		tg := e.target(b, r)
		m := tg.meta
		vals := make([]float64, m.HorizonSteps())
		for j := range vals {
			vals[j] = 900 + float64(j*10)
		}
		f := policies.Forecast{Start: now, Step: m.Step, Values: vals}
		tg.snap.Store(&snapshot{forecast: f, point: f, model: "mseasonal", fittedAt: now})
		reqs[i] = &externalscaler.GetMetricsRequest{ScaledObjectRef: r, MetricName: tg.metric}
	}
	return reqs
}

// BenchmarkGetMetrics measures GetMetrics with 10,000 ScaledObjects
// registered and their forecasts cached: serial latency (p50, p99),
// parallel throughput in process and over loopback gRPC, and the memory
// each registered ScaledObject holds.
func BenchmarkGetMetrics(b *testing.B) {
	const n = 10_000
	e := newTestEnv(b, beforeRamp, func(o *Options) {
		o.Sources = map[string]Source{"main": constSource(1000)}
		o.Logger = slog.New(slog.DiscardHandler)
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	reqs := benchRequests(b, e, n)
	runtime.GC()
	runtime.ReadMemStats(&after)
	perObject := float64(after.HeapAlloc-before.HeapAlloc) / n
	ctx := context.Background()

	b.Run(fmt.Sprintf("serial/scaledobjects=%d", n), func(b *testing.B) {
		lat := make([]time.Duration, 0, 1<<20)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			start := time.Now()
			if _, err := e.srv.GetMetrics(ctx, reqs[i%n]); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
			i++
		}
		reportLatency(b, lat)
		b.ReportMetric(perObject, "heap-bytes/scaledobject")
	})
	b.Run(fmt.Sprintf("parallel/scaledobjects=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		var next sync.Mutex
		seed := 0
		b.RunParallel(func(pb *testing.PB) {
			next.Lock()
			i := seed * 7919
			seed++
			next.Unlock()
			for pb.Next() {
				if _, err := e.srv.GetMetrics(ctx, reqs[i%n]); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
	b.Run(fmt.Sprintf("grpc/scaledobjects=%d", n), func(b *testing.B) {
		c := grpcClient(b, e.srv)
		var mu sync.Mutex
		var lat []time.Duration
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			local := make([]time.Duration, 0, 1024)
			i := len(local)
			for pb.Next() {
				start := time.Now()
				if _, err := c.GetMetrics(ctx, reqs[i%n]); err != nil {
					b.Error(err)
					return
				}
				local = append(local, time.Since(start))
				i += 31
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
		reportLatency(b, lat)
	})
}

// reportLatency reports the median and 99th percentile of lat.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkParseMetadata measures the parse of a first-seen trigger.
func BenchmarkParseMetadata(b *testing.B) {
	md := fastMeta("calendar", "shop", "eventFloors", "double11=40,launch=10", "mode", "shadow")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseMetadata(md); err != nil {
			b.Fatal(err)
		}
	}
}
