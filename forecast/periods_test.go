package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// synthEpoch is a Monday at midnight UTC, the start of the synthetic series.
var synthEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// synthSpec describes a synthetic traffic-like series: a level with a
// linear trend, a smooth daily shape of relative amplitude dayAmp (period
// dayLen, one calendar day by default), weekends scaled by weekend, and
// Gaussian noise of relative standard deviation noise. With additive set,
// the daily and weekend effects are offsets of the starting level instead
// of factors.
type synthSpec struct {
	n        int
	step     time.Duration
	level    float64
	trend    float64 // per step
	dayAmp   float64
	dayLen   time.Duration
	weekend  float64 // factor on Saturdays and Sundays; 0 means 1
	noise    float64
	additive bool
	seed     uint64
}

// series builds the synthetic series of s.
func (s synthSpec) series() timeseries.Series {
	rng := rand.New(rand.NewPCG(s.seed, 7))
	dayLen := s.dayLen
	if dayLen == 0 {
		dayLen = 24 * time.Hour
	}
	y := timeseries.Series{Name: "synthetic", Start: synthEpoch, Step: s.step, Values: make([]float64, s.n)}
	for i := range y.Values {
		at := time.Duration(i) * s.step
		phase := float64(at%dayLen) / float64(dayLen)
		day := s.dayAmp * math.Sin(2*math.Pi*(phase-0.3))
		week := 0.0
		if s.weekend != 0 && (at/(24*time.Hour))%7 >= 5 {
			week = s.weekend - 1
		}
		base := s.level + s.trend*float64(i)
		if s.additive {
			y.Values[i] = base + s.level*(day+week) + s.level*s.noise*rng.NormFloat64()
		} else {
			y.Values[i] = base * (1 + day) * (1 + week) * (1 + s.noise*rng.NormFloat64())
		}
	}
	return y
}

// withBursts returns y with its values multiplied by factor over runs of
// length steps from each of starts: unscheduled bursts (news, spam) over a
// daily cycle.
func withBursts(y timeseries.Series, factor float64, length int, starts ...int) timeseries.Series {
	y = y.Clone()
	for _, s := range starts {
		for i := s; i < min(s+length, y.Len()); i++ {
			y.Values[i] *= factor
		}
	}
	return y
}

func TestWinsorise(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		v    []float64
		want []float64
	}{
		// median 3, MAD 1: the bounds are 3 ± 5·1.4826.
		{"a burst is clamped, NaN kept", []float64{1, 2, 3, 3, 4, 5, nan, 300}, []float64{1, 2, 3, 3, 4, 5, nan, 3 + 5*1.4826}},
		{"no value beyond the bounds", []float64{1, 2, 3, 4, 5}, []float64{1, 2, 3, 4, 5}},
		{"no spread: as it is", []float64{7, 7, 7, 7, 700}, []float64{7, 7, 7, 7, 700}},
		{"all missing", []float64{nan, nan}, []float64{nan, nan}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := winsorise(tc.v)
			require.Len(t, got, len(tc.want))
			for i := range got {
				if math.IsNaN(tc.want[i]) {
					assert.True(t, math.IsNaN(got[i]), "value %d", i)
					continue
				}
				assert.InDelta(t, tc.want[i], got[i], 1e-9, "value %d", i)
			}
		})
	}
}

// withNaN returns y with the steps [from, to) missing.
func withNaN(y timeseries.Series, from, to int) timeseries.Series {
	y = y.Clone()
	for i := from; i < to; i++ {
		y.Values[i] = math.NaN()
	}
	return y
}

func TestDetectPeriods(t *testing.T) {
	hour, fiveMin := time.Hour, 5*time.Minute
	tests := []struct {
		name       string
		y          timeseries.Series
		maxPeriods int
		want       []int
	}{
		{"hourly day and week", synthSpec{n: 28 * 24, step: hour, level: 100, dayAmp: 0.5, weekend: 0.6, noise: 0.05}.series(), 2, []int{24, 168}},
		{"hourly day only", synthSpec{n: 28 * 24, step: hour, level: 100, dayAmp: 0.5, noise: 0.05}.series(), 2, []int{24}},
		{"max one period", synthSpec{n: 28 * 24, step: hour, level: 100, dayAmp: 0.5, weekend: 0.6, noise: 0.05}.series(), 1, []int{24}},
		{"five minutes with NaN runs", withNaN(withNaN(synthSpec{n: 21 * 288, step: fiveMin, level: 50, trend: 0.002, dayAmp: 0.6, weekend: 0.5, noise: 0.1}.series(), 1000, 1600), 4000, 4100), 2, []int{288, 2016}},
		{"one minute, four weeks", synthSpec{n: 28 * 1440, step: time.Minute, level: 200, dayAmp: 0.6, weekend: 0.6, noise: 0.1}.series(), 2, []int{1440, 10080}},
		{"23-hour cycle beats the calendar day", synthSpec{n: 40 * 24, step: hour, level: 20, dayAmp: 0.3, dayLen: 23 * time.Hour, noise: 0.02}.series(), 2, []int{23}},
		{"non-calendar step", synthSpec{n: 2000, step: 7 * time.Minute, level: 10, dayAmp: 0.5, dayLen: 30 * 7 * time.Minute, noise: 0.05}.series(), 2, []int{30}},
		{"daily, eight years: weekly on whole blocks", synthSpec{n: 2905, step: 24 * hour, level: 100, weekend: 0.6, noise: 0.05}.series(), 2, []int{7}},
		{"half-hourly, nine months", synthSpec{n: 274 * 48, step: 30 * time.Minute, level: 30, dayAmp: 0.3, weekend: 0.8, noise: 0.02}.series(), 2, []int{48, 336}},
		{"hourly day under rare bursts a hundred times the level", withBursts(synthSpec{n: 28 * 24, step: hour, level: 100, dayAmp: 0.5, noise: 0.05}.series(), 100, 3, 101, 250, 333, 530), 2, []int{24}},
		{"white noise", synthSpec{n: 28 * 24, step: hour, level: 100, noise: 0.2}.series(), 2, nil},
		{"shorter than two days", synthSpec{n: 40, step: hour, level: 100, dayAmp: 0.5, noise: 0.01}.series(), 2, nil},
		{"all missing", withNaN(synthSpec{n: 100, step: hour, level: 1}.series(), 0, 100), 2, nil},
		{"no slot", synthSpec{n: 28 * 24, step: hour, level: 100, dayAmp: 0.5}.series(), 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectPeriods(tc.y, tc.maxPeriods); !slices.Equal(got, tc.want) {
				t.Errorf("DetectPeriods(%d steps of %v, %d) = %v, want %v", tc.y.Len(), tc.y.Step, tc.maxPeriods, got, tc.want)
			}
		})
	}
}

