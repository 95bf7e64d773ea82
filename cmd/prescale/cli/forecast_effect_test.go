package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/prescale-dev/prescale/forecast"
)

func TestDescribeEffectPlural(t *testing.T) {
	tests := []struct {
		name string
		e    forecast.EventEffect
		want string
	}{
		{"one ratio", forecast.EventEffect{Source: forecast.SourceLearned, Mode: forecast.EffectRatio, MeanUplift: 2, Occurrences: 1, Weight: 0.5},
			"x2 learned from 1 occurrence (weight 0.5)"},
		{"two ratio", forecast.EventEffect{Source: forecast.SourceLearned, Mode: forecast.EffectRatio, MeanUplift: 2, Occurrences: 2, Weight: 0.5},
			"x2 learned from 2 occurrences (weight 0.5)"},
		{"one additive", forecast.EventEffect{Source: forecast.SourceLearned, MeanUplift: 1.5, Occurrences: 1, Weight: 1},
			"+1.5 learned from 1 occurrence (weight 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, describeEffect(tc.e))
		})
	}
}
