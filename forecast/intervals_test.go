package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// minLenModel fails with ErrShortHistory on histories shorter than min.
type minLenModel struct {
	Model
	min int
}

func (m minLenModel) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	if y.Len() < m.min {
		return nil, ErrShortHistory
	}
	return m.Model.Fit(ctx, y)
}

// noisyDaily is hourly data: a daily cycle around 100 times lognormal noise.
func noisyDaily(n int, sigma float64, rng *rand.Rand) timeseries.Series {
	y := timeseries.Series{Name: "noisy", Start: mondayEpoch, Step: time.Hour, Values: make([]float64, n)}
	for i := range y.Values {
		y.Values[i] = dailyShape(i, 100) * math.Exp(sigma*rng.NormFloat64())
	}
	return y
}

func TestIntervalsCoverLevel(t *testing.T) {
	const n, h, reps = 24 * 28, 24, 40
	rng := rand.New(rand.NewPCG(7, 7))
	for _, level := range []float64{0.8, 0.9} {
		in, total := 0, 0
		for range reps {
			y := noisyDaily(n+h, 0.1, rng)
			p, err := predict(context.Background(), phaseMeanModel{24}, y.Slice(0, n), h, level, nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.cal.Method != CalibrationRollingOrigin || !p.cal.Relative {
				t.Fatalf("calibration = %+v, want relative rolling-origin", p.cal)
			}
			for j := range h {
				a := y.Values[n+j]
				if a >= p.lower[j] && a <= p.upper[j] {
					in++
				}
				total++
			}
		}
		got := float64(in) / float64(total)
		t.Logf("level %.2f: empirical coverage %.3f over %d steps", level, got, total)
		if math.Abs(got-level) > 0.07 {
			t.Errorf("level %.2f: empirical coverage %.3f over %d steps, want within 0.07", level, got, total)
		}
	}
}

func TestIntervalsFallBackToInSample(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	y := noisyDaily(24*3, 0.1, rng)
	model := minLenModel{Model: phaseMeanModel{24}, min: y.Len()} // no refit possible
	p, err := predict(context.Background(), model, y, 12, 0.9, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.cal.Method != CalibrationInSample || !strings.Contains(p.cal.Note, "too short") {
		t.Fatalf("calibration = %+v, want the in-sample fallback with a note", p.cal)
	}
	c := relShift(y.Values)
	w0 := math.Log((p.upper[0] + c) / (p.point[0] + c))
	w8 := math.Log((p.upper[8] + c) / (p.point[8] + c))
	if w0 <= 0 || math.Abs(w8/w0-3) > 1e-9 {
		t.Errorf("relative upper widths %.4f at h=1, %.4f at h=9: want positive and growing as sqrt(h)", w0, w8)
	}
}

// TestRelativeErrorsBoundedNearZero: a forecast of 1 against an actual of
// 20 in a quiet hour, with a typical level of 20, must not widen the band
// of a busy hour forecast at 100 twentyfold, as a plain log ratio would
// (here: 100+2 times 22/3, about 7.3-fold).
func TestRelativeErrorsBoundedNearZero(t *testing.T) {
	history := []float64{10, 20, 30, 20, 15, 25, 20, 0, 12, 18}
	shift := relShift(history)
	if shift != 2 {
		t.Fatalf("relShift = %v, want a tenth of the median of the positive values, 2", shift)
	}
	rel, abs := foldErrors([]float64{20}, []float64{1}, true, shift)
	if abs[0] != 19 || math.Abs(rel[0]-math.Log(22.0/3)) > 1e-12 {
		t.Fatalf("foldErrors = %v, %v; want log(22/3) and 19", rel, abs)
	}
	b := errorBands{cal: Calibration{Relative: true}, shift: shift, relLo: []float64{0}, relHi: rel, absLo: []float64{0}, absHi: abs}
	lower, upper := b.bounds([]float64{100})
	if lower[0] != 100 || upper[0] > 8*100 || upper[0] <= 100 {
		t.Fatalf("bounds of 100: [%v, %v], want [100, below 800]", lower[0], upper[0])
	}
	if r := shiftedLogRatio(-5, 1, 0); !math.IsNaN(r) {
		t.Fatalf("shiftedLogRatio of a negative actual = %v, want NaN", r)
	}
}

func TestStepQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	errs := make([][]float64, 4)
	for o := range errs {
		errs[o] = make([]float64, 30)
		for j := range errs[o] {
			errs[o][j] = float64(j+1) * rng.NormFloat64()
		}
	}
	errs[0][3] = math.NaN()
	lo, hi := stepQuantiles(errs, 0.9)
	for j := range lo {
		if lo[j] > 0 || hi[j] < 0 {
			t.Errorf("step %d: band [%v, %v] does not contain 0", j, lo[j], hi[j])
		}
		if j > 0 && (lo[j] > lo[j-1] || hi[j] < hi[j-1]) {
			t.Errorf("step %d: band [%v, %v] narrower than step %d's [%v, %v]", j, lo[j], hi[j], j-1, lo[j-1], hi[j-1])
		}
	}
	if hi[29] < 5*hi[0] {
		t.Errorf("band does not widen with error size: hi[0]=%v hi[29]=%v", hi[0], hi[29])
	}
}

func TestBoundsClampNonNegative(t *testing.T) {
	b := errorBands{nonNegative: true, absLo: []float64{-5, -5}, absHi: []float64{5, 5}}
	lo, hi := b.bounds([]float64{2, 0})
	if lo[0] != 0 || hi[0] != 7 || lo[1] != 0 || hi[1] != 5 {
		t.Errorf("bounds = %v %v, want [0 0] [7 5]", lo, hi)
	}
}

func TestSampleQuantiles(t *testing.T) {
	tests := []struct {
		name   string
		xs     []float64
		level  float64
		lo, hi float64
	}{
		{"one value", []float64{3}, 0.9, 3, 3},
		{"uniform grid", []float64{4, 0, 2, 1, 3}, 0.5, 1, 3},
		{"interpolated", []float64{0, 10}, 0.9, 0.5, 9.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := sampleQuantiles(tc.xs, tc.level)
			if math.Abs(lo-tc.lo) > 1e-12 || math.Abs(hi-tc.hi) > 1e-12 {
				t.Errorf("sampleQuantiles(%v, %v) = %v, %v; want %v, %v", tc.xs, tc.level, lo, hi, tc.lo, tc.hi)
			}
		})
	}
}

func TestCalibrationOrigins(t *testing.T) {
	tests := []struct {
		name  string
		n, h  int
		count int
	}{
		{"short history, many cheap refits", 960, 48, maxRefits},
		{"long history, few refits", 40320, 48, minRefits},
		{"medium history", 8192, 48, 4},
		{"one-step horizon gathers errors", 40320, 1, maxRefits},
		{"horizon longer than the history", 30, 48, 0},
		{"room for two only", 100, 40, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := calibrationOrigins(tc.n, tc.h)
			if len(got) != tc.count {
				t.Fatalf("calibrationOrigins(%d, %d) = %v, want %d origins", tc.n, tc.h, got, tc.count)
			}
			for k, o := range got {
				if o != tc.n-(k+1)*tc.h {
					t.Errorf("origin %d = %d, want %d", k, o, tc.n-(k+1)*tc.h)
				}
			}
		})
	}
}
