package metricsource

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/metricsource/promtest"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// histStart is the first sample of the loaded history (a Monday).
var histStart = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

// histSteps is four weeks of one-minute samples.
const histSteps = 28 * 1440

// history returns the loaded demand: a daily shape peaking at noon, lower
// at weekends, with seeded noise.
func history() []float64 {
	rng := rand.New(rand.NewPCG(11, 12))
	v := make([]float64, histSteps)
	for i := range v {
		day, minute := i/1440, i%1440
		level := 100 + 60*math.Sin(2*math.Pi*float64(minute-360)/1440)
		if day%7 >= 5 {
			level *= 0.6
		}
		v[i] = level + 3*rng.NormFloat64()
	}
	return v
}

// minuteAt returns the instant of history step i.
func minuteAt(i int) time.Time { return histStart.Add(time.Duration(i) * time.Minute) }

// samples turns values at steps first, first+1, … into promtest samples.
func samples(first int, vals ...float64) []promtest.Sample {
	out := make([]promtest.Sample, len(vals))
	for i, v := range vals {
		out[i] = promtest.Sample{Time: minuteAt(first + i), Value: v}
	}
	return out
}

// loadServer starts Prometheus and loads the test series.
func loadServer(t testing.TB) (*promtest.Server, []float64) {
	srv := promtest.Start(t)
	want := history()
	gappy := append(samples(0, want[:60]...), samples(120, want[120:180]...)...)
	srv.Write(
		promtest.Series{Name: "demand", Labels: map[string]string{"job": "web"}, Samples: samples(0, want...)},
		promtest.Series{Name: "multi", Labels: map[string]string{"pod": "a"}, Samples: samples(100, 1, 2)},
		promtest.Series{Name: "multi", Labels: map[string]string{"pod": "b"}, Samples: samples(100, 10, 20)},
		promtest.Series{Name: "weird", Samples: samples(200, math.NaN(), math.Inf(1), math.Inf(-1), 7)},
		promtest.Series{Name: "gappy", Samples: gappy},
	)
	return srv, want
}