func TestBlockLength(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		calendar []int
		want     int
	}{
		{"short: no blocks", 2000, []int{24, 168}, 1},
		{"four weeks of minutes", 40320, []int{1440, 10080}, 20},
		{"nine months of half hours: 8 divides a day, 7 does not", 13152, []int{48, 336}, 8},
		{"eight years of days: no divisor of a week", 2905, []int{7}, 1},
		{"three years of hours: 24 has no divisor from 13 to 12", 26280, []int{24, 168}, 1},
		{"no calendar period", 20000, nil, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, blockLength(tc.n, tc.calendar))
		})
	}
}

func TestAutocorrelationNaNAware(t *testing.T) {
	// A period-4 signal with every other cycle missing: the lags whose
	// pairs survive keep their exact correlation.
	v := make([]float64, 64)
	for i := range v {
		v[i] = []float64{1, 3, 1, -1}[i%4]
		if (i/8)%2 == 1 {
			v[i] = math.NaN()
		}
	}
	r := autocorrelation(v)
	if math.Abs(r[0]-1) > 1e-9 || r[4] < 0.95 || r[2] > -0.8 {
		t.Errorf("r[0], r[2], r[4] = %.3f, %.3f, %.3f; want 1, about −1, about 1", r[0], r[2], r[4])
	}
}

// TestAutocorrelationDirect checks the FFT autocorrelation against the
// sums of lagged products computed directly, on a complete series (whose
// pair counts are taken as n−k) and on one with gaps (counted by FFT).
func TestAutocorrelationDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, gaps := range []bool{false, true} {
		v := make([]float64, 301)
		for i := range v {
			v[i] = math.Sin(2*math.Pi*float64(i)/24) + 0.3*rng.NormFloat64() + 0.01*float64(i)
			if gaps && rng.IntN(10) == 0 {
				v[i] = math.NaN()
			}
		}
		x := detrend(v)
		direct := func(k int) float64 {
			sum, pairs := 0.0, 0
			for i := 0; i+k < len(x); i++ {
				if !math.IsNaN(x[i]) && !math.IsNaN(x[i+k]) {
					sum, pairs = sum+x[i]*x[i+k], pairs+1
				}
			}
			return sum / float64(pairs)
		}
		r := autocorrelation(v)
		for k := range r {
			assert.InDelta(t, direct(k)/direct(0), r[k], 1e-9, "gaps %v, lag %d", gaps, k)
		}
	}
}

// BenchmarkDetectPeriods detects the periods of four weeks of one-minute
// data (40,320 steps).
func BenchmarkDetectPeriods(b *testing.B) {
	y := synthSpec{n: 28 * 1440, step: time.Minute, level: 200, dayAmp: 0.6, weekend: 0.6, noise: 0.1}.series()
	b.ReportAllocs()
	for b.Loop() {
		DetectPeriods(y, 2)
	}
}

// TestDetectPeriodsWikipedia checks the daily Wikipedia trace, whose yearly
// swing (the football season) hid its weekly cycle from the opposite-phase
// test and whose 2,964 days were averaged over blocks of two, off the week:
// at each backtest origin, with the games masked or not, the week and the
// 52-week year are found.
func TestDetectPeriodsWikipedia(t *testing.T) {
	y, events := wikipediaEvents(t)
	spans := eventSpans(y.Start, y.Step, events)
	for _, d := range []string{"2013-01-05", "2014-01-12", "2015-01-04", "2016-01-17"} {
		at, err := time.Parse(time.DateOnly, d)
		require.NoError(t, err)
		h := y.Slice(0, y.Index(at))
		masked, _ := maskSpans(h, spans)
		assert.Equal(t, []int{7, 364}, DetectPeriods(h, 2), "history to %s", d)
		assert.Equal(t, []int{7, 364}, DetectPeriods(masked, 2), "history to %s, games masked", d)
	}
}
