package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlagSpellings checks that the British spelling of a flag is the
// Kubernetes one, and that an unknown flag is answered with the closest.
func TestFlagSpellings(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"Kubernetes spelling", []string{"simulate", "loadtest", "--target-utilization", "0", "--capacity-per-pod", "10", "--latency-target", "300ms"}, "--target-utilization: 0"},
		{"British alias", []string{"simulate", "loadtest", "--target-utilisation", "0", "--capacity-per-pod", "10", "--latency-target", "300ms"}, "--target-utilization: 0"},
		{"typo", []string{"ask", "--adr", "127.0.0.1:1"}, "unknown flag: --adr: did you mean --addr?"},
		{"prefix", []string{"ask", "--scaled", "x.yaml"}, "did you mean --scaledobject?"},
		{"nothing close", []string{"version", "--zzzzzzzz"}, "see prescale version --help"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
