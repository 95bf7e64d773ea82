package capacity

import (
	"errors"
	"fmt"
	"strings"

	"github.com/prescale-dev/prescale/pkg/field"
	"github.com/prescale-dev/prescale/pkg/scalar"
)

var (
	// ErrQuantitySyntax reports a string that is not a Kubernetes quantity.
	ErrQuantitySyntax = errors.New("invalid quantity syntax")
	// ErrQuantityRange reports a quantity too large for a float64.
	ErrQuantityRange = errors.New("quantity out of range")
	// ErrInvalidProblem reports a Problem that Validate rejects; Pack and
	// PlanTimeline wrap it around the field errors.
	ErrInvalidProblem = errors.New("invalid capacity problem")
	// ErrNoTimes reports a PlanTimeline call without any instant.
	ErrNoTimes = errors.New("no time steps")
	// ErrTimesOrder reports timeline instants that are not strictly increasing.
	ErrTimesOrder = errors.New("time steps not strictly increasing")
)

// FieldError is one invalid value of a planning file or Problem. Field is the
// path of the value as written in YAML, such as
// "spec.nodePools[1].instanceTypes[0].allocatable.cpu".
type FieldError = field.Error

// fieldErrors collects FieldErrors in the order they are found, each
// located by report (when decoding a file) at its field's line and column.
type fieldErrors struct {
	errs   []error
	report *scalar.Report
}

// add records a problem with field; the message is formatted with args.
func (f *fieldErrors) add(field, format string, args ...any) {
	f.addErr(field, fmt.Errorf(format, args...))
}

// addErr records err against field.
func (f *fieldErrors) addErr(field string, err error) {
	f.errs = append(f.errs, f.report.Locate(&FieldError{Field: field, Err: err}))
}

// reportedIn reports whether an error recorded so far concerns the value
// at path or a value inside it.
func (f *fieldErrors) reportedIn(path string) bool {
	for _, err := range f.errs {
		var fe *FieldError
		if errors.As(err, &fe) && (fe.Field == path || strings.HasPrefix(fe.Field, path+".") || strings.HasPrefix(fe.Field, path+"[")) {
			return true
		}
	}
	return false
}

// err joins the collected errors, or returns nil.
func (f *fieldErrors) err() error { return errors.Join(f.errs...) }

// withFile sets File on every FieldError in err (a join or a single error)
// that does not name a file yet.
func withFile(err error, file string) error {
	if err == nil || file == "" {
		return err
	}
	list := joined(err)
	out := make([]error, len(list))
	for i, e := range list {
		var fe *FieldError
		if errors.As(e, &fe) {
			c := *fe
			if c.File == "" {
				c.File = file
			}
			out[i] = &c
			continue
		}
		out[i] = fmt.Errorf("%s: %w", file, e)
	}
	return errors.Join(out...)
}

// joined returns the errors err joins (errors.Join), or err alone.
func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
