package cli

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// simulateFlags are the flags of prescale simulate.
type simulateFlags struct {
	trace       traceFlags
	capacity    float64
	policies    []string
	startups    []string
	utilisation float64
	seed        uint64
	price       float64
	minReplicas int
	maxReplicas int
	burnIn      string
	output      string
	timeline    string
	chart       string
	asserts     []string
	whatIf      whatIfFlags
	events      eventFlags
	predictive  predictiveFlags
	nodes       nodeFlags
	frontier    frontierFlags
	keda        kedaFlags
	progress    bool
}

// whatIfFlags change the scenario.
type whatIfFlags struct {
	scale         float64
	shiftEvents   string
	shiftCalendar bool
	zoneLosses    []string
}

// eventFlags say which calendar events set cron windows and floors.
type eventFlags struct {
	types        []string
	cronReplicas int
}

// predictiveFlags configure the predictive policy.
type predictiveFlags struct {
	model        string
	quantile     float64
	forecastStep string
	forecastAgg  string
	utilisation  float64
	leadMargin   string
	refit        string
	fitWindow    string
	risk         float64
	eventShift   string
	tolerance    float64
	timeZone     string
}

func newSimulateCommand() *cobra.Command {
	var f simulateFlags
	cmd := &cobra.Command{
		Use:   "simulate [--trace FILE] --capacity-per-pod X",
		Short: "Replay a trace through KEDA and the HPA under several policies and compare them",
		Long: `simulate replays a demand trace through a model of KEDA, the HPA and pod
start-up under each policy, and reports per policy the unserved demand, the
time under-provisioned, the pod-hours, the cost, the peak replicas and the
scale events, each also as a ratio to a perfect-foresight oracle.

Policies: reactive (the live metric at --target-utilization), cron (reactive
plus a KEDA cron floor over each calendar event), predictive (prescale's
decision function fed by forecasts refitted every --refit-interval on the
history seen so far only, with the calendar floors) and oracle. Append
@U to run a policy at utilisation U, such as reactive@0.5.

Cron windows and predictive floors: one per calendar occurrence of
--event-types, over its window (lead and lag included), opened the
predictive lead time early; --cron-replicas pods, or by default the pods the
highest demand seen before the window needs at the target utilisation, times
the event's expectedUplift.

What-ifs: --scale multiplies the demand; --shift-events moves the demand of
each event (the calendar keeps the planned time unless --shift-calendar);
--startup takes several delays (one table each); --zone-loss loses a share
of the pods at an instant. --burn-in keeps the start of the trace as history
only. --assert checks a figure (policy.metric OP number, metric names as in
the JSON) and exits with status 3 when one fails.

Frontier: --frontier judges each policy by its whole curve of unserved
demand against pod-hours instead of one operating point: reactive over
--frontier-reactive (target utilisations), predictive over
--frontier-predictive (its risk, each point optionally at its own target
utilisation: 0.98/0.7; the curve is the points' efficient envelope), every
point in parallel, the predictive points sharing their forecasts.
Predictive works around the HPA's tolerance with the running replicas
(--predictive-tolerance) wherever its utilisation leaves the tolerance no
room (above 1/(1+tolerance)), as the scaler does with hpaTolerance. At each reactive point it
reports predictive's unserved demand for the same pod-hours and the
pod-hours it saves for the same unserved demand, interpolated between
points and never extrapolated, then a summary at the reactive default
(--target-utilization) and over the curve; --assert then takes
frontier.predictive.METRIC with METRIC one of ` + strings.Join(simulator.FrontierMetricNames(), ", ") + `.
--frontier-chart draws the curves.

Nodes: by default nodes are unlimited and always ready, and cost =
pod-hours × --price-per-pod-hour. With --capacity-plan FILE --workload NAME
(or --pods-per-node N [--max-nodes N] [--node-price-per-hour X]) the pods
run in a node pool: the workload's pool in the plan, of its cheapest
instance type per replica (replicas per node after overhead and the
utilisation target), up to maxNodes × zones nodes (--max-nodes overrides).
A pod waits for a node with room; a new node takes --node-startup; a node's
worth of room unused for 10m is removed. Cost = node-hours × node price per
hour (node_hours in the JSON; starting nodes are billed); the oracle's
node-hours are its pod-hours / pods per node, a lower bound. The pool is
assumed to hold this workload only.`,
		Example: `  prescale simulate --trace datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz \
      --time-col minute_start_edt --value-col count --tz America/New_York \
      --calendar datasets/calendars/nasa-1995.yaml --event-types launch \
      --capacity-per-pod 10 --burn-in 7d --startup 2m,5m,10m
  prescale simulate --trace requests.csv --capacity-per-pod 50 --policies reactive,predictive,oracle \
      --output markdown --assert 'predictive.unserved_fraction < 0.001' \
      --assert 'predictive.pod_hours_vs_oracle <= 1.3'
  prescale simulate --trace requests.csv --capacity-per-pod 50 --startup 5m --frontier \
      --frontier-chart frontier.svg --assert 'frontier.predictive.max_unserved_ratio <= 0.5'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSimulate(cmd, &f) },
	}
	f.register(cmd.Flags())
	cmd.AddCommand(newLoadTestCommand())
	return cmd
}

// register adds the flags to fs.
func (f *simulateFlags) register(fs *pflag.FlagSet) {
	f.trace.register(fs)
	fs.Float64Var(&f.capacity, "capacity-per-pod", 0, "demand one ready pod serves, in the trace's unit (required)")
	fs.StringSliceVar(&f.policies, "policies", []string{"reactive", "cron", "predictive", "oracle"}, "policies to compare: reactive, cron, predictive, oracle, each optionally @utilisation")
	fs.BoolVar(&f.progress, "progress", false, "report each start-up's run on stderr (default: when stderr is a terminal)")
	fs.StringSliceVar(&f.startups, "startup", []string{"1m"}, "pod start-up delays, one comparison each: a duration (fixed) or P50/P95 (log-normal), such as 2m,5m or 40s/90s")
	fs.Float64Var(&f.utilisation, "target-utilization", simulator.DefaultUtilisation, "share of a pod's capacity the reactive and cron policies aim at, in (0,1]")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the runs' random source")
	fs.Float64Var(&f.price, "price-per-pod-hour", 0, "price of one pod for one hour, in $")
	fs.IntVar(&f.minReplicas, "min-replicas", 1, "minReplicaCount")
	fs.IntVar(&f.maxReplicas, "max-replicas", 100, "maxReplicaCount")
	fs.StringVar(&f.burnIn, "burn-in", "0", "length of the trace's start kept as history only (forecasts see it, nothing is scored)")
	fs.StringVar(&f.output, "output", "table", "output format: table, json or markdown")
	fs.StringVar(&f.timeline, "timeline", "", "CSV file to write the per-step timeline to (timestamp,policy,demand,desired_replicas,ready_replicas)")
	fs.StringVar(&f.chart, "chart", "", "SVG file to draw demand against served capacity per policy to")
	fs.StringArrayVar(&f.asserts, "assert", nil, "check such as 'predictive.unserved_fraction < 0.001' (repeatable); a failure exits with status 3")
	fs.Float64Var(&f.whatIf.scale, "scale", 0, "multiply the demand by this factor (6: six times the normal peak)")
	fs.StringVar(&f.whatIf.shiftEvents, "shift-events", "", "move the demand of each event by this duration (negative: earlier)")
	fs.BoolVar(&f.whatIf.shiftCalendar, "shift-calendar", false, "with --shift-events, move the calendar's events too (rescheduled, not late)")
	fs.StringArrayVar(&f.whatIf.zoneLosses, "zone-loss", nil, "lose a share of the pods at an instant: TIME[@FRACTION], fraction 1/3 by default (repeatable)")
	fs.StringSliceVar(&f.events.types, "event-types", nil, "calendar event types that set cron windows and predictive floors and that --shift-events moves (default: all)")
	fs.IntVar(&f.events.cronReplicas, "cron-replicas", 0, "replicas of every cron window and predictive floor (default: from the peak seen before the event)")
	f.predictive.register(fs)
	f.nodes.register(fs)
	f.frontier.register(fs)
	f.keda.register(fs)
}

// register adds the predictive policy's flags to fs.
func (f *predictiveFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.model, "model", simulator.DefaultPredictiveModel, "forecasting model of the predictive policy: "+strings.Join(forecast.ModelNames(), ", "))
	fs.Float64Var(&f.quantile, "quantile", simulator.DefaultQuantile, "forecast quantile the predictive policy provisions for, in [0.5,1)")
	fs.StringVar(&f.forecastStep, "forecast-step", shortDuration(simulator.DefaultForecastStep), "step the predictive policy forecasts at (a multiple of the trace's step; the trace's step when coarser)")
	fs.StringVar(&f.forecastAgg, "forecast-agg", "max", "how the trace's steps combine into a forecast step: max (the busiest step) or mean")
	fs.Float64Var(&f.utilisation, "predictive-utilization", 1, "share of a pod's capacity the predictive policy aims at, in (0,1]; the default, the full capacity, relies on --predictive-tolerance (with --predictive-tolerance 0, 1/(1+the HPA's tolerance) keeps the served value within the ready capacity)")
	fs.Float64Var(&f.tolerance, "predictive-tolerance", math.NaN(), "the HPA's scale-up tolerance the predictive policy works around with the running replicas, as the scaler's hpaTolerance: a value the HPA would leave alone is raised just past it; in [0,0.5], 0 for none")
	fs.Lookup("predictive-tolerance").DefValue = "the simulated HPA's (0.1)"
	fs.StringVar(&f.leadMargin, "lead-margin", shortDuration(simulator.DefaultLeadMargin), "added to the start-up time to make the predictive lead time (metric lag, KEDA poll, HPA sync)")
	fs.StringVar(&f.refit, "refit-interval", shortDuration(simulator.DefaultRefitInterval), "time between two forecasts of the predictive policy")
	fs.StringVar(&f.fitWindow, "fit-window", "28d", "history each forecast is fitted on")
	fs.Float64Var(&f.risk, "risk", simulator.DefaultRisk, "risk quantile of the predictive policy, in (0,1): the probability that the demand to come stays within what it serves (recent demand times the growth learned for the hour or the event); 0 serves the forecast peak and event floors instead")
	fs.StringVar(&f.eventShift, "event-shift", shortDuration(simulator.DefaultEventShift), "how early or late an event may run: the growth learned around its start is pooled over ±this")
	fs.StringVar(&f.timeZone, "time-zone", "UTC", "IANA time zone of the workload's daily and weekly cycle, such as Europe/Berlin, as the scaler's timeZone: the predictive policy counts the hours of its learned growth and forecasts on this clock, so that a rise that follows the clocks across a change to summer time is met at its hour")
}

// validate checks the flags that need no data.
func (f *simulateFlags) validate() error {
	if !(f.capacity > 0) || math.IsInf(f.capacity, 0) {
		return errors.New("--capacity-per-pod: required: give the demand one pod serves, a positive number in the trace's unit")
	}
	if !(f.utilisation > 0 && f.utilisation <= 1) {
		return fmt.Errorf("--target-utilization: %v: use a share in (0,1], such as 0.7", f.utilisation)
	}
	if !(f.price >= 0) || math.IsInf(f.price, 0) {
		return fmt.Errorf("--price-per-pod-hour: %v: use a price of 0 or more", f.price)
	}
	if f.minReplicas < 0 {
		return fmt.Errorf("--min-replicas: %d: use 0 or more", f.minReplicas)
	}
	if f.maxReplicas < max(f.minReplicas, 1) {
		return fmt.Errorf("--max-replicas: %d: use at least 1 and at least --min-replicas", f.maxReplicas)
	}
	switch f.output {
	case "table", "json", "markdown":
	default:
		return fmt.Errorf("--output: unknown format %q: use table, json or markdown", f.output)
	}
	if _, err := parsePolicies(f.policies); err != nil {
		return err
	}
	if _, err := parseStartups(f.startups); err != nil {
		return err
	}
	if len(f.startups) > 1 && (f.timeline != "" || f.chart != "") {
		flag := "--timeline"
		if f.timeline == "" {
			flag = "--chart"
		}
		return fmt.Errorf("%s: draws one start-up delay: give a single --startup", flag)
	}
	if _, err := parseAssertions(f.asserts); err != nil {
		return err
	}
	if _, err := nonNegativeDuration("--burn-in", f.burnIn); err != nil {
		return err
	}
	if err := f.whatIf.validate(); err != nil {
		return err
	}
	if err := f.nodes.validate(f.price); err != nil {
		return err
	}
	if f.events.cronReplicas < 0 {
		return fmt.Errorf("--cron-replicas: %d: use 0 (peak-based) or more", f.events.cronReplicas)
	}
	_, err := f.predictive.parse()
	return err
}

func (w whatIfFlags) validate() error {
	if w.scale < 0 || math.IsNaN(w.scale) || math.IsInf(w.scale, 0) {
		return fmt.Errorf("--scale: %v: use a positive factor such as 6", w.scale)
	}
	if w.shiftEvents != "" {
		if _, err := signedDuration(w.shiftEvents); err != nil {
			return fmt.Errorf("--shift-events: %q is not a duration: use one such as 2h or -30m", w.shiftEvents)
		}
	} else if w.shiftCalendar {
		return errors.New("--shift-calendar: only meaningful with --shift-events")
	}
	return nil
}

// predictiveSettings are the parsed predictive flags.
type predictiveSettings struct {
	model                        string
	quantile, utilisation        float64
	forecastStep                 time.Duration
	agg                          string
	leadMargin, refit, fitWindow time.Duration
	risk                         float64
	eventShift                   time.Duration
	tolerance                    float64
	timeZone                     *time.Location
}

func (f predictiveFlags) parse() (predictiveSettings, error) {
	s := predictiveSettings{model: f.model, quantile: f.quantile, utilisation: f.utilisation, agg: f.forecastAgg, risk: f.risk}
	if !(f.risk >= 0 && f.risk < 1) {
		return s, fmt.Errorf("--risk: %v: use a quantile in (0,1) such as 0.9, or 0 for the forecast peak and floors", f.risk)
	}
	if _, err := forecast.NewModel(f.model); err != nil {
		return s, fmt.Errorf("--model: %q is not a model: use one of %s", f.model, strings.Join(forecast.ModelNames(), ", "))
	}
	if !(f.quantile >= 0.5 && f.quantile < 1) {
		return s, fmt.Errorf("--quantile: %v: use a quantile in [0.5,1), such as 0.8", f.quantile)
	}
	if !(f.utilisation > 0 && f.utilisation <= 1) {
		return s, fmt.Errorf("--predictive-utilization: %v: use a share in (0,1]", f.utilisation)
	}
	if !math.IsNaN(f.tolerance) && !(f.tolerance >= 0 && f.tolerance <= policies.MaxTolerance) {
		return s, fmt.Errorf("--predictive-tolerance: %v: use a tolerance in [0,%g], such as 0.1", f.tolerance, policies.MaxTolerance)
	}
	s.tolerance = f.tolerance
	if f.forecastAgg != "max" && f.forecastAgg != "mean" {
		return s, fmt.Errorf("--forecast-agg: %q: use max or mean", f.forecastAgg)
	}
	var err error
	if s.forecastStep, err = positiveDuration("--forecast-step", f.forecastStep); err != nil {
		return s, err
	}
	if s.leadMargin, err = nonNegativeDuration("--lead-margin", f.leadMargin); err != nil {
		return s, err
	}
	if s.refit, err = positiveDuration("--refit-interval", f.refit); err != nil {
		return s, err
	}
	if s.eventShift, err = nonNegativeDuration("--event-shift", f.eventShift); err != nil {
		return s, err
	}
	if s.timeZone, err = timeZoneFlag("--time-zone", f.timeZone); err != nil {
		return s, err
	}
	s.fitWindow, err = positiveDuration("--fit-window", f.fitWindow)
	return s, err
}

// timeZoneFlag parses an IANA time zone flag; Local, the host's, is
// refused: a result must not depend on the machine.
func timeZoneFlag(flag, v string) (*time.Location, error) {
	loc, err := time.LoadLocation(v)
	if err != nil || v == "" || v == "Local" {
		return nil, fmt.Errorf("%s: %q: use an IANA time zone, such as Europe/Berlin or UTC", flag, v)
	}
	return loc, nil
}

// timeZoneUsage is the help of --time-zone on the forecasting commands.
const timeZoneUsage = "IANA time zone whose clock the series' daily and weekly cycle follows, such as Europe/Berlin: across a change to summer time the model is fitted and forecasts on its wall clock, so that the morning stays at its hour"

// positiveDuration parses a duration flag that must be positive.
func positiveDuration(flag, s string) (time.Duration, error) {
	d, err := parseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive duration: use one such as 10m, 1h or 28d", flag, s)
	}
	return d, nil
}

// nonNegativeDuration parses a duration flag that may be zero.
func nonNegativeDuration(flag, s string) (time.Duration, error) {
	d, err := parseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s: %q is not a duration: use one such as 0, 1m or 7d", flag, s)
	}
	return d, nil
}

// signedDuration parses a duration that may be negative, days included.
func signedDuration(s string) (time.Duration, error) {
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		d, err := parseDuration(rest)
		return -d, err
	}
	return parseDuration(s)
}
