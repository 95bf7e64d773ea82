package demo

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestShortDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{5 * time.Minute, "5m"}, {90 * time.Second, "1m30s"}, {time.Hour, "1h"},
		{90 * time.Minute, "1h30m"}, {45 * time.Second, "45s"}, {0, "0s"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, shortDuration(tc.d), "%v", tc.d)
	}
}

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
