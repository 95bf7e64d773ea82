package simulator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// eventDrivenTraffic is synthetic per-minute traffic of the kind prescale
// is for: smooth high-volume demand with a daily cycle and, every other
// evening, a scheduled two-hour event that takes it 3-6x up, rising toward
// the event's end; a third of the events start 5-25 minutes late. It
// returns the demand and the calendar (planned times only).
func eventDrivenTraffic(days int, seed uint64) (timeseries.Series, []calendar.Occurrence) {
	return lateEventTraffic(days, seed, 5, 25)
}

// lateEventTraffic is eventDrivenTraffic with a third of the events
// starting between minLate and maxLate minutes late.
func lateEventTraffic(days int, seed uint64, minLate, maxLate int) (timeseries.Series, []calendar.Occurrence) {
	r := rand.New(rand.NewPCG(seed, seed+1))
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	y := timeseries.Series{Name: "events", Start: start, Step: time.Minute, Values: make([]float64, days*1440)}
	type event struct {
		start, end int
		uplift     float64
	}
	var events []event
	var occ []calendar.Occurrence
	for d := 1; d < days; d += 2 {
		planned := d*1440 + (18+r.IntN(4))*60
		delay := 0
		if r.IntN(3) == 0 {
			delay = minLate + r.IntN(maxLate-minLate+1)
		}
		events = append(events, event{planned + delay, planned + delay + 120, 3 + 3*r.Float64()})
		at := start.Add(time.Duration(planned) * time.Minute)
		occ = append(occ, calendar.Occurrence{Name: "match", Type: "match", Start: at, End: at.Add(2 * time.Hour)})
	}
	for i := range y.Values {
		v := 40000 * (1 + 0.5*math.Sin(2*math.Pi*(float64(i)/1440-0.3)))
		for _, e := range events {
			switch {
			case i >= e.start-15 && i < e.start:
				v *= 1 + (e.uplift-1)*0.3*float64(i-e.start+15)/15
			case i >= e.start && i < e.end:
				v *= 1 + (e.uplift-1)*(0.4+0.6*float64(i-e.start)/120)
			case i >= e.end && i < e.end+20:
				v *= 1 + (e.uplift-1)*0.8*(1-float64(i-e.end)/20)
			}
		}
		y.Values[i] = v * (1 + 0.02*r.NormFloat64())
	}
	return y, occ
}

// TestRiskPolicyDominatesHPAOnEvents replays event-driven traffic the HPA
// tracks well except at the scheduled jumps, and checks that the
// risk-based predictive policy, learning the events' growth online from
// their past occurrences, beats the HPA on both axes: at risk 0.9, under
// half the unserved demand of the HPA at its default target (0.7) with
// fewer pod-hours; at risk 0.98, under a tenth of it, still with fewer
// pod-hours than the HPA at 0.7 (the HPA needs a 0.5 target, and far more
// pod-hours, to come close).
func TestRiskPolicyDominatesHPAOnEvents(t *testing.T) {
	y, occ := eventDrivenTraffic(16, 1)
	past, demand := y.Slice(0, 6*1440), y.Slice(6*1440, y.Len())
	b := newEventBench(occ, past)
	s := b.settings
	run := func(p Policy) Result {
		res, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: s})
		require.NoError(t, err)
		return res
	}
	risk := func(q float64) Result {
		p, err := b.predictive(q, 1/1.1, 6*time.Hour)
		require.NoError(t, err)
		return run(p)
	}
	hpa07, hpa05 := run(Reactive{Capacity: 1000, Utilisation: 0.7}), run(Reactive{Capacity: 1000, Utilisation: 0.5})
	p90, p98 := risk(0.9), risk(0.98)
	logRun(t, "reactive@0.7", hpa07, 0)
	logRun(t, "reactive@0.5", hpa05, 0)
	logRun(t, "predictive@0.9", p90, 0)
	logRun(t, "predictive@0.98", p98, 0)
	assert.Less(t, p90.PodHours, hpa07.PodHours)
	assert.Less(t, p90.UnservedFraction, hpa07.UnservedFraction/2)
	assert.Less(t, p98.PodHours, hpa07.PodHours)
	assert.Less(t, p98.UnservedFraction, hpa07.UnservedFraction/10)
	assert.Less(t, p98.PodHours, hpa05.PodHours)
}

