package demo

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDollars(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{26.456, "$26.46"}, {0, "$0.00"}, {-3.5, "-$3.50"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, dollars(tc.v), "%v", tc.v)
	}
}
