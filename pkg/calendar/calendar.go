package calendar

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"
)

// Calendar is a set of known events and holiday lists, expanded on demand
// into Occurrences. A Calendar is immutable and safe for concurrent use.
// The zero value is an empty calendar.
type Calendar struct {
	// Name is the calendar's metadata.name, or the file's base name.
	Name string

	events   []event
	holidays []holidaySource
}

// event is one validated event of a calendar.
type event struct {
	name, typ  string
	start, end time.Time // first instance, in the event's location
	wall       time.Duration
	lead, lag  time.Duration
	uplift     float64
	rule       rule        // nil: happens once
	until      time.Time   // instances starting at or after it are dropped; zero: none
	count      int         // instances kept; 0: all
	exclude    []time.Time // instance starts to skip (iCalendar EXDATE)
}

// Occurrences returns every occurrence whose affected window (Start-Lead to
// End+Lag) overlaps [from, to), sorted by Start, then End, Type and Name.
// It equals Expand except that an event or holiday list that would exceed
// MaxInstances is left out; callers asking for ranges beyond a few
// centuries, or that must know, use Expand.
func (c *Calendar) Occurrences(from, to time.Time) []Occurrence {
	occ, _ := c.Expand(from, to)
	return occ
}

// Expand is Occurrences with an error: an *ExpansionError wrapping
// ErrTooManyInstances for each event or holiday list that would need more
// than MaxInstances instances to cover [from, to). The occurrences of the
// other events are still returned.
func (c *Calendar) Expand(from, to time.Time) ([]Occurrence, error) {
	if c == nil || !from.Before(to) {
		return nil, nil
	}
	var occ []Occurrence
	var errs []error
	for i := range c.events {
		var err error
		occ, err = c.events[i].expand(occ, from, to)
		if err != nil {
			errs = append(errs, err)
		}
	}
	for i := range c.holidays {
		var err error
		occ, err = c.holidays[i].expand(occ, from, to)
		if err != nil {
			errs = append(errs, err)
		}
	}
	sortOccurrences(occ)
	return occ, errors.Join(errs...)
}

// sortOccurrences orders occurrences deterministically: by Start, then End,
// Type, Name, Lead, Lag and Uplift.
func sortOccurrences(occ []Occurrence) {
	slices.SortFunc(occ, compareOccurrences)
}

// compareOccurrences compares field by field, stopping at the first
// difference (cmp.Or would evaluate every comparison).
func compareOccurrences(a, b Occurrence) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	if c := a.End.Compare(b.End); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.Lead, b.Lead), cmp.Compare(a.Lag, b.Lag), cmp.Compare(a.Uplift, b.Uplift))
}

// Types returns the distinct occurrence types of the calendar, sorted.
func (c *Calendar) Types() []string {
	if c == nil {
		return nil
	}
	var types []string
	for _, e := range c.events {
		types = append(types, e.typ)
	}
	for _, h := range c.holidays {
		types = append(types, h.typ)
	}
	slices.Sort(types)
	return slices.Compact(types)
}

// Merge returns a calendar holding the events and holiday lists of all cals,
// named by their names joined with "+". Nil calendars are skipped. The
// inputs are not modified.
func Merge(cals ...*Calendar) *Calendar {
	out := &Calendar{}
	var names []string
	for _, c := range cals {
		if c == nil {
			continue
		}
		if c.Name != "" {
			names = append(names, c.Name)
		}
		out.events = append(out.events, c.events...)
		out.holidays = append(out.holidays, c.holidays...)
	}
	out.Name = strings.Join(names, "+")
	return out
}

// expand appends the occurrences of e overlapping [from, to) to occ.
func (e *event) expand(occ []Occurrence, from, to time.Time) ([]Occurrence, error) {
	if e.rule == nil {
		if o := e.occurrence(e.start); o.Overlaps(from, to) {
			occ = append(occ, o)
		}
		return occ, nil
	}
	var hint time.Time // instances starting before it end before from
	if e.count == 0 {
		hint = from.Add(-e.lag - e.wall - 2*day)
	}
	next := e.rule.iter(e.start, hint)
	kept := len(occ)
	for n := 0; e.count == 0 || n < e.count; n++ {
		if n >= MaxInstances {
			return occ[:kept], &ExpansionError{Event: e.name, Err: ErrTooManyInstances}
		}
		start, ok := next()
		if !ok || !e.until.IsZero() && !start.Before(e.until) {
			break
		}
		if e.excluded(start) {
			continue
		}
		o := e.occurrence(start)
		if !o.WindowStart().Before(to) {
			break
		}
		if o.Overlaps(from, to) {
			occ = append(occ, o)
		}
	}
	return occ, nil
}

// excluded reports whether an instance starting at start was removed.
func (e *event) excluded(start time.Time) bool {
	for _, x := range e.exclude {
		if x.Equal(start) {
			return true
		}
	}
	return false
}

// occurrence returns the instance of e starting at start, in UTC. It lasts
// e.wall in local wall-clock time, so an all-day event stays one calendar
// day across daylight-saving changes.
func (e *event) occurrence(start time.Time) Occurrence {
	end := e.end
	if !start.Equal(e.start) {
		end = addWall(start, e.wall)
	}
	if !end.After(start) {
		end = start.Add(e.wall)
	}
	return Occurrence{
		Name: e.name, Type: e.typ,
		Start: start.UTC(), End: end.UTC(),
		Lead: e.lead, Lag: e.lag, Uplift: e.uplift,
	}
}

// wallClock returns t's local wall-clock reading as a UTC instant, so that
// differences count wall-clock time.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// addWall adds d of wall-clock time to t in t's location.
func addWall(t time.Time, d time.Duration) time.Time {
	w := wallClock(t).Add(d)
	y, m, dd := w.Date()
	h, mi, s := w.Clock()
	return time.Date(y, m, dd, h, mi, s, w.Nanosecond(), t.Location())
}
