package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// scenario is the trace after the what-ifs, with what the policies are
// built from.
type scenario struct {
	f            *simulateFlags
	capacity     float64
	past, demand timeseries.Series
	events       []calendar.Occurrence
	floors       []policies.Floor
	settings     simulator.Settings
	pred         predictiveSettings
	resolution   time.Duration
}

// utilisation returns the default target utilisation of a policy kind.
func (sc *scenario) utilisation(kind string) float64 {
	if kind == "predictive" {
		return sc.pred.utilisation
	}
	return sc.f.utilisation
}

// predictiveConfig returns the predictive policy's configuration at
// utilisation u with the lead time lead.
func (sc *scenario) predictiveConfig(u float64, lead time.Duration) simulator.PredictiveConfig {
	k := sc.settings.KEDA
	lead = sc.f.keda.lead(lead)
	pol := policies.Policy{Mode: policies.ModePredictive, TargetPerPod: sc.capacity * u, LeadTime: lead,
		MinReplicas: k.MinReplicaCount, MaxReplicas: k.MaxReplicaCount, Risk: sc.pred.risk, Tolerance: sc.toleranceAt(u)}
	growth := policies.NewGrowthOptions(pol, sc.demand.Step, sc.pred.eventShift, nil, sc.pred.timeZone) // the forecaster adds the calendar
	return sc.withScaledObject(simulator.PredictiveConfig{
		Policy: pol,
		Forecaster: simulator.QuantileForecaster{
			Options:  forecast.Options{Model: sc.pred.model, Events: sc.events, Location: sc.pred.timeZone},
			Quantile: sc.pred.quantile, Resolution: sc.resolution, Aggregation: timeseries.Aggregation(sc.pred.agg),
			Growth: &growth,
		},
		RefitInterval: sc.pred.refit,
		FitWindow:     sc.pred.fitWindow,
		Floors:        sc.predictiveFloors(),
		Past:          sc.past,
	})
}

// predictiveTolerance returns the HPA tolerance the predictive policy
// works around: --predictive-tolerance, or the simulated HPA's scale-up
// tolerance when not given.
func (sc *scenario) predictiveTolerance() float64 {
	if t := sc.pred.tolerance; !math.IsNaN(t) {
		return t
	}
	return sc.settings.HPA.ScaleUpTolerance()
}

// toleranceAt returns the tolerance the predictive policy at target
// utilisation u works around: none when u already leaves the tolerance's
// room (at most 1/(1+tolerance) of the capacity), where the workaround
// would only add pods (as policies.Policy.Tolerance does for a headroom).
func (sc *scenario) toleranceAt(u float64) float64 {
	t := sc.predictiveTolerance()
	if u*(1+t) <= 1+1e-9 {
		return 0
	}
	return t
}

// predictiveFloors returns the event floors the predictive policy gets:
// the operator's (--cron-replicas) always, the peak-based ones only under
// the older rule (--risk 0). A risk-based policy learns each event type's
// growth from its past occurrences (or applies the calendar's uplift) and,
// when the live demand is unknown, falls back on the forecast, which
// learns the calendar too: it has no use for a floor ratcheted to the
// highest demand seen.
func (sc *scenario) predictiveFloors() []policies.Floor {
	if sc.pred.risk > 0 && sc.f.events.cronReplicas <= 0 {
		return nil
	}
	return sc.floors
}

func runSimulate(cmd *cobra.Command, f *simulateFlags) error {
	if err := f.keda.load(cmd, f); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return err
	}
	if err := f.frontier.validate(cmd, f); err != nil {
		return err
	}
	if f.frontier.enabled {
		return runFrontier(cmd, f)
	}
	specs, _ := parsePolicies(f.policies)
	if f.trace.calendar == "" && !f.trace.bundled() && len(f.keda.crons) == 0 { // the bundled trace comes with its calendar
		if slices.ContainsFunc(specs, func(p policySpec) bool { return p.kind == "cron" }) && cmd.Flags().Changed("policies") {
			return errors.New("--policies: cron needs --calendar: its windows are the calendar's events")
		}
		specs = slices.DeleteFunc(specs, func(p policySpec) bool { return p.kind == "cron" })
	}
	startups, _ := parseStartups(f.startups)
	asserts, _ := parseAssertions(f.asserts)
	if err := assertedPoliciesRun(asserts, specs); err != nil {
		return err
	}
	sc, err := f.scenario(cmd.Context(), startups)
	if err != nil {
		return err
	}
	comp := sc.comparison()
	nodes, desc, err := f.nodes.billing()
	if err != nil {
		return err
	}
	if nodes != nil {
		comp.Nodes = nodes
		comp.Parameters = append(comp.Parameters, simulator.Parameter{Name: "node_pool", Value: desc})
	}
	progress := wantProgress(cmd, f.progress)
	for i, st := range startups {
		began := time.Now()
		if progress {
			fmt.Fprintf(cmd.ErrOrStderr(), "simulate: start-up %s (%d of %d): %d policies over %d steps...\n",
				st.label, i+1, len(startups), len(specs), sc.demand.Len())
		}
		rep, err := sc.compare(cmd.Context(), specs, st, &comp, nodes)
		if err != nil {
			return err
		}
		if progress {
			fmt.Fprintf(cmd.ErrOrStderr(), "simulate: start-up %s done in %s\n", st.label, time.Since(began).Round(100*time.Millisecond))
		}
		comp.Startups = append(comp.Startups, rep)
	}
	outcomes, passed := simulator.Check(comp, asserts)
	if err := f.write(cmd.OutOrStdout(), comp, outcomes); err != nil {
		return err
	}
	if !passed {
		return ExitError{Code: 3, Err: failedChecks(outcomes)}
	}
	return nil
}

