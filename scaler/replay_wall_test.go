package scaler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestReplayWallTime(t *testing.T) {
	r, _ := nasaReplay(t)
	ny := newYork(t)
	tests := []struct {
		name  string
		trace time.Time
	}{
		{"STS-70 liftoff", time.Date(1995, 7, 13, 9, 41, 0, 0, ny)},
		{"cycle start", time.Date(1995, 7, 3, 0, 0, 0, 0, ny)},
		{"last minute of the cycle", time.Date(1995, 8, 27, 23, 59, 0, 0, ny)},
		{"given in UTC", time.Date(1995, 7, 20, 3, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wall := r.WallTime(tt.trace)
			assert.True(t, r.TraceTime(wall).Equal(tt.trace), "TraceTime(WallTime(%s)) = %s", tt.trace, r.TraceTime(wall))
			assert.Equal(t, tt.trace.In(ny).Weekday(), wall.In(ny).Weekday(), "weekday of %s", wall)
		})
	}
}
