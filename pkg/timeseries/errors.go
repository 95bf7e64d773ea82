package timeseries

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the trace readers and of Resample; callers test for
// them with errors.Is. Most reach the caller wrapped in a *ParseError that
// says where in the file the problem is.
var (
	// ErrEmpty reports a trace with no content at all: no header row for the
	// CSV formats, no bytes for the lines format.
	ErrEmpty = errors.New("empty trace")
	// ErrMissingColumn reports that a column named in ReadOptions is not in
	// the header row.
	ErrMissingColumn = errors.New("column not in header")
	// ErrNoData reports a trace (or an M4 row) that holds no values.
	ErrNoData = errors.New("no data rows")
	// ErrDuplicate reports two observations of one series that fall in the
	// same step while no Aggregation was asked for.
	ErrDuplicate = errors.New("duplicate timestamp")
	// ErrOffGrid reports a timestamp that is not a whole number of inferred
	// steps after the first timestamp of its series.
	ErrOffGrid = errors.New("timestamp off the inferred grid")
	// ErrNoStep reports that no step can be inferred because no series has
	// two distinct timestamps.
	ErrNoStep = errors.New("cannot infer a step")
	// ErrTooLong reports a csv grid that would be unreasonably large for the
	// number of observations, usually a wrong step or a stray timestamp: a
	// grid may hold 1024 steps per observation, at least 2^20 and at most
	// 2^27 steps.
	ErrTooLong = errors.New("grid too long")
	// ErrTimeFormat reports a timestamp in none of the accepted formats.
	ErrTimeFormat = errors.New("unrecognised timestamp format (want RFC 3339, YYYY-MM-DD[ HH:MM[:SS[.fraction]]] or unix seconds)")
	// ErrTimeRange reports an instant outside the years 1678 to 2261, the
	// range in which an instant has a UnixNano.
	ErrTimeRange = errors.New("time outside the years 1678 to 2261")
	// ErrLocalGap reports a local time that does not exist in its location
	// because a daylight-saving change skipped it.
	ErrLocalGap = errors.New("local time skipped by a daylight-saving change")
	// ErrNotFinite reports an infinite value; missing values are written as
	// an empty cell, NA, NaN or null instead.
	ErrNotFinite = errors.New("value is not finite")
	// ErrLimit reports a trace over one of its read Limits; it reaches the
	// caller as a *LimitError naming the limit.
	ErrLimit = errors.New("trace over its read limit")
	// ErrStepMultiple reports a resampling step that is not a positive whole
	// multiple of the source step.
	ErrStepMultiple = errors.New("step is not a multiple of the source step")
)

// ParseError locates a problem in a trace file. Line is 1-based and counts
// the header row; Column is the header name of the offending column (for
// the lines format "value N", the N-th value on the line) and is empty when
// the problem concerns the whole line or file.
type ParseError struct {
	// File is the file name as given to Read or ReadFile.
	File string
	// Line is the 1-based line number, 0 when unknown.
	Line int
	// Column names the offending column, "" when none applies.
	Column string
	// Err is the underlying cause, often one of the package's sentinels.
	Err error
}

// Error formats e as `reading trace "f.csv" line 12 column "value": cause`.
func (e *ParseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "reading trace %q", e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, " column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *ParseError) Unwrap() error { return e.Err }
