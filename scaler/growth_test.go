package scaler

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// TestRefitLearnsTheSimulatorsGrowth checks that a refit learns, from the
// stored history, exactly the growth table the simulator learns from the
// same history: both take their options from policies.NewGrowthOptions, so
// what the simulator replays is what the scaler serves.
func TestRefitLearnsTheSimulatorsGrowth(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	r := ref("checkout", fastMeta("risk", "0.95"))
	spec, err := c.GetMetricSpec(context.Background(), r)
	require.NoError(t, err)
	e.refit(t, r)
	tg := e.target(t, r)
	got := tg.snap.Load().forecast.Growth
	require.NotNil(t, got, "no growth learned at the refit")

	h, err := e.srv.history(context.Background(), tg, beforeRamp)
	require.NoError(t, err)
	want, err := policies.LearnGrowth(h, policies.NewGrowthOptions(tg.meta.Policy, tg.meta.Step, tg.meta.EventShift, nil, tg.meta.TimeZone))
	require.NoError(t, err)
	assert.Equal(t, want.Anchor, got.Anchor)
	assert.Equal(t, want.Samples, got.Samples)
	// The simulator's forecaster, built as prescale simulate builds it,
	// learns the same table from the same history.
	simOpts := policies.NewGrowthOptions(tg.meta.Policy, tg.meta.Step, tg.meta.EventShift, nil, tg.meta.TimeZone)
	fromSim, err := simulator.QuantileForecaster{Quantile: simulator.DefaultQuantile, Growth: &simOpts}.LearnGrowth(context.Background(), h)
	require.NoError(t, err)
	for at := beforeRamp.Add(-24 * time.Hour); at.Before(beforeRamp.Add(time.Hour)); at = at.Add(7 * time.Minute) {
		assert.Equal(t, want.Ratio(at, 0.95), got.Ratio(at, 0.95), "growth at %s", at.Format(time.RFC3339))
		assert.Equal(t, fromSim.Ratio(at, 0.95), got.Ratio(at, 0.95), "the simulator's growth at %s", at.Format(time.RFC3339))
	}

	// The value served is the shared decision on those inputs.
	v, _, err := kedaPoll(context.Background(), c, r, spec.MetricSpecs[0].MetricName)
	require.NoError(t, err)
	live := dailyRamp(beforeRamp)
	d, err := policies.Decide(tg.meta.Policy, policies.Inputs{Now: beforeRamp, Live: policies.Observation{Value: live, At: beforeRamp},
		Forecast: policies.Forecast{Growth: want}, Anchor: live})
	require.NoError(t, err)
	assert.Equal(t, policies.SourceRisk, d.Source)
	assert.InDelta(t, d.Value, v, 1e-9)
}
