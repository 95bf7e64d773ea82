package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/scalar"
)

// build validates f and expands it into a Calendar, collecting every
// problem as a *FieldError.
func (f *File) build(file string, report *scalar.Report) (*Calendar, error) {
	fe := &fieldErrors{file: file, report: report}
	if f.APIVersion != APIVersion {
		fe.add("apiVersion", "must be %q, got %q", APIVersion, f.APIVersion)
	}
	if f.Kind != Kind {
		fe.add("kind", "must be %q, got %q", Kind, f.Kind)
	}
	checkName(f.Metadata.Name, fe)
	loc, err := loadLocation(f.Spec.TimeZone)
	if err != nil {
		fe.wrap("spec.timeZone", err)
		loc = time.UTC
	}
	c := &Calendar{Name: f.Metadata.Name}
	for i := range f.Spec.Events {
		path := fmt.Sprintf("spec.events[%d]", i)
		if e, ok := f.Spec.Events[i].build(path, loc, fe); ok {
			c.events = append(c.events, e)
		}
	}
	for i := range f.Spec.Holidays {
		path := fmt.Sprintf("spec.holidays[%d]", i)
		if h, ok := f.Spec.Holidays[i].build(path, loc, fe); ok {
			c.holidays = append(c.holidays, h)
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// checkName validates metadata.name: a lower-case DNS subdomain.
func checkName(name string, fe *fieldErrors) {
	switch {
	case name == "":
		fe.add("metadata.name", "required")
	case len(name) > 253:
		fe.add("metadata.name", "must be at most 253 characters")
	default:
		for _, label := range strings.Split(name, ".") {
			if !isLabel(label) {
				fe.add("metadata.name", "%q must be lower-case letters, digits, '-' and '.'", name)
				return
			}
		}
	}
}

// build validates one event; ok is false when it has errors.
func (s *EventSpec) build(path string, specLoc *time.Location, fe *fieldErrors) (e event, ok bool) {
	n := len(fe.errs)
	if strings.TrimSpace(s.Name) == "" {
		fe.add(path+".name", "required")
	}
	if err := checkType(s.Type); err != nil {
		fe.wrap(path+".type", err)
	}
	loc := specLoc
	if s.TimeZone != "" {
		var err error
		if loc, err = loadLocation(s.TimeZone); err != nil {
			fe.wrap(path+".timeZone", err)
			loc = specLoc
		}
	}
	e = event{name: s.Name, typ: s.Type}
	e.start, e.end = s.bounds(path, loc, fe)
	e.wall = wallClock(e.end).Sub(wallClock(e.start))
	e.lead = spanField(s.Lead, path+".lead", fe)
	e.lag = spanField(s.Lag, path+".lag", fe)
	if u, err := checkUplift(s.ExpectedUplift); err != nil {
		fe.wrap(path+".expectedUplift", err)
	} else {
		e.uplift = u
	}
	if s.Recurrence != nil {
		ok := len(fe.errs) == n
		if e.start.IsZero() { // still check the recurrence's own fields
			e.start = time.Date(2000, 1, 1, 0, 0, 0, 0, loc)
		}
		s.Recurrence.build(path+".recurrence", &e, fe)
		if !ok {
			return e, false
		}
	}
	return e, len(fe.errs) == n
}

// bounds reads start and end in loc, end exclusive.
func (s *EventSpec) bounds(path string, loc *time.Location, fe *fieldErrors) (start, end time.Time) {
	start, startDate, err := parseTime(s.Start, loc)
	if s.Start == "" {
		fe.add(path+".start", "required")
		return
	}
	if err != nil {
		fe.wrap(path+".start", err)
		return
	}
	start = start.In(loc)
	switch {
	case s.End == "" && startDate:
		return start, nextDay(start, loc)
	case s.End == "":
		fe.add(path+".end", "required when start has a time of day")
		return
	}
	end, endDate, err := parseTime(s.End, loc)
	if err != nil {
		fe.wrap(path+".end", err)
		return
	}
	if endDate {
		end = nextDay(end, loc)
	}
	end = end.In(loc)
	if err := checkLength(start, end); err != nil {
		fe.wrap(path+".end", err)
	}
	return start, end
}

// spanField parses a Lead or Lag value, recording errors under path.
func spanField(s, path string, fe *fieldErrors) time.Duration {
	d, err := parseSpan(s)
	if err != nil {
		fe.wrap(path, err)
	}
	return d
}

// build validates h and resolves its holiday list in loc.
func (h *HolidaySpec) build(path string, loc *time.Location, fe *fieldErrors) (holidaySource, bool) {
	n := len(fe.errs)
	var src holidaySource
	if h.Country == "" {
		fe.add(path+".country", "required")
	} else if s, err := newHolidaySource(h.Country, h.Subdivision); err != nil {
		field := ".country"
		if errors.Is(err, ErrUnknownSubdivision) {
			field = ".subdivision"
		}
		fe.wrap(path+field, err)
	} else {
		src = s
	}
	src.typ = h.Type
	if src.typ == "" {
		src.typ = "holiday"
	}
	if err := checkType(src.typ); err != nil {
		fe.wrap(path+".type", err)
	}
	src.lead = spanField(h.Lead, path+".lead", fe)
	src.lag = spanField(h.Lag, path+".lag", fe)
	u, err := checkUplift(h.ExpectedUplift)
	if err != nil {
		fe.wrap(path+".expectedUplift", err)
	}
	src.uplift, src.loc = u, loc
	return src, len(fe.errs) == n
}
