package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/simulator"
)

// The curves of --frontier: the reactive HPA is the baseline the
// predictive policy is judged against.
const (
	reactiveCurve   = "reactive"
	predictiveCurve = "predictive"
	reactiveKnob    = "target_utilisation"
)

// frontierFlags ask for the cost/unserved frontier of each policy.
type frontierFlags struct {
	enabled    bool
	reactive   []float64
	predictive []predictivePoint
	chart      string
}

// register adds the frontier's flags to fs.
func (f *frontierFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.enabled, "frontier", false, "judge each policy by its curve of unserved demand against pod-hours over its risk knobs (--frontier-reactive, --frontier-predictive), the predictive one against the reactive HPA's (instead of --policies)")
	fs.Float64SliceVar(&f.reactive, "frontier-reactive", []float64{0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0},
		"target utilisations the reactive curve is swept over, each in (0,1]; --target-utilization, the default point the headline compares at, is added when missing")
	fs.Var(predictivePointsFlag(&f.predictive), "frontier-predictive", "points the predictive curve is swept over, "+predictiveKnobHelp)
	f.predictive = slices.Clone(defaultPredictivePoints)
	fs.Lookup("frontier-predictive").DefValue = "[" + joinPoints(defaultPredictivePoints) + "]"
	fs.StringVar(&f.chart, "frontier-chart", "", "SVG file to draw the curves to (unserved on a log scale against pod-hours, one panel per start-up)")
}

// validate checks the frontier flags and, with --frontier, the flags it
// replaces and the assertions' curves, before anything is read or run.
func (f *frontierFlags) validate(cmd *cobra.Command, sf *simulateFlags) error {
	asserts, _ := parseAssertions(sf.asserts)
	if !f.enabled {
		for _, name := range []string{"frontier-reactive", "frontier-predictive", "frontier-chart"} {
			if cmd.Flags().Changed(name) {
				return fmt.Errorf("--%s: needs --frontier", name)
			}
		}
		for _, a := range asserts {
			if _, ok := a.FrontierCurve(); ok {
				return fmt.Errorf("--assert: %q checks a frontier: add --frontier", a)
			}
		}
		return nil
	}
	switch {
	case cmd.Flags().Changed("policies"):
		return fmt.Errorf("--policies: not with --frontier, which sweeps %s (--frontier-reactive) and %s (--frontier-predictive)", reactiveCurve, predictiveCurve)
	case sf.timeline != "":
		return errors.New("--timeline: not with --frontier: it writes one run per policy")
	case sf.chart != "":
		return errors.New("--chart: not with --frontier: use --frontier-chart")
	}
	if err := checkKnobs("--frontier-reactive", f.reactive, "target utilisations in (0,1]", validUtilisation); err != nil {
		return err
	}
	if err := checkPredictivePoints("--frontier-predictive", f.predictive); err != nil {
		return err
	}
	if err := simulator.ValidateFrontierAssertions(asserts, reactiveCurve, []string{reactiveCurve, predictiveCurve}); err != nil {
		return fmt.Errorf("--assert: %w", err)
	}
	return nil
}

func validUtilisation(v float64) bool { return v > 0 && v <= 1 }

// checkKnobs checks a list of knob values: not empty, each valid, none
// twice.
func checkKnobs(flag string, values []float64, want string, valid func(float64) bool) error {
	if len(values) == 0 {
		return fmt.Errorf("%s: empty: give %s", flag, want)
	}
	for i, v := range values {
		if !valid(v) {
			return fmt.Errorf("%s: %v: use %s", flag, v, want)
		}
		if slices.Index(values, v) < i {
			return fmt.Errorf("%s: %v is listed twice", flag, v)
		}
	}
	return nil
}

// knobs returns values sorted, with def added when missing.
func knobs(values []float64, def float64) []float64 {
	out := slices.Clone(values)
	if !slices.Contains(out, def) {
		out = append(out, def)
	}
	slices.Sort(out)
	return out
}

// runFrontier runs the frontier of each start-up delay, then writes and
// checks it.
func runFrontier(cmd *cobra.Command, f *simulateFlags) error {
	startups, _ := parseStartups(f.startups)
	asserts, _ := parseAssertions(f.asserts)
	sc, err := f.scenario(cmd.Context(), startups)
	if err != nil {
		return err
	}
	fc, nodes, err := sc.frontierSetup()
	if err != nil {
		return err
	}
	progress := wantProgress(cmd, f.progress)
	for i, st := range startups {
		began := time.Now()
		if progress {
			fmt.Fprintf(cmd.ErrOrStderr(), "simulate: frontier at start-up %s (%d of %d): %d points over %d steps...\n",
				st.label, i+1, len(startups), len(sc.reactiveSweep().Values)+len(f.frontier.predictive)+1, sc.demand.Len())
		}
		run, err := sc.frontier(cmd.Context(), st, nodes, &fc.Setup)
		if err != nil {
			return err
		}
		if progress {
			fmt.Fprintf(cmd.ErrOrStderr(), "simulate: start-up %s done in %s\n", st.label, time.Since(began).Round(100*time.Millisecond))
		}
		fc.Runs = append(fc.Runs, run)
	}
	outcomes, passed := simulator.CheckFrontier(fc, asserts)
	if err := f.writeFrontier(cmd.OutOrStdout(), fc, outcomes); err != nil {
		return err
	}
	if !passed {
		return ExitError{Code: 3, Err: failedChecks(outcomes)}
	}
	return nil
}

