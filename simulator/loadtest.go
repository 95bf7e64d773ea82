package simulator

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// LoadTestConfig is what a load test measured and what the plan allows,
// for PlanLoadTest.
type LoadTestConfig struct {
	// CapacityPerPod is the demand one pod served in the load test while
	// meeting LatencyTarget, in the trace's unit. It must be positive.
	CapacityPerPod float64
	// LatencyTarget is the latency objective the capacity was measured
	// at; it sizes the load generator's virtual users (see Profile).
	LatencyTarget time.Duration
	// Utilisation is the share of CapacityPerPod the autoscaler aims at,
	// in (0, 1]: the replicas at the peak are ceil(peak / (capacity ×
	// utilisation)).
	Utilisation float64
	// MaxReplicas is the plan's replica ceiling (maxReplicaCount).
	MaxReplicas int
	// Horizon is the number of steps after the history to forecast.
	Horizon int
	// Quantile is the forecast quantile taken as the peak, in [0.5, 1).
	Quantile float64
	// Forecast holds the model and the calendar's events; its Level is set
	// from Quantile.
	Forecast forecast.Options
}

// validate names the first invalid field.
func (c LoadTestConfig) validate() error {
	switch {
	case !(c.CapacityPerPod > 0) || math.IsInf(c.CapacityPerPod, 0):
		return fieldErr("loadTest.capacityPerPod", "must be positive and finite")
	case c.LatencyTarget <= 0:
		return fieldErr("loadTest.latencyTarget", "must be positive")
	case !(c.Utilisation > 0 && c.Utilisation <= 1):
		return fieldErr("loadTest.utilisation", "must be in (0,1]")
	case c.MaxReplicas < 1:
		return fieldErr("loadTest.maxReplicas", "must be positive")
	case c.Horizon < 1:
		return fieldErr("loadTest.horizon", "must be at least one step")
	}
	return QuantileForecaster{Options: c.Forecast, Quantile: c.Quantile}.Validate()
}

// LoadTestReport says whether the capacity a load test measured carries the
// forecast peak within the replica ceiling, and with what margin.
type LoadTestReport struct {
	// Config is the configuration checked.
	Config LoadTestConfig
	// Model is the forecasting model used.
	Model string
	// PeakAt is the start of the forecast step with the highest demand at
	// the quantile, PeakDemand that demand and PeakPoint the point
	// forecast there, in the trace's unit.
	PeakAt                time.Time
	PeakDemand, PeakPoint float64
	// ReplicasAtPeak is ceil(PeakDemand / (CapacityPerPod × Utilisation)).
	ReplicasAtPeak int
	// PerPodLoad is the demand per pod at the peak with the replicas the
	// plan allows, min(ReplicasAtPeak, MaxReplicas).
	PerPodLoad float64
	// ReplicaMargin is MaxReplicas − ReplicasAtPeak (negative: short).
	ReplicaMargin int
	// CapacityMargin is MaxReplicas × CapacityPerPod / PeakDemand − 1: the
	// share of extra demand the ceiling absorbs at full capacity.
	CapacityMargin float64
	// Holds is true when ReplicasAtPeak <= MaxReplicas and PerPodLoad <=
	// CapacityPerPod.
	Holds bool
	// Forecast is the demand at the quantile over the horizon, Point the
	// point forecast.
	Forecast, Point timeseries.Series
}

// PlanLoadTest forecasts the horizon after history at cfg.Quantile and
// checks the load test's capacity against the forecast peak.
func PlanLoadTest(ctx context.Context, history timeseries.Series, cfg LoadTestConfig) (LoadTestReport, error) {
	if err := cfg.validate(); err != nil {
		return LoadTestReport{}, err
	}
	opts := cfg.Forecast
	opts.Level = 2*cfg.Quantile - 1
	var upper []float64
	r, err := forecast.Forecast(ctx, history, cfg.Horizon, opts)
	if err != nil {
		return LoadTestReport{}, fmt.Errorf("forecasting the peak: %w", err)
	}
	upper = r.Upper
	if cfg.Quantile == 0.5 {
		upper = r.Point
	}
	rep := LoadTestReport{Config: cfg, Model: r.Model,
		Forecast: timeseries.Series{Name: history.Name, Start: r.Start, Step: r.Step, Values: upper},
		Point:    timeseries.Series{Name: history.Name, Start: r.Start, Step: r.Step, Values: r.Point}}
	peak := -1
	for i, v := range upper {
		if !math.IsNaN(v) && (peak < 0 || v > upper[peak]) {
			peak = i
		}
	}
	if peak < 0 {
		return LoadTestReport{}, fmt.Errorf("forecast of %d steps has no value", cfg.Horizon)
	}
	rep.PeakAt, rep.PeakDemand, rep.PeakPoint = r.Time(peak), upper[peak], r.Point[peak]
	rep.check()
	return rep, nil
}

// check fills the replicas, loads and margins from the peak.
func (r *LoadTestReport) check() {
	c := r.Config
	r.ReplicasAtPeak = need(r.PeakDemand, c.CapacityPerPod*c.Utilisation, 0, math.MaxInt32)
	pods := min(max(r.ReplicasAtPeak, 1), c.MaxReplicas)
	r.PerPodLoad = r.PeakDemand / float64(pods)
	r.ReplicaMargin = c.MaxReplicas - r.ReplicasAtPeak
	r.CapacityMargin = math.Inf(1)
	if r.PeakDemand > 0 {
		r.CapacityMargin = float64(c.MaxReplicas)*c.CapacityPerPod/r.PeakDemand - 1
	}
	r.Holds = r.ReplicasAtPeak <= c.MaxReplicas && r.PerPodLoad <= c.CapacityPerPod
}

// Verdict explains in one sentence whether the plan holds and why.
func (r LoadTestReport) Verdict() string {
	c := r.Config
	switch {
	case r.Holds:
		return fmt.Sprintf("plan holds: the peak of %.4g needs %d of %d replicas at %.0f%% utilisation; %d replicas to spare, the ceiling absorbs %.0f%% more demand",
			r.PeakDemand, r.ReplicasAtPeak, c.MaxReplicas, 100*c.Utilisation, r.ReplicaMargin, 100*r.CapacityMargin)
	case r.PerPodLoad > c.CapacityPerPod:
		return fmt.Sprintf("plan fails: the peak of %.4g needs %d replicas, over maxReplicas %d; at %d pods each would carry %.4g, over the measured %.4g",
			r.PeakDemand, r.ReplicasAtPeak, c.MaxReplicas, c.MaxReplicas, r.PerPodLoad, c.CapacityPerPod)
	}
	return fmt.Sprintf("plan fails: the peak of %.4g needs %d replicas at %.0f%% utilisation, over maxReplicas %d (pods would run at %.0f%% of the measured capacity)",
		r.PeakDemand, r.ReplicasAtPeak, 100*c.Utilisation, c.MaxReplicas, 100*r.PerPodLoad/c.CapacityPerPod)
}
