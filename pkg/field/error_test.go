package field

import (
	"errors"
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
