package scaler

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

func TestSLOMetadata(t *testing.T) {
	tests := []struct {
		name  string
		kv    []string
		key   string // the key the error names; empty for none
		slo   float64
		every time.Duration
	}{
		{"tuned", []string{"risk", "0.9", "slo", "0.001"}, "", 0.001, 24 * time.Hour},
		{"off by default", nil, "", 0, 24 * time.Hour},
		{"retune interval", []string{"slo", "0.01", "retuneInterval", "6h"}, "", 0.01, 6 * time.Hour},
		{"slo above one half", []string{"slo", "0.6"}, "slo", 0, 0},
		{"negative slo", []string{"slo", "-0.1"}, "slo", 0, 0},
		{"slo without risk", []string{"risk", "0", "slo", "0.001"}, "slo", 0, 0},
		{"slo in reactive mode", []string{"mode", "reactive", "slo", "0.001"}, "slo", 0, 0},
		{"retune interval too short", []string{"slo", "0.001", "retuneInterval", "10m"}, "retuneInterval", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseMetadata(fastMeta(tc.kv...))
			if tc.key == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.slo, m.SLO)
				assert.Equal(t, tc.every, m.RetuneInterval)
				return
			}
			var me *MetadataError
			require.True(t, errors.As(err, &me), "got %v", err)
			assert.Equal(t, tc.key, me.Key)
		})
	}
}

// TestRetuneMeetsTheSLO checks the scaler's own tuning end to end: a
// trigger with an SLO, after a week of stored history, replays it at each
// risk, serves the cheapest risk meeting the SLO on the replay, and the
// choice holds on the two days that follow (re-checked by the simulator
// with everything before them as the past); explain shows it.
func TestRetuneMeetsTheSLO(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	const slo = 0.002
	r := ref("shop", fastMeta("risk", "0.5", "slo", "0.002", "retuneInterval", "72h", "leadTime", "10m", "minReplicas", "1"))
	_, err := c.GetMetricSpec(context.Background(), r)
	require.NoError(t, err)
	e.refit(t, r)
	tg := e.target(t, r)
	tn := tg.tuned.Load()
	require.NotNil(t, tn, "a tuning is due at the first refit")
	require.Empty(t, tn.Error)
	assert.True(t, tn.Met, "risk %v leaves %v unserved", tn.Risk, tn.Unserved)
	assert.LessOrEqual(t, tn.Unserved, slo)
	assert.Contains(t, simulator.DefaultTuneRisks, tn.Risk)
	assert.Greater(t, tn.Risk, 0.5, "the daily jump needs more than the median growth")
	assert.Equal(t, beforeRamp.UTC(), tn.ChosenAt)
	assert.Equal(t, tn.Risk, tg.servedPolicy().Risk, "the tuned risk is served")
	ex := e.srv.explain(tg)
	assert.Equal(t, tn.Risk, ex.Risk)
	require.NotNil(t, ex.Tuning)
	assert.Equal(t, beforeRamp.Add(72*time.Hour).UnixNano(), tg.nextRetune.Load(), "the next tuning a retuneInterval later")

	// A cheaper risk misses the SLO on the same replay: the choice is the
	// cheapest that meets it, not merely one that does.
	h, err := e.srv.opts.Store.History(tg.key)
	require.NoError(t, err)
	job, err := e.srv.tuningJob(tg, h, beforeRamp)
	require.NoError(t, err)
	require.Zero(t, tn.Utilisation, "a risk meets the SLO: no headroom needed")
	assert.Zero(t, tg.servedPolicy().Headroom)
	i := slices.Index(simulator.DefaultTuneRisks, tn.Risk)
	if i > 0 {
		job.Risks, job.Utilisations = simulator.DefaultTuneRisks[:i], nil
		res, err := simulator.TuneRisk(context.Background(), job)
		require.NoError(t, err)
		assert.False(t, res.OK, "a lower risk met the SLO: %+v", res.Chosen)
	}

	// Re-checked on the two days after the tuning.
	later := beforeRamp.Add(48 * time.Hour)
	e.clock.Set(later)
	e.refit(t, r) // refreshes the stored history; not due to tune again
	require.Equal(t, tn, tg.tuned.Load())
	h, err = e.srv.opts.Store.History(tg.key)
	require.NoError(t, err)
	cut := h.Index(beforeRamp.Truncate(tg.meta.Step))
	end := h.Index(later.Truncate(tg.meta.Step))
	job, err = e.srv.tuningJob(tg, h.Slice(0, end), later)
	require.NoError(t, err)
	cfg := job.Config
	cfg.Policy.Risk = tn.Risk
	cfg.Past = h.Slice(max(0, cut-job.Config.Past.Len()-job.Demand.Len()), cut)
	p, err := simulator.NewPredictive(cfg)
	require.NoError(t, err)
	res, err := simulator.Run(context.Background(), simulator.Job{Demand: h.Slice(cut, end), Policy: p, Settings: job.Settings})
	require.NoError(t, err)
	t.Logf("tuned risk %v: %.4f%% unserved on the replay, %.4f%% on the next two days", tn.Risk, 100*tn.Unserved, 100*res.UnservedFraction)
	assert.LessOrEqual(t, res.UnservedFraction, slo, "the SLO holds after the tuning window")
}

// unforeseenJumps is 1000, doubled for an hour once a day at a minute
// that changes from day to day with no pattern a week of history shows.
func unforeseenJumps(t time.Time) float64 {
	day := t.Unix() / 86400
	start := (day*7919 + 331) % 1380 // minute of the day
	if m := int64(t.UTC().Hour()*60 + t.UTC().Minute()); m >= start && m < start+60 {
		return 2000
	}
	return 1000
}

