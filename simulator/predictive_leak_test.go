package simulator

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// spyPolicy notes the instant of each evaluation before handing it to a
// Predictive, so that spyForecaster can check what a refit saw.
type spyPolicy struct {
	*Predictive
	now *time.Time
}

func (s spyPolicy) Metrics(now time.Time, obs Observations, dst []Metric) []Metric {
	*s.now = now
	return s.Predictive.Metrics(now, obs, dst)
}

// spyForecaster checks that every history it is given ends at or before
// the scrape horizon of the evaluation that asked for it and holds the
// trace's own values, then forecasts with next.
type spyForecaster struct {
	t      *testing.T
	next   Forecaster
	demand timeseries.Series
	lag    time.Duration
	now    *time.Time
	calls  *[]time.Time // the history ends, in order
}

func (s spyForecaster) Forecast(ctx context.Context, y timeseries.Series, h int) (policies.Forecast, error) {
	if horizon := s.now.Add(-s.lag); y.End().After(horizon) {
		s.t.Fatalf("refit at %v saw history up to %v, after the scrape horizon %v", *s.now, y.End(), horizon)
	}
	off := s.demand.Index(y.Start)
	for i, v := range y.Values {
		if w := s.demand.Values[off+i]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
			s.t.Fatalf("refit at %v: history[%d] = %v, trace has %v", *s.now, i, v, w)
		}
	}
	*s.calls = append(*s.calls, y.End())
	return s.next.Forecast(ctx, y, h)
}

// runSpied runs a predictive policy with the real forecaster on demand,
// recording each refit's history end.
func runSpied(t *testing.T, demand timeseries.Series) (Result, []time.Time) {
	t.Helper()
	s := predictiveTestSettings()
	var now time.Time
	var calls []time.Time
	spy := spyForecaster{t: t, next: realForecaster(), demand: demand, lag: s.Metrics.Lag, now: &now, calls: &calls}
	p, err := NewPredictive(predictiveTestConfig(spy))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), Job{Demand: demand, Policy: spyPolicy{p, &now}, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	if st := p.Stats(); st.FitErrors > 0 {
		t.Fatalf("%d of %d refits failed, last: %v", st.FitErrors, st.Refits, st.LastError)
	}
	return r, calls
}

// TestPredictiveNoLookAhead changes the trace after an instant T and checks
// that every refit, decision and pod before T is unchanged, with the real
// forecaster, and that every refit saw only the past.
func TestPredictiveNoLookAhead(t *testing.T) {
	demand := syntheticDemand(3*24*12, 5*time.Minute, 2000, 5)
	cut := demand.Len() * 2 / 3
	T := demand.Time(cut)
	changed := demand.Clone()
	for i := cut; i < changed.Len(); i++ {
		changed.Values[i] = 5 * changed.Values[i]
		if i%7 == 0 {
			changed.Values[i] = math.NaN()
		}
	}
	a, refitsA := runSpied(t, demand)
	b, refitsB := runSpied(t, changed)
	if len(refitsA) < 10 {
		t.Fatalf("only %d refits: the test needs the policy to forecast", len(refitsA))
	}
	for i, end := range refitsA {
		if end.Before(T) && (i >= len(refitsB) || !refitsB[i].Equal(end)) {
			t.Fatalf("refit %d (history to %v) differs once the trace after %v changed", i, end, T)
		}
	}
	differ := false
	for i, p := range a.Timeline {
		q := b.Timeline[i]
		if p.Time.Before(T) && (p.Desired != q.Desired || p.Ready != q.Ready) {
			t.Fatalf("step %v before the change at %v: desired/ready %d/%d, with the changed trace %d/%d",
				p.Time, T, p.Desired, p.Ready, q.Desired, q.Ready)
		}
		differ = differ || p.Desired != q.Desired
	}
	if !differ {
		t.Error("the change after T changed no decision: the test cannot fail")
	}
}
