package cli

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/capacity/planreport"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// resolvePlanSources reads the replicasFrom source of every workload that has
// one and sets its replicas in p. Errors name the planning file and the
// field.
func resolvePlanSources(ctx context.Context, c *capacity.Config, configPath string, p *capacity.Problem) ([]planreport.Source, error) {
	dir := filepath.Dir(configPath)
	var out []planreport.Source
	for i, ws := range c.Spec.Workloads {
		if ws.ReplicasFrom == nil {
			continue
		}
		src := planSource{rf: ws.ReplicasFrom.WithDefaults(), dir: dir, field: fmt.Sprintf("spec.workloads[%d].replicasFrom", i), timeline: c.Spec.Timeline}
		var s timeseries.Series
		var info planreport.Source
		var err error
		if src.rf.Trace != "" {
			s, info, err = src.forecast(ctx)
		} else {
			s, info, err = src.simulation()
		}
		if err != nil {
			return nil, withPlanFile(err, configPath)
		}
		r := capacity.SeriesReplicas(src.onPlanGrid(s))
		p.Workloads[i].Replicas = r
		info.Workload, info.PeakReplicas, info.Step = ws.Name, r.Peak(), planStep(s.Step)
		out = append(out, info)
	}
	return out, nil
}

// withPlanFile names the planning file in a field error.
func withPlanFile(err error, path string) error {
	if fe, ok := err.(*capacity.FieldError); ok && fe.File == "" {
		c := *fe
		c.File = path
		return &c
	}
	return err
}

// planSource is one workload's replicasFrom, with where to resolve its
// paths and the planning file's timeline.
type planSource struct {
	rf       capacity.ReplicasFrom
	dir      string
	field    string
	timeline *capacity.TimelineSpec
}

// fail returns an error about the source's field sub.
func (s planSource) fail(sub string, err error) error {
	return &capacity.FieldError{Field: s.field + "." + sub, Err: err}
}

// path resolves a file of the source against the planning file's
// directory.
func (s planSource) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.dir, filepath.FromSlash(p))
}

// forecast reads the trace, forecasts it and returns the demand in
// replicas (demand / capacityPerPod, not yet rounded): observed over the
// part of the timeline the trace covers, forecast after it.
func (s planSource) forecast(ctx context.Context) (timeseries.Series, planreport.Source, error) {
	rf := s.rf
	if _, err := forecast.NewModel(planModelName(rf.Model)); err != nil {
		return timeseries.Series{}, planreport.Source{}, s.fail("model", fmt.Errorf("%q is not a model: use one of %s", rf.Model, strings.Join(forecast.ModelNames(), ", ")))
	}
	y, err := s.readTrace()
	if err != nil {
		return timeseries.Series{}, planreport.Source{}, err
	}
	h, err := s.horizon(y)
	if err != nil {
		return timeseries.Series{}, planreport.Source{}, err
	}
	info := planreport.Source{Kind: "forecast", File: rf.Trace, Quantile: rf.Quantile, CapacityPerPod: rf.CapacityPerPod, ForecastFrom: y.End()}
	demand := s.history(y)
	if h > 0 {
		res, err := s.predict(ctx, y, h)
		if err != nil {
			return timeseries.Series{}, planreport.Source{}, err
		}
		info.Model = res.Model
		demand.Values = append(demand.Values, planQuantileBand(res, rf.Quantile)...)
	}
	for i, v := range demand.Values {
		demand.Values[i] = v / rf.CapacityPerPod
	}
	return demand, info, nil
}

// planModelName applies the default model.
func planModelName(m string) string {
	if m == "" {
		return "auto"
	}
	return m
}

// readTrace reads the trace (one series) and resamples it if asked.
func (s planSource) readTrace() (timeseries.Series, error) {
	loc, err := time.LoadLocation(s.rf.TimeZone)
	if err != nil {
		return timeseries.Series{}, s.fail("timeZone", err)
	}
	series, err := readPlanSeries(s.path(s.rf.Trace), timeseries.ReadOptions{TimeCol: s.rf.TimeCol, ValueCol: s.rf.ValueCol, Location: loc})
	if err != nil {
		return timeseries.Series{}, s.fail("trace", err)
	}
	y := series[0]
	if s.rf.Resample > 0 {
		if y, err = timeseries.Resample(y, time.Duration(s.rf.Resample), timeseries.AggMean); err != nil {
			return timeseries.Series{}, s.fail("resample", err)
		}
	}
	return y, nil
}

