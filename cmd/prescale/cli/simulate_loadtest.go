package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/simulator"
)

// loadTestFlags are the flags of prescale simulate loadtest.
type loadTestFlags struct {
	trace                   traceFlags
	capacity, utilisation   float64
	quantile, overload      float64
	latency, horizon, model string
	rateUnit, ramp, stage   string
	hold, output            string
	maxReplicas             int
}

func newLoadTestCommand() *cobra.Command {
	var f loadTestFlags
	cmd := &cobra.Command{
		Use:   "loadtest [--trace FILE] --capacity-per-pod X --latency-target D",
		Short: "Check a load test's measured capacity against the forecast peak and emit a k6 or JMeter profile",
		Long: `loadtest forecasts the horizon after the trace (with --calendar, the known
events included) at --quantile and checks the plan against its peak: the
replicas the peak needs at --target-utilization of the per-pod capacity the
load test measured at its latency target must fit under --max-replicas, and
each pod's load must stay under that capacity. It reports the margins, and
with --output k6 or jmeter emits a load profile shaped on the forecast ramp
to the peak: stages of --stage from --ramp before it, a --hold at the peak
times 1+--overload, and a ramp down. A plan that does not hold exits with
status 3.`,
		Example: `  prescale simulate loadtest --trace datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz \
      --time-col minute_start_edt --value-col count --tz America/New_York \
      --resample 5m --resample-agg mean --calendar datasets/calendars/nasa-1995.yaml \
      --capacity-per-pod 10 --latency-target 300ms --max-replicas 40 --rate-unit 1m --output k6`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLoadTest(cmd, &f) },
	}
	fs := cmd.Flags()
	f.trace.register(fs)
	fs.Float64Var(&f.capacity, "capacity-per-pod", 0, "demand one pod served in the load test at the latency target, in the trace's unit (required)")
	fs.StringVar(&f.latency, "latency-target", "", "latency objective the capacity was measured at, such as 300ms (required)")
	fs.IntVar(&f.maxReplicas, "max-replicas", 100, "the plan's maxReplicaCount")
	fs.Float64Var(&f.utilisation, "target-utilization", simulator.DefaultUtilisation, "share of the capacity the autoscaler aims at, in (0,1]")
	fs.StringVar(&f.horizon, "horizon", "7d", "how far to forecast: a duration or a number of steps")
	fs.Float64Var(&f.quantile, "quantile", 0.95, "forecast quantile taken as the peak, in [0.5,1)")
	fs.StringVar(&f.model, "model", simulator.DefaultPredictiveModel, "forecasting model: "+strings.Join(forecast.ModelNames(), ", "))
	fs.StringVar(&f.output, "output", "table", "output: table, json, k6 (a script's options) or jmeter (a Throughput Shaping Timer CSV)")
	fs.StringVar(&f.rateUnit, "rate-unit", "1s", "time unit of the trace's values: 1s for requests/s, 1m for requests/min")
	fs.StringVar(&f.ramp, "ramp", "1h", "how long before the peak the profile starts")
	fs.StringVar(&f.stage, "stage", "5m", "length of each ramp stage")
	fs.StringVar(&f.hold, "hold", "10m", "how long the profile holds the peak")
	fs.Float64Var(&f.overload, "overload", 0, "extra share above the peak to hold, such as 0.2 for 20%")
	return cmd
}

// loadTestSettings are the parsed flags.
type loadTestSettings struct {
	latency time.Duration
	profile simulator.ProfileOptions
}

func (f *loadTestFlags) validate() (loadTestSettings, error) {
	var s loadTestSettings
	var err error
	switch {
	case !(f.capacity > 0) || math.IsInf(f.capacity, 0):
		return s, errors.New("--capacity-per-pod: required: give the demand one pod served in the load test, a positive number")
	case f.latency == "":
		return s, errors.New("--latency-target: required: give the latency the capacity was measured at, such as 300ms")
	case f.maxReplicas < 1:
		return s, fmt.Errorf("--max-replicas: %d: use at least 1", f.maxReplicas)
	case !(f.utilisation > 0 && f.utilisation <= 1):
		return s, fmt.Errorf("--target-utilization: %v: use a share in (0,1], such as 0.7", f.utilisation)
	case !(f.quantile >= 0.5 && f.quantile < 1):
		return s, fmt.Errorf("--quantile: %v: use a quantile in [0.5,1), such as 0.95", f.quantile)
	case !(f.overload >= 0) || math.IsInf(f.overload, 0):
		return s, fmt.Errorf("--overload: %v: use a share of 0 or more, such as 0.2", f.overload)
	}
	if _, err := forecast.NewModel(f.model); err != nil {
		return s, fmt.Errorf("--model: %q is not a model: use one of %s", f.model, strings.Join(forecast.ModelNames(), ", "))
	}
	switch f.output {
	case "table", "json", "k6", "jmeter":
	default:
		return s, fmt.Errorf("--output: unknown format %q: use table, json, k6 or jmeter", f.output)
	}
	if s.latency, err = positiveDuration("--latency-target", f.latency); err != nil {
		return s, err
	}
	p := &s.profile
	if p.RateUnit, err = positiveDuration("--rate-unit", f.rateUnit); err != nil {
		return s, err
	}
	if p.Ramp, err = nonNegativeDuration("--ramp", f.ramp); err != nil {
		return s, err
	}
	if p.Step, err = positiveDuration("--stage", f.stage); err != nil {
		return s, err
	}
	if p.Hold, err = nonNegativeDuration("--hold", f.hold); err != nil {
		return s, err
	}
	p.Overload = f.overload
	return s, nil
}

