package calendar

import (
	"errors"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// icsEvent turns one VEVENT into an event.
type icsEvent struct {
	v     *ics.VEvent
	lines veventLines
	opts  *ICSOptions
	fe    *fieldErrors

	e            event
	uid          string
	recurrenceID time.Time // set on an override of one instance
	cancelled    bool
}

// prop returns the value of property name, or "".
func (x *icsEvent) prop(name ics.ComponentProperty) string {
	if p := x.v.GetProperty(name); p != nil {
		return p.Value
	}
	return ""
}

// fail records err against property name.
func (x *icsEvent) fail(name ics.ComponentProperty, err error) {
	x.fe.wrap(x.lines.field(string(name)), err)
}

// build fills x.e and reports whether the VEVENT was valid.
func (x *icsEvent) build() bool {
	n := len(x.fe.errs)
	x.uid = x.prop(ics.ComponentPropertyUniqueId)
	x.cancelled = strings.EqualFold(x.prop(ics.ComponentPropertyStatus), "CANCELLED")
	x.e = event{name: x.name(), typ: x.typ(), lead: x.opts.Lead, lag: x.opts.Lag}
	date := x.bounds()
	if p := x.v.GetProperty(ics.ComponentPropertyRecurrenceId); p != nil {
		ts, _, err := icsTimes(p, x.opts.Location)
		if err == nil && len(ts) != 1 {
			err = errors.New("must be one date or date-time")
		}
		if err != nil {
			x.fail(ics.ComponentPropertyRecurrenceId, err)
		} else {
			x.recurrenceID = ts[0]
		}
	} else if len(x.fe.errs) == n {
		x.recurrence(date)
	}
	return len(x.fe.errs) == n
}

// name returns SUMMARY, else UID, else "untitled event".
func (x *icsEvent) name() string {
	if s := strings.TrimSpace(ics.FromText(x.prop(ics.ComponentPropertySummary))); s != "" {
		return s
	}
	if x.uid != "" {
		return x.uid
	}
	return "untitled event"
}

// typ returns the type from the first CATEGORIES value or the default.
func (x *icsEvent) typ() string {
	if t := icsType(x.prop(ics.ComponentPropertyCategories)); t != "" {
		return t
	}
	return x.opts.DefaultType
}

// bounds reads DTSTART and DTEND or DURATION; date reports an all-day event.
func (x *icsEvent) bounds() (date bool) {
	p := x.v.GetProperty(ics.ComponentPropertyDtStart)
	if p == nil {
		x.fail(ics.ComponentPropertyDtStart, errors.New("required"))
		return false
	}
	ts, date, err := icsTimes(p, x.opts.Location)
	if err == nil && len(ts) != 1 {
		err = errors.New("must be one date or date-time")
	}
	if err != nil {
		x.fail(ics.ComponentPropertyDtStart, err)
		return false
	}
	start := ts[0]
	end, prop, err := x.end(start, date)
	if err != nil {
		x.fail(prop, err)
		return date
	}
	if err := checkLength(start, end); err != nil {
		x.fail(prop, err)
		return date
	}
	x.e.start, x.e.end = start, end
	x.e.wall = wallClock(end).Sub(wallClock(start))
	return date
}

// end reads the exclusive end from DTEND or DURATION, or the default: one
// day for an all-day event. prop names the property at fault on error.
func (x *icsEvent) end(start time.Time, date bool) (time.Time, ics.ComponentProperty, error) {
	dtend := x.v.GetProperty(ics.ComponentPropertyDtEnd)
	dur := x.v.GetProperty(ics.ComponentPropertyDuration)
	switch {
	case dtend != nil && dur != nil:
		return time.Time{}, ics.ComponentPropertyDuration, errors.New("set DTEND or DURATION, not both")
	case dtend != nil:
		ts, endDate, err := icsTimes(dtend, x.opts.Location)
		switch {
		case err != nil:
			return time.Time{}, ics.ComponentPropertyDtEnd, err
		case len(ts) != 1:
			return time.Time{}, ics.ComponentPropertyDtEnd, errors.New("must be one date or date-time")
		case endDate != date:
			return time.Time{}, ics.ComponentPropertyDtEnd, errors.New("must be a date when DTSTART is one, and a date-time otherwise")
		}
		return ts[0].In(start.Location()), ics.ComponentPropertyDtEnd, nil
	case dur != nil:
		days, d, err := icsDuration(dur.Value)
		if err != nil {
			return time.Time{}, ics.ComponentPropertyDuration, err
		}
		return start.AddDate(0, 0, days).Add(d), ics.ComponentPropertyDuration, nil
	case date:
		return start.AddDate(0, 0, 1), ics.ComponentPropertyDtStart, nil
	}
	return time.Time{}, ics.ComponentPropertyDtEnd, errors.New("required with a DTSTART date-time (or DURATION)")
}

// recurrence reads RRULE and EXDATE; RDATE and EXRULE are refused.
func (x *icsEvent) recurrence(date bool) {
	for _, p := range []ics.ComponentProperty{ics.ComponentPropertyRdate, ics.ComponentPropertyExrule} {
		if x.v.GetProperty(p) != nil {
			x.fail(p, errors.New("not supported"))
		}
	}
	rules := x.v.GetProperties(ics.ComponentPropertyRrule)
	if len(rules) == 0 {
		return
	}
	if len(rules) > 1 {
		x.fail(ics.ComponentPropertyRrule, errors.New("more than one RRULE"))
		return
	}
	opt, err := parseRRule(rules[0].Value, x.e.start)
	if err != nil {
		x.fail(ics.ComponentPropertyRrule, err)
		return
	}
	x.e.rule = rruleRule{opt: opt}
	for _, p := range x.v.GetProperties(ics.ComponentPropertyExdate) {
		ts, exDate, err := icsTimes(p, x.e.start.Location())
		if err != nil {
			x.fail(ics.ComponentPropertyExdate, err)
			return
		}
		for _, t := range ts {
			if exDate && !date { // a date excludes the instance of that day
				h, m, s := x.e.start.Clock()
				t = time.Date(t.Year(), t.Month(), t.Day(), h, m, s, 0, x.e.start.Location())
			}
			x.e.exclude = append(x.e.exclude, t)
		}
	}
}