// TestRetuneChoosesHeadroom checks the tuning's lower target utilisations:
// on demand that doubles once a day at an unforeseeable time no risk
// meets a tight SLO, the cheapest utilisation that does is chosen and
// served as headroom on the decided value (the target KEDA holds
// unchanged), and a replay of the served policy gives the tuning's figures.
func TestRetuneChoosesHeadroom(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	e.src.demand = unforeseenJumps
	c := grpcClient(t, e.srv)
	r := ref("jumps", fastMeta("risk", "0.9", "slo", "0.0001", "leadTime", "10m", "minReplicas", "1"))
	spec, err := c.GetMetricSpec(context.Background(), r)
	require.NoError(t, err)
	require.Equal(t, 100.0, spec.MetricSpecs[0].TargetSizeFloat)
	e.refit(t, r)
	tg := e.target(t, r)
	tn := tg.tuned.Load()
	require.NotNil(t, tn)
	require.Empty(t, tn.Error)
	t.Logf("chosen: risk %v, utilisation %v, headroom %v: %.4f%% unserved, %.1f pod-hours", tn.Risk, tn.Utilisation, tn.Headroom, 100*tn.Unserved, tn.PodHours)
	require.True(t, tn.Met, "no point met the SLO: %+v", tn)
	assert.Equal(t, simulator.DefaultUtilisationRisk, tn.Risk)
	assert.Contains(t, simulator.DefaultTuneUtilisations, tn.Utilisation)
	assert.InDelta(t, simulator.DefaultPredictiveUtilisation/tn.Utilisation, tn.Headroom, 1e-12)
	assert.Equal(t, 5, tn.Utilisations)
	served := tg.servedPolicy()
	assert.Equal(t, tn.Headroom, served.Headroom, "the tuned headroom is served")
	assert.Equal(t, 100.0, served.TargetPerPod, "the HPA's target stays")
	ex := e.srv.explain(tg)
	assert.Equal(t, tn.Headroom, ex.Headroom)

	// No risk alone meets the SLO on the same replay.
	h, err := e.srv.opts.Store.History(tg.key)
	require.NoError(t, err)
	job, err := e.srv.tuningJob(tg, h, beforeRamp)
	require.NoError(t, err)
	job.Utilisations = nil
	res, err := simulator.TuneRisk(context.Background(), job)
	require.NoError(t, err)
	assert.False(t, res.OK, "a risk met the SLO: %+v", res.Chosen)

	// The policy the scaler serves, replayed, gives the tuning's figures.
	cfg := job.Config
	cfg.Policy = served
	p, err := simulator.NewPredictive(cfg)
	require.NoError(t, err)
	run, err := simulator.Run(context.Background(), simulator.Job{Demand: job.Demand, Policy: p, Settings: job.Settings})
	require.NoError(t, err)
	assert.InDelta(t, tn.PodHours, run.PodHours, 1e-9)
	assert.InDelta(t, tn.Unserved, run.UnservedFraction, 1e-12)

	// A decision now serves the live demand times the headroom.
	d, err := e.srv.decide(context.Background(), tg)
	require.NoError(t, err)
	require.Contains(t, stepSources(d), policies.SourceHeadroom, "reasons: %q", d.Reasons())
}

// stepSources lists the sources of a decision's steps.
func stepSources(d policies.Decision) []policies.Source {
	var out []policies.Source
	for _, s := range d.Steps() {
		out = append(out, s.Source)
	}
	return out
}

// TestRetuneWithoutHistory checks that a trigger too young to tune keeps
// its metadata's risk, says why, and tries again sooner.
func TestRetuneWithoutHistory(t *testing.T) {
	e := newTestEnv(t, beforeRamp, nil)
	c := grpcClient(t, e.srv)
	r := ref("young", fastMeta("risk", "0.8", "slo", "0.01", "historyWindow", "1d"))
	_, err := c.GetMetricSpec(context.Background(), r)
	require.NoError(t, err)
	e.refit(t, r)
	tg := e.target(t, r)
	tn := tg.tuned.Load()
	require.NotNil(t, tn)
	assert.Contains(t, tn.Error, "tuning needs at least 2d")
	assert.Zero(t, tn.Risk)
	assert.Equal(t, 0.8, tg.servedPolicy().Risk, "the metadata's risk stays")
	assert.Equal(t, beforeRamp.Add(tuneRetry).UnixNano(), tg.nextRetune.Load())
	assert.Equal(t, policies.ModePredictive, tg.servedPolicy().Mode)
}

// BenchmarkRetune measures one risk tuning of a trigger with four weeks of
// 1-minute history stored (the default historyWindow and step): a replay
// of its last seven days at each of the ten default risks and the five
// default utilisations, the oracle included.
func BenchmarkRetune(b *testing.B) {
	e := newTestEnv(b, beforeRamp, nil)
	r := ref("shop", fastMeta("step", "1m", "historyWindow", "4w", "refitInterval", "1h", "risk", "0.9", "slo", "0.001", "model", "mseasonal"))
	tg := e.target(b, r)
	e.refit(b, r) // backfills the history and tunes once
	require.Empty(b, tg.tuned.Load().Error)
	b.ReportAllocs()
	for b.Loop() {
		e.srv.retune(context.Background(), tg, beforeRamp)
	}
}
