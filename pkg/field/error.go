// Package field names the value at fault in a configuration file: errors
// carrying the file, the line and column and the path of the field, such as
// "spec.nodePools[1].instanceTypes[0].allocatable.cpu", in the manner of
// Kubernetes' field paths. The calendar and capacity-planning files and
// KEDA ScaledObject manifests report their validation errors with it.
package field

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strconv"
)

// Error is one invalid value in a file.
type Error struct {
	// File is the name of the file, or empty.
	File string
	// Line is the 1-based line of the value in File, or 0 when unknown.
	Line int
	// Column is the 1-based column of the value on Line, or 0 when
	// unknown; it is shown only with a line.
	Column int
	// Field locates the value inside the file, such as "spec.events[3].end";
	// empty for errors about the whole document.
	Field string
	// Err says what is wrong with the value.
	Err error
}

// Error returns "file:line:column: field: message", leaving out empty
// parts (a line without a file reads "line N, column C: ...").
func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	switch {
	case e.File != "" && e.Line > 0 && e.Column > 0:
		msg = e.File + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ": " + msg
	case e.File != "" && e.Line > 0:
		msg = e.File + ":" + strconv.Itoa(e.Line) + ": " + msg
	case e.File != "":
		msg = e.File + ": " + msg
	case e.Line > 0 && e.Column > 0:
		msg = "line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + msg
	case e.Line > 0:
		msg = "line " + strconv.Itoa(e.Line) + ": " + msg
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// SortByPosition orders errs by the line and column of the *Error each
// wraps, in place, so that they read in the file's order; errors without a
// line keep their order after the others. The sort is stable.
func SortByPosition(errs []error) {
	pos := func(err error) (int, int) {
		var e *Error
		if !errors.As(err, &e) || e.Line == 0 {
			return math.MaxInt, 0
		}
		return e.Line, e.Column
	}
	slices.SortStableFunc(errs, func(a, b error) int {
		la, ca := pos(a)
		lb, cb := pos(b)
		return cmp.Or(cmp.Compare(la, lb), cmp.Compare(ca, cb))
	})
}
