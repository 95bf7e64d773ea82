package simulator

import (
	"math"
	"slices"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// FloorOptions says how EventFloors turns calendar occurrences into
// replica floors.
type FloorOptions struct {
	// Types are the event types that get a floor; empty means all.
	Types []string
	// Replicas, when positive, is every floor's replica count. Zero asks
	// for the peak-based default (see EventFloors).
	Replicas int
	// TargetPerPod is the demand one pod serves at the target utilisation,
	// in the demand's unit; the peak-based default divides by it.
	TargetPerPod float64
	// MaxReplicas caps the floors; 0 means no cap.
	MaxReplicas int
}

// EventFloors returns one floor per occurrence of the selected types,
// covering its affected window [WindowStart, WindowEnd). With
// opts.Replicas zero a floor holds the pods the highest demand seen before
// the window needs at the target, times the occurrence's Uplift (1 when
// the calendar gives none): ceil(max(Uplift,1) × peak / TargetPerPod). It is
// what an operator setting a cron floor from past peaks would choose, and
// it reads no demand at or after the window. An occurrence with no demand
// known before it gets no floor. Floors are in occurrence order.
func EventFloors(demand timeseries.Series, occ []calendar.Occurrence, opts FloorOptions) []policies.Floor {
	var out []policies.Floor
	for _, o := range occ {
		if len(opts.Types) > 0 && !slices.Contains(opts.Types, o.Type) {
			continue
		}
		n := opts.Replicas
		if n <= 0 {
			n = peakReplicas(demand, o, opts.TargetPerPod)
		}
		if opts.MaxReplicas > 0 {
			n = min(n, opts.MaxReplicas)
		}
		if n > 0 {
			out = append(out, policies.Floor{Event: o.Name, Start: o.WindowStart(), End: o.WindowEnd(), Replicas: n})
		}
	}
	return out
}

// peakReplicas is the peak-based floor of o: 0 when no demand is known
// before its window or the target is not positive.
func peakReplicas(demand timeseries.Series, o calendar.Occurrence, target float64) int {
	if !(target > 0) || demand.Step <= 0 {
		return 0
	}
	end := min(demand.Index(o.WindowStart()), demand.Len())
	if o.WindowStart().Before(demand.Start) {
		end = 0
	}
	peak := math.NaN()
	for _, v := range demand.Values[:max(end, 0)] {
		if !math.IsNaN(v) && (math.IsNaN(peak) || v > peak) {
			peak = v
		}
	}
	if !(peak > 0) {
		return 0
	}
	return int(math.Ceil(max(o.Uplift, 1) * peak / target))
}

// CronWindows turns floors into KEDA cron triggers that start lead before
// each floor's window, so that the pods they ask for are ready when it
// opens, as the predictive policy asks for a floor's pods LeadTime ahead.
func CronWindows(floors []policies.Floor, lead time.Duration) []CronWindow {
	out := make([]CronWindow, 0, len(floors))
	for _, f := range floors {
		if f.Replicas > 0 && f.End.After(f.Start) {
			out = append(out, CronWindow{Start: f.Start.Add(-lead), End: f.End, Replicas: f.Replicas})
		}
	}
	return out
}

// EventShifts returns the Shifts moving the demand of each occurrence of
// the selected types (all when types is empty) by by, for a WhatIf: the
// event happens by later (earlier when negative) than planned. Occurrences
// whose window, before or after the move, leaves the trace are skipped, as
// are ones overlapping a span already moved. moved is occ with the shifted
// occurrences moved: the calendar once the event was rescheduled.
func EventShifts(demand timeseries.Series, occ []calendar.Occurrence, types []string, by time.Duration) (shifts []Shift, moved []calendar.Occurrence) {
	moved = slices.Clone(occ)
	var taken []Shift
	for i, o := range occ {
		if len(types) > 0 && !slices.Contains(types, o.Type) {
			continue
		}
		sh := ShiftOf(o, by)
		lo, hi := sh.From, sh.To
		if by < 0 {
			lo = lo.Add(by)
		} else {
			hi = hi.Add(by)
		}
		if lo.Before(demand.Start) || hi.After(demand.End()) || overlapsAny(taken, lo, hi) {
			continue
		}
		taken = append(taken, Shift{From: lo, To: hi})
		shifts = append(shifts, sh)
		moved[i].Start, moved[i].End = o.Start.Add(by), o.End.Add(by)
	}
	return shifts, moved
}

func overlapsAny(spans []Shift, from, to time.Time) bool {
	for _, s := range spans {
		if s.From.Before(to) && from.Before(s.To) {
			return true
		}
	}
	return false
}
