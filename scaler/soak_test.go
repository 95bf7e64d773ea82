package scaler

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/prescale-dev/prescale/pkg/metricsource/promtest"
	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// The soak test is opt-in (make soak): it runs the scaler as `prescale
// serve` does, on loopback, against a real Prometheus, for minutes.
const (
	// soakEnv turns the soak test on.
	soakEnv = "PRESCALE_SOAK"
	// soakTriggersEnv lists the trigger counts of the load phases
	// (default "1000,10000").
	soakTriggersEnv = "PRESCALE_SOAK_TRIGGERS"
	// soakDurationEnv is the length of each load phase (default 30s).
	soakDurationEnv = "PRESCALE_SOAK_DURATION"
	// soakStoreEnv is "triggers x steps" of the store the restart phase
	// builds (default "10000x40320": four weeks of one-minute history).
	soakStoreEnv = "PRESCALE_SOAK_STORE"
)

// Shape of the soak's Prometheus data and triggers.
const (
	soakNamespaces = 20 // triggers are spread over soak-00 … soak-19
	soakApps       = 50 // series per namespace
	soakWorkers    = 16 // concurrent GetMetrics callers, as many ScaledObjects polled at once
)

// TestSoak registers 1k and 10k triggers over gRPC with a scaler started
// by Listen and Serve (as `prescale serve`), against a real Prometheus,
// and reports calls/s and latency of GetMetrics, RSS and store size; then
// builds a large store and reports the time to bind the ports after a
// restart with the store out of the page cache.
func TestSoak(t *testing.T) {
	if os.Getenv(soakEnv) == "" {
		t.Skipf("the soak test runs with %s=1 (make soak)", soakEnv)
	}
	prom := promtest.Start(t)
	writeSoakSeries(t, prom)
	for _, n := range soakCounts(t) {
		t.Run(fmt.Sprintf("triggers=%d", n), func(t *testing.T) { soakLoad(t, prom.URL(), n) })
	}
	t.Run("restart", func(t *testing.T) { soakRestart(t, prom.URL()) })
}

func soakCounts(t *testing.T) []int {
	v := os.Getenv(soakTriggersEnv)
	if v == "" {
		return []int{1000, 10000}
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		require.NoError(t, err, "%s=%q", soakTriggersEnv, v)
		out = append(out, n)
	}
	return out
}

func soakDuration(t *testing.T) time.Duration {
	v := os.Getenv(soakDurationEnv)
	if v == "" {
		return 30 * time.Second
	}
	d, err := time.ParseDuration(v)
	require.NoError(t, err, "%s=%q", soakDurationEnv, v)
	return d
}

// writeSoakSeries loads a day of one-minute samples of every app.
func writeSoakSeries(t *testing.T, prom *promtest.Server) {
	end := time.Now().Truncate(time.Minute)
	var all []promtest.Series
	for ns := range soakNamespaces {
		for app := range soakApps {
			smp := make([]promtest.Sample, 0, 1441)
			for at := end.Add(-24 * time.Hour); !at.After(end.Add(10 * time.Minute)); at = at.Add(time.Minute) {
				smp = append(smp, promtest.Sample{Time: at, Value: 100 + 50*math.Sin(float64(at.Unix())/3600) + float64(app)})
			}
			all = append(all, promtest.Series{Name: "soak_requests_per_second",
				Labels: map[string]string{"namespace": soakNamespace(ns), "app": fmt.Sprintf("app-%d", app)}, Samples: smp})
		}
	}
	prom.Write(all...)
}

func soakNamespace(i int) string { return fmt.Sprintf("soak-%02d", i%soakNamespaces) }

// soakRef is trigger i: its own ScaledObject, querying one of the apps.
func soakRef(i int) *externalscaler.ScaledObjectRef {
	return &externalscaler.ScaledObjectRef{Namespace: soakNamespace(i), Name: fmt.Sprintf("app-%d", i),
		ScalerMetadata: map[string]string{
			"scalerAddress": "127.0.0.1:6000", "prometheus": "main", "targetPerPod": "10",
			"query": fmt.Sprintf(`sum(soak_requests_per_second{app="app-%d"})`, i%soakApps),
			"step":  "5m", "historyWindow": "24h", "model": "snaive", "leadTime": "10m",
		}}
}

// soakConfig is a scaler configuration on loopback with the store at path.
func soakConfig(t *testing.T, promURL, path string) Config {
	yaml := fmt.Sprintf(`apiVersion: prescale.dev/v1alpha1
kind: ScalerConfig
grpc: {address: "127.0.0.1:0"}
http: {address: "127.0.0.1:0"}
store: {path: %q}
limits: {maxTriggers: 20000, maxTriggersPerNamespace: 1000}
prometheus:
- name: main
  address: %q
`, path, promURL)
	cfg, err := ParseConfig([]byte(yaml), "soak.yaml")
	require.NoError(t, err)
	return cfg
}

// soakService is a started Service and a client of it.
type soakService struct {
	svc    *Service
	client externalscaler.ExternalScalerClient
	stop   func()
}

func startSoak(t *testing.T, cfg Config) (*soakService, time.Duration) {
	begin := time.Now()
	svc, err := Listen(cfg, Env{})
	bind := time.Since(begin)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx) }()
	conn, err := grpc.NewClient(svc.GRPCAddr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	stop := func() {
		_ = conn.Close()
		cancel()
		require.NoError(t, <-done)
	}
	return &soakService{svc: svc, client: externalscaler.NewExternalScalerClient(conn), stop: stop}, bind
}