func runLoadTest(cmd *cobra.Command, f *loadTestFlags) error {
	s, err := f.validate()
	if err != nil {
		return err
	}
	series, err := f.trace.read(cmd.Context())
	if err != nil {
		return err
	}
	if len(series) != 1 {
		return fmt.Errorf("--trace: %d series in the file: loadtest plans for one", len(series))
	}
	horizons, err := horizonSteps(f.horizon, series)
	if err != nil {
		return err
	}
	events, err := f.trace.events(series, horizons)
	if err != nil {
		return err
	}
	rep, err := simulator.PlanLoadTest(cmd.Context(), series[0], simulator.LoadTestConfig{
		CapacityPerPod: f.capacity, LatencyTarget: s.latency, Utilisation: f.utilisation,
		MaxReplicas: f.maxReplicas, Horizon: horizons[0], Quantile: f.quantile,
		Forecast: forecast.Options{Model: f.model, Events: events},
	})
	if err != nil {
		return err
	}
	prof, err := rep.Profile(s.profile)
	if err != nil {
		return err
	}
	if err := writeLoadTest(cmd.OutOrStdout(), f.output, rep, prof); err != nil {
		return err
	}
	if !rep.Holds {
		return ExitError{Code: 3, Err: errors.New(rep.Verdict())}
	}
	return nil
}

func writeLoadTest(w io.Writer, output string, rep simulator.LoadTestReport, prof simulator.Profile) error {
	comment := fmt.Sprintf("Load profile from prescale: forecast peak %.4g per %s at %s (quantile %g, model %s).\n%s.",
		rep.PeakDemand, shortUnit(prof.RateUnit), stamp(rep.PeakAt), rep.Config.Quantile, rep.Model, rep.Verdict())
	switch output {
	case "k6":
		return simulator.WriteK6(w, prof, comment)
	case "jmeter":
		return simulator.WriteJMeter(w, prof)
	case "json":
		return writeLoadTestJSON(w, rep, prof)
	}
	c := rep.Config
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n\nforecast peak\t%.4g at %s (point %.4g; quantile %g, model %s)\n", rep.Verdict(), rep.PeakDemand, stamp(rep.PeakAt), rep.PeakPoint, c.Quantile, rep.Model)
	fmt.Fprintf(tw, "replicas at peak\t%d of max %d (margin %d)\n", rep.ReplicasAtPeak, c.MaxReplicas, rep.ReplicaMargin)
	fmt.Fprintf(tw, "load per pod\t%.4g of the measured %.4g at %s (%.0f%%)\n", rep.PerPodLoad, c.CapacityPerPod, c.LatencyTarget, 100*rep.PerPodLoad/c.CapacityPerPod)
	fmt.Fprintf(tw, "capacity margin\t%.0f%% more demand fits at max replicas\n", 100*rep.CapacityMargin)
	fmt.Fprintf(tw, "\nload profile, requests per %s, from %s:\n", shortUnit(prof.RateUnit), number(prof.StartRate))
	for _, st := range prof.Stages {
		fmt.Fprintf(tw, "  %s\tto %s\n", shortDuration(st.Duration), number(st.Target))
	}
	return tw.Flush()
}

// shortDuration formats d without zero units: 5m, 1h30m, 90s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// shortUnit names a rate unit: s, min or a duration.
func shortUnit(d time.Duration) string {
	switch d {
	case time.Second:
		return "s"
	case time.Minute:
		return "min"
	}
	return d.String()
}

type loadTestJSON struct {
	Holds          bool        `json:"holds"`
	Verdict        string      `json:"verdict"`
	Model          string      `json:"model"`
	Quantile       float64     `json:"quantile"`
	PeakAt         string      `json:"peak_at"`
	PeakDemand     jsonNumber  `json:"peak_demand"`
	PeakPoint      jsonNumber  `json:"peak_point"`
	CapacityPerPod float64     `json:"capacity_per_pod"`
	LatencyTarget  string      `json:"latency_target"`
	Utilisation    float64     `json:"target_utilisation"`
	MaxReplicas    int         `json:"max_replicas"`
	ReplicasAtPeak int         `json:"replicas_at_peak"`
	ReplicaMargin  int         `json:"replica_margin"`
	PerPodLoad     jsonNumber  `json:"per_pod_load"`
	CapacityMargin jsonNumber  `json:"capacity_margin"`
	RateUnit       string      `json:"rate_unit"`
	StartRate      jsonNumber  `json:"start_rate"`
	VUs            int         `json:"vus"`
	Stages         []stageJSON `json:"stages"`
}

type stageJSON struct {
	Duration string     `json:"duration"`
	Target   jsonNumber `json:"target"`
}

func writeLoadTestJSON(w io.Writer, rep simulator.LoadTestReport, prof simulator.Profile) error {
	c := rep.Config
	out := loadTestJSON{
		Holds: rep.Holds, Verdict: rep.Verdict(), Model: rep.Model, Quantile: c.Quantile,
		PeakAt: stamp(rep.PeakAt), PeakDemand: jsonNumber(rep.PeakDemand), PeakPoint: jsonNumber(rep.PeakPoint),
		CapacityPerPod: c.CapacityPerPod, LatencyTarget: c.LatencyTarget.String(), Utilisation: c.Utilisation,
		MaxReplicas: c.MaxReplicas, ReplicasAtPeak: rep.ReplicasAtPeak, ReplicaMargin: rep.ReplicaMargin,
		PerPodLoad: jsonNumber(rep.PerPodLoad), CapacityMargin: jsonNumber(rep.CapacityMargin),
		RateUnit: prof.RateUnit.String(), StartRate: jsonNumber(prof.StartRate), VUs: prof.VUs,
	}
	for _, st := range prof.Stages {
		out.Stages = append(out.Stages, stageJSON{st.Duration.String(), jsonNumber(st.Target)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
