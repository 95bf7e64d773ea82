package simulator

import (
	"context"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// BenchmarkPredictive simulates the predictive policy over a week of
// 1-minute steps with hourly refits (168 forecasts, each fitted on the
// previous week, given as past demand, and the week so far), with the
// simulate command's default forecaster.
func BenchmarkPredictive(b *testing.B) {
	const week = 7 * 24 * 60
	both := syntheticDemand(2*week, time.Minute, 2000, 1)
	past, demand := both.Slice(0, week), both.Slice(week, 2*week)
	s := benchSettings()
	var refits int
	b.ReportAllocs()
	for b.Loop() {
		p, err := NewPredictive(PredictiveConfig{
			Policy: policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 50, LeadTime: 2 * time.Minute,
				MinReplicas: 1, MaxReplicas: 500},
			Forecaster: QuantileForecaster{Options: forecast.Options{Model: DefaultPredictiveModel}, Quantile: DefaultQuantile,
				Resolution: DefaultForecastStep, Aggregation: timeseries.AggMax},
			Past: past,
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: s}); err != nil {
			b.Fatal(err)
		}
		st := p.Stats()
		if st.FitErrors > 0 {
			b.Fatalf("%d refits failed: %v", st.FitErrors, st.LastError)
		}
		refits = st.Refits
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(week)/perOp, "steps/s")
	b.ReportMetric(float64(refits), "refits/op")
	b.ReportMetric(perOp/float64(refits)*1e3, "ms/refit")
}
