package field

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestError(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"file and field", &Error{File: "plan.yaml", Field: "spec.workloads[0].name", Err: errors.New("required")}, "plan.yaml: spec.workloads[0].name: required"},
		{"field only", &Error{Field: "spec.timeZone", Err: errors.New(`unknown time zone "Mars/Olympus"`)}, `spec.timeZone: unknown time zone "Mars/Olympus"`},
		{"file only", &Error{File: "cal.ics", Err: errors.New("empty")}, "cal.ics: empty"},
		{"neither", &Error{Err: errors.New("bad")}, "bad"},
		{"file and line", &Error{File: "so.yaml", Line: 12, Field: "spec.minReplicas", Err: errors.New("unknown field")}, "so.yaml:12: spec.minReplicas: unknown field"},
		{"line without file", &Error{Line: 3, Field: "spec", Err: errors.New("required")}, "line 3: spec: required"},
		{"file, line and column", &Error{File: "plan.yaml", Line: 7, Column: 5, Field: "spec.zone", Err: errors.New("unknown field")}, "plan.yaml:7:5: spec.zone: unknown field"},
		{"line and column without file", &Error{Line: 7, Column: 5, Field: "spec.zone", Err: errors.New("unknown field")}, "line 7, column 5: spec.zone: unknown field"},
		{"column without line", &Error{File: "plan.yaml", Column: 5, Field: "spec", Err: errors.New("required")}, "plan.yaml: spec: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	if err := (&Error{Field: "x", Err: io.EOF}); !errors.Is(err, io.EOF) {
		t.Fatal("errors.Is does not reach the cause")
	}
}

func TestSortByPosition(t *testing.T) {
	a := &Error{Line: 3, Column: 9, Err: errors.New("a")}
	b := &Error{Line: 3, Column: 2, Err: errors.New("b")}
	c := &Error{Line: 1, Column: 5, Err: errors.New("c")}
	none := &Error{Err: errors.New("none")}
	other := errors.New("other")
	wrapped := fmt.Errorf("wrapped: %w", &Error{Line: 2, Err: errors.New("w")})
	errs := []error{none, a, other, b, wrapped, c}
	SortByPosition(errs)
	want := []error{c, wrapped, b, a, none, other}
	for i := range want {
		if errs[i] != want[i] {
			t.Fatalf("SortByPosition order = %v, want %v", errs, want)
		}
	}
}
