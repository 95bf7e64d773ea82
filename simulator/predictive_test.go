package simulator

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// predictiveSettings returns settings for the predictive tests: 50/s pods
// starting in 3 minutes.
func predictiveTestSettings() Settings {
	s := DefaultSettings()
	s.Pods.Capacity = 50
	s.Pods.Startup = Fixed(3 * time.Minute)
	s.KEDA.MinReplicaCount = 1
	s.KEDA.MaxReplicaCount = 200
	s.Timeline = true
	return s
}

// predictiveTestConfig returns the configuration of a predictive policy
// for predictiveTestSettings with forecaster f.
func predictiveTestConfig(f Forecaster) PredictiveConfig {
	return PredictiveConfig{
		Policy: policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 50, LeadTime: 4 * time.Minute,
			MinReplicas: 1, MaxReplicas: 200},
		Forecaster: f,
		MinHistory: 24 * time.Hour,
	}
}

// realForecaster is the scaler's forecaster at a 15-minute step.
func realForecaster() QuantileForecaster {
	return QuantileForecaster{Options: forecast.Options{Model: "mseasonal"}, Quantile: 0.8,
		Resolution: 15 * time.Minute, Aggregation: timeseries.AggMax}
}

// stubForecaster forecasts a constant, or the true future of a trace (a
// deliberate cheat, to test the decision path with a perfect forecast).
type stubForecaster struct {
	value  float64
	future *timeseries.Series
	calls  *[]stubCall
}

type stubCall struct {
	start, end time.Time
	horizon    int
}

func (s stubForecaster) Forecast(_ context.Context, y timeseries.Series, h int) (policies.Forecast, error) {
	if s.calls != nil {
		*s.calls = append(*s.calls, stubCall{y.Start, y.End(), h})
	}
	v := make([]float64, h)
	for i := range v {
		v[i] = s.value
		if s.future != nil {
			if j := s.future.Index(y.Time(y.Len() + i)); j < s.future.Len() {
				v[i] = s.future.Values[j]
			}
		}
	}
	return policies.Forecast{Start: y.End(), Step: y.Step, Values: v}, nil
}

func TestPredictiveRefitSchedule(t *testing.T) {
	demand := syntheticDemand(2*24*60, time.Minute, 1000, 2)
	past := syntheticDemand(2*24*60, time.Minute, 1000, 3)
	past.Start = demand.Start.Add(-time.Duration(past.Len()) * time.Minute)
	tests := []struct {
		name      string
		refit     time.Duration
		past      timeseries.Series
		wantCalls int
	}{
		{"hourly with past", time.Hour, past, 48},
		{"every 3h with past", 3 * time.Hour, past, 16},
		// at 24h the horizon (now - 30s) has seen 1439 of the 1440 minutes
		// MinHistory asks for: the first refit is the one at 25h.
		{"hourly without past waits for a day", time.Hour, timeseries.Series{}, 23},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls []stubCall
			cfg := predictiveTestConfig(stubForecaster{value: 100, calls: &calls})
			cfg.RefitInterval, cfg.Past = tc.refit, tc.past
			p, err := NewPredictive(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: predictiveTestSettings()}); err != nil {
				t.Fatal(err)
			}
			if len(calls) != tc.wantCalls {
				t.Fatalf("%d refits, want %d", len(calls), tc.wantCalls)
			}
			for i, c := range calls {
				covered := c.end.Add(time.Duration(c.horizon) * time.Minute)
				next := c.end.Add(tc.refit + cfg.Policy.LeadTime)
				if covered.Before(next) {
					t.Errorf("refit %d: forecast to %v, short of the next refit plus the lead time %v", i, covered, next)
				}
				if window := c.end.Sub(c.start); window > DefaultFitWindow {
					t.Errorf("refit %d fitted on %v of history, over the window %v", i, window, DefaultFitWindow)
				}
			}
			if tc.past.Len() > 0 && !calls[0].start.Equal(tc.past.Start) {
				t.Errorf("first refit's history starts at %v, want the past's start %v", calls[0].start, tc.past.Start)
			}
		})
	}
}

