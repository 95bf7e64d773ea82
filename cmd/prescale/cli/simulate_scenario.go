package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/simulator"
)

// scenario reads the trace and the calendar, splits off the burn-in,
// applies the what-ifs and derives the event floors.
func (f *simulateFlags) scenario(ctx context.Context, startups []startupSpec) (*scenario, error) {
	sc := &scenario{f: f, capacity: f.capacity}
	sc.pred, _ = f.predictive.parse()
	series, err := f.trace.read(ctx)
	if err != nil {
		return nil, err
	}
	if len(series) != 1 {
		return nil, fmt.Errorf("--trace: %d series in the file: simulate replays one", len(series))
	}
	y := series[0]
	if sc.resolution, err = forecastResolution(sc.pred.forecastStep, y.Step, f.predictive.forecastStep); err != nil {
		return nil, err
	}
	if err := sc.split(y); err != nil {
		return nil, err
	}
	longest := time.Duration(0)
	for _, st := range startups {
		longest = max(longest, st.p95)
	}
	after := int((sc.pred.refit+longest+sc.pred.leadMargin)/y.Step) + 2
	if sc.events, err = f.trace.events(series, []int{after}); err != nil {
		return nil, err
	}
	sc.settings = f.settings()
	if err := sc.applyWhatIfs(); err != nil {
		return nil, err
	}
	full := timeseries.Series{Name: y.Name, Start: sc.past.Start, Step: y.Step,
		Values: append(append([]float64(nil), sc.past.Values...), sc.demand.Values...)}
	if sc.past.Len() == 0 {
		full.Start = sc.demand.Start
	}
	sc.floors = simulator.EventFloors(full, sc.events, simulator.FloorOptions{
		Types: f.events.types, Replicas: f.events.cronReplicas,
		TargetPerPod: f.capacity * f.utilisation, MaxReplicas: f.maxReplicas,
	})
	return sc, nil
}

// forecastResolution returns the predictive forecast's step: 0 (the
// trace's own) when the trace is as coarse, else forecastStep, which must
// then be a multiple of the trace's step.
func forecastResolution(forecastStep, traceStep time.Duration, text string) (time.Duration, error) {
	if forecastStep <= traceStep {
		return 0, nil
	}
	if forecastStep%traceStep != 0 {
		return 0, fmt.Errorf("--forecast-step: %s is not a multiple of the trace's step %s", text, traceStep)
	}
	return forecastStep, nil
}

// split cuts the burn-in off y.
func (sc *scenario) split(y timeseries.Series) error {
	burn, _ := nonNegativeDuration("--burn-in", sc.f.burnIn)
	k := int((burn + y.Step - 1) / y.Step)
	if k >= y.Len() {
		return fmt.Errorf("--burn-in: %s leaves nothing of the trace's %d steps of %s to simulate", sc.f.burnIn, y.Len(), y.Step)
	}
	sc.past, sc.demand = y.Slice(0, k), y.Slice(k, y.Len())
	return nil
}

// settings returns the simulation settings of the flags, start-up aside.
func (f *simulateFlags) settings() simulator.Settings {
	s := simulator.DefaultSettings()
	s.Seed = f.seed
	s.Pods.Capacity = f.capacity
	s.Pods.PricePerHour = f.price
	s.KEDA.MinReplicaCount = f.minReplicas
	s.KEDA.MaxReplicaCount = f.maxReplicas
	s.Timeline = f.timeline != "" || f.chart != ""
	f.keda.apply(&s)
	return s
}

// applyWhatIfs scales and shifts the demand (the burn-in is scaled too) and
// adds the zone losses.
func (sc *scenario) applyWhatIfs() error {
	f := sc.f
	w := simulator.WhatIf{Scale: f.whatIf.scale}
	if f.whatIf.shiftEvents != "" {
		by, _ := signedDuration(f.whatIf.shiftEvents)
		if by%sc.demand.Step != 0 {
			return fmt.Errorf("--shift-events: %s is not a whole number of the trace's %s steps", f.whatIf.shiftEvents, sc.demand.Step)
		}
		shifts, moved := simulator.EventShifts(sc.demand, sc.events, f.events.types, by)
		if len(shifts) == 0 {
			return fmt.Errorf("--shift-events: no event of --event-types lies in the simulated trace with room to move it by %s", f.whatIf.shiftEvents)
		}
		w.Shifts = shifts
		if f.whatIf.shiftCalendar {
			sc.events = moved
		}
	}
	loc, _ := time.LoadLocation(f.trace.tz)
	for _, s := range f.whatIf.zoneLosses {
		z, err := parseZoneLoss(s, loc)
		if err != nil {
			return err
		}
		if z.At.Before(sc.demand.Start) || !z.At.Before(sc.demand.End()) {
			return fmt.Errorf("--zone-loss: %q is outside the simulated trace [%s, %s)", s, stamp(sc.demand.Start), stamp(sc.demand.End()))
		}
		w.ZoneLosses = append(w.ZoneLosses, z)
	}
	var err error
	if sc.demand, sc.settings, err = w.Apply(sc.demand, sc.settings); err != nil {
		return fmt.Errorf("applying the what-ifs: %w", err)
	}
	sc.past, _, err = simulator.WhatIf{Scale: f.whatIf.scale}.Apply(sc.past, sc.settings)
	return err
}

