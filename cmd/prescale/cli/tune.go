package cli

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// tuneFlags are the flags of prescale tune: simulate's flags that build
// the scenario, and the objective.
type tuneFlags struct {
	sim     simulateFlags
	slo     float64
	holdout string
	risks   []float64
	utils   []float64
}

// simulateOnlyFlags are simulate's flags tune does not take: it sweeps the
// risk and the HPA's utilisation itself, writes one report, replays the
// history as it was (no what-if) and counts pod-hours (no node pool).
var simulateOnlyFlags = []string{
	"policies", "risk", "timeline", "chart", "assert", "frontier", "frontier-predictive", "frontier-chart",
	"scale", "shift-events", "shift-calendar", "zone-loss", "price-per-pod-hour",
	"capacity-plan", "workload", "pods-per-node", "max-nodes", "node-price-per-hour", "node-startup",
}

// tuneUsage rewords the help of simulate's flags whose meaning tune
// narrows.
var tuneUsage = map[string]string{
	"startup":            "pod start-up delay, one: a duration (fixed) or P50/P95 (log-normal), such as 5m or 40s/90s",
	"frontier-reactive":  "target utilisations the reactive HPA is swept over, each in (0,1], to find its cheapest meeting --slo; --target-utilization is added when missing",
	"target-utilization": "the HPA's default target utilisation, in (0,1]: a point of its sweep",
	"event-types":        "calendar event types that set the predictive floors, served while the live demand is unknown (default: all)",
	"progress":           "report the sweep and the re-check on stderr (default: when stderr is a terminal)",
}

