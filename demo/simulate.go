package demo

import (
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// The scenario: the NASA Kennedy Space Center trace around the launch of
// STS-70 (1995-07-13), the first seven days kept as history.
const (
	tracePath     = "nasa_http_1995/nasa_requests_per_minute_edt.csv.gz"
	calendarPath  = "calendars/nasa-1995.yaml"
	traceZone     = "America/New_York"
	campaignFrom  = "1995-07-06"
	campaignTo    = "1995-07-15" // exclusive: 07-14 is the last day
	historyDays   = 7
	eventType     = "launch"
	podCapacity   = 10  // requests per minute one pod serves
	hpaTarget     = 0.7 // the reactive HPA's target utilisation
	maxReplicas   = 100
	minReplicas   = 1
	podPricePerHr = 0 // pods are priced through the node plan
)

// campaign is the simulated part of the trace, its history and its events.
type campaign struct {
	// trace is the whole bundled trace, which the live scaler replays.
	trace        timeseries.Series
	past, demand timeseries.Series
	events       []calendar.Occurrence
	loc          *time.Location
}

// loadCampaign reads the bundled trace and calendar and cuts the campaign.
func loadCampaign(bundled fs.FS) (campaign, error) {
	loc, err := time.LoadLocation(traceZone)
	if err != nil {
		return campaign{}, fmt.Errorf("bundled trace: %w", err)
	}
	fh, err := bundled.Open(tracePath)
	if err != nil {
		return campaign{}, fmt.Errorf("bundled trace: %w", err)
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return campaign{}, fmt.Errorf("bundled trace %s: %w", tracePath, err)
	}
	series, err := timeseries.Read(gz, tracePath, timeseries.ReadOptions{
		TimeCol: "minute_start_edt", ValueCol: "count", Location: loc, Name: "nasa-requests-per-minute"})
	if err != nil {
		return campaign{}, fmt.Errorf("bundled trace: %w", err)
	}
	if len(series) != 1 {
		return campaign{}, fmt.Errorf("bundled trace %s: %d series, want 1", tracePath, len(series))
	}
	from, _ := time.ParseInLocation(time.DateOnly, campaignFrom, loc)
	to, _ := time.ParseInLocation(time.DateOnly, campaignTo, loc)
	y := series[0]
	i, j := y.Index(from), y.Index(to)
	k := i + int(historyDays*24*time.Hour/y.Step)
	if i < 0 || j > y.Len() || k >= j {
		return campaign{}, fmt.Errorf("bundled trace %s does not cover %s..%s", tracePath, campaignFrom, campaignTo)
	}
	c := campaign{trace: y, past: y.Slice(i, k), demand: y.Slice(k, j), loc: loc}
	data, err := fs.ReadFile(bundled, calendarPath)
	if err != nil {
		return campaign{}, fmt.Errorf("bundled calendar: %w", err)
	}
	cal, err := calendar.Parse(data, calendarPath)
	if err != nil {
		return campaign{}, fmt.Errorf("bundled calendar: %w", err)
	}
	c.events = cal.Occurrences(from, to.Add(24*time.Hour))
	return c, nil
}

// shown returns the events whose affected window (lead and lag included)
// overlaps the simulated part of the trace, in the calendar's order.
func (c campaign) shown() []calendar.Occurrence {
	var out []calendar.Occurrence
	for _, e := range c.events {
		if e.Start.Add(-e.Lead).Before(c.demand.End()) && e.End.Add(e.Lag).After(c.demand.Start) {
			out = append(out, e)
		}
	}
	return out
}

// settings returns the simulated cluster: pods of podCapacity starting in
// startup, KEDA's replica bounds, a timeline kept when timeline is set.
func settings(startup time.Duration, timeline bool) simulator.Settings {
	s := simulator.DefaultSettings()
	s.Pods.Capacity = podCapacity
	s.Pods.PricePerHour = podPricePerHr
	s.Pods.Startup = simulator.Fixed(startup)
	s.KEDA.MinReplicaCount, s.KEDA.MaxReplicaCount = minReplicas, maxReplicas
	s.Timeline = timeline
	return s
}

// leadTime is how far ahead the predictive policy reads its forecast for
// pods starting in startup.
func leadTime(startup time.Duration) time.Duration { return startup + simulator.DefaultLeadMargin }

// predictiveConfig returns the predictive policy at the default risk for
// pods starting in startup. No peak-based event floors: the risk-based
// policy learns each event type's growth, and its fallback forecast
// learns the calendar.
func (c campaign) predictiveConfig(startup time.Duration) simulator.PredictiveConfig {
	pol := policies.Policy{Mode: policies.ModePredictive, TargetPerPod: predictiveTargetPerPod(), LeadTime: leadTime(startup),
		MinReplicas: minReplicas, MaxReplicas: maxReplicas, Risk: simulator.DefaultRisk}
	growth := policies.NewGrowthOptions(pol, c.demand.Step, simulator.DefaultEventShift, nil, nil)
	return simulator.PredictiveConfig{
		Policy: pol,
		Forecaster: simulator.QuantileForecaster{
			Options:  forecast.Options{Model: simulator.DefaultPredictiveModel, Events: c.events},
			Quantile: simulator.DefaultQuantile, Resolution: simulator.DefaultForecastStep, Aggregation: timeseries.AggMax,
			Growth: &growth,
		},
		RefitInterval: simulator.DefaultRefitInterval,
		FitWindow:     simulator.DefaultFitWindow,
		Past:          c.past,
	}
}

// predictiveTargetPerPod is the demand per pod the predictive policy
// aims at, requests per minute.
func predictiveTargetPerPod() float64 { return podCapacity * simulator.DefaultPredictiveUtilisation }

// simulate compares the reactive HPA, the predictive policy and the oracle
// on the campaign with pods starting in startup, the predictive policy
// forecasting through cache (which the frontier's points then share).
func (c campaign) simulate(ctx context.Context, startup time.Duration, cache *simulator.CachedForecaster) (simulator.Report, error) {
	cfg := c.predictiveConfig(startup)
	cfg.Forecaster = cache
	pred, err := simulator.NewPredictive(cfg)
	if err != nil {
		return simulator.Report{}, fmt.Errorf("predictive policy: %w", err)
	}
	reactive := simulator.Reactive{Capacity: podCapacity, Utilisation: hpaTarget}
	rep, err := simulator.Compare(ctx, c.demand, settings(startup, true), []simulator.Policy{reactive, pred}, nil)
	if err != nil {
		return simulator.Report{}, fmt.Errorf("simulating: %w", err)
	}
	return rep, nil
}
