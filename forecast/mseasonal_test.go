package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minuteBenchSeries is four weeks (40,320 steps) of synthetic requests per
// minute: a daily shape, quieter weekends, a slow upward trend, 10% noise,
// a 45-minute gap and scattered missing minutes.
func minuteBenchSeries() timeseries.Series {
	y := synthSpec{n: 28 * 1440, step: time.Minute, level: 200, trend: 0.002, dayAmp: 0.6, weekend: 0.6, noise: 0.1, seed: 11}.series()
	y = withNaN(y, 20000, 20045)
	for i := 777; i < y.Len(); i += 1777 {
		y.Values[i] = math.NaN()
	}
	return y
}

func TestMultiSeasonal(t *testing.T) {
	hour := time.Hour
	weeks := func(s synthSpec) timeseries.Series { s.n, s.step = 5*168, hour; return s.series() }
	shifted := weeks(synthSpec{level: 100, dayAmp: 0.4, weekend: 0.7, noise: 0.02})
	for i := shifted.Len() - 48 - 72; i < shifted.Len(); i++ {
		shifted.Values[i] *= 1.5
	}
	tests := []struct {
		name string
		opts MultiSeasonalOptions
		y    timeseries.Series
		tol  float64 // largest relative error of the 48-step forecast
	}{
		{"pure daily and weekly season", MultiSeasonalOptions{}, weeks(synthSpec{level: 100, dayAmp: 0.4, weekend: 0.6}), 0.005},
		{"additive season", MultiSeasonalOptions{Transform: TransformNone}, weeks(synthSpec{level: 100, dayAmp: 0.4, weekend: 0.6, additive: true}), 0.005},
		{"linear trend", MultiSeasonalOptions{}, weeks(synthSpec{level: 100, trend: 0.2, dayAmp: 0.3, additive: true}), 0.03},
		{"multiplicative season on a growing level", MultiSeasonalOptions{}, weeks(synthSpec{level: 100, trend: 0.2, dayAmp: 0.6, weekend: 0.6, noise: 0.01}), 0.05},
		{"log transform", MultiSeasonalOptions{Transform: TransformLog}, weeks(synthSpec{level: 100, dayAmp: 0.6, weekend: 0.6, noise: 0.01}), 0.05},
		{"noisy", MultiSeasonalOptions{}, weeks(synthSpec{level: 100, dayAmp: 0.5, weekend: 0.6, noise: 0.05}), 0.25},
		{"NaN runs", MultiSeasonalOptions{}, withNaN(withNaN(weeks(synthSpec{level: 100, dayAmp: 0.5, weekend: 0.6, noise: 0.02}), 200, 272), 5*168-48-10, 5*168-48), 0.1},
		{"outage zeros", MultiSeasonalOptions{}, set(weeks(synthSpec{level: 100, dayAmp: 0.5, weekend: 0.6, noise: 0.02}), 700, 740, 0), 0.1},
		{"spike", MultiSeasonalOptions{}, set(weeks(synthSpec{level: 100, dayAmp: 0.5, weekend: 0.6, noise: 0.02}), 5*168-48-5, 5*168-48-4, 3000), 0.1},
		{"level shift", MultiSeasonalOptions{}, shifted, 0.1},
		{"given periods", MultiSeasonalOptions{Periods: []int{24, 168, 5000}}, weeks(synthSpec{level: 100, dayAmp: 0.5, weekend: 0.6, noise: 0.02}), 0.1},
		{"no seasonality", MultiSeasonalOptions{}, weeks(synthSpec{level: 100, noise: 0.02}), 0.1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hist, future := splitLast(tc.y, 48)
			fit, err := NewMultiSeasonal(tc.opts).Fit(context.Background(), hist)
			if err != nil {
				t.Fatal(err)
			}
			if e := maxRelErr(fit.Forecast(48), future); e > tc.tol {
				t.Errorf("largest relative forecast error %.4f, want at most %.4f", e, tc.tol)
			}
			in := fit.InSample()
			if len(in) != hist.Len() {
				t.Fatalf("InSample has %d values, want %d", len(in), hist.Len())
			}
			if _, ok := sumFinite(in[len(in)-48:]); !ok {
				t.Errorf("InSample has NaN or infinite values in its last 48 steps: %v", in[len(in)-48:])
			}
		})
	}
}

