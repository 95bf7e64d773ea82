package simulator

import (
	"math"
	"slices"
	"testing"
	"time"
)

// quantileOf returns the q-quantile of n draws of d.
func quantileOf(d Delay, n int, q float64) time.Duration {
	r := newRand(42)
	xs := make([]time.Duration, n)
	for i := range xs {
		xs[i] = d.Draw(r)
	}
	slices.Sort(xs)
	return xs[int(q*float64(n-1))]
}

func TestDelayDistributions(t *testing.T) {
	s := time.Second
	tests := []struct {
		name string
		d    Delay
		q    float64
		want time.Duration
		tol  time.Duration
	}{
		{"fixed", Fixed(30 * s), 0.9, 30 * s, 0},
		{"uniform median", Uniform{Min: 10 * s, Max: 30 * s}, 0.5, 20 * s, s / 2},
		{"uniform min", Uniform{Min: 10 * s, Max: 30 * s}, 0, 10 * s, s / 5},
		{"lognormal median", LogNormal{Median: 40 * s, Sigma: 0.5}, 0.5, 40 * s, s},
		{"lognormal p95 from quantiles", LogNormalFromQuantiles(40*s, 90*s), 0.95, 90 * s, 3 * s},
		{"empirical median", Empirical{{0, 20 * s}, {0.5, 30 * s}, {0.9, 60 * s}, {1, 120 * s}}, 0.5, 30 * s, s},
		{"empirical p90", Empirical{{0, 20 * s}, {0.5, 30 * s}, {0.9, 60 * s}, {1, 120 * s}}, 0.9, 60 * s, 2 * s},
		{"empirical interpolates", Empirical{{0, 0}, {1, 100 * s}}, 0.25, 25 * s, s},
		{"empirical clamps below", Empirical{{0.5, 10 * s}, {1, 20 * s}}, 0.2, 10 * s, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := quantileOf(tc.d, 20000, tc.q)
			if diff := got - tc.want; diff < -tc.tol || diff > tc.tol {
				t.Errorf("quantile %v of %v = %v, want %v ± %v", tc.q, tc.d, got, tc.want, tc.tol)
			}
		})
	}
}

func TestDelayValidate(t *testing.T) {
	tests := []struct {
		name string
		d    interface{ Validate() error }
		ok   bool
	}{
		{"fixed", Fixed(time.Second), true},
		{"fixed negative", Fixed(-time.Second), false},
		{"uniform", Uniform{Min: 1, Max: 2}, true},
		{"uniform reversed", Uniform{Min: 2, Max: 1}, false},
		{"lognormal", LogNormal{Median: time.Second, Sigma: 1}, true},
		{"lognormal zero median", LogNormal{Sigma: 1}, false},
		{"lognormal nan sigma", LogNormal{Median: 1, Sigma: math.NaN()}, false},
		{"empirical", Empirical{{0, 1}, {1, 2}}, true},
		{"empirical empty", Empirical{}, false},
		{"empirical p not increasing", Empirical{{0.5, 1}, {0.5, 2}}, false},
		{"empirical d decreasing", Empirical{{0, 2}, {1, 1}}, false},
		{"empirical p above 1", Empirical{{1.5, 1}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.d.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