// A perfect forecast lets the predictive policy have the pods of a sudden
// surge ready when it comes; the reactive policy serves it late.
func TestPredictiveServesAKnownSurge(t *testing.T) {
	demand := timeseries.Series{Name: "surge", Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Step: time.Minute}
	for i := range 3 * 24 * 60 {
		v := 500.0
		if i%(24*60) >= 12*60 && i%(24*60) < 13*60 {
			v = 4000
		}
		demand.Values = append(demand.Values, v)
	}
	cfg := predictiveTestConfig(stubForecaster{future: &demand})
	pred, err := NewPredictive(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := predictiveTestSettings()
	rep, err := Compare(context.Background(), demand, s, []Policy{Reactive{Capacity: 50, Utilisation: 1}, pred}, nil)
	if err != nil {
		t.Fatal(err)
	}
	reactive, predictive := rep.Results[0], rep.Results[1]
	// the first day has no forecast (MinHistory): only days 2 and 3 count.
	day2 := 24 * 60
	for _, r := range []Result{reactive, predictive} {
		var un float64
		for _, p := range r.Timeline[day2:] {
			un += p.Unserved * p.Demand
		}
		if r.Policy == "predictive" && un > 0 {
			t.Errorf("predictive left %.0f unserved on days 2-3 with a perfect forecast", un)
		}
		if r.Policy == "reactive" && un == 0 {
			t.Error("reactive served the surge at once: the test cannot tell the policies apart")
		}
	}
	if st := pred.Stats(); st.Decisions[policies.SourceForecast] == 0 {
		t.Errorf("no decision came from the forecast: %+v", st)
	}
}

func TestPredictiveFloorsAndErrors(t *testing.T) {
	demand := syntheticDemand(24*60, time.Minute, 100, 4)
	floor := policies.Floor{Event: "sale", Start: demand.Time(600), End: demand.Time(660), Replicas: 40}
	cfg := predictiveTestConfig(failingForecaster{})
	cfg.Floors = []policies.Floor{floor}
	cfg.MinHistory = time.Hour
	p, err := NewPredictive(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: predictiveTestSettings()})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Timeline[600].Ready; got < 40 {
		t.Errorf("ready at the floor's start = %d, want the floor's 40 pods ready (asked a lead time early)", got)
	}
	st := p.Stats()
	if st.FitErrors == 0 || st.FitErrors != st.Refits || !errors.Is(st.LastError, errFailing) {
		t.Errorf("stats = %+v, want every refit failed with the forecaster's error", st)
	}
}

var errFailing = errors.New("no model")

type failingForecaster struct{}

func (failingForecaster) Forecast(context.Context, timeseries.Series, int) (policies.Forecast, error) {
	return policies.Forecast{}, errFailing
}

func TestNewPredictiveErrors(t *testing.T) {
	good := predictiveTestConfig(stubForecaster{value: 1})
	tests := []struct {
		name  string
		edit  func(*PredictiveConfig)
		field string
	}{
		{"no forecaster", func(c *PredictiveConfig) { c.Forecaster = nil }, "predictive.forecaster"},
		{"bad policy", func(c *PredictiveConfig) { c.Policy.TargetPerPod = 0 }, "predictive.policy"},
		{"negative refit", func(c *PredictiveConfig) { c.RefitInterval = -time.Second }, "predictive.refitInterval"},
		{"negative window", func(c *PredictiveConfig) { c.FitWindow = -time.Second }, "predictive.fitWindow"},
		{"negative staleness", func(c *PredictiveConfig) { c.StaleAfter = -time.Second }, "predictive.staleAfter"},
		{"negative activation", func(c *PredictiveConfig) { c.Activation = -1 }, "predictive.activation"},
		{"risk of one", func(c *PredictiveConfig) { c.Policy.Risk = 1 }, "predictive.policy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.edit(&c)
			_, err := NewPredictive(c)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("NewPredictive: %v, want a field error on %s", err, tc.field)
			}
		})
	}
}

func TestQuantileForecasterResolution(t *testing.T) {
	y := syntheticDemand(5*24*60+7, time.Minute, 300, 9) // ends 7 minutes into a bucket
	f := realForecaster()
	got, err := f.Forecast(context.Background(), y, 60)
	if err != nil {
		t.Fatal(err)
	}
	wantStart := y.End().Add(-7 * time.Minute)
	if got.Step != 15*time.Minute || !got.Start.Equal(wantStart) {
		t.Errorf("forecast starts %v in steps of %v, want %v in steps of 15m (the last whole bucket's end)", got.Start, got.Step, wantStart)
	}
	if end := got.Start.Add(time.Duration(len(got.Values)) * got.Step); end.Before(y.End().Add(time.Hour)) {
		t.Errorf("forecast ends %v, before the hour asked for after %v", end, y.End())
	}
	f.Resolution = 7 * time.Minute
	if _, err := f.Forecast(context.Background(), timeseries.Series{Start: y.Start, Step: 2 * time.Minute, Values: y.Values}, 10); err == nil {
		t.Error("a resolution that is not a multiple of the step: no error")
	}
	for _, bad := range []QuantileForecaster{{Quantile: 1}, {Quantile: 0.4}, {Quantile: 0.8, Aggregation: "sum"},
		{Quantile: 0.8, Options: forecast.Options{Model: "nope"}}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v: Validate returned nil", bad)
		}
	}
}

func TestQuantileForecasterMedianIsPoint(t *testing.T) {
	y := syntheticDemand(4*24*12, 5*time.Minute, 300, 9)
	med, err := QuantileForecaster{Options: forecast.Options{Model: "snaive"}, Quantile: 0.5}.Forecast(context.Background(), y, 12)
	if err != nil {
		t.Fatal(err)
	}
	r, err := forecast.Forecast(context.Background(), y, 12, forecast.Options{Model: "snaive"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(med.Values, r.Point) {
		t.Errorf("quantile 0.5 = %v, want the point forecast %v", med.Values, r.Point)
	}
}
