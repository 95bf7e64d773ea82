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

// dailyAR returns n hours of a daily cycle around 100 whose deviations
// follow an AR(1) process of coefficient phi (innovations of sd sigma, in
// log units), so that a deviation decays over hours, not at once.
func dailyAR(n int, phi, sigma float64, rng *rand.Rand) timeseries.Series {
	y := timeseries.Series{Name: "daily-ar", Start: mondayEpoch, Step: time.Hour, Values: make([]float64, n)}
	e := 0.0
	for i := range y.Values {
		e = phi*e + sigma*rng.NormFloat64()
		y.Values[i] = dailyShape(i, 100) * math.Exp(e)
	}
	return y
}

func TestFitARRecoversCoefficients(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	a := make([]float64, 4000)
	for i := 2; i < len(a); i++ {
		a[i] = 0.6*a[i-1] - 0.2*a[i-2] + rng.NormFloat64()
	}
	for i := range a {
		a[i] += 10
	}
	coef, mean, ok := fitAR(a, 2)
	require.True(t, ok)
	assert.InDelta(t, 10, mean, 0.1)
	assert.InDelta(t, 0, coef[0], 0.05, "intercept")
	assert.InDelta(t, 0.6, coef[1], 0.05, "lag 1")
	assert.InDelta(t, -0.2, coef[2], 0.05, "lag 2")

	// With missing values the complete rows give the same answer.
	for i := 100; i < len(a); i += 97 {
		a[i] = math.NaN()
	}
	coef, _, ok = fitAR(a, 2)
	require.True(t, ok)
	assert.InDelta(t, 0.6, coef[1], 0.05, "lag 1 with gaps")
	assert.InDelta(t, -0.2, coef[2], 0.05, "lag 2 with gaps")

	_, _, ok = fitAR(a[:20], 8)
	assert.False(t, ok, "20 steps for 9 coefficients")
}

func TestARNormalEquationsFastPathMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := make([]float64, 500)
	for i := range a {
		a[i] = rng.NormFloat64() + math.Sin(float64(i)/5)
	}
	for _, order := range []int{1, 3, 24} {
		k := order + 1
		fastX, fastY := make([]float64, k*k), make([]float64, k)
		slowX, slowY := make([]float64, k*k), make([]float64, k)
		require.Equal(t, arNormalEquationsMissing(a, 0.3, order, slowX, slowY), arNormalEquations(a, 0.3, order, fastX, fastY))
		assert.InDeltaSlice(t, slowY, fastY, 1e-8, "order %d", order)
		for i := range k {
			assert.InDeltaSlice(t, slowX[i*k+i:i*k+k], fastX[i*k+i:i*k+k], 1e-8, "order %d, row %d", order, i)
		}
	}
}

// TestSeasonalARFollowsDecay checks that on a daily cycle with persistent
// deviations SeasonalAR beats MultiSeasonal over the next hours, which the
// level of the last day cannot follow, summed over several histories.
func TestSeasonalARFollowsDecay(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	const h = 6
	var arErr, msErr float64
	for range 20 {
		y := dailyAR(24*28+h, 0.95, 0.05, rng)
		hist, actual := splitLast(y, h)
		ar, err := NewSeasonalAR(MultiSeasonalOptions{}).Fit(context.Background(), hist)
		require.NoError(t, err)
		ms, err := NewMultiSeasonal(MultiSeasonalOptions{}).Fit(context.Background(), hist)
		require.NoError(t, err)
		require.IsType(t, &arFit{}, ar)
		arFc, msFc := ar.Forecast(h), ms.Forecast(h)
		require.Len(t, arFc, h)
		for k := range h {
			arErr += math.Abs(actual[k] - arFc[k])
			msErr += math.Abs(actual[k] - msFc[k])
		}
		assert.Equal(t, nanToZero(ms.InSample()), nanToZero(ar.InSample()), "in-sample values are mseasonal's")
	}
	assert.Less(t, arErr, 0.75*msErr, "SeasonalAR MAE %.2f, MultiSeasonal %.2f", arErr/(20*h), msErr/(20*h))
}

