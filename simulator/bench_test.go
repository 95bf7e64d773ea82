package simulator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// syntheticDemand returns n steps of a daily and weekly seasonal demand in
// requests/s around level, with multiplicative noise and occasional
// spikes, drawn from seed.
func syntheticDemand(n int, step time.Duration, level float64, seed uint64) timeseries.Series {
	r := rand.New(rand.NewPCG(seed, 7))
	y := timeseries.Series{Name: fmt.Sprintf("synthetic-%d", seed), Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Step: step, Values: make([]float64, n)}
	spike := 0.0
	for i := range y.Values {
		h := y.Time(i).Sub(y.Start).Hours()
		daily := 1 + 0.6*math.Sin(2*math.Pi*(h-9)/24)
		weekly := 1 - 0.25*math.Max(0, math.Sin(2*math.Pi*(h-96)/168))
		if r.Float64() < 1e-3 {
			spike = 1 + 2*r.Float64()
		}
		spike *= 0.97
		y.Values[i] = level * daily * weekly * (1 + spike) * math.Exp(0.1*r.NormFloat64())
	}
	return y
}

func benchSettings() Settings {
	s := DefaultSettings()
	s.Pods.Capacity = 50
	s.Pods.Startup = LogNormalFromQuantiles(40*time.Second, 90*time.Second)
	s.KEDA.MinReplicaCount = 1
	s.KEDA.MaxReplicaCount = 500
	return s
}

// BenchmarkRun simulates one workload over a year of 1-minute steps.
func BenchmarkRun(b *testing.B) {
	for _, tc := range []struct {
		name  string
		steps int
	}{{"steps=10080", 10080}, {"steps=525600", 525600}} {
		b.Run(tc.name, func(b *testing.B) {
			job := Job{Demand: syntheticDemand(tc.steps, time.Minute, 2000, 1), Policy: NewReactive(50), Settings: benchSettings()}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(context.Background(), job); err != nil {
					b.Fatal(err)
				}
			}
			perOp := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(tc.steps)/perOp, "steps/s")
		})
	}
}

// BenchmarkRunAll simulates 1,000 workloads over a week of 1-minute steps
// in parallel.
func BenchmarkRunAll(b *testing.B) {
	const workloads, steps = 1000, 7 * 24 * 60
	jobs := make([]Job, workloads)
	for i := range jobs {
		jobs[i] = Job{Demand: syntheticDemand(steps, time.Minute, 200+float64(i%50)*40, uint64(i)), Policy: NewReactive(50), Settings: benchSettings()}
		jobs[i].Settings.Seed = uint64(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RunAll(context.Background(), jobs, 0); err != nil {
			b.Fatal(err)
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(workloads*steps)/perOp, "steps/s")
}

// BenchmarkOracle runs the oracle over a year of 1-minute steps.
func BenchmarkOracle(b *testing.B) {
	job := Job{Demand: syntheticDemand(525600, time.Minute, 2000, 1), Policy: Oracle{}, Settings: benchSettings()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), job); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(525600/(b.Elapsed().Seconds()/float64(b.N)), "steps/s")
}
