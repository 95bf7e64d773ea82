package calendar

import (
	"errors"
	"fmt"

	"github.com/prescale-dev/prescale/pkg/field"
	"github.com/prescale-dev/prescale/pkg/scalar"
)

var (
	// ErrUnknownCountry reports a holiday country code with no holiday list.
	ErrUnknownCountry = errors.New("unknown country")
	// ErrUnknownSubdivision reports a subdivision code the country does not
	// have, or a missing one for a country that needs it.
	ErrUnknownSubdivision = errors.New("unknown subdivision")
	// ErrTooManyInstances reports an expansion that would walk more than
	// MaxInstances instances of one event or holiday list.
	ErrTooManyInstances = errors.New("too many instances")
	// ErrUnsupportedFormat reports a calendar file whose extension is neither
	// .yaml, .yml nor .ics.
	ErrUnsupportedFormat = errors.New("unsupported calendar format")
)

// MaxInstances bounds the work of one expansion: an event (or a holiday
// list) that needs more than this many instances to cover the requested
// range makes Expand fail with ErrTooManyInstances. Instances are counted
// from the event's first one when its recurrence has a count, and from the
// start of the range otherwise. Rules yield at most one instance per day, so
// this is about 270 years of a daily event.
const MaxInstances = 100_000

// FieldError is one invalid value in a calendar file. Field is the path of
// the value, such as "spec.events[3].end"; for iCalendar files it names the
// line and property instead, such as "line 12: DTSTART".
type FieldError = field.Error

// ExpansionError reports an event whose expansion hit MaxInstances.
type ExpansionError struct {
	// Event is the name of the event or holiday list.
	Event string
	// Err is ErrTooManyInstances.
	Err error
}

// Error names the event and the limit.
func (e *ExpansionError) Error() string {
	return fmt.Sprintf("expanding %q: %v (limit %d)", e.Event, e.Err, MaxInstances)
}

// Unwrap returns the cause.
func (e *ExpansionError) Unwrap() error { return e.Err }

// fieldErrors collects FieldErrors of one file, each located by report
// (when the file is YAML) at its field's line and column.
type fieldErrors struct {
	file   string
	errs   []error
	report *scalar.Report
}

// add records a problem with field; msg is formatted with args.
func (f *fieldErrors) add(field, format string, args ...any) {
	f.wrap(field, fmt.Errorf(format, args...))
}

// wrap records err, which explains the problem with field.
func (f *fieldErrors) wrap(field string, err error) {
	f.errs = append(f.errs, f.report.Locate(&FieldError{File: f.file, Field: field, Err: err}))
}

// err returns every recorded problem joined, or nil.
func (f *fieldErrors) err() error { return errors.Join(f.errs...) }