func TestMultiSeasonalInSample(t *testing.T) {
	y := synthSpec{n: 8 * 168, step: time.Hour, level: 100, dayAmp: 0.4, weekend: 0.6}.series()
	fit, err := NewMultiSeasonal(MultiSeasonalOptions{MaxFitCycles: 3}).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	in := fit.InSample()
	start := y.Len() - 3*168
	if !math.IsNaN(in[start-1]) || math.IsNaN(in[start]) {
		t.Errorf("InSample[%d], [%d] = %v, %v; want NaN before the 3-week window, a value in it", start-1, start, in[start-1], in[start])
	}
	if e := maxRelErr(in[start:], y.Values[start:]); e > 0.005 {
		t.Errorf("largest relative in-sample error %.4f on a pure season, want at most 0.005", e)
	}
}

func TestMultiSeasonalLogNeedsPositive(t *testing.T) {
	y := set(synthSpec{n: 3 * 168, step: time.Hour, level: 100, dayAmp: 0.4}.series(), 500, 501, 0)
	_, err := NewMultiSeasonal(MultiSeasonalOptions{Transform: TransformLog, NoClean: true}).Fit(context.Background(), y)
	if !errors.Is(err, ErrNonPositive) {
		t.Errorf("Fit error = %v, want ErrNonPositive", err)
	}
}

func TestMultiSeasonalSparseHistory(t *testing.T) {
	// Only every fifth step is present: the window grows back until it
	// holds enough values.
	y := synthSpec{n: 6 * 168, step: time.Hour, level: 100, dayAmp: 0.4, noise: 0.02}.series()
	for i := range y.Values {
		if i%5 != 0 {
			y.Values[i] = math.NaN()
		}
	}
	fit, err := NewMultiSeasonal(MultiSeasonalOptions{Periods: []int{24}}).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sumFinite(fit.Forecast(24)); !ok {
		t.Errorf("forecast %v has NaN", fit.Forecast(24))
	}
}

// nasaFiveMinutes returns the NASA requests per 5 minutes from 1995-07-05
// to 07-27 (three weeks and a day, no gap), and the 4 hours after.
func nasaFiveMinutes(t *testing.T) (timeseries.Series, []float64) {
	t.Helper()
	m := readNASAMinutes(t)
	from := m.Index(time.Date(1995, 7, 5, 0, 0, 0, 0, time.UTC))
	y := timeseries.Series{Name: "nasa-5min", Start: m.Time(from), Step: 5 * time.Minute}
	for i := from; i+5 <= m.Index(time.Date(1995, 7, 27, 4, 0, 0, 0, time.UTC)); i += 5 {
		y.Values = append(y.Values, nanMean(m.Values[i:i+5])*5)
	}
	return splitLast(y, 48)
}

// TestMultiSeasonalGoldenNASA pins mseasonal's forecast of four hours of
// NASA web traffic (refresh with -update).
func TestMultiSeasonalGoldenNASA(t *testing.T) {
	hist, actual := nasaFiveMinutes(t)
	fit, err := NewMultiSeasonal(MultiSeasonalOptions{}).Fit(context.Background(), hist)
	if err != nil {
		t.Fatal(err)
	}
	fc := fit.Forecast(len(actual))
	var b strings.Builder
	fmt.Fprintf(&b, "# mseasonal forecast of NASA requests per 5 minutes after %s\n", hist.End().Format(time.DateTime))
	fmt.Fprintf(&b, "# periods %v; sMAPE %.2f\n", DetectPeriods(hist, 2), SMAPE(actual, fc))
	b.WriteString("step,actual,forecast\n")
	for i := range fc {
		fmt.Fprintf(&b, "%d,%.0f,%.4g\n", i+1, actual[i], fc[i])
	}
	compareGolden(t, "mseasonal_nasa.golden", []byte(b.String()))
}

