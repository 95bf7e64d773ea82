package kedacompat

import (
	"os/exec"
	"testing"
)

// TestScaledObjectAPIMirror runs the apimirror module's tests, which check
// prescale's mirror of KEDA's ScaledObject API (the types
// `prescale simulate --scaledobject` decodes into, and KEDA's validations)
// against KEDA's own package. They are a module of their own because they
// build prescale's packages, whose Prometheus client cannot share a build
// with the KEDA scalers this module tests (see doc.go).
func TestScaledObjectAPIMirror(t *testing.T) {
	cmd := exec.Command("go", "test", "-count=1", "./...")
	cmd.Dir = "apimirror"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cd apimirror && go test ./...: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