func TestSeasonalAREdgeCases(t *testing.T) {
	ctx := context.Background()
	m := NewSeasonalAR(MultiSeasonalOptions{})
	assert.Equal(t, "mseasonal-ar", m.Name())

	t.Run("without a period it is mseasonal", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(4, 4))
		y := timeseries.Series{Start: mondayEpoch, Step: time.Hour, Values: make([]float64, 300)}
		for i := range y.Values {
			y.Values[i] = 50 + rng.NormFloat64()
		}
		ar, err := m.Fit(ctx, y)
		require.NoError(t, err)
		ms, err := NewMultiSeasonal(MultiSeasonalOptions{}).Fit(ctx, y)
		require.NoError(t, err)
		assert.Equal(t, ms.Forecast(24), ar.Forecast(24))
	})

	t.Run("missing recent values are predicted", func(t *testing.T) {
		y := dailyAR(24*21, 0.8, 0.05, rand.New(rand.NewPCG(6, 6)))
		y = withNaN(y, y.Len()-30, y.Len()-3)
		f, err := m.Fit(ctx, y)
		require.NoError(t, err)
		for k, v := range f.Forecast(48) {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "step %d: %v", k, v)
			assert.InDelta(t, dailyShape(y.Len()+k, 100), v, 40, "step %d", k)
		}
	})

	t.Run("errors are mseasonal's", func(t *testing.T) {
		y := timeseries.Series{Start: mondayEpoch, Step: time.Hour, Values: []float64{math.NaN(), math.NaN()}}
		_, err := m.Fit(ctx, y)
		assert.ErrorIs(t, err, ErrNoData)
	})
}

// TestAutoSharesMultiSeasonalFit checks that inside one Auto fit the
// mseasonal and mseasonal-ar candidates share MultiSeasonal's fit, with and
// without a calendar, and that the forecast is the one of separate fits.
func TestAutoSharesMultiSeasonalFit(t *testing.T) {
	y := dailyAR(24*28, 0.9, 0.05, rand.New(rand.NewPCG(8, 8)))
	candidates := []Model{NewMultiSeasonal(MultiSeasonalOptions{}), NewSeasonalAR(MultiSeasonalOptions{})}
	for _, tc := range []struct {
		name  string
		model Model
	}{
		{"plain", &Auto{Candidates: candidates, Exponent: 0.01}},
		{"with events", WithEvents(&Auto{Candidates: candidates, Exponent: 0.01}, saleWeeks(5, 0))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.model.Fit(context.Background(), y)
			require.NoError(t, err)
			cf, ok := f.(*AutoFit).Fit.(combinedFit)
			require.True(t, ok, "a combination of both")
			require.Len(t, cf.fits, 2)
			ms, ar := unwrapEvents(cf.fits[0]), unwrapEvents(cf.fits[1])
			if _, ok := ms.(*arFit); ok {
				ms, ar = ar, ms
			}
			require.IsType(t, &arFit{}, ar)
			assert.Same(t, ms.(*msFit), ar.(*arFit).msFit)

			sep := make([][]float64, 2)
			for i, c := range f.(*AutoFit).chosen.(combination).models {
				fit, err := c.Fit(context.Background(), y)
				require.NoError(t, err)
				sep[i] = fit.Forecast(24)
			}
			assert.InDeltaSlice(t, weightedMean(sep, cf.weights, 24), f.Forecast(24), 1e-9)
		})
	}
}

// unwrapEvents returns the base fit of an event-aware fit, else f.
func unwrapEvents(f Fit) Fit {
	if e, ok := f.(*eventFit); ok {
		return e.base
	}
	return f
}

// nanToZero returns a copy of v with NaN as 0, for comparisons.
func nanToZero(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		if !math.IsNaN(x) {
			out[i] = x
		}
	}
	return out
}