// m4Holdout is the M4 Hourly protocol: each series without its last 48
// steps, and those steps.
type m4Holdout struct {
	hist   timeseries.Series
	actual []float64
}

// m4Score is the mean sMAPE and MASE (m = 24) of a model over the M4 Hourly
// holdouts, and its mean fit-and-forecast time per series.
type m4Score struct {
	smape, mase float64
	perSeries   time.Duration
}

// scoreM4 fits m to every holdout and scores its 48-step forecasts.
func scoreM4(t *testing.T, m Model, holdouts []m4Holdout) m4Score {
	t.Helper()
	var s m4Score
	start := time.Now()
	for _, h := range holdouts {
		fit, err := m.Fit(context.Background(), h.hist)
		if err != nil {
			t.Fatalf("%s on %s: %v", m.Name(), h.hist.Name, err)
		}
		fc := fit.Forecast(48)
		s.smape += SMAPE(h.actual, fc)
		s.mase += MASE(h.hist.Values, h.actual, fc, 24)
	}
	n := float64(len(holdouts))
	s.perSeries = time.Since(start) / time.Duration(len(holdouts))
	s.smape, s.mase = s.smape/n, s.mase/n
	return s
}

// readM4Holdouts reads the M4 Hourly training set and splits off the last
// 48 steps of each series.
func readM4Holdouts(tb testing.TB) []m4Holdout {
	tb.Helper()
	series := readM4HourlyTrain(tb)
	out := make([]m4Holdout, len(series))
	for i, s := range series {
		out[i].hist, out[i].actual = splitLast(s, 48)
	}
	return out
}

// TestM4HourlyAccuracy holds out the last 48 points of each of the 414 M4
// Hourly training series and checks that mseasonal beats seasonal naive
// clearly and that auto's OWA is under the best published entry's.
// Published on the M4 test set: seasonal naive 13.912 / 1.193, best entry
// 8.913 / 0.801 (sMAPE / MASE), OWA 0.410.
func TestM4HourlyAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("M4 Hourly accuracy takes seconds")
	}
	holdouts := readM4Holdouts(t)
	if len(holdouts) != 414 {
		t.Fatalf("read %d M4 Hourly series, want 414", len(holdouts))
	}
	models := []struct {
		label string
		m     Model
	}{
		{"snaive(24)", NewSeasonalNaive(24)},
		{"snaive(detected)", NewSeasonalNaive(0)},
		{"holt-winters(damped)", NewHoltWinters(HoltWintersOptions{Damped: true})},
		{"mstl", NewMSTL(MSTLOptions{})},
		{"mseasonal-ar", NewSeasonalAR(MultiSeasonalOptions{})},
		{"auto(select)", &Auto{Candidates: NewAuto().Candidates, Horizon: 48, Exponent: -1}},
		{"auto(no-prior)", &Auto{Candidates: NewAuto().Candidates, Horizon: 48}},
		{"auto", func() *Auto { a := NewAuto(); a.Horizon = 48; return a }()},
		{"mseasonal", NewMultiSeasonal(MultiSeasonalOptions{})},
	}
	naive := naive2Score(holdouts)
	t.Logf("%-21s sMAPE %6.3f  MASE %5.3f", "naive2", naive.smape, naive.mase)
	scores := make([]m4Score, len(models))
	for i, m := range models {
		scores[i] = scoreM4(t, m.m, holdouts)
		t.Logf("%-21s sMAPE %6.3f  MASE %5.3f  OWA %5.3f  %9v per series", m.label, scores[i].smape, scores[i].mase,
			owa(scores[i], naive), scores[i].perSeries)
	}
	snaive, ms := scores[0], scores[len(scores)-1]
	const maxSMAPE, maxMASE = 10.1, 0.96 // measured 9.77 and 0.927, plus slack
	if ms.smape > maxSMAPE || ms.mase > maxMASE {
		t.Errorf("mseasonal sMAPE %.3f, MASE %.3f; want at most %.2f and %.2f", ms.smape, ms.mase, maxSMAPE, maxMASE)
	}
	if ms.smape > snaive.smape-3 || ms.mase > snaive.mase-0.15 {
		t.Errorf("mseasonal sMAPE %.3f, MASE %.3f do not beat seasonal naive's %.3f, %.3f by 3 and 0.15",
			ms.smape, ms.mase, snaive.smape, snaive.mase)
	}
	// auto measured 9.370 / 0.796, OWA 0.406 (9.367 / 0.792, 0.405 without
	// its prior, which costs M4's eight folds of evidence a little and
	// saves long horizons, BENCHMARKS.md): under the best published
	// entry's 0.410 (on the test set), which it must stay under.
	auto := scores[len(scores)-2]
	const maxAutoSMAPE, maxAutoMASE, maxAutoOWA = 9.5, 0.80, 0.410
	if auto.smape > maxAutoSMAPE || auto.mase > maxAutoMASE || owa(auto, naive) >= maxAutoOWA {
		t.Errorf("auto sMAPE %.3f, MASE %.3f, OWA %.4f; want at most %.2f and %.2f, and OWA under %.3f",
			auto.smape, auto.mase, owa(auto, naive), maxAutoSMAPE, maxAutoMASE, maxAutoOWA)
	}
}