// defaultTuneRisks are the risk quantiles tune tries by default, and
// defaultTuneUtilisations the HPA's target utilisations.
var (
	defaultTuneRisks        = slices.Clone(simulator.DefaultTuneRisks)
	defaultTuneUtilisations = []float64{0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
)

// The range of --risks: the scaler's risk key takes at most 0.999.
const (
	maxTuneRisk  = 0.999
	tuneRiskWant = "risk quantiles in (0,0.999], the scaler's range, such as 0.9,0.95,0.99"
)

// tuneHeadroomRisk is the risk --utilizations' points run at, the
// scaler's tuning's (simulator.DefaultUtilisationRisk).
const tuneHeadroomRisk = simulator.DefaultUtilisationRisk

// defaultTuneHeadroom are the target utilisations tune tries at
// tuneHeadroomRisk by default, the scaler's tuning's: down to the HPA's
// 0.4.
var defaultTuneHeadroom = simulator.DefaultTuneUtilisations

func newTuneCommand() *cobra.Command {
	var f tuneFlags
	cmd := &cobra.Command{
		Use:   "tune [--trace FILE] --capacity-per-pod X --startup D [--slo FRACTION]",
		Short: "Choose the predictive policy's risk and target utilisation that meet an SLO at the fewest pod-hours, and print its ScaledObject metadata",
		Long: `tune chooses the predictive policy's risk for a workload from its own
history: a --trace file, or --query read from --prometheus over --range (the
history the scaler reads too). It builds the scenario as simulate does (trace, calendar, burn-in,
KEDA and HPA settings, one --startup), keeps the last --holdout of the
simulated trace out of tuning, and on the rest (the tuning window) runs the
frontier: the reactive HPA over --frontier-reactive (target utilisations)
and the predictive policy over --risks at --predictive-utilization, then at
risk 0.98 over the lower target utilisations of --utilizations (headroom
for what the learned growth does not foresee), every point in parallel.

Of each curve it chooses the point with the fewest pod-hours whose unserved
fraction of the demand is at most --slo: the predictive policy's risk and
target utilisation, and the HPA's utilisation as the comparison. It then re-runs both choices on the
holdout, with everything before it as the predictive policy's past, and
reports their unserved demand and pod-hours there, saying plainly when the
holdout misses the SLO. It ends with the prescale trigger's metadata to
paste into the ScaledObject: risk, leadTime (start-up + --lead-margin),
targetPerPod (--capacity-per-pod × the chosen target utilisation), eventShift,
hpaTolerance when the chosen point works around the HPA's tolerance
(--predictive-tolerance, at a utilisation above 1/(1+tolerance)), timeZone
with a --time-zone other than UTC, the calendar's name and, with
--prometheus, the query.

When no point meets the SLO on the tuning window, tune says so, suggests
what to change and exits with status 3.`,
		Example: `  prescale tune --trace datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz \
      --time-col minute_start_edt --value-col count --tz America/New_York \
      --calendar datasets/calendars/nasa-1995.yaml --capacity-per-pod 10 --burn-in 7d \
      --startup 5m --slo 0.001 --holdout 7d
  prescale tune --prometheus http://prometheus:9090 --query 'sum(rate(http_requests_total{app="shop"}[2m]))' \
      --range 28d --step 1m --capacity-per-pod 50 --startup 2m --slo 0.001
  prescale tune --trace requests.csv --capacity-per-pod 50 --startup 2m --slo 0.0005 \
      --risks 0.9,0.95,0.99,0.995,0.999 --output markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runTune(cmd, &f) },
	}
	f.register(cmd.Flags())
	return cmd
}

// register adds simulate's scenario flags and tune's own to fs.
func (f *tuneFlags) register(fs *pflag.FlagSet) {
	all := pflag.NewFlagSet("simulate", pflag.ContinueOnError)
	f.sim.register(all)
	all.VisitAll(func(fl *pflag.Flag) {
		if slices.Contains(simulateOnlyFlags, fl.Name) {
			return
		}
		if u, ok := tuneUsage[fl.Name]; ok {
			fl.Usage = u
		}
		fs.AddFlag(fl)
	})
	// The HPA meets a tight SLO only at a low utilisation: sweep from 0.2.
	f.sim.frontier.reactive = slices.Clone(defaultTuneUtilisations)
	fs.Lookup("frontier-reactive").DefValue = "[" + joinKnobs(defaultTuneUtilisations) + "]"
	fs.Float64Var(&f.slo, "slo", 0.001, "target unserved fraction of the demand, in (0,1): 0.001 is 0.1 %")
	fs.StringVar(&f.holdout, "holdout", "7d", "the last part of the simulated trace, kept out of tuning and used to re-check the choice")
	fs.Float64SliceVar(&f.risks, "risks", defaultTuneRisks, "risk quantiles of the predictive policy to try, each in (0,0.999], at --predictive-utilization")
	f.utils = slices.Clone(defaultTuneHeadroom)
	fs.Var(optionalFloats(&f.utils), "utilizations",
		"lower target utilisations of the predictive policy to try at risk "+knobLabel(tuneHeadroomRisk)+", each in (0,1], for an SLO the risks alone cannot meet (--utilizations '' tries none)")
}

// validate checks the flags that need no data.
func (f *tuneFlags) validate() error {
	if err := f.sim.validate(); err != nil {
		return err
	}
	if len(f.sim.startups) != 1 {
		return fmt.Errorf("--startup: %d delays: tune takes one, such as 5m; run it once per delay", len(f.sim.startups))
	}
	if !(f.slo > 0 && f.slo < 1) {
		return fmt.Errorf("--slo: %v: use a target unserved fraction in (0,1), such as 0.001 for 0.1 %%", f.slo)
	}
	if _, err := positiveDuration("--holdout", f.holdout); err != nil {
		return err
	}
	if err := checkKnobs("--risks", f.risks, tuneRiskWant, func(v float64) bool { return v > 0 && v <= maxTuneRisk }); err != nil {
		return err
	}
	if len(f.utils) > 0 {
		if err := checkKnobs("--utilizations", f.utils, "target utilisations in (0,1]", validUtilisation); err != nil {
			return err
		}
	}
	return checkKnobs("--frontier-reactive", f.sim.frontier.reactive, "target utilisations in (0,1]", validUtilisation)
}

func runTune(cmd *cobra.Command, f *tuneFlags) error {
	if err := f.sim.keda.load(cmd, &f.sim); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return err
	}
	startups, _ := parseStartups(f.sim.startups)
	st := startups[0]
	f.sim.frontier.predictive = nil
	for _, r := range slices.Sorted(slices.Values(f.risks)) {
		f.sim.frontier.predictive = append(f.sim.frontier.predictive, predictivePoint{risk: r, utilisation: math.NaN()})
	}
	for _, u := range slices.Backward(slices.Sorted(slices.Values(f.utils))) {
		f.sim.frontier.predictive = append(f.sim.frontier.predictive, predictivePoint{risk: tuneHeadroomRisk, utilisation: u})
	}
	sc, err := f.sim.scenario(cmd.Context(), startups)
	if err != nil {
		return err
	}
	holdout, _ := positiveDuration("--holdout", f.holdout)
	tuning, hold, err := sc.splitHoldout(holdout, f.holdout)
	if err != nil {
		return err
	}
	rep, err := f.tune(cmd, tuning, hold, st)
	if err != nil {
		return err
	}
	if err := rep.write(cmd.OutOrStdout(), f.sim.output); err != nil {
		return err
	}
	if rep.predictive.tuned == nil {
		return ExitError{Code: 3, Err: fmt.Errorf("--slo: no point of --risks and --utilizations meets %s unserved on the tuning window: %s", percent(f.slo), rep.suggestion())}
	}
	return nil
}

// tune runs the frontier on the tuning window, chooses each curve's
// cheapest point meeting the SLO, and re-checks the choices on the
// holdout.
func (f *tuneFlags) tune(cmd *cobra.Command, tuning, hold *scenario, st startupSpec) (*tuneReport, error) {
	progress := wantProgress(cmd, f.sim.progress)
	began := time.Now()
	if progress {
		fmt.Fprintf(cmd.ErrOrStderr(), "tune: %d points over the tuning window's %d steps...\n",
			len(tuning.reactiveSweep().Values)+len(f.sim.frontier.predictive)+1, tuning.demand.Len())
	}
	var stats simulator.Comparison // the frontier notes its forecasts' counts in its parameters
	run, err := tuning.frontier(cmd.Context(), st, nil, &stats)
	if err != nil {
		return nil, err
	}
	rep := newTuneReport(tuning, hold, st, f.slo, run.Frontier)
	rep.parameters = rep.describe(tuning, stats.Parameters)
	if rep.predictive.tuned == nil {
		return rep, nil
	}
	if progress {
		fmt.Fprintf(cmd.ErrOrStderr(), "tune: tuned in %s; re-checking on the holdout's %d steps...\n",
			time.Since(began).Round(100*time.Millisecond), hold.demand.Len())
	}
	u := math.NaN()
	if p := rep.reactive.tuned; p != nil {
		u = p.Knob
	}
	fr, err := hold.recheck(cmd.Context(), st, u, *rep.predictive.tuned)
	if err != nil {
		return nil, fmt.Errorf("re-checking on the holdout: %w", err)
	}
	rep.recheck(fr)
	if err := rep.trigger(tuning, st); err != nil {
		return nil, err
	}
	if progress {
		fmt.Fprintf(cmd.ErrOrStderr(), "tune: done in %s\n", time.Since(began).Round(100*time.Millisecond))
	}
	return rep, nil
}

// splitHoldout returns sc over its tuning window, the simulated trace but
// its last holdout (text as given), and sc over the holdout, with the
// burn-in and the tuning window as the predictive policy's past.
func (sc *scenario) splitHoldout(holdout time.Duration, text string) (tuning, hold *scenario, err error) {
	y := sc.demand
	k := y.Len() - int((holdout+y.Step-1)/y.Step)
	if k < 1 {
		return nil, nil, fmt.Errorf("--holdout: %s leaves nothing of the %s simulated after --burn-in to tune on: give a shorter one",
			text, scaler.FormatDuration(time.Duration(y.Len())*y.Step))
	}
	t, h := *sc, *sc
	t.demand, h.demand = y.Slice(0, k), y.Slice(k, y.Len())
	h.past = timeseries.Series{Name: y.Name, Start: sc.past.Start, Step: y.Step,
		Values: append(slices.Clone(sc.past.Values), t.demand.Values...)}
	if sc.past.Len() == 0 {
		h.past.Start = y.Start
	}
	return &t, &h, nil
}

// recheck runs the reactive HPA at target utilisation u (not at all when
// u is NaN) and the predictive policy at the point p of its curve (a risk
// and a target utilisation) on sc's trace with the start-up st.
func (sc *scenario) recheck(ctx context.Context, st startupSpec, u float64, p simulator.CurvePoint) (simulator.Frontier, error) {
	s := sc.settings
	s.Pods.Startup = st.delay
	lead := st.p95 + sc.pred.leadMargin
	var sweeps []simulator.Sweep
	if !math.IsNaN(u) {
		reactive := sc.reactiveSweep()
		reactive.Values, reactive.Default = []float64{u}, u
		sweeps = append(sweeps, reactive)
	}
	sweeps = append(sweeps, simulator.Sweep{Name: predictiveCurve, Knob: predictiveKnobName, Values: []float64{p.Knob}, Default: p.Knob,
		Second: predictiveSecondName, Seconds: []float64{p.Second}, SecondDefault: sc.pred.utilisation,
		New: func(k, u float64) (simulator.Policy, error) {
			p, err := sc.predictiveAt(k, u, lead, sc.sharedForecaster(lead))
			if err != nil {
				return nil, err
			}
			return p, nil
		}})
	return simulator.RunFrontier(ctx, simulator.FrontierBase{Demand: sc.demand, Settings: s}, sweeps, 0)
}

// optionalFloats is a pflag.Value for a comma-separated list of numbers
// that may be empty (""), writing to dst.
func optionalFloats(dst *[]float64) *listFlag[float64] {
	return &listFlag[float64]{dst: dst, typ: "float64Slice", format: joinKnobs, empty: true,
		parse: func(s string) (float64, error) {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return 0, fmt.Errorf("%q is not a number", s)
			}
			return f, nil
		}}
}
