package forecast

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// hourly returns an hourly series of values starting at synthEpoch.
func hourly(values ...float64) timeseries.Series {
	return timeseries.Series{Name: "test", Start: synthEpoch, Step: time.Hour, Values: values}
}

func TestSeasonalNaive(t *testing.T) {
	tests := []struct {
		name     string
		period   int
		y        timeseries.Series
		h        int
		want     []float64
		inSample []float64
	}{
		{"repeats the last season", 3, hourly(1, 2, 3, 4, 5, 6), 4, []float64{4, 5, 6, 4}, []float64{nan, nan, nan, 1, 2, 3}},
		{"missing value takes an earlier season", 3, hourly(1, 2, 3, 4, nan, 6), 3, []float64{4, 2, 6}, []float64{nan, nan, nan, 1, 2, 3}},
		{"phase never seen takes the last value", 3, hourly(1, nan, 3, 4, nan, 6), 2, []float64{4, 6}, []float64{nan, nan, nan, 1, nan, 3}},
		{"period one is naive", 1, hourly(1, 2, nan), 2, []float64{2, 2}, []float64{nan, 1, 2}},
		{"zero horizon", 2, hourly(1, 2), 0, []float64{}, []float64{nan, nan}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fit, err := NewSeasonalNaive(tc.period).Fit(context.Background(), tc.y)
			if err != nil {
				t.Fatal(err)
			}
			eq := func(a, b float64) bool { return sameFloat(a, b, 0) }
			if got := fit.Forecast(tc.h); !slices.EqualFunc(got, tc.want, eq) {
				t.Errorf("Forecast(%d) = %v, want %v", tc.h, got, tc.want)
			}
			if got := fit.InSample(); !slices.EqualFunc(got, tc.inSample, eq) {
				t.Errorf("InSample() = %v, want %v", got, tc.inSample)
			}
		})
	}
}

func TestSeasonalNaiveDetectsPeriod(t *testing.T) {
	y := synthSpec{n: 21 * 24, step: time.Hour, level: 100, dayAmp: 0.5, noise: 0.01}.series()
	fit, err := NewSeasonalNaive(0).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	got, n := fit.Forecast(24), y.Len()
	if !slices.Equal(got, y.Values[n-24:]) {
		t.Errorf("forecast is not the last day: got %v, want %v", got, y.Values[n-24:])
	}
}

func TestModelErrors(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	models := []Model{
		NewSeasonalNaive(24),
		NewHoltWinters(HoltWintersOptions{Period: 24}),
		NewMultiSeasonal(MultiSeasonalOptions{}),
	}
	day := synthSpec{n: 24 * 7, step: time.Hour, level: 10, dayAmp: 0.5}.series()
	tests := []struct {
		name string
		ctx  context.Context
		y    timeseries.Series
		want map[string]error
	}{
		{"cancelled", cancelled, day, map[string]error{"snaive": context.Canceled, "holt-winters": context.Canceled, "mseasonal": context.Canceled}},
		{"empty", context.Background(), hourly(), map[string]error{"snaive": ErrNoData, "holt-winters": ErrNoData, "mseasonal": ErrNoData}},
		{"all missing", context.Background(), hourly(nan, nan, nan), map[string]error{"snaive": ErrNoData, "holt-winters": ErrNoData, "mseasonal": ErrNoData}},
		{"short", context.Background(), hourly(1, 2), map[string]error{"snaive": ErrShortHistory, "holt-winters": ErrShortHistory, "mseasonal": ErrShortHistory}},
	}
	for _, tc := range tests {
		for _, m := range models {
			t.Run(tc.name+"/"+m.Name(), func(t *testing.T) {
				_, err := m.Fit(tc.ctx, tc.y)
				if want := tc.want[m.Name()]; !errors.Is(err, want) {
					t.Errorf("Fit error = %v, want %v", err, want)
				}
			})
		}
	}
}

// BenchmarkSeasonalNaiveFit fits (detecting the period) and forecasts 48
// steps of four weeks of one-minute data.
func BenchmarkSeasonalNaiveFit(b *testing.B) {
	y := synthSpec{n: 28 * 1440, step: time.Minute, level: 200, dayAmp: 0.6, weekend: 0.6, noise: 0.1}.series()
	m := NewSeasonalNaive(0)
	b.ReportAllocs()
	for b.Loop() {
		f, err := m.Fit(context.Background(), y)
		if err != nil {
			b.Fatal(err)
		}
		f.Forecast(48)
	}
}

// sumFinite returns the sum of the finite values of v (a test helper for
// forecasts that must not be NaN).
func sumFinite(v []float64) (float64, bool) {
	s := 0.0
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return s, false
		}
		s += x
	}
	return s, true
}