// BenchmarkMultiSeasonalFit fits (detecting the periods) and forecasts 48
// steps of four weeks of one-minute data.
func BenchmarkMultiSeasonalFit(b *testing.B) {
	y := minuteBenchSeries()
	m := NewMultiSeasonal(MultiSeasonalOptions{})
	b.ReportAllocs()
	for b.Loop() {
		f, err := m.Fit(context.Background(), y)
		if err != nil {
			b.Fatal(err)
		}
		f.Forecast(48)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/fit")
}

// BenchmarkMultiSeasonalM4 fits and forecasts the 414 M4 Hourly series
// (700 to 960 steps each) and reports the cost per series.
func BenchmarkMultiSeasonalM4(b *testing.B) {
	holdouts := readM4Holdouts(b)
	m := NewMultiSeasonal(MultiSeasonalOptions{})
	b.ReportAllocs()
	for b.Loop() {
		for _, h := range holdouts {
			f, err := m.Fit(context.Background(), h.hist)
			if err != nil {
				b.Fatal(err)
			}
			f.Forecast(48)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(holdouts)), "µs/series")
}

// readM4HourlyTrain reads the M4 Hourly training set shipped in datasets/,
// placing every series on an hourly grid from 2000-01-01 UTC (M4 has no
// timestamps).
func readM4HourlyTrain(tb testing.TB) []timeseries.Series {
	tb.Helper()
	f, err := openGzip("../datasets/m4_hourly/Hourly-train.csv.gz")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	series, err := timeseries.Read(f, "Hourly-train.csv", timeseries.ReadOptions{
		Format: timeseries.FormatM4, Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Step: time.Hour,
	})
	if err != nil {
		tb.Fatal(err)
	}
	slices.SortFunc(series, func(a, b timeseries.Series) int { return strings.Compare(a.Name, b.Name) })
	return series
}

// TestMultiSeasonalLambda checks the transform's choice on histories with
// zeros and negative values: a count series with zeros (tweets in a quiet
// minute) keeps a power transform, never the log, which zero has none of.
func TestMultiSeasonalLambda(t *testing.T) {
	levels := synthSpec{n: 14 * 24, step: time.Hour, level: 100, trend: 0.5, dayAmp: 0.5, noise: 0.02}.series().Values
	withZero := slices.Clone(levels)
	withZero[50] = 0
	withNegative := slices.Clone(levels)
	withNegative[50] = -1
	ps := []int{24}
	tests := []struct {
		name      string
		transform Transform
		v         []float64
		want      float64
		err       error
	}{
		{"positive, amplitude with the level: the log", TransformAuto, levels, 0, nil},
		{"a zero: the smallest power instead", TransformAuto, withZero, 0.25, nil},
		{"a negative value: none", TransformAuto, withNegative, 1, nil},
		{"log asked with a zero", TransformLog, withZero, 0, ErrNonPositive},
		{"none asked", TransformNone, levels, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewMultiSeasonal(MultiSeasonalOptions{Transform: tc.transform}).lambda(tc.v, ps)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
