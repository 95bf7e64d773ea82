// Package demo composes prescale's products — the scaler, the simulator,
// the forecaster and the planner — end to end on the bundled NASA HTTP
// trace, with no cluster and no Prometheus: it compares the reactive HPA,
// the predictive policy and the oracle on the STS-70 launch, plans the
// nodes the predictive replicas need on an illustrative pool, and polls an
// in-process scaler once as KEDA does. It sits beside the products it
// composes, above pkg/.
package demo

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/timeseries"
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
	// Report holds the oracle and the reactive and predictive results.
	Report simulator.Report
	// Nodes is the node plan of the predictive replicas, hour by hour,
	// with the static-peak comparison.
	Nodes capacity.Timeline
	// Hourly are the predictive policy's hourly peak replicas planned.
	Hourly timeseries.Series
	// Live is the in-process scaler's answer.
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
	res.Demand, res.Location = c.demand, c.loc
	progress("simulating reactive (HPA at %.1f), predictive (refitted hourly) and oracle with a %s start-up over %d minutes",
		hpaTarget, shortDuration(o.Startup), res.Demand.Len())
	if res.Report, err = c.simulate(ctx, o.Startup); err != nil {
		return res, err
	}
	progress("planning the nodes of the predictive replicas, hour by hour")
	pred, _ := res.Find("predictive")
	if res.Nodes, res.Hourly, err = planNodes(ctx, pred); err != nil {
		return res, err
	}
	wait := o.ForecastWait
	if wait == 0 {
		wait = 20 * time.Second
	}
	progress("starting the scaler in-process and polling it as KEDA does")
	if res.Live, err = askScaler(ctx, o.Bundled, o.StoreDir, wait); err != nil {
		return res, err
	}
	progress("done")
	return res, nil
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
