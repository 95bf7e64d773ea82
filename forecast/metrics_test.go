package forecast

import (
	"math"
	"testing"
)

// nan is a NaN for test tables.
var nan = math.NaN()

// sameFloat reports whether a and b are equal within tol, or both NaN, or
// the same infinity.
func sameFloat(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol
}

func TestSMAPE(t *testing.T) {
	tests := []struct {
		name             string
		actual, forecast []float64
		want             float64
	}{
		{"perfect", []float64{1, 2, 3}, []float64{1, 2, 3}, 0},
		// 200·|100−110|/210 = 9.5238…, 200·|50−40|/90 = 22.222…
		{"two steps", []float64{100, 50}, []float64{110, 40}, (2000.0/210 + 2000.0/90) / 2},
		{"opposite signs", []float64{1}, []float64{-1}, 200},
		{"zero forecast", []float64{5}, []float64{0}, 200},
		{"NaN actual skipped", []float64{nan, 100}, []float64{3, 110}, 2000.0 / 210},
		{"0/0 skipped", []float64{0, 100}, []float64{0, 110}, 2000.0 / 210},
		{"nothing counts", []float64{0, nan}, []float64{0, 1}, nan},
		{"empty", nil, nil, nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SMAPE(tc.actual, tc.forecast); !sameFloat(got, tc.want, 1e-12) {
				t.Errorf("SMAPE(%v, %v) = %v, want %v", tc.actual, tc.forecast, got, tc.want)
			}
		})
	}
}

func TestMASE(t *testing.T) {
	tests := []struct {
		name                      string
		history, actual, forecast []float64
		m                         int
		want                      float64
	}{
		// naive errors |2−1|,|4−2|,|7−4| → scale 2; forecast MAE (1+3)/2 = 2.
		{"naive scale", []float64{1, 2, 4, 7}, []float64{10, 10}, []float64{9, 13}, 1, 1},
		// seasonal m=2: |3−1|,|4−2|,|7−3|,|6−4| → 10/4 = 2.5; MAE 5 → 2.
		{"seasonal scale", []float64{1, 2, 3, 4, 7, 6}, []float64{0}, []float64{5}, 2, 2},
		// Pairs with the NaN (t=2, t=4) are skipped: only |3−1| → scale 2;
		// the NaN actual is skipped: MAE 3 → 1.5.
		{"NaN aware", []float64{0, 1, nan, 3, 5}, []float64{nan, 4}, []float64{1, 7}, 2, 1.5},
		{"m below one means one", []float64{1, 2, 4, 7}, []float64{10, 10}, []float64{9, 13}, 0, 1},
		{"periodic history", []float64{1, 2, 1, 2}, []float64{1}, []float64{2}, 2, math.Inf(1)},
		{"history too short", []float64{1}, []float64{1}, []float64{2}, 1, nan},
		{"no actual", []float64{1, 2}, []float64{nan}, []float64{2}, 1, nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := MASE(tc.history, tc.actual, tc.forecast, tc.m)
			if !sameFloat(got, tc.want, 1e-12) {
				t.Errorf("MASE(%v, %v, %v, %d) = %v, want %v", tc.history, tc.actual, tc.forecast, tc.m, got, tc.want)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	tests := []struct {
		name                 string
		actual, lower, upper []float64
		want                 float64
	}{
		{"all in", []float64{1, 2}, []float64{0, 2}, []float64{1, 3}, 1},
		{"bounds included, one out", []float64{1, 2, 5, 9}, []float64{1, 0, 0, 0}, []float64{2, 2, 4, 10}, 0.75},
		{"NaN skipped", []float64{nan, 1, 3}, []float64{0, nan, 0}, []float64{2, 2, 2}, 0},
		{"nothing counts", []float64{nan}, []float64{0}, []float64{1}, nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Coverage(tc.actual, tc.lower, tc.upper); !sameFloat(got, tc.want, 1e-12) {
				t.Errorf("Coverage(%v, %v, %v) = %v, want %v", tc.actual, tc.lower, tc.upper, got, tc.want)
			}
		})
	}
}

func TestMetricsPanicOnLengthMismatch(t *testing.T) {
	tests := map[string]func(){
		"SMAPE":    func() { SMAPE([]float64{1}, nil) },
		"MASE":     func() { MASE([]float64{1, 2}, []float64{1}, []float64{1, 2}, 1) },
		"Coverage": func() { Coverage([]float64{1}, []float64{1}, nil) },
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with mismatched lengths did not panic", name)
				}
			}()
			f()
		})
	}
}
