package scaler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// testClock is a settable clock.
type testClock struct{ ns atomic.Int64 }

func newClock(t time.Time) *testClock {
	c := &testClock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *testClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *testClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }
func (c *testClock) Set(t time.Time)         { c.ns.Store(t.UnixNano()) }

// fakeSource is a Source computing demand from a function of time, with
// failures and delays that tests switch on.
type fakeSource struct {
	demand func(time.Time) float64
	fail   atomic.Pointer[error]
	delay  atomic.Int64 // nanoseconds each Instant call waits

	mu       sync.Mutex
	instants int
	ranges   [][2]time.Time
}

func (f *fakeSource) setFail(err error) {
	if err == nil {
		f.fail.Store(nil)
		return
	}
	f.fail.Store(&err)
}

func (f *fakeSource) err() error {
	if p := f.fail.Load(); p != nil {
		return *p
	}
	return nil
}

func (f *fakeSource) Instant(ctx context.Context, _ string, at time.Time) (metricsource.Sample, error) {
	f.mu.Lock()
	f.instants++
	f.mu.Unlock()
	if d := time.Duration(f.delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return metricsource.Sample{}, ctx.Err()
		}
	}
	if err := f.err(); err != nil {
		return metricsource.Sample{}, err
	}
	v := f.demand(at)
	if math.IsNaN(v) {
		return metricsource.Sample{}, metricsource.ErrEmpty
	}
	return metricsource.Sample{Value: v, Time: at}, nil
}

func (f *fakeSource) Range(ctx context.Context, q string, start, end time.Time, step time.Duration) (timeseries.Series, error) {
	f.mu.Lock()
	f.ranges = append(f.ranges, [2]time.Time{start, end})
	f.mu.Unlock()
	if err := f.err(); err != nil {
		return timeseries.Series{}, err
	}
	n := int(end.Sub(start)/step) + 1
	s := timeseries.Series{Name: q, Start: start, Step: step, Values: make([]float64, n)}
	for i := range s.Values {
		s.Values[i] = f.demand(s.Time(i))
	}
	return s, nil
}

// rangeCalls returns the ranges queried so far.
func (f *fakeSource) rangeCalls() [][2]time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][2]time.Time(nil), f.ranges...)
}

// dailyRamp is 1000 outside 12:00-13:00 UTC and 3000 inside.
func dailyRamp(t time.Time) float64 {
	if h := t.UTC().Hour(); h == 12 {
		return 3000
	}
	return 1000
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testEnv is a Server on a temporary store with a fake source "main".
type testEnv struct {
	srv   *Server
	src   *fakeSource
	clock *testClock
	reg   *prometheus.Registry
	logs  *syncBuffer
	store *store.Store
	path  string
}

// newTestEnv builds a testEnv at now; edit adjusts the options.
func newTestEnv(t testing.TB, now time.Time, edit func(*Options)) *testEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	clock := newClock(now)
	st, err := store.Open(path, store.Options{NoSync: true, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{src: &fakeSource{demand: dailyRamp}, clock: clock, reg: prometheus.NewRegistry(), logs: &syncBuffer{}, store: st, path: path}
	opts := Options{
		Sources: map[string]Source{"main": env.src}, Store: st, Registerer: env.reg, Now: env.clock.Now,
		Logger: slog.New(slog.NewTextHandler(env.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&opts)
	}
	if env.srv, err = New(opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return env
}

// ref returns a ScaledObjectRef with metadata.
func ref(name string, md map[string]string) *externalscaler.ScaledObjectRef {
	return &externalscaler.ScaledObjectRef{Namespace: "shop", Name: name, ScalerMetadata: md}
}

// fastMeta is metadata that fits quickly: 5-minute steps, a week of
// history, seasonal naive.
func fastMeta(kv ...string) map[string]string {
	md := map[string]string{
		"query": "sum(rate(requests_total[2m]))", "targetPerPod": "100", "step": "5m", "historyWindow": "1w",
		"model": "snaive", "quantile": "0.5", "leadTime": "10m", "refitInterval": "15m", "scalerAddress": "127.0.0.1:6000",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		md[kv[i]] = kv[i+1]
	}
	return md
}

// target registers r and returns its target.
func (e *testEnv) target(t testing.TB, r *externalscaler.ScaledObjectRef) *target {
	t.Helper()
	tg, err := e.srv.lookup(r)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// refit refits r's target synchronously and fails the test on error.
func (e *testEnv) refit(t testing.TB, r *externalscaler.ScaledObjectRef) {
	t.Helper()
	tg := e.target(t, r)
	e.srv.refit(context.Background(), tg)
	if msg := tg.refitErr.Load(); msg != nil {
		t.Fatalf("refit: %s", *msg)
	}
}

// grpcClient serves srv on 127.0.0.1 and returns a client.
func grpcClient(t testing.TB, srv externalscaler.ExternalScalerServer) externalscaler.ExternalScalerClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	externalscaler.RegisterExternalScalerServer(g, srv)
	go func() { _ = g.Serve(lis) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(); g.Stop() })
	return externalscaler.NewExternalScalerClient(conn)
}

// kedaPoll calls GetMetrics then IsActive, as KEDA does at each poll.
func kedaPoll(ctx context.Context, c externalscaler.ExternalScalerClient, r *externalscaler.ScaledObjectRef, metric string) (float64, bool, error) {
	m, err := c.GetMetrics(ctx, &externalscaler.GetMetricsRequest{ScaledObjectRef: r, MetricName: metric})
	if err != nil {
		return 0, false, err
	}
	a, err := c.IsActive(ctx, r)
	if err != nil {
		return 0, false, err
	}
	if len(m.MetricValues) != 1 {
		return 0, false, errors.New("not one metric value")
	}
	return m.MetricValues[0].MetricValueFloat, a.Result, nil
}

// metricValue returns the value of a gauge or counter (summed over
// children matching labels) or the sample count of a histogram.
func metricValue(t testing.TB, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if !hasLabels(m, labels) {
				continue
			}
			switch {
			case m.Gauge != nil:
				total += m.GetGauge().GetValue()
			case m.Counter != nil:
				total += m.GetCounter().GetValue()
			case m.Histogram != nil:
				total += float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return total
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}
