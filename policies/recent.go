package policies

import (
	"math"
	"time"
)

// Recent keeps the live observations of the last MaxAge, for the anchor of
// risk-based targets (Inputs.Anchor): the scaler feeds it the live value
// of each call, the simulator the live value of each reading, so both
// anchor their decisions alike. The zero value keeps nothing; use
// NewRecent. It is not safe for concurrent use.
type Recent struct {
	maxAge time.Duration
	obs    []Observation // by time, oldest first, from head on
	head   int
}

// NewRecent returns a Recent keeping maxAge of observations.
func NewRecent(maxAge time.Duration) *Recent { return &Recent{maxAge: maxAge} }

// Add records a live observation made at now; unknown values (NaN, Inf)
// are skipped. Observations older than MaxAge before now are dropped.
func (r *Recent) Add(now time.Time, o Observation) {
	cut := now.Add(-r.maxAge)
	for r.head < len(r.obs) && r.obs[r.head].At.Before(cut) {
		r.head++
	}
	if r.head > 64 && 2*r.head > len(r.obs) {
		r.obs = append(r.obs[:0], r.obs[r.head:]...)
		r.head = 0
	}
	if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
		return
	}
	if n := len(r.obs); n > r.head && !o.At.After(r.obs[n-1].At) {
		if o.At.Equal(r.obs[n-1].At) {
			r.obs[n-1] = o
		}
		return
	}
	r.obs = append(r.obs, o)
}

// Max returns the highest observation made after now-window, NaN when
// there is none.
func (r *Recent) Max(now time.Time, window time.Duration) float64 {
	best := math.NaN()
	cut := now.Add(-window)
	for i := len(r.obs) - 1; i >= r.head && r.obs[i].At.After(cut); i-- {
		if v := r.obs[i].Value; math.IsNaN(best) || v > best {
			best = v
		}
	}
	return best
}
