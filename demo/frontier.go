package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// The knobs the frontier sweeps: the HPA's target utilisation and the
// predictive policy's risk quantile, each with its default among them.
var (
	frontierUtilisations = []float64{0.5, 0.6, hpaTarget, 0.8, 0.9}
	frontierRisks        = []float64{0.5, 0.7, 0.8, simulator.DefaultRisk, 0.95, 0.98}
)

// frontier runs the cost/unserved frontier of the reactive HPA over its
// target utilisation and of the predictive policy over its risk on the
// campaign, the predictive points forecasting through cache.
func (c campaign) frontier(ctx context.Context, startup time.Duration, cache *simulator.CachedForecaster) (simulator.FrontierComparison, error) {
	reactive := simulator.Sweep{Name: "reactive", Knob: "target_utilisation", Values: frontierUtilisations, Default: hpaTarget,
		New: func(u, _ float64) (simulator.Policy, error) {
			return simulator.Reactive{Capacity: podCapacity, Utilisation: u}, nil
		}}
	predictive := simulator.Sweep{Name: "predictive", Knob: "risk", Values: frontierRisks, Default: simulator.DefaultRisk,
		New: func(risk, _ float64) (simulator.Policy, error) {
			cfg := c.predictiveConfig(startup)
			cfg.Policy.Risk, cfg.Forecaster = risk, cache
			return simulator.NewPredictive(cfg)
		}}
	base := simulator.FrontierBase{Demand: c.demand, Settings: settings(startup, false)}
	fr, err := simulator.RunFrontier(ctx, base, []simulator.Sweep{reactive, predictive}, 0)
	if err != nil {
		return simulator.FrontierComparison{}, fmt.Errorf("frontier: %w", err)
	}
	fc := simulator.FrontierComparison{Baseline: reactive.Name,
		Setup: simulator.Comparison{Trace: c.demand.Name, Start: c.demand.Start, Step: c.demand.Step, Steps: c.demand.Len(),
			CapacityPerPod: podCapacity, TargetUtilisation: hpaTarget, Seed: base.Settings.Seed},
		Runs: []simulator.FrontierRun{{Startup: scaler.FormatDuration(startup), Frontier: fr}}}
	return fc, nil
}

// frontierSVG draws the frontier as one SVG element.
func frontierSVG(fc simulator.FrontierComparison) (string, error) {
	var b strings.Builder
	if err := simulator.WriteFrontierChart(&b, fc); err != nil {
		return "", fmt.Errorf("frontier chart: %w", err)
	}
	return b.String(), nil
}
