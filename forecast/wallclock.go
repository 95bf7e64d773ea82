package forecast

import (
	"context"
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// wallClock is a series moved onto the wall-clock grid of a time zone: the
// grid's instants are the zone's clock readings, written as UTC, so that
// its steps count the hours the zone's people live by. Where the clocks
// go forward a slot has no value (missing); where they go back two steps
// fall in one slot, which takes their mean.
type wallClock struct {
	loc  *time.Location
	w    timeseries.Series // the history on the wall-clock grid
	next []int             // next[k]: the wall-clock slot, counted from w's end, of the step k after the history
}

// onWallClock returns y moved onto loc's wall-clock grid, with the slots of
// the h steps after it, and true; false when nothing would change (no
// change of loc's offset from y's first step to h steps after its last)
// or when a change is not a whole number of steps (daily data across
// summer time), which leaves the grid as it is.
func onWallClock(y timeseries.Series, h int, loc *time.Location) (wallClock, bool) {
	if loc == nil || loc == time.UTC || y.Step <= 0 || y.Len() == 0 {
		return wallClock{}, false
	}
	first, last := y.Start, y.Time(y.Len()+h-1)
	_, off0 := first.In(loc).Zone()
	changed := false
	for t := first; !t.After(last); {
		lt := t.In(loc)
		if _, off := lt.Zone(); off != off0 {
			changed = true
			if time.Duration(off-off0)*time.Second%y.Step != 0 {
				return wallClock{}, false
			}
		}
		_, end := lt.ZoneBounds()
		if end.IsZero() || !end.After(t) {
			break
		}
		t = end
	}
	if !changed {
		return wallClock{}, false
	}
	wallStart := wallTime(first, loc)
	slot := func(t time.Time) int { return int(wallTime(t, loc).Sub(wallStart) / y.Step) }
	n := slot(y.Time(y.Len()-1)) + 1
	sum, cnt := make([]float64, n), make([]float64, n)
	for i, v := range y.Values {
		if j := slot(y.Time(i)); j >= 0 && j < n && !math.IsNaN(v) {
			sum[j] += v
			cnt[j]++
		}
	}
	wc := wallClock{loc: loc, w: timeseries.Series{Name: y.Name, Start: wallStart, Step: y.Step, Values: sum}}
	for j := range sum {
		if cnt[j] > 0 {
			sum[j] /= cnt[j]
		} else {
			sum[j] = math.NaN()
		}
	}
	wc.next = make([]int, h)
	for k := range wc.next {
		wc.next[k] = max(slot(y.Time(y.Len()+k))-n, 0)
	}
	return wc, true
}

// wallTime returns the reading of loc's clock at t, as a UTC instant.
func wallTime(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), lt.Nanosecond(), time.UTC)
}

// horizon returns the wall-clock steps that cover the steps after the
// history.
func (c wallClock) horizon() int {
	h := 0
	for _, j := range c.next {
		h = max(h, j+1)
	}
	return h
}

// events returns the occurrences with their times on the wall-clock grid.
func (c wallClock) events(occ []calendar.Occurrence) []calendar.Occurrence {
	if len(occ) == 0 {
		return nil
	}
	out := make([]calendar.Occurrence, len(occ))
	for i, o := range occ {
		o.Start, o.End = wallTime(o.Start, c.loc), wallTime(o.End, c.loc)
		out[i] = o
	}
	return out
}

// back returns the values of the wall-clock forecast v at the steps after
// the history.
func (c wallClock) back(v []float64) []float64 {
	if v == nil {
		return nil
	}
	out := make([]float64, len(c.next))
	for k, j := range c.next {
		out[k] = v[j]
	}
	return out
}

// predictIn is predict with the daily and weekly cycle read on loc's clock
// (see Options.Location): when loc's offset changes over y and the
// horizon, the model is fitted and forecasts on the wall-clock grid, and
// the forecast is read back at y's steps.
func predictIn(ctx context.Context, model Model, y timeseries.Series, h int, level float64, events []calendar.Occurrence, loc *time.Location) (prediction, error) {
	c, ok := onWallClock(y, h, loc)
	if !ok {
		return predict(ctx, model, y, h, level, events)
	}
	p, err := predict(ctx, model, c.w, c.horizon(), level, c.events(events))
	if err != nil {
		return prediction{}, err
	}
	p.point, p.lower, p.upper = c.back(p.point), c.back(p.lower), c.back(p.upper)
	return p, nil
}
