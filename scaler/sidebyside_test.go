package scaler

import (
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// traceSource answers as Prometheus would for a recorded trace observed
// lag late: an instant query at t gives the rate in force at t-lag (the
// step holding it), a range query the steps completed by now-lag (NaN for
// the others), each at its start, as the simulator's observations hold
// them.
type traceSource struct {
	y    timeseries.Series
	live time.Time // no live value before it: the simulated trace's start
	lag  time.Duration
	now  func() time.Time
}

func (s traceSource) Instant(_ context.Context, _ string, at time.Time) (metricsource.Sample, error) {
	h := at.Add(-s.lag)
	i := s.y.Index(h)
	if i < 0 || i >= s.y.Len() || h.Before(s.live) {
		return metricsource.Sample{}, metricsource.ErrEmpty
	}
	return metricsource.Sample{Value: s.y.Values[i], Time: h}, nil
}

func (s traceSource) Range(_ context.Context, q string, start, end time.Time, step time.Duration) (timeseries.Series, error) {
	out := timeseries.Series{Name: q, Start: start, Step: step, Values: make([]float64, int(end.Sub(start)/step)+1)}
	horizon := s.now().Add(-s.lag)
	for k := range out.Values {
		at := out.Time(k)
		out.Values[k] = math.NaN()
		if i := s.y.Index(at); i >= 0 && i < s.y.Len() && !at.Add(step).After(horizon) {
			out.Values[k] = s.y.Values[i]
		}
	}
	return out, nil
}

// reading is one decision of the simulated predictive policy, with the
// replicas the simulated HPA ran.
type reading struct {
	at       time.Time
	value    float64
	refit    bool
	source   policies.Source
	replicas int
}

// recorder runs a simulator.Predictive and records its readings.
type recorder struct {
	p        *simulator.Predictive
	readings []reading
}

func (r *recorder) Name() string { return r.p.Name() }

func (r *recorder) Metrics(now time.Time, obs simulator.Observations, dst []simulator.Metric) []simulator.Metric {
	before := r.p.Stats()
	dst = r.p.Metrics(now, obs, dst)
	after := r.p.Stats()
	var src policies.Source
	for s, n := range after.Decisions {
		if n > before.Decisions[s] {
			src = s
		}
	}
	r.readings = append(r.readings, reading{at: now, value: dst[len(dst)-1].Value, refit: after.Refits > before.Refits, source: src, replicas: obs.Replicas()})
	return dst
}

// replicasAt answers every HPA's replicas with n, as the simulated HPA ran
// them at the reading being replayed.
type replicasAt struct{ n *int }

func (r replicasAt) Replicas(context.Context, string, string) (int, error) { return *r.n, nil }

// TestScalerServesAsSimulated replays one trace through the simulator's
// predictive policy and through the scaler, the scaler called at every
// instant the simulated KEDA and HPA read the metric and refitted at every
// instant the simulated policy refitted, its metric source answering as
// the simulator's observations do: the scaler serves the value the
// simulator decided, at every reading. What is simulated is what runs:
// with targetPerPod at 1/1.1 of the pods' capacity, and at the full
// capacity with hpaTolerance, the scaler reading the replicas the
// simulated HPA ran.
func TestScalerServesAsSimulated(t *testing.T) {
	tests := []struct {
		name     string
		meta     map[string]string
		minTuned int // fewest values the tolerance workaround set
	}{
		{"targetPerPod at 1/1.1 of the capacity", map[string]string{"targetPerPod": "100"}, 0},
		{"hpaTolerance at the full capacity", map[string]string{"targetPerPod": "110", "hpaTolerance": "0.1"}, 10},
		// Across Berlin's change to summer time (2025-03-30): the growth's
		// hours on its clock on both sides.
		{"timeZone across a clock change", map[string]string{"timeZone": "Europe/Berlin", "start": "2025-03-27"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { scalerServesAsSimulated(t, tc.meta, tc.minTuned) })
	}
}

// scalerServesAsSimulated replays five days through the simulator and the
// scaler with the trigger's metadata extra ("start", a date, is the
// trace's first day instead: 2025-03-03 by default).
func scalerServesAsSimulated(t *testing.T, extra map[string]string, minTolerance int) {
	const step, lag = 5 * time.Minute, 30 * time.Second
	extra = maps.Clone(extra)
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	if d, ok := extra["start"]; ok {
		var err error
		start, err = time.Parse(time.DateOnly, d)
		require.NoError(t, err)
		delete(extra, "start")
	}
	r := rand.New(rand.NewPCG(5, 5))
	y := timeseries.Series{Name: "demand", Start: start, Step: step, Values: make([]float64, 5*288)}
	for i := range y.Values {
		day := float64(i%288) / 288
		v := 1000 * (1 + 0.6*math.Sin(2*math.Pi*(day-0.3)))
		if i%288 >= 220 && i%288 < 232 { // an evening bump
			v *= 2.5
		}
		y.Values[i] = v * (1 + 0.08*r.NormFloat64())
	}
	past, demand := y.Slice(0, 3*288), y.Slice(3*288, y.Len())

	md := map[string]string{
		"query": "sum(rate(requests_total[5m]))", "targetPerPod": "100", "step": "5m", "historyWindow": "4w",
		"model": "snaive", "quantile": "0.5", "leadTime": "6m", "refitInterval": "1h", "risk": "0.9",
		"minReplicas": "1", "maxReplicas": "1000", "scalerAddress": "127.0.0.1:6000",
	}
	for k, v := range extra {
		md[k] = v
	}
	meta, err := ParseMetadata(md)
	require.NoError(t, err)

	// The simulator, with the scaler's policy and growth options.
	growth := policies.NewGrowthOptions(meta.Policy, meta.Step, meta.EventShift, nil, meta.TimeZone)
	p, err := simulator.NewPredictive(simulator.PredictiveConfig{
		Policy:        meta.Policy,
		Forecaster:    simulator.QuantileForecaster{Options: forecast.Options{Model: meta.Model, Location: meta.TimeZone}, Quantile: 0.5, Growth: &growth},
		RefitInterval: meta.RefitInterval, FitWindow: meta.HistoryWindow, Past: past,
	})
	require.NoError(t, err)
	rec := &recorder{p: p}
	set := simulator.DefaultSettings()
	set.Pods.Capacity = 110
	set.KEDA.MinReplicaCount, set.KEDA.MaxReplicaCount = 1, 1000
	set.Metrics.Lag = lag
	_, err = simulator.Run(context.Background(), simulator.Job{Demand: demand, Policy: rec, Settings: set})
	require.NoError(t, err)
	require.NotEmpty(t, rec.readings)

	// The scaler, at the same instants.
	e := newTestEnv(t, rec.readings[0].at, nil)
	src := traceSource{y: y, live: demand.Start, lag: lag, now: e.clock.Now}
	e.srv.opts.Sources = map[string]Source{"main": src}
	var replicas int
	e.srv.opts.Replicas = replicasAt{&replicas}
	c := grpcClient(t, e.srv)
	ref := ref("shop", md)
	spec, err := c.GetMetricSpec(context.Background(), ref)
	require.NoError(t, err)
	tg := e.target(t, ref)
	tg.source = src
	refits, risk, tolerance := 0, 0, 0
	for _, rd := range rec.readings {
		e.clock.Set(rd.at)
		replicas = rd.replicas
		if rd.refit {
			e.refit(t, ref)
			refits++
		}
		m, err := c.GetMetrics(context.Background(), &externalscaler.GetMetricsRequest{ScaledObjectRef: ref, MetricName: spec.MetricSpecs[0].MetricName})
		require.NoError(t, err, "at %s", rd.at.Format(time.RFC3339))
		require.Len(t, m.MetricValues, 1)
		v := m.MetricValues[0].MetricValueFloat
		require.InDelta(t, rd.value, v, 1e-9*max(1, rd.value), "served at %s (simulated from %s)", rd.at.Format(time.RFC3339), rd.source)
		switch rd.source {
		case policies.SourceRisk:
			risk++
		case policies.SourceTolerance:
			tolerance++
		}
	}
	t.Logf("%d readings, %d refits, %d set by the risk term, %d by the tolerance workaround", len(rec.readings), refits, risk, tolerance)
	assert.Greater(t, refits, 40)
	assert.Greater(t, risk, len(rec.readings)/4, "the risk term, not the live demand alone, sets many values")
	assert.GreaterOrEqual(t, tolerance, minTolerance)
}