// frontierSetup returns the frontier's header, the trace, the settings and
// the sweeps described, and the node pool, nil without one.
func (sc *scenario) frontierSetup() (simulator.FrontierComparison, *simulator.NodeBilling, error) {
	fc := simulator.FrontierComparison{Setup: sc.comparison(), Baseline: reactiveCurve}
	nodes, desc, err := sc.f.nodes.billing()
	if err != nil {
		return fc, nil, err
	}
	if nodes != nil {
		fc.Setup.Nodes = nodes
		fc.Setup.Parameters = append(fc.Setup.Parameters, simulator.Parameter{Name: "node_pool", Value: desc})
	}
	reactive := sc.reactiveSweep()
	fc.Setup.Parameters = append(fc.Setup.Parameters, simulator.Parameter{Name: "frontier",
		Value: fmt.Sprintf("%s over %s %s; %s over %s %s", reactive.Name, reactive.Knob, joinKnobs(reactive.Values),
			predictiveCurve, predictiveKnobName+"/"+predictiveSecondName, joinPoints(sc.f.frontier.predictive))})
	return fc, nodes, nil
}

// frontier runs both curves with start-up st, their predictive points
// sharing one cached forecaster, and notes the forecasts in setup's
// parameters.
func (sc *scenario) frontier(ctx context.Context, st startupSpec, nodes *simulator.NodeBilling, setup *simulator.Comparison) (simulator.FrontierRun, error) {
	s := sc.settings
	s.Pods.Startup = st.delay
	lead := st.p95 + sc.pred.leadMargin
	cache := simulator.NewCachedForecaster(sc.sharedForecaster(lead))
	var preds []*simulator.Predictive
	risks, utilisations := sc.predictivePoints()
	predictive := simulator.Sweep{Name: predictiveCurve, Knob: predictiveKnobName, Values: risks,
		Default: predictiveKnobDefault(sc), Second: predictiveSecondName, Seconds: utilisations, SecondDefault: sc.pred.utilisation,
		New: func(k, u float64) (simulator.Policy, error) {
			p, err := sc.predictiveAt(k, u, lead, cache)
			if err != nil {
				return nil, err
			}
			preds = append(preds, p)
			return p, nil
		}}
	base := simulator.FrontierBase{Demand: sc.demand, Settings: s, Nodes: nodes}
	fr, err := simulator.RunFrontier(ctx, base, []simulator.Sweep{sc.reactiveSweep(), predictive}, 0)
	if err != nil {
		return simulator.FrontierRun{}, fmt.Errorf("simulating start-up %s: %w", st.label, err)
	}
	refits, failed := 0, 0
	for _, p := range preds {
		stats := p.Stats()
		refits, failed = refits+stats.Refits, failed+stats.FitErrors
	}
	cs := cache.Stats()
	setup.Parameters = append(setup.Parameters, simulator.Parameter{Name: fmt.Sprintf("%s.forecasts[%s]", predictiveCurve, st.label),
		Value: fmt.Sprintf("%d refits over %d points (%d failed), %d forecasts fitted, %d shared", refits, len(preds), failed, cs.Fits, cs.Hits)})
	return simulator.FrontierRun{Startup: st.label, Frontier: fr}, nil
}

// reactiveSweep is the reactive HPA over --frontier-reactive, its
// default point --target-utilization.
func (sc *scenario) reactiveSweep() simulator.Sweep {
	return simulator.Sweep{Name: reactiveCurve, Knob: reactiveKnob, Values: knobs(sc.f.frontier.reactive, sc.f.utilisation),
		Default: sc.f.utilisation,
		New: func(u, _ float64) (simulator.Policy, error) {
			return simulator.Reactive{Capacity: sc.capacity, Utilisation: u}, nil
		}}
}

// writeFrontier writes the report, then the chart file.
func (f *simulateFlags) writeFrontier(w io.Writer, fc simulator.FrontierComparison, outcomes []simulator.Outcome) error {
	var err error
	switch f.output {
	case "json":
		err = simulator.WriteFrontierJSON(w, fc)
	case "markdown":
		err = simulator.WriteFrontierMarkdown(w, fc, outcomes)
	default:
		err = simulator.WriteFrontierTable(w, fc, outcomes)
	}
	if err != nil || f.frontier.chart == "" {
		return err
	}
	return writeFile("--frontier-chart", f.frontier.chart, func(w io.Writer) error { return simulator.WriteFrontierChart(w, fc) })
}

// joinKnobs formats knob values as a flag takes them.
func joinKnobs(vs []float64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}
