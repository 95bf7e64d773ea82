package forecast

import (
	"compress/gzip"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// minuteTrace is four weeks of requests per minute with daily and weekly
// seasonality, Poisson-like noise and eight events of three types (two
// campaigns, one of them in the forecast horizon), seeded.
func minuteTrace(seed uint64) (timeseries.Series, []calendar.Occurrence) {
	const n = 4 * 7 * 1440
	rng := rand.New(rand.NewPCG(seed, 2))
	y := timeseries.Series{Name: "api", Start: mondayEpoch, Step: time.Minute, Values: make([]float64, n)}
	for i := range y.Values {
		day := 1 + 0.6*math.Sin(2*math.Pi*float64(i%1440)/1440-math.Pi/2)
		week := 1.0
		if (i/1440)%7 >= 5 {
			week = 0.6
		}
		mu := 200 * day * week
		y.Values[i] = mu + math.Sqrt(mu)*rng.NormFloat64()
	}
	var occ []calendar.Occurrence
	add := func(typ string, day, hour, hours int, uplift float64) {
		start := mondayEpoch.Add(time.Duration(day*24+hour) * time.Hour)
		occ = append(occ, calendar.Occurrence{Name: typ, Type: typ, Start: start,
			End: start.Add(time.Duration(hours) * time.Hour), Lead: 30 * time.Minute, Lag: time.Hour, Uplift: uplift})
	}
	for _, d := range []int{2, 9, 17, 23} {
		add("newsletter", d, 9, 2, 0)
	}
	add("campaign", 4, 18, 4, 2)
	add("campaign", 18, 18, 4, 2)
	add("maintenance", 12, 2, 1, 0)
	add("campaign", 28, 0, 1, 2) // in the horizon
	for _, s := range eventSpans(y.Start, y.Step, occ) {
		m := map[string]float64{"newsletter": 1.5, "campaign": 2.2, "maintenance": 0.3}[s.occ.Type]
		for i := max(s.from, 0); i < min(s.to, n); i++ {
			y.Values[i] *= m
		}
	}
	return y, occ
}

// BenchmarkForecast fits a 40,320-step minute series with daily and weekly
// seasonality and a calendar, and forecasts 48 steps with intervals.
func BenchmarkForecast(b *testing.B) {
	y, occ := minuteTrace(1)
	for _, model := range []string{"snaive", "holt-winters", "mstl", "mseasonal", "auto"} {
		b.Run("model="+model, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Forecast(context.Background(), y, 48, Options{Model: model, Events: occ}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/forecast")
		})
	}
}

// readM4Hourly reads the 414 series of the M4 Hourly training set.
func readM4Hourly(tb testing.TB) []timeseries.Series {
	tb.Helper()
	f, err := os.Open("../datasets/m4_hourly/Hourly-train.csv.gz")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	series, err := timeseries.Read(gz, "Hourly-train.csv", timeseries.ReadOptions{
		Format: timeseries.FormatM4, Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Step: time.Hour,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return series
}

// BenchmarkBacktestM4 backtests the 414 M4 Hourly series on their last 48
// steps (one fold) with the baselines and mseasonal, reporting throughput and
// the mean errors of mseasonal.
func BenchmarkBacktestM4(b *testing.B) {
	series := readM4Hourly(b)
	var rep BacktestReport
	b.ReportAllocs()
	for b.Loop() {
		var err error
		rep, err = Backtest(context.Background(), series, BacktestOptions{Horizon: 48, Folds: 1, Models: []string{"mseasonal"}})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(series)*b.N)/b.Elapsed().Seconds(), "series/s")
	for _, m := range rep.Models {
		b.Logf("%-12s sMAPE %.3f MASE %.3f coverage %.3f failed %d", m.Model, m.SMAPE, m.MASE, m.Coverage, m.Failed)
		if m.Model == "mseasonal" {
			b.ReportMetric(m.SMAPE, "sMAPE")
			b.ReportMetric(m.MASE, "MASE")
			b.ReportMetric(m.Coverage, "coverage")
		}
	}
}