// comparison returns the Comparison's header: the trace and the settings.
func (sc *scenario) comparison() simulator.Comparison {
	f := sc.f
	c := simulator.Comparison{
		Trace: sc.demand.Name, Start: sc.demand.Start, Step: sc.demand.Step, Steps: sc.demand.Len(),
		CapacityPerPod: f.capacity, TargetUtilisation: f.utilisation, PricePerPodHour: f.price, Seed: f.seed,
	}
	add := func(name, value string) {
		c.Parameters = append(c.Parameters, simulator.Parameter{Name: name, Value: value})
	}
	add("replicas", fmt.Sprintf("%d..%d", f.minReplicas, f.maxReplicas))
	c.Parameters = append(c.Parameters, f.keda.parameters()...)
	if sc.past.Len() > 0 {
		add("burn_in", fmt.Sprintf("%d steps from %s", sc.past.Len(), stamp(sc.past.Start)))
	}
	p := sc.pred
	util := fmt.Sprintf("utilisation %.3g", p.utilisation)
	if tol := sc.toleranceAt(p.utilisation); tol > 0 {
		util += fmt.Sprintf(" with the HPA's tolerance %g worked around", tol)
	}
	if p.risk > 0 {
		hours := "per hour of the week"
		if p.timeZone != nil && p.timeZone != time.UTC {
			hours += " in " + p.timeZone.String()
		}
		add("predictive", fmt.Sprintf("risk %g: recent demand x the growth learned over the lead time (%s, of the day or pooled as the history chooses, per event type, event shift ±%s); %s, lead time start-up + %s, refit every %s on %s; model %s at quantile %g when the live demand is unknown",
			p.risk, hours, shortDuration(p.eventShift), util, shortDuration(p.leadMargin), shortDuration(p.refit), f.predictive.fitWindow, p.model, p.quantile))
	} else {
		add("predictive", fmt.Sprintf("model %s, quantile %g, forecast step %s (%s), %s, lead time start-up + %s, refit every %s on %s",
			p.model, p.quantile, shortDuration(p.forecastStep), p.agg, util, shortDuration(p.leadMargin), shortDuration(p.refit), f.predictive.fitWindow))
	}
	if f.trace.calendar != "" {
		types := "all"
		if len(f.events.types) > 0 {
			types = strings.Join(f.events.types, ",")
		}
		add("event_types", types)
		add("floors", describeFloors(sc))
	}
	if f.whatIf.scale != 0 {
		add("what_if.scale", strconv.FormatFloat(f.whatIf.scale, 'g', -1, 64))
	}
	if f.whatIf.shiftEvents != "" {
		add("what_if.shift_events", fmt.Sprintf("%s (calendar moved: %t)", f.whatIf.shiftEvents, f.whatIf.shiftCalendar))
	}
	for i, z := range sc.settings.ZoneLosses {
		add(fmt.Sprintf("what_if.zone_loss[%d]", i), fmt.Sprintf("%s, %.0f%% of the pods", stamp(z.At), 100*z.Fraction))
	}
	return c
}

// describeFloors lists the floors in the simulated trace.
func describeFloors(sc *scenario) string {
	var parts []string
	for _, fl := range sc.floors {
		if fl.End.After(sc.demand.Start) && fl.Start.Before(sc.demand.End()) {
			parts = append(parts, fmt.Sprintf("%s %s..%s: %d replicas", fl.Event, stamp(fl.Start), stamp(fl.End), fl.Replicas))
		}
	}
	if len(parts) == 0 {
		return "none in the simulated trace"
	}
	how := "peak-based"
	if sc.f.events.cronReplicas > 0 {
		how = "--cron-replicas"
	} else if sc.pred.risk > 0 {
		how = "peak-based, for the cron policy only (the risk-based predictive policy learns each event's growth instead)"
	}
	return how + ": " + strings.Join(parts, "; ")
}
