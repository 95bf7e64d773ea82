package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twoSeasons returns n hourly steps of a level with a slope, a daily and a
// weekly cycle, and Gaussian noise of the given standard deviation.
func twoSeasons(n int, slope, noise float64, seed uint64) timeseries.Series {
	rng := rand.New(rand.NewPCG(seed, 7))
	y := timeseries.Series{Name: "two-seasons", Start: mondayEpoch, Step: time.Hour, Values: make([]float64, n)}
	for i := range y.Values {
		y.Values[i] = twoSeasonsAt(i, slope) + noise*rng.NormFloat64()
	}
	return y
}

func twoSeasonsAt(i int, slope float64) float64 {
	t := float64(i)
	return 100 + slope*t + 10*math.Sin(2*math.Pi*t/24) + 5*math.Cos(2*math.Pi*t/168)
}

func TestMSTLForecastsKnownComponents(t *testing.T) {
	tests := []struct {
		name    string
		slope   float64
		noise   float64
		missing int // steps blanked in the middle of the history
		maxMAE  float64
	}{
		{"noiseless with a trend", 0.05, 0, 0, 0.1},
		{"noisy and flat", 0, 1, 0, 1.2},
		{"gap in the history", 0, 0.5, 30, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 24 * 7 * 5
			y := twoSeasons(n, tc.slope, tc.noise, 1)
			for i := n / 2; i < n/2+tc.missing; i++ {
				y.Values[i] = math.NaN()
			}
			f, err := NewMSTL(MSTLOptions{}).Fit(context.Background(), y)
			require.NoError(t, err)
			fc := f.Forecast(48)
			require.Len(t, fc, 48)
			mae := 0.0
			for k, v := range fc {
				mae += math.Abs(v - twoSeasonsAt(n+k, tc.slope))
			}
			mae /= 48
			assert.Less(t, mae, tc.maxMAE, "MAE of the 48-step forecast against the noiseless truth")
			in := f.InSample()
			require.Len(t, in, n)
			assert.False(t, math.IsNaN(in[n/2]), "in-sample value inside the gap")
		})
	}
}

func TestMSTLErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		values []float64
		want   error
	}{
		{"no value", []float64{nan, nan, nan}, ErrNoData},
		{"two values", []float64{1, nan, 2}, ErrShortHistory},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := timeseries.Series{Name: "x", Start: mondayEpoch, Step: time.Hour, Values: tc.values}
			_, err := NewMSTL(MSTLOptions{}).Fit(context.Background(), y)
			require.ErrorIs(t, err, tc.want)
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewMSTL(MSTLOptions{}).Fit(ctx, twoSeasons(24*21, 0, 1, 2))
	require.ErrorIs(t, err, context.Canceled)
}

func TestSTLRobustToSpikes(t *testing.T) {
	y := twoSeasons(24*14, 0, 0.2, 3).Values
	clean := append([]float64(nil), y...)
	for _, i := range []int{50, 130, 200} {
		y[i] += 500
	}
	tests := []struct {
		name   string
		outer  int
		maxErr float64
	}{
		{"robust", DefaultMSTLRobustPasses, 3},
		{"not robust", 0, math.Inf(1)},
	}
	var errs []float64
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := stl(y, defaultSTLOptions(24, 11, tc.outer))
			ref, _ := stl(clean, defaultSTLOptions(24, 11, tc.outer))
			worst := 0.0
			for i := range s {
				worst = max(worst, math.Abs(s[i]-ref[i]))
			}
			errs = append(errs, worst)
			assert.Less(t, worst, tc.maxErr, "largest change of the seasonal component made by the spikes")
		})
	}
	require.Len(t, errs, 2)
	assert.Less(t, errs[0], errs[1]/10, "robustness weights should cut the spikes' effect")
}

func TestFitETSChoosesByAICc(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := 400
	flat, trend := make([]float64, n), make([]float64, n)
	for i := range flat {
		flat[i] = 50 + rng.NormFloat64()
		trend[i] = 50 + 0.5*float64(i) + rng.NormFloat64()
	}
	tests := []struct {
		name      string
		a         []float64
		wantTrend bool
	}{
		{"white noise has no trend", flat, false},
		{"a steady slope is kept", trend, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := fitETS(context.Background(), tc.a)
			require.NoError(t, err)
			if tc.wantTrend {
				assert.NotEqual(t, etsSimple, e.kind)
				assert.InDelta(t, 0.5, e.slope, 0.1, "slope per step")
			} else {
				assert.Equal(t, etsSimple, e.kind, "model kind (AICc %v)", e.aicc)
				assert.InDelta(t, 50, e.level, 1)
			}
		})
	}
}

func TestCombineWeights(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name     string
		mase     []float64
		exponent float64
		want     []float64
	}{
		{"equal scores share", []float64{1, 1}, 8, []float64{0.5, 0.5}},
		{"a much worse one is dropped", []float64{1, 2, 1}, 8, []float64{0.5, 0, 0.5}},
		{"failed candidate gets nothing", []float64{inf, 1}, 8, []float64{0, 1}},
		{"selection", []float64{1.1, 1}, -1, []float64{0, 1}},
		{"none scored", []float64{inf, inf}, 8, []float64{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scores := make([]CandidateScore, len(tc.mase))
			for i, m := range tc.mase {
				scores[i].MASE = m
			}
			got := combineWeights(scores, tc.exponent)
			require.Len(t, got, len(tc.want))
			for i := range got {
				assert.InDelta(t, tc.want[i], got[i], 1e-9, "weight %d", i)
			}
		})
	}
}

func TestAutoCombinesCloseCandidates(t *testing.T) {
	y := twoSeasons(24*7*6, 0, 2, 5)
	a := NewAuto(NewMultiSeasonal(MultiSeasonalOptions{}), NewMSTL(MSTLOptions{}), failingModel{})
	a.Horizon = 24
	f, err := a.Fit(context.Background(), y)
	require.NoError(t, err)
	af := f.(*AutoFit)
	w := af.Weights()
	require.Len(t, w, 3)
	assert.Greater(t, w[0], 0.0, "mseasonal weight")
	assert.Greater(t, w[1], 0.0, "mstl weight")
	assert.Zero(t, w[2], "failing candidate weight")
	assert.Contains(t, af.Choice(), "+", "a combination is named by its candidates")
	fc := f.Forecast(24)
	for k, v := range fc {
		assert.InDelta(t, twoSeasonsAt(y.Len()+k, 0), v, 4, "step %d", k)
	}
}
