package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPlanDeadline checks that --deadline reaches the packer on the
// e-commerce example: a deadline that has passed before the search starts
// still places every replica, at a cost no lower than the full search's,
// and a deadline never reached changes nothing.
func TestPlanDeadline(t *testing.T) {
	full := planJSONOf(t, "--config", planEcommerce, "--at", "2025-11-28 20:00")
	tests := []struct {
		name     string
		deadline string
	}{
		{"already passed", "1ns"},
		{"generous", "10m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := planJSONOf(t, "--config", planEcommerce, "--at", "2025-11-28 20:00", "--deadline", tc.deadline)
			require.NotNil(t, got.CostPerHour)
			require.NotNil(t, full.CostPerHour)
			assert.Empty(t, got.Unplaceable, "--deadline %s: unplaceable replicas", tc.deadline)
			assert.GreaterOrEqual(t, *got.CostPerHour, *full.CostPerHour*(1-1e-9),
				"--deadline %s: cost %g below the full search's %g", tc.deadline, *got.CostPerHour, *full.CostPerHour)
			if tc.deadline == "10m" {
				assert.InDelta(t, *full.CostPerHour, *got.CostPerHour, 1e-9, "a deadline never reached changes nothing")
			}
		})
	}
}