// TestRiskPolicyHoldsLateEvents replays event-driven traffic whose late
// events start 20-40 minutes after their planned time, beyond the ±15
// minutes the growth pools: the floor learned from the past occurrences
// over their baseline holds the pods until the late rise comes, so that no
// demand goes unserved in the first hour of any event but its first
// quarter hour, and the risk-based policy leaves under half the HPA's
// unserved demand at its default target with fewer pod-hours. (Without
// the floor, the growth alone let a rise 26 minutes late go unserved.)
func TestRiskPolicyHoldsLateEvents(t *testing.T) {
	y, occ := lateEventTraffic(20, 5, 20, 40)
	past, demand := y.Slice(0, 8*1440), y.Slice(8*1440, y.Len())
	b := newEventBench(occ, past)
	s := b.settings
	p, err := b.predictive(0.9, 1/1.1, 6*time.Hour)
	require.NoError(t, err)
	s.Timeline = true
	pred, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: s})
	require.NoError(t, err)
	// From a quarter hour after each planned start to an hour after it,
	// where a late event's rise comes, no demand goes unserved.
	for _, pt := range pred.Timeline {
		for _, o := range occ {
			if pt.Unserved > 0 && !pt.Time.Before(o.Start.Add(15*time.Minute)) && pt.Time.Before(o.Start.Add(time.Hour)) {
				t.Errorf("%s, %s into %s: %.1f%% of %.0f unserved with %d pods ready", pt.Time.Format(time.RFC3339),
					pt.Time.Sub(o.Start), o.Name, 100*pt.Unserved, pt.Demand, pt.Ready)
			}
		}
	}
	hpa, err := Run(context.Background(), Job{Demand: demand, Policy: Reactive{Capacity: 1000, Utilisation: 0.7}, Settings: s})
	require.NoError(t, err)
	logRun(t, "reactive@0.7", hpa, 0)
	logRun(t, "predictive@0.9", pred, 0)
	t.Logf("decisions %v", p.Stats().Decisions)
	assert.Less(t, pred.PodHours, hpa.PodHours)
	assert.Less(t, pred.UnservedFraction, hpa.UnservedFraction/2)
	assert.Positive(t, p.Stats().Decisions[policies.SourceEvent], "the learned floors set some decisions")
}

// eagerForecaster hides the GrowthLearner of the forecaster it wraps, so
// that a risk-based Predictive fits the forecast at every refit.
type eagerForecaster struct{ Forecaster }

// fitCounter counts the forecasts its QuantileForecaster fits.
type fitCounter struct {
	QuantileForecaster
	fits int
}

func (c *fitCounter) Forecast(ctx context.Context, h timeseries.Series, n int) (policies.Forecast, error) {
	c.fits++
	return c.QuantileForecaster.Forecast(ctx, h, n)
}

// TestDeferredFitDecidesAsEagerFit checks that a risk-based Predictive
// that defers the model's fit until the live demand is unknown decides
// exactly as one fitting the forecast at every refit, on a trace with
// metric gaps (where the deferred forecasts are fitted and read), and
// that it fits far fewer forecasts.
func TestDeferredFitDecidesAsEagerFit(t *testing.T) {
	y, occ := eventDrivenTraffic(8, 3)
	for _, gap := range []int{3*1440 + 600, 4*1440 + 1100, 5*1440 + 60, 6*1440 + 1210} {
		for i := gap; i < gap+7; i++ {
			y.Values[i] = math.NaN() // a scrape outage of seven minutes
		}
	}
	past, demand := y.Slice(0, 3*1440), y.Slice(3*1440, y.Len())
	s := DefaultSettings()
	s.Pods.Capacity = 1000
	s.Pods.Startup = Fixed(5 * time.Minute)
	s.KEDA.MaxReplicaCount = 10000
	newForecaster := func() *fitCounter {
		return &fitCounter{QuantileForecaster: QuantileForecaster{
			Options: forecast.Options{Model: "mseasonal", Events: occ}, Quantile: 0.6,
			Resolution: 10 * time.Minute, Aggregation: timeseries.AggMax,
			Growth: &policies.GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: 15 * time.Minute, Anchors: policies.DefaultAnchors},
		}}
	}
	lazyFC, eagerFC := newForecaster(), newForecaster()
	run := func(f Forecaster) (Result, *Predictive) {
		p, err := NewPredictive(PredictiveConfig{
			Policy: policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 1000 / 1.1, LeadTime: 6 * time.Minute,
				MinReplicas: 1, MaxReplicas: 10000, Risk: 0.9},
			Forecaster: f, Past: past,
		})
		require.NoError(t, err)
		res, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: s})
		require.NoError(t, err)
		return res, p
	}
	lazy, lp := run(lazyFC)
	eager, ep := run(eagerForecaster{eagerFC})
	require.Equal(t, eager.Timeline, lazy.Timeline, "the same decisions, hence the same replicas")
	assert.Equal(t, eager.UnservedFraction, lazy.UnservedFraction)
	assert.Equal(t, eager.PodHours, lazy.PodHours)
	assert.Equal(t, ep.Stats().Decisions, lp.Stats().Decisions)
	assert.Positive(t, lp.Stats().Decisions[policies.SourceForecast], "the gaps are served from the deferred forecasts")
	assert.Equal(t, ep.Stats().Refits, eagerFC.fits, "the eager policy fits at every refit")
	assert.Positive(t, lazyFC.fits)
	assert.Less(t, lazyFC.fits, eagerFC.fits/10, "the lazy policy fits only where a gap reads the forecast")
	t.Logf("fits: eager %d, deferred %d", eagerFC.fits, lazyFC.fits)
}

