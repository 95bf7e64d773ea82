package simulator

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// recorder is a policy that checks, on every evaluation, that nothing it
// can reach lies beyond the scrape horizon.
type recorder struct {
	t       *testing.T
	lag     time.Duration
	demand  timeseries.Series
	calls   int
	maxSeen time.Time
}

func (r *recorder) Name() string { return "recorder" }

func (r *recorder) Metrics(now time.Time, obs Observations, dst []Metric) []Metric {
	r.calls++
	h := obs.History()
	if !obs.Now().Equal(now) || !obs.Horizon().Equal(now.Add(-r.lag)) {
		r.t.Fatalf("at %v: Now %v, Horizon %v, want horizon now-%v", now, obs.Now(), obs.Horizon(), r.lag)
	}
	if cap(h.Values) != len(h.Values) {
		r.t.Fatalf("at %v: history has room to be resliced into the future (len %d, cap %d)", now, len(h.Values), cap(h.Values))
	}
	reach := h.Time(cap(h.Values)) // end of all the demand the policy can reach
	if cap(h.Values) > 0 && reach.After(obs.Horizon()) {
		r.t.Fatalf("at %v: reachable demand ends at %v, after the horizon %v", now, reach, obs.Horizon())
	}
	if reach.After(r.maxSeen) {
		r.maxSeen = reach
	}
	for i, v := range h.Values {
		if w := r.demand.Values[i]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
			r.t.Fatalf("at %v: history[%d] = %v, demand %v", now, i, v, w)
		}
	}
	if i := r.demand.Index(obs.Horizon()); i >= 0 && obs.Value() != r.demand.Values[i] {
		r.t.Fatalf("at %v: value %v, want the demand at the horizon %v", now, obs.Value(), r.demand.Values[i])
	}
	return append(dst, Metric{Value: obs.Value(), Target: 70, Active: obs.Value() > 0})
}

func TestPolicyCannotSeeTheFuture(t *testing.T) {
	for _, lag := range []time.Duration{0, 30 * time.Second, 90 * time.Second} {
		t.Run(lag.String(), func(t *testing.T) {
			y := syntheticDemand(600, time.Minute, 500, 3)
			s := validSettings()
			s.Metrics.Lag = lag
			rec := &recorder{t: t, lag: lag, demand: y}
			if _, err := Run(context.Background(), Job{Demand: y, Policy: rec, Settings: s}); err != nil {
				t.Fatal(err)
			}
			if rec.calls < 600*4 {
				t.Errorf("policy evaluated %d times, want at least one per HPA sync (%d)", rec.calls, 600*4)
			}
			if want := y.End().Add(-lag); rec.maxSeen.After(want) {
				t.Errorf("latest demand reachable = %v, after the last horizon %v", rec.maxSeen, want)
			}
		})
	}
}

// richJob exercises every source of randomness and every option.
func richJob(seed uint64) Job {
	y := syntheticDemand(3*24*60, time.Minute, 800, 11)
	for i := 100; i < 130; i++ {
		y.Values[i] = math.NaN()
	}
	s := validSettings()
	s.Seed = seed
	s.Pods.Startup = LogNormalFromQuantiles(30*time.Second, 2*time.Minute)
	s.Pods.Warmup = 10 * time.Second
	s.Pods.PricePerHour = 0.05
	s.Metrics.Window = 2 * time.Minute
	s.Queue.Timeout = 45 * time.Second
	s.KEDA.MaxReplicaCount = 300
	s.ZoneLosses = []ZoneLoss{{At: y.Time(1000), Fraction: 1.0 / 3}, {At: y.Time(2500).Add(7 * time.Second), Fraction: 0.5}}
	s.Timeline = true
	return Job{Demand: y, Policy: NewReactive(100), Settings: s}
}

func encode(t *testing.T, r Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSameSeedSameResult(t *testing.T) {
	run := func(seed uint64, nodes bool) []byte {
		j := richJob(seed)
		if nodes {
			p, err := NewNodePool(NodePoolSettings{PodsPerNode: 4, MaxNodes: 40, InitialNodes: 5, StartupDelay: 90 * time.Second, UnneededTime: 10 * time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			j.Nodes = p
		}
		r, err := Run(context.Background(), j)
		if err != nil {
			t.Fatal(err)
		}
		if r.Seed != seed {
			t.Errorf("Result.Seed = %d, want %d", r.Seed, seed)
		}
		return encode(t, r)
	}
	for _, nodes := range []bool{false, true} {
		a, b := run(7, nodes), run(7, nodes)
		if !bytes.Equal(a, b) {
			t.Errorf("nodes=%v: two runs with seed 7 differ", nodes)
		}
		if c := run(8, nodes); bytes.Equal(a, c) {
			t.Errorf("nodes=%v: seeds 7 and 8 gave identical results; the seed is not used", nodes)
		}
	}
}

func TestRunErrors(t *testing.T) {
	y := syntheticDemand(10, time.Minute, 100, 1)
	s := validSettings()
	bad := s
	bad.HPA.Tolerance = 1
	tests := []struct {
		name string
		job  Job
		want string
	}{
		{"empty", Job{Demand: timeseries.Series{Step: time.Minute}, Policy: NewReactive(100), Settings: s}, ErrEmptyDemand.Error()},
		{"no policy", Job{Demand: y, Settings: s}, ErrNoPolicy.Error()},
		{"bad step", Job{Demand: timeseries.Series{Values: []float64{1}}, Policy: NewReactive(100), Settings: s}, "demand step"},
		{"bad settings", Job{Demand: y, Policy: NewReactive(100), Settings: bad}, "hpa.tolerance"},
		{"bad policy", Job{Demand: y, Policy: Reactive{Capacity: 100, Utilisation: 2}, Settings: s}, "reactive.utilisation"},
		{"zone outside", Job{Demand: y, Policy: NewReactive(100), Settings: withZone(s, y.End())}, "zoneLosses[0].at"},
		{"tiny target", Job{Demand: y, Policy: Reactive{Capacity: 0.001, Utilisation: 0.1}, Settings: s}, "target"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), tc.job)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run() error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Job{Demand: y, Policy: NewReactive(100), Settings: s}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run(cancelled) = %v, want context.Canceled", err)
	}
}

func withZone(s Settings, at time.Time) Settings {
	s.ZoneLosses = []ZoneLoss{{At: at, Fraction: 0.5}}
	return s
}

// timeseries15s returns n steps of 15 s with values f(i).
func timeseries15s(n int, f func(i int) float64) timeseries.Series {
	y := timeseries.Series{Name: "t", Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Step: 15 * time.Second, Values: make([]float64, n)}
	for i := range y.Values {
		y.Values[i] = f(i)
	}
	return y
}
