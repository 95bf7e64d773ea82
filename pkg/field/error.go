// Package field names the value at fault in a configuration file: errors
// carrying the file and the path of the field, such as
// "spec.nodePools[1].instanceTypes[0].allocatable.cpu", in the manner of
// Kubernetes' field paths. The calendar and capacity-planning files report
// their validation errors with it.
package field

// Error is one invalid value in a file.
type Error struct {
	// File is the name of the file, or empty.
	File string
	// Field locates the value inside the file, such as "spec.events[3].end";
	// empty for errors about the whole document.
	Field string
	// Err says what is wrong with the value.
	Err error
}

// Error returns "file: field: message", leaving out empty parts.
func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.File != "" {
		msg = e.File + ": " + msg
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