// frontierTraffic returns the demand the frontier tests replay (18 days
// of event-driven traffic, a third of the events 5-40 minutes late) and
// the bench with the 10 days before it as the policies' past.
func frontierTraffic() (timeseries.Series, eventBench) {
	y, occ := lateEventTraffic(28, 9, 5, 40)
	return y.Slice(10*1440, y.Len()), newEventBench(occ, y.Slice(0, 10*1440))
}

// TestFrontierOnEventTraffic judges the risk-based policy as the frontier
// report does, on event-driven traffic with late events (a third 5-40
// minutes late): against the HPA's curve, at the HPA's default (0.7) it
// leaves at most a fifth of the unserved demand for the same pod-hours,
// and at the HPA 0.7's unserved demand it needs at most 1.25 times the
// oracle's pod-hours — the aims the project judges prediction by.
func TestFrontierOnEventTraffic(t *testing.T) {
	if testing.Short() {
		t.Skip("a frontier of 8 runs over 18 days")
	}
	demand, b := frontierTraffic()
	s := b.settings
	reactive := Sweep{Name: "reactive", Knob: "target_utilisation", Values: []float64{0.5, 0.6, 0.7, 0.8, 0.9}, Default: DefaultUtilisation,
		New: func(u, _ float64) (Policy, error) { return Reactive{Capacity: 1000, Utilisation: u}, nil }}
	// As the CLI's default sweep: at the pods' full capacity working
	// around the HPA's tolerance, at lower utilisations with the headroom
	// instead.
	predictive := Sweep{Name: "predictive", Knob: "risk", Values: []float64{0.7, 0.9, 0.98, 0.98, 0.98}, Default: 0.9,
		Second: "target_utilisation", Seconds: []float64{1, 1, 1, 0.8, 0.6}, SecondDefault: 1,
		New: func(q, u float64) (Policy, error) {
			tol := 0.1
			if u*(1+tol) <= 1 {
				tol = 0
			}
			return b.predictiveTolerant(q, u, tol, time.Hour)
		}}
	f, err := RunFrontier(context.Background(), FrontierBase{Demand: demand, Settings: s}, []Sweep{reactive, predictive}, 2)
	require.NoError(t, err)
	h := NewHeadline(f.Curves[0], f.Curves[1])
	for _, c := range f.Curves {
		for _, p := range c.Points {
			logRun(t, p.Result.Policy, p.Result, f.Oracle.PodHours)
		}
	}
	def := h.defaultRow()
	t.Logf("at the HPA's default: unserved ratio %.3g (bound %v), predictive pod-hours at its unserved %.0f (bound %v)",
		def.UnservedRatio, def.UnservedBound, def.ChallengerPodHours, def.PodHoursBound)
	assert.LessOrEqual(t, h.Summary.UnservedRatioAtDefault, 0.2)
	assert.LessOrEqual(t, def.ChallengerPodHours/f.Oracle.PodHours, 1.25)
	// At the HPA's cheapest point, 0.9, too.
	cheap := h.Rows[4]
	require.Equal(t, 0.9, cheap.Baseline.Knob)
	assert.LessOrEqual(t, cheap.UnservedRatio, 0.2, "predictive at the HPA 0.9's pod-hours")
	t.Logf("at the HPA 0.9: unserved ratio %.3g (bound %v), pod-hours saved %.1f%%", cheap.UnservedRatio, cheap.UnservedBound, 100*cheap.PodHoursSaved)
	// The HPA 0.6 leaves nothing unserved; with the HPA's headroom at its
	// safe end, predictive does too, for fewer pod-hours.
	safe := h.Rows[1]
	require.Equal(t, 0.6, safe.Baseline.Knob)
	assert.LessOrEqual(t, safe.UnservedRatio, 1.0, "predictive at the HPA 0.6's pod-hours")
	assert.Positive(t, safe.PodHoursSaved, "pod-hours saved at the HPA 0.6's unserved demand")
	t.Logf("at the HPA 0.6: unserved ratio %.3g (bound %v), pod-hours saved %.1f%%", safe.UnservedRatio, safe.UnservedBound, 100*safe.PodHoursSaved)
}