// compare runs the policies with start-up st, in the node pool nodes when
// not nil, and notes the predictive
// policy's refits in comp's parameters.
func (sc *scenario) compare(ctx context.Context, specs []policySpec, st startupSpec, comp *simulator.Comparison, nodes *simulator.NodeBilling) (simulator.StartupReport, error) {
	s := sc.settings
	s.Pods.Startup = st.delay
	var ps []simulator.Policy
	var order []string
	for _, spec := range specs {
		order = append(order, spec.label)
		if spec.kind == "oracle" {
			continue
		}
		p, err := sc.build(spec, st)
		if err != nil {
			return simulator.StartupReport{}, err
		}
		ps = append(ps, p)
	}
	var rep simulator.Report
	var err error
	if nodes != nil {
		rep, err = simulator.CompareNodes(ctx, sc.demand, s, ps, *nodes)
	} else {
		rep, err = simulator.Compare(ctx, sc.demand, s, ps, nil)
	}
	if err != nil {
		return simulator.StartupReport{}, fmt.Errorf("simulating start-up %s: %w", st.label, err)
	}
	for i, p := range ps {
		if stats, ok := predictiveStats(p); ok {
			v := fmt.Sprintf("%d refits, %d failed", stats.Refits, stats.FitErrors)
			if stats.LastError != nil {
				v += ": last " + stats.LastError.Error()
			}
			comp.Parameters = append(comp.Parameters, simulator.Parameter{Name: fmt.Sprintf("%s.refits[%s]", specs[i].label, st.label), Value: v})
		}
	}
	return simulator.NewStartupReport(st.label, rep, order), nil
}

// predictiveStats returns the stats of a (labelled) predictive policy.
func predictiveStats(p simulator.Policy) (simulator.PredictiveStats, bool) {
	if l, ok := p.(simulator.Labelled); ok {
		p = l.Policy
	}
	if pred, ok := p.(*simulator.Predictive); ok {
		return pred.Stats(), true
	}
	return simulator.PredictiveStats{}, false
}

// write writes the report, then the timeline and chart files.
func (f *simulateFlags) write(w io.Writer, comp simulator.Comparison, outcomes []simulator.Outcome) error {
	var err error
	switch f.output {
	case "json":
		err = simulator.WriteJSON(w, comp)
	case "markdown":
		err = simulator.WriteMarkdown(w, comp, outcomes)
	default:
		err = simulator.WriteTable(w, comp, outcomes)
	}
	if err != nil {
		return err
	}
	if f.timeline != "" {
		if err := writeFile("--timeline", f.timeline, func(w io.Writer) error { return simulator.WriteTimeline(w, comp.Startups[0]) }); err != nil {
			return err
		}
	}
	if f.chart != "" {
		return writeFile("--chart", f.chart, func(w io.Writer) error { return simulator.WriteChart(w, comp, comp.Startups[0]) })
	}
	return nil
}

// writeFile creates path and writes it with fn, naming flag in errors.
func writeFile(flag, path string, fn func(io.Writer) error) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	if err := fn(fh); err != nil {
		fh.Close()
		return fmt.Errorf("%s: writing %q: %w", flag, path, err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	return nil
}

// assertedPoliciesRun checks, before anything runs, that every assertion
// names a policy the run simulates (the oracle always is).
func assertedPoliciesRun(asserts []simulator.Assertion, specs []policySpec) error {
	run := []string{"oracle"}
	for _, p := range specs {
		if p.label != "oracle" {
			run = append(run, p.label)
		}
	}
	for _, a := range asserts {
		if !slices.Contains(run, a.Policy) {
			return fmt.Errorf("--assert: %q names policy %q, which this run does not simulate: use one of %s",
				a.String(), a.Policy, strings.Join(run, ", "))
		}
	}
	return nil
}

// failedChecks summarises the failed assertions.
func failedChecks(outcomes []simulator.Outcome) error {
	var failed []string
	for _, o := range outcomes {
		if !o.Passed {
			failed = append(failed, o.String())
		}
	}
	return fmt.Errorf("%d of %d checks failed:\n  %s", len(failed), len(outcomes), strings.Join(failed, "\n  "))
}
