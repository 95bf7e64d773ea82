package simulator

import (
	"context"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// BenchmarkFrontier runs the frontier the simulate command runs, on 90
// days of 1-minute synthetic demand with daily and weekly seasons: the
// oracle, 6 reactive points and 6 predictive points over the risk knob,
// refitting hourly on up to 28 days (the forecast and the growth table)
// through one CachedForecaster, on GOMAXPROCS workers.
func BenchmarkFrontier(b *testing.B) {
	const days = 90
	demand := syntheticDemand(days*24*60, time.Minute, 2000, 1)
	s := benchSettings()
	s.Pods.Startup = Fixed(5 * time.Minute)
	knobs := []float64{0.5, 0.6, 0.7, 0.8, 0.9, 1}
	risks := []float64{0.5, 0.7, 0.8, 0.9, 0.95, 0.98}
	reactive := Sweep{Name: "reactive", Knob: "target_utilisation", Values: knobs, Default: DefaultUtilisation,
		New: func(u, _ float64) (Policy, error) { return Reactive{Capacity: 50, Utilisation: u}, nil }}
	var fits, hits int
	b.ReportAllocs()
	for b.Loop() {
		cache := NewCachedForecaster(QuantileForecaster{Options: forecast.Options{Model: DefaultPredictiveModel},
			Quantile: DefaultQuantile, Resolution: DefaultForecastStep, Aggregation: timeseries.AggMax,
			Growth: &policies.GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: DefaultEventShift, Anchors: policies.DefaultAnchors,
				Cache: policies.NewAnchorCache()}})
		predictive := Sweep{Name: "predictive", Knob: "risk", Values: risks,
			New: func(q, _ float64) (Policy, error) {
				return NewPredictive(PredictiveConfig{
					Policy: policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 50 * DefaultPredictiveUtilisation, LeadTime: 6 * time.Minute,
						MinReplicas: 1, MaxReplicas: 500, Risk: q},
					Forecaster: cache,
				})
			}}
		if _, err := RunFrontier(context.Background(), FrontierBase{Demand: demand, Settings: s}, []Sweep{reactive, predictive}, 0); err != nil {
			b.Fatal(err)
		}
		st := cache.Stats()
		fits, hits = st.Fits, st.Hits
	}
	b.ReportMetric(float64(fits), "fits/op")
	b.ReportMetric(float64(hits), "shared-forecasts/op")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
}