// TestToleranceWorkaroundOnEventTraffic runs predictive at the pods' full
// capacity on the frontier test's event traffic, with and without working
// around the HPA's tolerance, against the HPA at 0.9, its cheapest point
// that leaves under 1% unserved. Without the workaround the HPA ignores a
// value up to 10% above the running pods' capacity and the rises go
// unserved; with it, predictive leaves under a tenth of the HPA 0.9's
// unserved demand for fewer pod-hours.
func TestToleranceWorkaroundOnEventTraffic(t *testing.T) {
	if testing.Short() {
		t.Skip("three runs over 18 days")
	}
	demand, b := frontierTraffic()
	run := func(label string, p Policy, err error) Result {
		t.Helper()
		require.NoError(t, err)
		res, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: b.settings})
		require.NoError(t, err)
		logRun(t, label, res, 0)
		return res
	}
	hpa := run("reactive@0.9", Reactive{Capacity: 1000, Utilisation: 0.9}, nil)
	p, err := b.predictiveTolerant(0.7, 1, 0.1, time.Hour)
	with := run("predictive@0.7/1, tolerance 0.1", p, err)
	p, err = b.predictiveTolerant(0.7, 1, 0, time.Hour)
	without := run("predictive@0.7/1, no tolerance", p, err)
	assert.Less(t, with.PodHours, hpa.PodHours)
	assert.Less(t, with.UnservedFraction, hpa.UnservedFraction/10)
	assert.Greater(t, without.UnservedFraction, 10*with.UnservedFraction, "the workaround is what serves the rises")
}

// logRun logs one run's figures in the form the README's evidence block
// reads from this test's verbose log (pkg/evidence): "run LABEL: U%
// unserved, H pod-hours", and "(Rx the oracle)" when oracle is positive.
func logRun(t *testing.T, label string, r Result, oracle float64) {
	t.Helper()
	line := fmt.Sprintf("run %s: %.4f%% unserved, %.0f pod-hours", label, 100*r.UnservedFraction, r.PodHours)
	if oracle > 0 {
		line += fmt.Sprintf(" (%.2fx the oracle)", r.PodHours/oracle)
	}
	t.Log(line)
}

// eventBench is the setting the event-traffic tests share: pods serving
// 1000 each, a 5-minute start-up, up to 10,000 replicas, and a risk-based
// predictive policy with a 6-minute lead time whose growth (per event type
// too) is learned from past on, beside a seasonal-naive forecast.
type eventBench struct {
	settings Settings
	past     timeseries.Series
	lead     time.Duration
	fc       *CachedForecaster
}

func newEventBench(occ []calendar.Occurrence, past timeseries.Series) eventBench {
	s := DefaultSettings()
	s.Pods.Capacity = 1000
	s.Pods.Startup = Fixed(5 * time.Minute)
	s.KEDA.MinReplicaCount = 1
	s.KEDA.MaxReplicaCount = 10000
	lead := 6 * time.Minute
	fc := NewCachedForecaster(QuantileForecaster{
		Options: forecast.Options{Model: "snaive", Events: occ}, Quantile: 0.5,
		Resolution: time.Hour, Aggregation: timeseries.AggMax,
		Growth: &policies.GrowthOptions{Ahead: lead, Span: time.Minute, Shift: 15 * time.Minute, Anchors: policies.DefaultAnchors},
	})
	return eventBench{settings: s, past: past, lead: lead, fc: fc}
}

// predictive returns the bench's predictive policy at risk q and target
// utilisation u, refitted every refit.
func (b eventBench) predictive(q, u float64, refit time.Duration) (*Predictive, error) {
	return b.predictiveTolerant(q, u, 0, refit)
}

// predictiveTolerant is predictive working around the HPA's tolerance
// tol (policies.Policy.Tolerance).
func (b eventBench) predictiveTolerant(q, u, tol float64, refit time.Duration) (*Predictive, error) {
	return NewPredictive(PredictiveConfig{
		Policy: policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 1000 * u, LeadTime: b.lead,
			MinReplicas: 1, MaxReplicas: 10000, Risk: q, Tolerance: tol},
		Forecaster: b.fc, RefitInterval: refit, Past: b.past,
	})
}
