package simulator

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// WhatIf is a change to a scenario: more demand, an event moved, slower
// pods, a zone lost. The zero value changes nothing.
type WhatIf struct {
	// Scale multiplies the demand (2 doubles it); 0 leaves it unchanged.
	Scale float64
	// Shifts move parts of the demand in time, applied in order.
	Shifts []Shift
	// Startup, when not nil, replaces the pods' start-up delay.
	Startup Delay
	// ZoneLosses are added to the settings' zone losses.
	ZoneLosses []ZoneLoss
}

// Shift moves the demand of [From, To) by By (positive: later). The demand
// displaced from the destination takes the vacated place, in order: the
// span covering both is rotated, so the total demand is unchanged. From is
// rounded down and To up to the trace's grid; By must be a whole number of
// steps.
type Shift struct {
	// From and To bound the demand moved, To exclusive.
	From, To time.Time
	// By is the move, positive for later.
	By time.Duration
}

// ShiftOf returns the Shift moving the affected window of a calendar
// occurrence (its lead and lag included) by by.
func ShiftOf(o calendar.Occurrence, by time.Duration) Shift {
	return Shift{From: o.WindowStart(), To: o.WindowEnd(), By: by}
}

// Apply returns a copy of demand and of s with the changes made; demand and
// s are not modified. It returns an error naming the first invalid field.
func (w WhatIf) Apply(demand timeseries.Series, s Settings) (timeseries.Series, Settings, error) {
	if w.Scale < 0 || math.IsNaN(w.Scale) || math.IsInf(w.Scale, 0) {
		return timeseries.Series{}, Settings{}, fieldErr("whatIf.scale", "must be finite and not negative")
	}
	out := demand.Clone()
	if w.Scale != 0 {
		for i := range out.Values {
			out.Values[i] *= w.Scale
		}
	}
	for i, sh := range w.Shifts {
		if err := sh.apply(out); err != nil {
			return timeseries.Series{}, Settings{}, fmt.Errorf("whatIf.shifts[%d]: %w", i, err)
		}
	}
	if w.Startup != nil {
		s.Pods.Startup = w.Startup
	}
	s.ZoneLosses = append(slices.Clip(s.ZoneLosses), w.ZoneLosses...)
	return out, s, nil
}

// apply rotates the values of y in place.
func (sh Shift) apply(y timeseries.Series) error {
	from, to := y.Index(sh.From), y.Index(sh.To.Add(-1))+1
	switch {
	case sh.By%y.Step != 0:
		return fmt.Errorf("by %v: must be a whole number of %v steps", sh.By, y.Step)
	case !sh.To.After(sh.From):
		return fmt.Errorf("to must be after from")
	}
	by := int(sh.By / y.Step)
	lo, hi := min(from, from+by), max(to, to+by)
	if lo < 0 || hi > y.Len() {
		return fmt.Errorf("moved span [%v,%v) leaves the trace", y.Time(lo), y.Time(hi))
	}
	span := y.Values[lo:hi]
	if by > 0 {
		// the event [from,to) moves to the end of [lo,hi)
		slices.Reverse(span[:to-lo])
		slices.Reverse(span[to-lo:])
		slices.Reverse(span)
	} else if by < 0 {
		// the event moves to the start of [lo,hi)
		slices.Reverse(span[:from-lo])
		slices.Reverse(span[from-lo:])
		slices.Reverse(span)
	}
	return nil
}