// soakLoad registers n triggers, then calls GetMetrics from soakWorkers
// goroutines for the soak duration.
func soakLoad(t *testing.T, promURL string, n int) {
	path := filepath.Join(t.TempDir(), "store.db")
	s, _ := startSoak(t, soakConfig(t, promURL, path))
	ctx := context.Background()
	metrics := make([]string, n)
	begin := time.Now()
	for i := range n {
		spec, err := s.client.GetMetricSpec(ctx, soakRef(i))
		require.NoError(t, err, "trigger %d", i)
		metrics[i] = spec.MetricSpecs[0].MetricName
	}
	register := time.Since(begin)
	lat, errs, elapsed := soakCalls(ctx, s.client, metrics, soakDuration(t))
	rss, anon := rssBytes(t)
	s.stop()
	info, err := os.Stat(path)
	require.NoError(t, err)
	restart := restartTime(t, promURL, path)
	slices.Sort(lat)
	t.Logf("SOAK triggers=%d register=%.0f/s getMetrics=%.0f calls/s p50=%s p99=%s max=%s errors=%v rss=%s (anon %s) store=%s restart=%s",
		n, float64(n)/register.Seconds(), float64(len(lat))/elapsed.Seconds(), quantile(lat, 0.5), quantile(lat, 0.99), lat[len(lat)-1],
		errs, mib(rss), mib(anon), mib(info.Size()), restart)
}

// soakCalls calls GetMetrics on random triggers until d has passed and
// returns the latencies, the errors by gRPC code and the time taken.
func soakCalls(ctx context.Context, c externalscaler.ExternalScalerClient, metrics []string, d time.Duration) ([]time.Duration, map[string]int, time.Duration) {
	var (
		mu   sync.Mutex
		lat  []time.Duration
		errs = map[string]int{}
		wg   sync.WaitGroup
	)
	begin := time.Now()
	deadline := begin.Add(d)
	for w := range soakWorkers {
		wg.Go(func() {
			var mine []time.Duration
			mineErrs := map[string]int{}
			for i := w; time.Now().Before(deadline); i += soakWorkers * 7 {
				k := i % len(metrics)
				start := time.Now()
				_, err := c.GetMetrics(ctx, &externalscaler.GetMetricsRequest{ScaledObjectRef: soakRef(k), MetricName: metrics[k]})
				mine = append(mine, time.Since(start))
				if err != nil {
					mineErrs[status.Code(err).String()]++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			for k, v := range mineErrs {
				errs[k] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return lat, errs, time.Since(begin)
}

// soakRestart builds a store of many triggers' history (four weeks of
// one-minute steps each by default), drops it from the page cache, and
// reports the time Listen takes to open it and bind the ports, and the
// first answer to a stored trigger.
func soakRestart(t *testing.T, promURL string) {
	triggers, steps := 10000, 40320
	if v := os.Getenv(soakStoreEnv); v != "" {
		_, err := fmt.Sscanf(v, "%dx%d", &triggers, &steps)
		require.NoError(t, err, "%s=%q: want triggers x steps, such as 10000x40320", soakStoreEnv, v)
	}
	path := filepath.Join(t.TempDir(), "store.db")
	begin := time.Now()
	buildStore(t, path, triggers, steps)
	build := time.Since(begin)
	info, err := os.Stat(path)
	require.NoError(t, err)
	evictCache(t, path)
	s, bind := startSoak(t, soakConfig(t, promURL, path))
	begin = time.Now()
	spec, err := s.client.GetMetricSpec(context.Background(), soakRef(0))
	require.NoError(t, err)
	_, err = s.client.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: soakRef(0), MetricName: spec.MetricSpecs[0].MetricName})
	require.NoError(t, err)
	first := time.Since(begin)
	rss, anon := rssBytes(t)
	s.stop()
	t.Logf("SOAK restart store: %d triggers x %d steps, %s, built in %s; cold open and bind %s; first GetMetricSpec+GetMetrics %s; rss=%s (anon %s)",
		triggers, steps, mib(info.Size()), build.Round(time.Second), bind, first, mib(rss), mib(anon))
}

// buildStore writes steps one-minute values of history, a model-sized
// record and a decision for each of n keys.
func buildStore(t *testing.T, path string, n, steps int) {
	st, err := store.Open(path, store.Options{NoSync: true})
	require.NoError(t, err)
	v := make([]float64, steps)
	for i := range v {
		v[i] = float64(i % 1440)
	}
	start := time.Now().Truncate(time.Minute).Add(-time.Duration(steps) * time.Minute)
	for i := range n {
		key := fmt.Sprintf("%s/app-%d/prescale-%08x", soakNamespace(i), i, i)
		require.NoError(t, st.AppendHistory(key, timeseries.Series{Start: start, Step: time.Minute, Values: v}))
		require.NoError(t, st.PutDecision(key, store.Decision{Value: 1, At: time.Now()}))
	}
	require.NoError(t, st.Close())
}

// restartTime opens the store at path as a restart would, without the
// page cache, and returns the time to bind the ports.
func restartTime(t *testing.T, promURL, path string) time.Duration {
	evictCache(t, path)
	s, bind := startSoak(t, soakConfig(t, promURL, path))
	s.stop()
	return bind
}

// evictCache drops the file's pages from the page cache, as after a
// reboot or on a new node.
func evictCache(t *testing.T, path string) {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED))
}

// rssBytes returns the process' resident set and its anonymous part.
func rssBytes(t *testing.T) (rss, anon int64) {
	data, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "RssAnon:":
			anon = kb << 10
		}
	}
	return rss, anon
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
