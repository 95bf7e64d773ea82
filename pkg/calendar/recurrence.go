package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// rule yields the local start times of a recurring event's instances.
type rule interface {
	// iter returns an iterator over the instance starts of an event whose
	// first instance starts at first, in increasing order. It reports false
	// when there are no more. If hint is after first, the iterator may skip
	// instances starting before hint: it does so only for rules without a
	// count, where skipping cannot change which instances follow.
	iter(first, hint time.Time) func() (time.Time, bool)
}

// yearlyDate repeats on a fixed month and day every year; years without
// that day (February 29) are skipped.
type yearlyDate struct {
	month time.Month
	day   int
}

func (r yearlyDate) iter(first, _ time.Time) func() (time.Time, bool) {
	return yearly(first, func(y int) (int, bool) {
		return r.day, r.day <= daysIn(y, r.month)
	}, r.month)
}

// nthWeekday repeats on the week-th weekday of a month every year, the
// last one when week is -1; years without a 5th such weekday are skipped.
type nthWeekday struct {
	month   time.Month
	weekday time.Weekday
	week    int
}

func (r nthWeekday) iter(first, _ time.Time) func() (time.Time, bool) {
	return yearly(first, func(y int) (int, bool) {
		return weekdayInMonth(y, r.month, r.weekday, r.week)
	}, r.month)
}

// yearly iterates over years from first's, asking dayOf for the day of
// month in each year, at first's time of day, skipping dates before first's.
func yearly(first time.Time, dayOf func(year int) (int, bool), m time.Month) func() (time.Time, bool) {
	loc := first.Location()
	fy, fm, fd := first.Date()
	h, mi, s := first.Clock()
	y := fy
	return func() (time.Time, bool) {
		for ; y <= maxYear; y++ {
			d, ok := dayOf(y)
			if !ok || y == fy && (m < fm || m == fm && d < fd) {
				continue
			}
			t := time.Date(y, m, d, h, mi, s, first.Nanosecond(), loc)
			y++
			return t, true
		}
		return time.Time{}, false
	}
}

// daysIn returns the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// weekdayInMonth returns the day of month of the n-th wd of month m in year
// y (n = 1..5, or -1 for the last), and false if there is none.
func weekdayInMonth(y int, m time.Month, wd time.Weekday, n int) (int, bool) {
	last := daysIn(y, m)
	if n == -1 {
		lw := time.Date(y, m, last, 0, 0, 0, 0, time.UTC).Weekday()
		return last - (int(lw-wd)+7)%7, true
	}
	fw := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Weekday()
	d := 1 + (int(wd-fw)+7)%7 + 7*(n-1)
	return d, d <= last
}

// rruleRule repeats by an RFC 5545 rule whose DTSTART is the first instance.
type rruleRule struct {
	opt rrule.ROption
}

func (r rruleRule) iter(first, hint time.Time) func() (time.Time, bool) {
	opt := r.opt
	opt.Dtstart = first
	rr, err := rrule.NewRRule(opt)
	if err != nil { // parseRRule checked the options.
		return func() (time.Time, bool) { return time.Time{}, false }
	}
	// rr.Options holds the BY* parts that defaulted from first; with them
	// spelled out, a rule restarted at a later period start yields the same
	// instances from there on.
	if start, ok := periodStart(rr.Options, first, hint); ok {
		later := rr.Options
		later.Dtstart = start
		if skipped, err := rrule.NewRRule(later); err == nil {
			return skipped.Iterator()
		}
	}
	return rr.Iterator()
}

// periodStart returns the start of the rule's period (year, month, week
// from WKST, or day) holding hint, at first's time of day, when iteration
// may begin there instead of at first: the rule has no COUNT, an INTERVAL
// of 1, and that period start is after first.
func periodStart(o rrule.ROption, first, hint time.Time) (time.Time, bool) {
	if o.Count != 0 || o.Interval > 1 || !hint.After(first) {
		return time.Time{}, false
	}
	loc := first.Location()
	y, m, d := hint.In(loc).Date()
	switch o.Freq {
	case rrule.YEARLY:
		m, d = time.January, 1
	case rrule.MONTHLY:
		d = 1
	case rrule.WEEKLY:
		wkst := time.Weekday((o.Wkst.Day() + 1) % 7) // rrule counts from Monday
		wd := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()
		d -= (int(wd-wkst) + 7) % 7
	}
	h, mi, s := first.Clock()
	t := time.Date(y, m, d, h, mi, s, first.Nanosecond(), loc)
	return t, t.After(first)
}

// parseRRule reads an RFC 5545 RRULE value (an "RRULE:" prefix allowed)
// whose local times are in loc, and checks that its instances are at most
// daily and that it matches some date on or after first.
func parseRRule(s string, first time.Time) (rrule.ROption, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 6 && strings.EqualFold(s[:6], "RRULE:") {
		s = s[6:]
	}
	if strings.ContainsAny(s, "\r\n") || strings.Contains(strings.ToUpper(s), "DTSTART") {
		return rrule.ROption{}, errors.New("must be one RRULE without DTSTART: the event's start is the DTSTART")
	}
	opt, err := rrule.StrToROptionInLocation(strings.ToUpper(s), first.Location())
	if err != nil {
		return rrule.ROption{}, fmt.Errorf("cannot parse %q: %w", s, err)
	}
	if opt.Freq > rrule.DAILY {
		return rrule.ROption{}, fmt.Errorf("FREQ=%v is finer than DAILY", opt.Freq)
	}
	if len(opt.Byhour)+len(opt.Byminute)+len(opt.Bysecond) > 0 {
		return rrule.ROption{}, errors.New("BYHOUR, BYMINUTE and BYSECOND are not supported: the time of day comes from start")
	}
	if !opt.Until.IsZero() {
		if err := checkYear(opt.Until); err != nil {
			return rrule.ROption{}, fmt.Errorf("UNTIL: %w", err)
		}
	}
	opt.Dtstart = first
	rr, err := rrule.NewRRule(*opt)
	if err != nil {
		return rrule.ROption{}, fmt.Errorf("invalid rule %q: %w", s, err)
	}
	if _, ok := rr.Iterator()(); !ok {
		return rrule.ROption{}, fmt.Errorf("%q matches no date on or after start", s)
	}
	return *opt, nil
}

// parseWeekday reads an English weekday name or its three-letter form.
func parseWeekday(s string) (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := d.String()
		if strings.EqualFold(s, name) || strings.EqualFold(s, name[:3]) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%q is not a weekday: want Monday..Sunday", s)
}