// horizon returns the forecast steps: replicasFrom.horizon, or up to the
// timeline's end (zero when the trace reaches it).
func (s planSource) horizon(y timeseries.Series) (int, error) {
	if d := time.Duration(s.rf.Horizon); d > 0 {
		if d%y.Step != 0 {
			return 0, s.fail("horizon", fmt.Errorf("%s is not a whole number of the trace's %s steps", d, y.Step))
		}
		return int(d / y.Step), nil
	}
	if s.timeline == nil {
		return 0, s.fail("horizon", fmt.Errorf("required without spec.timeline"))
	}
	left := s.timeline.End.Sub(y.End())
	if left <= 0 {
		return 0, nil
	}
	return int((left + y.Step - 1) / y.Step), nil
}

// history returns the observed part of y from the timeline's start on,
// empty without a timeline, as the start of the demand series.
func (s planSource) history(y timeseries.Series) timeseries.Series {
	out := timeseries.Series{Name: y.Name, Start: y.End(), Step: y.Step}
	if s.timeline == nil || !s.timeline.Start.Before(y.End()) {
		return out
	}
	i := max(0, y.Index(s.timeline.Start)) // the step holding the start
	out.Start = y.Time(i)
	out.Values = slices.Clone(y.Values[i:])
	return out
}

// predict forecasts h steps of y with the source's model, calendar and
// quantile's interval level.
func (s planSource) predict(ctx context.Context, y timeseries.Series, h int) (forecast.Result, error) {
	opts := forecast.Options{Model: planModelName(s.rf.Model), Level: planQuantileLevel(s.rf.Quantile)}
	if s.rf.Calendar != "" {
		cal, err := calendar.Load(s.path(s.rf.Calendar), calendar.LoadOptions{})
		if err != nil {
			return forecast.Result{}, s.fail("calendar", err)
		}
		opts.Events = cal.Occurrences(y.Start, y.Time(y.Len()+h))
	}
	res, err := forecast.Forecast(ctx, y, h, opts)
	if err != nil {
		return forecast.Result{}, s.fail("trace", fmt.Errorf("forecasting: %w", err))
	}
	return res, nil
}

// planQuantileLevel returns the interval level whose bound is the q-quantile:
// 2q-1 above the median, 1-2q below; zero (the default level, unused)
// for the median.
func planQuantileLevel(q float64) float64 {
	return math.Abs(2*q - 1)
}

// planQuantileBand returns the forecast's q-quantile: the point forecast for
// the median, the upper bound above it, the lower bound below it.
func planQuantileBand(res forecast.Result, q float64) []float64 {
	switch {
	case q > 0.5:
		return res.Upper
	case q < 0.5:
		return res.Lower
	}
	return res.Point
}

// simulation reads the simulator timeline's rows of the chosen policy.
func (s planSource) simulation() (timeseries.Series, planreport.Source, error) {
	opts := timeseries.ReadOptions{TimeCol: "timestamp", ValueCol: s.rf.Column, SeriesCol: "policy"}
	series, err := readPlanSeries(s.path(s.rf.Simulation), opts)
	if err != nil {
		return timeseries.Series{}, planreport.Source{}, s.fail("simulation", err)
	}
	var names []string
	for _, y := range series {
		if y.Name == s.rf.Policy {
			info := planreport.Source{Kind: "simulation", File: s.rf.Simulation, Policy: s.rf.Policy, Column: s.rf.Column}
			return y, info, nil
		}
		names = append(names, y.Name)
	}
	return timeseries.Series{}, planreport.Source{}, s.fail("policy", fmt.Errorf("no rows of policy %q in %s (policies: %s)", s.rf.Policy, s.rf.Simulation, strings.Join(names, ", ")))
}

// onPlanGrid keeps, for each step of the timeline, the largest replicas
// within it when the series is finer than the timeline and aligned with
// it, so that a plan holding for a step holds that step's peak.
func (s planSource) onPlanGrid(y timeseries.Series) timeseries.Series {
	t := s.timeline
	if t == nil || y.Step <= 0 {
		return y
	}
	step := time.Duration(t.Step)
	if step <= y.Step || step%y.Step != 0 || t.Start.UnixNano()%int64(step) != 0 {
		return y
	}
	out, err := timeseries.Resample(y, step, timeseries.AggMax)
	if err != nil {
		return y
	}
	return out
}

// readPlanSeries reads a trace file, decompressing .gz files.
func readPlanSeries(path string, opts timeseries.ReadOptions) ([]timeseries.Series, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var r io.Reader = fh
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(fh)
		if err != nil {
			return nil, fmt.Errorf("decompressing %q: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	return timeseries.Read(r, path, opts)
}

// planStep formats a step without zero trailing units: 15m, 1h, 1h30m.
func planStep(d time.Duration) string {
	s := d.String()
	s, _ = strings.CutSuffix(s, "m0s")
	if strings.HasSuffix(d.String(), "m0s") {
		s += "m"
	}
	s, _ = strings.CutSuffix(s, "h0m")
	if strings.HasSuffix(d.String(), "h0m0s") {
		s += "h"
	}
	return s
}
