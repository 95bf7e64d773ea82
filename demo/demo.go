// Package demo composes prescale's products — the scaler, the simulator,
// the forecaster and the planner — end to end on the bundled NASA HTTP
// trace, with no cluster and no Prometheus: it compares the reactive HPA,
// the predictive policy and the oracle on the STS-70 launch, traces each
// policy's cost/unserved frontier, plans the nodes the predictive and the
// HPA's replicas need on an illustrative pool, and polls an in-process
// scaler once as KEDA does, its replay pinned to the launch's minute. The
// report it writes is the same bytes on every run. It sits beside the
// products it composes, above pkg/.
package demo

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// Options configure a demo run.
type Options struct {
	// Bundled holds prescale's datasets (datasets.FS()).
	Bundled fs.FS
	// Startup is the pods' start-up delay.
	Startup time.Duration
	// StoreDir is the directory of the scaler's store.
	StoreDir string
	// ForecastWait bounds how long the live poll waits for the scaler's
	// first forecast; zero means 20 s.
	ForecastWait time.Duration
	// Progress receives a line before each long step; nil discards them.
	Progress io.Writer
}

// Result is what a demo run found.
type Result struct {
	// Startup is the pods' start-up delay simulated.
	Startup time.Duration
	// Demand is the simulated part of the trace, requests per minute.
	Demand timeseries.Series
	// Events are the calendar's occurrences whose affected window overlaps
	// Demand.
	Events []calendar.Occurrence
	// Report holds the oracle and the reactive and predictive results.
	Report simulator.Report
	// Frontier is each policy's cost/unserved curve over its risk knob:
	// the HPA's target utilisation, the predictive policy's risk.
	Frontier simulator.FrontierComparison
	// Nodes is the node plan of the predictive replicas, hour by hour,
	// with the static-peak comparison.
	Nodes capacity.Timeline
	// HPANodes is the node plan of the reactive HPA's replicas on the
	// same pool, hour by hour.
	HPANodes capacity.Timeline
	// Hourly are the predictive policy's hourly peak replicas planned.
	Hourly timeseries.Series
	// Live is the in-process scaler's answer at a trace instant of the
	// page (the first event's start, else the middle of Demand).
	Live Live
	// Location is the trace's time zone.
	Location *time.Location
}

// Run runs the demo.
func Run(ctx context.Context, o Options) (Result, error) {
	began := time.Now()
	progress := func(format string, a ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "demo [%5.1fs] "+format+"\n", append([]any{time.Since(began).Seconds()}, a...)...)
		}
	}
	res := Result{Startup: o.Startup}
	progress("reading the bundled NASA trace (1995-07-06..07-14, the first 7 days as history)")
	c, err := loadCampaign(o.Bundled)
	if err != nil {
		return res, err
	}
	res.Demand, res.Location, res.Events = c.demand, c.loc, c.shown()
	cache := simulator.NewCachedForecaster(c.predictiveConfig(o.Startup).Forecaster)
	progress("simulating reactive (HPA at %.1f), predictive (refitted hourly) and oracle with a %s start-up over %d minutes",
		hpaTarget, scaler.FormatDuration(o.Startup), res.Demand.Len())
	if res.Report, err = c.simulate(ctx, o.Startup, cache); err != nil {
		return res, err
	}
	progress("tracing the cost/unserved frontier: %d HPA targets, %d predictive risks, forecasts shared",
		len(frontierUtilisations), len(frontierRisks))
	if res.Frontier, err = c.frontier(ctx, o.Startup, cache); err != nil {
		return res, err
	}
	progress("planning the nodes of the predictive and the HPA's replicas, hour by hour")
	if err := res.planNodes(ctx); err != nil {
		return res, err
	}
	q, err := newLiveQuery(c, liveInstant(res), o.Startup)
	if err != nil {
		return res, err
	}
	wait := o.ForecastWait
	if wait == 0 {
		wait = 20 * time.Second
	}
	progress("starting the scaler in-process at trace time %s and polling it as KEDA does", q.at.In(c.loc).Format("2006-01-02 15:04 MST"))
	if res.Live, err = askScaler(ctx, o.Bundled, o.StoreDir, q, wait); err != nil {
		return res, err
	}
	progress("done")
	return res, nil
}

// planNodes plans the pool hour by hour for the predictive and the
// reactive replicas.
func (r *Result) planNodes(ctx context.Context) error {
	pred, _ := r.Find("predictive")
	reac, _ := r.Find("reactive")
	var err error
	if r.Nodes, r.Hourly, err = planNodes(ctx, pred); err != nil {
		return err
	}
	r.HPANodes, _, err = planNodes(ctx, reac)
	return err
}

// liveInstant is the trace instant the live scaler is asked at: the start
// of the first event inside the simulated window, else its middle.
func liveInstant(r Result) time.Time {
	for _, e := range r.Events {
		if !e.Start.Before(r.Demand.Start) && e.Start.Before(r.Demand.End()) {
			return e.Start
		}
	}
	return r.Demand.Time(r.Demand.Len() / 2)
}

// Find returns the result of the named policy ("oracle" included).
func (r Result) Find(policy string) (simulator.Result, bool) {
	if policy == r.Report.Oracle.Policy {
		return r.Report.Oracle, true
	}
	for _, x := range r.Report.Results {
		if x.Policy == policy {
			return x, true
		}
	}
	return simulator.Result{}, false
}

// Policies returns the results in display order: reactive, predictive,
// oracle.
func (r Result) Policies() []simulator.Result {
	return append(append([]simulator.Result(nil), r.Report.Results...), r.Report.Oracle)
}
