package simulator

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // time zones in tests do not depend on the host

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// localMorningTraffic returns days of per-minute demand from start whose
// day follows loc's clock: 1,000 at night, rising to 4,000 from 07:00 to
// 07:30 local time, held until 19:00 and back to 1,000 by 20:00, with 3%
// noise.
func localMorningTraffic(start time.Time, days int, loc *time.Location) timeseries.Series {
	rng := rand.New(rand.NewPCG(5, 9))
	y := timeseries.Series{Name: "office", Start: start, Step: time.Minute, Values: make([]float64, days*1440)}
	for i := range y.Values {
		lt := y.Time(i).In(loc)
		m := float64(lt.Hour()*60 + lt.Minute())
		level := 1000.0
		switch {
		case m >= 7*60 && m < 7*60+30:
			level += 3000 * (m - 7*60) / 30
		case m >= 7*60+30 && m < 19*60:
			level = 4000
		case m >= 19*60 && m < 20*60:
			level = 4000 - 3000*(m-19*60)/60
		}
		y.Values[i] = math.Max(0, level*(1+0.03*rng.NormFloat64()))
	}
	return y
}

// TestGrowthFollowsTheClock replays the week after Berlin's change to
// summer time (2024-03-31) of a workload whose morning rise follows
// Berlin's clock, with four weeks of history before it, through the
// risk-based policy whose growth is counted in UTC hours and in Berlin's.
// In UTC the rise comes an hour earlier than all of the history says, and
// the policy meets it late; on Berlin's clock it is where it always was.
func TestGrowthFollowsTheClock(t *testing.T) {
	if testing.Short() {
		t.Skip("two runs over a week of minutes")
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	y := localMorningTraffic(time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), 35, berlin)
	past, demand := y.Slice(0, 28*1440), y.Slice(28*1440, y.Len())
	s := DefaultSettings()
	s.Pods.Capacity = 100
	s.Pods.Startup = Fixed(5 * time.Minute)
	s.KEDA.MinReplicaCount, s.KEDA.MaxReplicaCount = 1, 1000
	lead := 6 * time.Minute
	run := func(loc *time.Location) Result {
		t.Helper()
		fc := NewCachedForecaster(QuantileForecaster{
			Options: forecast.Options{Model: "snaive"}, Quantile: 0.5,
			Resolution: time.Hour, Aggregation: timeseries.AggMax,
			Growth: &policies.GrowthOptions{Ahead: lead, Span: time.Minute, Anchors: policies.DefaultAnchors, Location: loc},
		})
		p, err := NewPredictive(PredictiveConfig{
			Policy: policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 100, LeadTime: lead,
				MinReplicas: 1, MaxReplicas: 1000, Risk: 0.9, Tolerance: 0.1},
			Forecaster: fc, RefitInterval: time.Hour, Past: past,
		})
		require.NoError(t, err)
		res, err := Run(context.Background(), Job{Demand: demand, Policy: p, Settings: s})
		require.NoError(t, err)
		label := "UTC"
		if loc != nil {
			label = loc.String()
		}
		logRun(t, "predictive@0.9, growth hours in "+label, res, 0)
		return res
	}
	utc, local := run(nil), run(berlin)
	assert.Less(t, local.UnservedFraction, utc.UnservedFraction/3, "the rise met on the workload's clock")
	assert.InEpsilon(t, utc.PodHours, local.PodHours, 0.05, "for about the same pod-hours")
}
