package calendar

import (
	"strings"
	"time"
)

// build validates r and sets the rule and bounds of e, whose start is set.
func (r *RecurrenceSpec) build(path string, e *event, fe *fieldErrors) {
	var kinds []string
	yearly := r.Yearly != nil && r.Yearly.Enabled
	if yearly {
		kinds = append(kinds, "yearly")
	}
	if !r.DateRule.isZero() {
		kinds = append(kinds, "month/day/weekday/week")
	}
	if r.RRule != "" {
		kinds = append(kinds, "rrule")
	}
	switch {
	case len(kinds) == 0:
		fe.add(path, "needs one of yearly, month/day/weekday/week or rrule")
		return
	case len(kinds) > 1:
		fe.add(path, "set only one of %s", strings.Join(kinds, ", "))
		return
	}
	switch {
	case yearly && r.Yearly.DateRule.isZero():
		e.rule = yearlyDate{month: e.start.Month(), day: e.start.Day()}
	case yearly:
		e.rule = r.Yearly.DateRule.build(path+".yearly", fe)
	case r.RRule != "":
		e.rule = r.buildRRule(path, e.start, fe)
	default:
		e.rule = r.DateRule.build(path, fe)
	}
	r.bounds(path, e, fe)
}

// buildRRule parses the rrule field, which may not bound itself when
// until or count is set.
func (r *RecurrenceSpec) buildRRule(path string, start time.Time, fe *fieldErrors) rule {
	opt, err := parseRRule(r.RRule, start)
	if err != nil {
		fe.wrap(path+".rrule", err)
		return nil
	}
	if (opt.Count != 0 || !opt.Until.IsZero()) && (r.Count != nil || r.Until != "") {
		fe.add(path+".rrule", "sets COUNT or UNTIL: do not also set until or count")
		return nil
	}
	return rruleRule{opt: opt}
}

// bounds reads until and count into e.
func (r *RecurrenceSpec) bounds(path string, e *event, fe *fieldErrors) {
	if r.Count != nil {
		if *r.Count < 1 {
			fe.add(path+".count", "must be at least 1, got %d", *r.Count)
		}
		e.count = *r.Count
	}
	if r.Until == "" {
		return
	}
	loc := e.start.Location()
	until, date, err := parseTime(r.Until, loc)
	switch {
	case err != nil:
		fe.wrap(path+".until", err)
		return
	case date:
		until = nextDay(until, loc)
	default:
		until = until.Add(time.Nanosecond) // until itself may start an instance
	}
	if !until.After(e.start) {
		fe.add(path+".until", "must not be before start")
	}
	e.until = until
}

// build validates a yearly date rule under path and returns it.
func (d DateRule) build(path string, fe *fieldErrors) rule {
	n := len(fe.errs)
	if d.Month < 1 || d.Month > 12 {
		fe.add(path+".month", "must be 1..12, got %d", d.Month)
	}
	var wd time.Weekday
	switch {
	case d.Day != 0 && (d.Weekday != "" || d.Week != 0):
		fe.add(path, "set either day, or weekday and week")
	case d.Day != 0:
		if max := maxDay(d.Month); d.Day < 1 || d.Day > max {
			fe.add(path+".day", "must be 1..%d, got %d", max, d.Day)
		}
	case d.Weekday == "" && d.Week == 0:
		fe.add(path+".day", "required, or weekday and week")
	default:
		if d.Weekday == "" {
			fe.add(path+".weekday", "required with week")
		} else if w, err := parseWeekday(d.Weekday); err != nil {
			fe.wrap(path+".weekday", err)
		} else {
			wd = w
		}
		if d.Week < -1 || d.Week == 0 || d.Week > 5 {
			fe.add(path+".week", "must be 1..5 or -1, got %d", d.Week)
		}
	}
	if len(fe.errs) > n {
		return nil
	}
	if d.Day != 0 {
		return yearlyDate{month: time.Month(d.Month), day: d.Day}
	}
	return nthWeekday{month: time.Month(d.Month), weekday: wd, week: d.Week}
}

// maxDay returns the most days month m ever has (29 for February), or 31
// for an invalid month.
func maxDay(m int) int {
	if m < 1 || m > 12 {
		return 31
	}
	return daysIn(2000, time.Month(m))
}
