// Package field names the value at fault in a configuration file: errors
// carrying the file, the line and the path of the field, such as
// "spec.nodePools[1].instanceTypes[0].allocatable.cpu", in the manner of
// Kubernetes' field paths. The calendar and capacity-planning files and
// KEDA ScaledObject manifests report their validation errors with it.
package field

import "strconv"

// Error is one invalid value in a file.
type Error struct {
	// File is the name of the file, or empty.
	File string
	// Line is the 1-based line of the value in File, or 0 when unknown.
	Line int
	// Field locates the value inside the file, such as "spec.events[3].end";
	// empty for errors about the whole document.
	Field string
	// Err says what is wrong with the value.
	Err error
}

// Error returns "file:line: field: message", leaving out empty parts (a
// line without a file reads "line N: ...").
func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	switch {
	case e.File != "" && e.Line > 0:
		msg = e.File + ":" + strconv.Itoa(e.Line) + ": " + msg
	case e.File != "":
		msg = e.File + ": " + msg
	case e.Line > 0:
		msg = "line " + strconv.Itoa(e.Line) + ": " + msg
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