// newSource builds a Prometheus source for srv.
func newSource(t testing.TB, url string, maxPoints int) *Prometheus {
	t.Helper()
	p, err := NewPrometheus(PrometheusConfig{Address: url, Timeout: 10 * time.Second, MaxPoints: maxPoints})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPrometheusInstant(t *testing.T) {
	srv, want := loadServer(t)
	p := newSource(t, srv.URL(), 0)
	cases := []struct {
		name    string
		query   string
		at      time.Time
		want    float64
		wantErr error
		wantMsg string
	}{
		{"sample on the grid", "demand", minuteAt(1000), want[1000], nil, ""},
		{"last sample", "demand", minuteAt(histSteps - 1), want[histSteps-1], nil, ""},
		{"between samples looks back", "demand", minuteAt(2000).Add(30 * time.Second), want[2000], nil, ""},
		{"aggregated", "sum by () (multi)", minuteAt(101), 22, nil, ""},
		{"scalar", "2 * 3", minuteAt(0), 6, nil, ""},
		{"finite after infinities", "weird", minuteAt(203), 7, nil, ""},
		{"empty", "nonexistent_metric", minuteAt(0), 0, ErrEmpty, ""},
		{"before the data", "demand", minuteAt(-10), 0, ErrEmpty, ""},
		{"several series", "multi", minuteAt(100), 0, ErrMultipleSeries, "2 series"},
		{"nan", "weird", minuteAt(200), 0, ErrNotFinite, "NaN"},
		{"plus infinity", "weird", minuteAt(201), 0, ErrNotFinite, "+Inf"},
		{"minus infinity", "weird", minuteAt(202), 0, ErrNotFinite, "-Inf"},
		{"range vector", "demand[5m]", minuteAt(10), 0, ErrResultType, "matrix"},
		{"string", `"text"`, minuteAt(10), 0, nil, "string"},
		{"bad promql", "sum(demand", minuteAt(10), 0, nil, `"sum(demand"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Instant(context.Background(), tc.query, tc.at)
			if tc.wantErr == nil && tc.wantMsg == "" {
				if err != nil || got.Value != tc.want {
					t.Fatalf("Instant(%q) = %v, %v; want %v", tc.query, got.Value, err, tc.want)
				}
				return
			}
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) ||
				!strings.Contains(err.Error(), tc.wantMsg) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.query)) {
				t.Fatalf("Instant(%q) = %v, %v; want an error (%v) mentioning %q and the query", tc.query, got, err, tc.wantErr, tc.wantMsg)
			}
		})
	}
	t.Run("series count error", func(t *testing.T) {
		_, err := p.Instant(context.Background(), "multi", minuteAt(100))
		var ce *SeriesCountError
		if !errors.As(err, &ce) || ce.Count != 2 || !strings.Contains(err.Error(), "sum by ()") {
			t.Errorf("Instant(multi) = %v, want a *SeriesCountError of 2 suggesting sum by ()", err)
		}
	})
}

func TestPrometheusRange(t *testing.T) {
	srv, want := loadServer(t)
	nan := math.NaN()
	every5 := make([]float64, 0, histSteps/5)
	for i := 0; i < histSteps; i += 5 {
		every5 = append(every5, want[i])
	}
	cases := []struct {
		name      string
		query     string
		maxPoints int
		from, to  int // steps; inclusive
		step      time.Duration
		want      []float64
	}{
		{"four weeks in 11000-point requests", "demand", 0, 0, histSteps - 1, time.Minute, want},
		{"four weeks in 1000-point requests", "demand", 1000, 0, histSteps - 1, time.Minute, want},
		{"one request boundary", "demand", 3, 10, 16, time.Minute, want[10:17]},
		{"five-minute step", "demand", 0, 0, histSteps - 1, 5 * time.Minute, every5},
		{"before the data is missing", "demand", 500, -600, 2, time.Minute, append(nanSlice(600), want[:3]...)},
		{"non-finite points are missing", "weird", 0, 199, 204, time.Minute, []float64{nan, nan, nan, nan, 7, 7}},
		{"scalar", "2", 0, 0, 9, time.Minute, []float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newSource(t, srv.URL(), tc.maxPoints)
			got, err := p.Range(context.Background(), tc.query, minuteAt(tc.from), minuteAt(tc.to), tc.step)
			if err != nil {
				t.Fatalf("Range: %v", err)
			}
			if !got.Start.Equal(minuteAt(tc.from)) || got.Step != tc.step || got.Name != tc.query {
				t.Errorf("Range grid = %s %s %q, want %s %s %q", got.Start, got.Step, got.Name, minuteAt(tc.from), tc.step, tc.query)
			}
			if i := firstDiff(got.Values, tc.want); i >= 0 {
				t.Fatalf("Range: %d values, want %d; first difference at step %d", got.Len(), len(tc.want), i)
			}
		})
	}
	t.Run("gap", func(t *testing.T) {
		got, err := newSource(t, srv.URL(), 0).Range(context.Background(), "gappy", minuteAt(0), minuteAt(179), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		// Prometheus looks back up to 5 minutes, so steps 60..65 may repeat
		// step 59; later steps of the gap have no point.
		check := []struct{ from, to int }{{0, 60}, {70, 120}, {120, 180}}
		for _, c := range check {
			wantPart := append([]float64(nil), want[c.from:c.to]...)
			if c.from == 70 {
				wantPart = nanSlice(c.to - c.from)
			}
			if i := firstDiff(got.Values[c.from:c.to], wantPart); i >= 0 {
				t.Errorf("steps %d..%d differ at %d: got %v", c.from, c.to, c.from+i, got.Values[c.from+i])
			}
		}
	})
}

func TestPrometheusRangeErrors(t *testing.T) {
	srv, _ := loadServer(t)
	p := newSource(t, srv.URL(), 1000)
	cases := []struct {
		name     string
		query    string
		from, to time.Time
		step     time.Duration
		wantErr  error
		wantMsg  string
	}{
		{"empty", "nonexistent_metric", minuteAt(0), minuteAt(5000), time.Minute, ErrEmpty, ""},
		{"several series", "multi", minuteAt(0), minuteAt(200), time.Minute, ErrMultipleSeries, "2 series"},
		{"bad promql", "rate(demand[5m]", minuteAt(0), minuteAt(10), time.Minute, nil, "parse error"},
		{"end before start", "demand", minuteAt(10), minuteAt(0), time.Minute, nil, "before start"},
		{"zero step", "demand", minuteAt(0), minuteAt(10), 0, nil, "step"},
		{"sub-millisecond step", "demand", minuteAt(0), minuteAt(10), 1500 * time.Microsecond, nil, "step"},
		{"too many steps", "demand", minuteAt(0), minuteAt(0).Add(400 * 24 * time.Hour), time.Second, nil, "exceeds"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Range(context.Background(), tc.query, tc.from, tc.to, tc.step)
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) ||
				!strings.Contains(err.Error(), tc.wantMsg) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.query)) {
				t.Fatalf("Range(%q) = %v; want an error (%v) mentioning %q and the query", tc.query, err, tc.wantErr, tc.wantMsg)
			}
		})
	}
}

func TestPrometheusStopped(t *testing.T) {
	srv := promtest.Start(t)
	p := newSource(t, srv.URL(), 0)
	srv.Stop()
	start := time.Now()
	_, err := p.Instant(context.Background(), "up", time.Now())
	if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(srv.URL(), "http://")) || !strings.Contains(err.Error(), `"up"`) {
		t.Fatalf("Instant on a stopped server = %v; want an error naming the server and the query", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Instant on a stopped server took %s, want a quick connection refusal", d)
	}
	t.Logf("%v", err)
}

// BenchmarkInstant measures one instant query round trip to a real server.
func BenchmarkInstant(b *testing.B) {
	srv, _ := loadServer(b)
	p := newSource(b, srv.URL(), 0)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Instant(ctx, "demand", minuteAt(1000)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRange measures reading four weeks of one-minute history.
func BenchmarkRange(b *testing.B) {
	srv, _ := loadServer(b)
	p := newSource(b, srv.URL(), 0)
	ctx := context.Background()
	var s timeseries.Series
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if s, err = p.Range(ctx, "demand", minuteAt(0), minuteAt(histSteps-1), time.Minute); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.Len())*float64(b.N)/b.Elapsed().Seconds(), "points/s")
}

// firstDiff returns the first index where a and b differ (NaN equals NaN),
// len of the shorter if one is a prefix of the other, or -1.
func firstDiff(a, b []float64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}
