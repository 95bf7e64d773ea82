package forecast

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// namedModel renames a test model so that candidates can be told apart.
type namedModel struct {
	Model
	name string
}

func (m namedModel) Name() string { return m.name }

// failingModel never fits.
type failingModel struct{}

func (failingModel) Name() string { return "failing" }
func (failingModel) Fit(context.Context, timeseries.Series) (Fit, error) {
	return nil, errors.New("cannot fit")
}

func TestAutoChoosesLowestMASE(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	y := noisyDaily(24*21, 0.05, rng)
	daily := namedModel{phaseMeanModel{24}, "daily"}
	wrong := namedModel{phaseMeanModel{17}, "wrong-period"}
	tests := []struct {
		name       string
		candidates []Model
		want       string
	}{
		{"right period wins", []Model{wrong, daily}, "daily"},
		{"order does not matter", []Model{daily, wrong}, "daily"},
		{"failing candidate skipped", []Model{failingModel{}, wrong}, "wrong-period"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewAuto(tc.candidates...).Fit(context.Background(), y)
			if err != nil {
				t.Fatal(err)
			}
			af := f.(*AutoFit)
			if af.Choice() != tc.want {
				t.Errorf("chose %q (scores %+v), want %q", af.Choice(), af.Scores(), tc.want)
			}
			if _, name := resolve(NewAuto(), f); name != "auto→"+tc.want {
				t.Errorf("resolved name %q, want auto→%s", name, tc.want)
			}
		})
	}
}

func TestAutoNoCandidateFits(t *testing.T) {
	y := noisyDaily(100, 0.1, rand.New(rand.NewPCG(1, 1)))
	if _, err := NewAuto(failingModel{}).Fit(context.Background(), y); err == nil {
		t.Error("auto with only a failing candidate fitted")
	}
	if _, err := (&Auto{}).Fit(context.Background(), y); err == nil {
		t.Error("auto without candidates fitted")
	}
}

func TestAutoShortHistoryFallsBack(t *testing.T) {
	// Too short for any fold of the default horizon: the first candidate that
	// fits the whole history is chosen.
	y := noisyDaily(30, 0.1, rand.New(rand.NewPCG(2, 2)))
	f, err := NewAuto(failingModel{}, namedModel{phaseMeanModel{24}, "daily"}).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.(*AutoFit).Choice(); got != "daily" {
		t.Errorf("chose %q, want daily", got)
	}
}

func TestPrimaryPeriod(t *testing.T) {
	tests := []struct {
		step time.Duration
		want int
	}{
		{time.Hour, 24}, {time.Minute, 1440}, {15 * time.Minute, 96}, {24 * time.Hour, 7},
	}
	for _, tc := range tests {
		y := timeseries.Series{Start: mondayEpoch, Step: tc.step, Values: make([]float64, 10)}
		if got := scalePeriod(y); got != tc.want {
			t.Errorf("scalePeriod(step %s) = %d, want %d", tc.step, got, tc.want)
		}
	}
}

// countingModel counts its fits.
type countingModel struct {
	Model
	fits *atomic.Int64
}

func (m countingModel) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	m.fits.Add(1)
	return m.Model.Fit(ctx, y)
}

func TestAutoCalibrationReusesBacktest(t *testing.T) {
	y := noisyDaily(24*60, 0.05, rand.New(rand.NewPCG(4, 4)))
	refits := len(calibrationOrigins(y.Len(), 24))
	var fits atomic.Int64
	auto := NewAuto(countingModel{phaseMeanModel{24}, &fits})
	auto.Horizon = 24
	p, err := predict(context.Background(), auto, y, 24, 0.9, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.cal.Method != CalibrationRollingOrigin || p.cal.Refits != refits {
		t.Errorf("calibration %+v, want %d rolling-origin refits", p.cal, refits)
	}
	if got, want := fits.Load(), int64(refits+1); got != want {
		t.Errorf("%d fits, want %d: the backtest's folds should serve as the calibration refits", got, want)
	}
}

// TestAutoOrigins checks that the backtest's folds see at least as much
// history as they forecast, the latest fold always kept.
func TestAutoOrigins(t *testing.T) {
	tests := []struct {
		name  string
		folds int
		n, h  int
		want  []int
	}{
		{"a short horizon keeps every fold", 0, 1000, 48, []int{952, 904, 856, 808, 760, 712, 664, 616}},
		{"ninety days of half hours in nine months", 0, 13248, 4320, []int{8928, 4608}},
		{"explicit folds", 3, 13248, 4320, []int{8928, 4608}},
		{"too short for any: the latest", 0, 100, 60, []int{40}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &Auto{Folds: tc.folds}
			assert.Equal(t, tc.want, a.origins(tc.n, tc.h))
		})
	}
}

func TestWithPrior(t *testing.T) {
	tests := []struct {
		name  string
		w     []float64
		folds int
		prior float64
		want  []float64
	}{
		{"one fold against three", []float64{0, 1}, 3, 1, []float64{0.25, 0.75}},
		{"no fold: the prior alone", []float64{0, 1}, 0, 1, []float64{1, 0}},
		{"the prior's own weight adds", []float64{0.5, 0.5}, 1, 1, []float64{0.75, 0.25}},
		{"no prior: as it is", []float64{0, 1}, 3, 0, []float64{0, 1}},
		{"a prior under 2% is dropped", []float64{0, 1}, 100, 1, []float64{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDeltaSlice(t, tc.want, withPrior(slices.Clone(tc.w), tc.folds, tc.prior), 1e-12)
		})
	}
}

// TestAutoPrior checks that without a fold that saw as much history as it
// forecasts, an Auto with a prior fits its first candidate alone, however
// the one short fold ranked them, and that a fold of evidence shares the
// forecast with it.
func TestAutoPrior(t *testing.T) {
	y := noisyDaily(24*5, 0.05, rand.New(rand.NewPCG(5, 5)))
	wrong := namedModel{phaseMeanModel{17}, "wrong-period"}
	daily := namedModel{phaseMeanModel{24}, "daily"}
	tests := []struct {
		name    string
		n, h    int
		prior   float64
		want    string
		weights []float64
	}{
		{"no prior: the short fold decides", 24 * 5, 72, 0, "daily", []float64{0, 1}},
		{"prior, no qualified fold: the prior alone", 24 * 5, 72, 1, "wrong-period", []float64{1, 0}},
		{"prior, one qualified fold: shared", 24 * 5, 48, 1, "wrong-period+daily", []float64{0.5, 0.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &Auto{Candidates: []Model{wrong, daily}, Horizon: tc.h, Folds: 1, PriorFolds: tc.prior}
			f, err := a.Fit(context.Background(), y.Slice(0, tc.n))
			require.NoError(t, err)
			af := f.(*AutoFit)
			assert.Equal(t, tc.want, af.Choice(), "scores %+v", af.Scores())
			assert.InDeltaSlice(t, tc.weights, af.Weights(), 0.02)
		})
	}
}

func TestWithEventsKeepsAutoOptions(t *testing.T) {
	a := NewAuto()
	a.Horizon, a.Folds, a.Exponent = 48, 2, 3
	w, ok := WithEvents(a, nil).(*Auto)
	require.True(t, ok)
	assert.Equal(t, []any{48, 2, 3.0, float64(DefaultPriorFolds)}, []any{w.Horizon, w.Folds, w.Exponent, w.PriorFolds})
	assert.Len(t, w.Candidates, len(a.Candidates))
}
