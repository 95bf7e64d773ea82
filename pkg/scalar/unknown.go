package scalar

import (
	"errors"
	"strconv"
	"strings"

	"github.com/prescale-dev/prescale/pkg/suggest"
)

// ErrUnknownField reports a mapping key the Go type has no field for;
// errors.Is finds it in the errors Check returns.
var ErrUnknownField = errors.New("unknown field")

// UnknownFieldError is one key of a mapping that the struct it decodes
// into has no field for.
type UnknownFieldError struct {
	// Name is the key as written.
	Name string
	// Suggestion is the known field closest to Name (suggest.Closest), or
	// empty when none is close.
	Suggestion string
	// Known are the struct's fields, sorted.
	Known []string
}

// unknownField returns the error for key name of a struct whose fields
// are known (sorted).
func unknownField(name string, known []string) *UnknownFieldError {
	best, _ := suggest.Closest(name, known)
	return &UnknownFieldError{Name: name, Suggestion: best, Known: known}
}

// Error returns "unknown field: did you mean X?" when a known field is
// close, and lists the known fields otherwise.
func (e *UnknownFieldError) Error() string {
	if e.Suggestion != "" {
		return "unknown field: did you mean " + e.Suggestion + "?"
	}
	if len(e.Known) == 0 {
		return "unknown field: no field is allowed here"
	}
	return "unknown field (known: " + strings.Join(e.Known, ", ") + ")"
}

// Is reports whether target is ErrUnknownField.
func (e *UnknownFieldError) Is(target error) bool { return target == ErrUnknownField }

// prefixes returns the paths enclosing path, outermost first: for
// `a.b[2]["x.y"]` they are a, a.b and a.b[2]. Field names end at a dot or
// a bracket; a bracket holds an index or a quoted map key.
func prefixes(path string) []string {
	var out []string
	i := 0
	for i < len(path) {
		switch path[i] {
		case '.':
			i++
		case '[':
			end := strings.IndexByte(path[i:], ']')
			if i+1 < len(path) && path[i+1] == '"' {
				if q, err := strconv.QuotedPrefix(path[i+1:]); err == nil && strings.HasPrefix(path[i+1+len(q):], "]") {
					end = len(q) + 1
				}
			}
			if end < 0 {
				return out
			}
			i += end + 1
		default:
			end := strings.IndexAny(path[i:], ".[")
			if end < 0 {
				return out
			}
			i += end
		}
		if i < len(path) && path[i-1] != '.' {
			out = append(out, path[:i])
		}
	}
	return out
}
