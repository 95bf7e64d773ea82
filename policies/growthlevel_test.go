package policies

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// levelSamples returns days of per-minute growth samples whose log growth
// is shift(hour of the week) plus noise of sd sigma.
func levelSamples(days int, sigma float64, shift func(bucket int) float64) []sample {
	rng := rand.New(rand.NewPCG(7, 11))
	var ss []sample
	for m := range days * 1440 {
		b := (m / 60) % 168
		v := shift(b) + sigma*rng.NormFloat64()
		ss = append(ss, sample{bucket: b, v: v, anchor: 100, fut: 100 * math.Exp(v), live: 90})
	}
	return ss
}

func TestChooseLevel(t *testing.T) {
	tests := []struct {
		name  string
		shift func(int) float64
		want  []Level
	}{
		{"the same growth at every hour", func(int) float64 { return 0 }, []Level{LevelDay, LevelPooled}},
		{"growth by the hour of the day", func(b int) float64 { return 0.3 * math.Sin(2*math.Pi*float64(b%24)/24) }, []Level{LevelDay}},
		{"growth by the hour of the week", func(b int) float64 {
			if b/24 == 1 { // Tuesdays rise, other days fall
				return 0.4 * math.Sin(2*math.Pi*float64(b%24)/24)
			}
			return -0.4 * math.Sin(2*math.Pi*float64(b%24)/24)
		}, []Level{LevelWeek}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := chooseLevel(levelSamples(28, 0.1, tt.shift))
			assert.Contains(t, tt.want, got, "chose %v", got)
		})
	}
	t.Run("too little history keeps the finest level", func(t *testing.T) {
		assert.Equal(t, LevelWeek, chooseLevel(levelSamples(1, 0.1, func(int) float64 { return 0 })))
	})
}
