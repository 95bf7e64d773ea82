package forecast

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// maxRelErr returns the largest |got−want|/|want| over the steps.
func maxRelErr(got, want []float64) float64 {
	worst := 0.0
	for i := range want {
		worst = max(worst, math.Abs(got[i]-want[i])/math.Abs(want[i]))
	}
	return worst
}

// splitLast returns y without its last h steps, and those steps' values.
func splitLast(y timeseries.Series, h int) (timeseries.Series, []float64) {
	n := y.Len()
	return y.Slice(0, n-h), y.Values[n-h:]
}

func TestHoltWinters(t *testing.T) {
	hour := time.Hour
	tests := []struct {
		name string
		opts HoltWintersOptions
		y    timeseries.Series
		tol  float64 // largest relative error of the 48-step forecast
	}{
		{"pure additive season", HoltWintersOptions{Period: 24}, synthSpec{n: 10 * 24, step: hour, level: 100, dayAmp: 0.2, additive: true}.series(), 0.01},
		{"linear trend", HoltWintersOptions{Period: 24}, synthSpec{n: 10 * 24, step: hour, level: 100, trend: 0.5, dayAmp: 0.2, additive: true}.series(), 0.02},
		{"damped trend", HoltWintersOptions{Period: 24, Damped: true}, synthSpec{n: 10 * 24, step: hour, level: 100, trend: 0.5, dayAmp: 0.2, additive: true}.series(), 0.05},
		{"multiplicative season on a growing level", HoltWintersOptions{Period: 24, Seasonality: Multiplicative}, synthSpec{n: 14 * 24, step: hour, level: 100, trend: 0.3, dayAmp: 0.5}.series(), 0.03},
		{"detected period", HoltWintersOptions{}, synthSpec{n: 14 * 24, step: hour, level: 100, dayAmp: 0.3, noise: 0.01}.series(), 0.05},
		{"long NaN run", HoltWintersOptions{Period: 24}, withNaN(synthSpec{n: 14 * 24, step: hour, level: 100, dayAmp: 0.3, additive: true}.series(), 100, 160), 0.02},
		{"outage zeros", HoltWintersOptions{Period: 24}, set(synthSpec{n: 14 * 24, step: hour, level: 100, dayAmp: 0.3, noise: 0.01}.series(), 200, 240, 0), 0.05},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hist, future := splitLast(tc.y, 48)
			fit, err := NewHoltWinters(tc.opts).Fit(context.Background(), hist)
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
			if e := maxRelErr(in[hist.Len()-24:], hist.Values[hist.Len()-24:]); e > tc.tol {
				t.Errorf("largest relative in-sample error over the last day %.4f, want at most %.4f", e, tc.tol)
			}
		})
	}
}

func TestHoltWintersFitWindow(t *testing.T) {
	y := synthSpec{n: 2000, step: time.Hour, level: 100, dayAmp: 0.3, noise: 0.01}.series()
	fit, err := NewHoltWinters(HoltWintersOptions{Period: 24, MaxFitPoints: 500}).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	in := fit.InSample()
	if !math.IsNaN(in[1499]) || math.IsNaN(in[1500]) {
		t.Errorf("InSample[1499], [1500] = %v, %v; want NaN before the 500-step window, a value in it", in[1499], in[1500])
	}
}

func TestHoltWintersMultiplicativeNeedsPositive(t *testing.T) {
	y := synthSpec{n: 10 * 24, step: time.Hour, level: 100, dayAmp: 0.2, additive: true}.series()
	y.Values[30] = -1
	_, err := NewHoltWinters(HoltWintersOptions{Period: 24, Seasonality: Multiplicative, NoClean: true}).Fit(context.Background(), y)
	if !errors.Is(err, ErrNonPositive) {
		t.Errorf("Fit error = %v, want ErrNonPositive", err)
	}
}

// countdownCtx is a context whose Err reports cancellation after a number
// of calls, to cancel a fit in the middle of its optimizer loop.
type countdownCtx struct {
	context.Context
	left atomic.Int64
}

// Err returns context.Canceled once the countdown has run out.
func (c *countdownCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestHoltWintersCancelledDuringFit(t *testing.T) {
	y := synthSpec{n: 20 * 24, step: time.Hour, level: 100, dayAmp: 0.3, noise: 0.05}.series()
	ctx := &countdownCtx{Context: context.Background()}
	ctx.left.Store(5)
	if _, err := NewHoltWinters(HoltWintersOptions{Period: 24}).Fit(ctx, y); !errors.Is(err, context.Canceled) {
		t.Errorf("Fit error = %v, want context.Canceled", err)
	}
}

// BenchmarkHoltWintersFit fits (detecting the daily period) and forecasts
// 48 steps of four weeks of one-minute data, fitted on its last
// max(DefaultHoltWintersFitPoints, 3 periods) steps.
func BenchmarkHoltWintersFit(b *testing.B) {
	y := minuteBenchSeries()
	m := NewHoltWinters(HoltWintersOptions{Damped: true})
	b.ReportAllocs()
	for b.Loop() {
		f, err := m.Fit(context.Background(), y)
		if err != nil {
			b.Fatal(err)
		}
		f.Forecast(48)
	}
}

// TestHoltWintersRunTextbook checks the filter's recursions, written as
// linear maps of the previous level and trend, against the textbook form
// step by step: additive and multiplicative, damped, with missing values.
func TestHoltWintersRunTextbook(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	y := make([]float64, 24*14)
	for i := range y {
		y[i] = 100 + 0.05*float64(i) + 20*math.Sin(2*math.Pi*float64(i)/24) + 3*rng.NormFloat64()
		if i%37 == 5 {
			y[i] = math.NaN()
		}
	}
	textbook := func(f hwFilter, p hwParams) (pred []float64, l, b, sse float64) {
		s := slices.Clone(f.seasonal0)
		l, b = f.level0, f.trend0
		n := 0
		for t, v := range f.y {
			ph, trend := t%f.period, p.phi*b
			yhat := l + trend + s[ph]
			if f.mult {
				yhat = (l + trend) * s[ph]
			}
			pred = append(pred, yhat)
			if math.IsNaN(v) {
				l, b = l+trend, trend
				continue
			}
			sse, n = sse+(v-yhat)*(v-yhat), n+1
			lPrev := l
			if f.mult {
				l = p.alpha*v/s[ph] + (1-p.alpha)*(l+trend)
				s[ph] = p.gamma*v/l + (1-p.gamma)*s[ph]
			} else {
				l = p.alpha*(v-s[ph]) + (1-p.alpha)*(l+trend)
				s[ph] = p.gamma*(v-l) + (1-p.gamma)*s[ph]
			}
			b = p.beta*(l-lPrev) + (1-p.beta)*trend
		}
		return pred, l, b, sse / float64(n) / f.scale
	}
	for _, mult := range []bool{false, true} {
		f := hwFilter{y: y, period: 24, mult: mult, damped: true}
		f.initState()
		p := hwParams{alpha: 0.3, beta: 0.08, gamma: 0.15, phi: 0.93}
		wantPred, wantL, wantB, wantSSE := textbook(f, p)
		pred := make([]float64, len(y))
		got := f.run(p, pred)
		assert.InDelta(t, wantL, got.level, 1e-9*math.Abs(wantL), "multiplicative %v: level", mult)
		assert.InDelta(t, wantB, got.trend, 1e-9, "multiplicative %v: trend", mult)
		assert.InDelta(t, wantSSE, got.sse, 1e-9*wantSSE, "multiplicative %v: scaled squared error", mult)
		for i := range pred {
			require.InDelta(t, wantPred[i], pred[i], 1e-9*math.Abs(wantPred[i]), "multiplicative %v: prediction %d", mult, i)
		}
	}
}

// BenchmarkHoltWintersRun measures one pass of the recursions, the unit of
// Holt-Winters' parameter search: three days of minutes (4,320 steps), a
// daily period, damped additive.
func BenchmarkHoltWintersRun(b *testing.B) {
	y := synthSpec{n: 3 * 1440, step: time.Minute, level: 200, dayAmp: 0.6, weekend: 0.6, noise: 0.1}.series()
	f := hwFilter{y: y.Values, period: 1440, damped: true}
	f.initState()
	p := hwParams{alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.95}
	b.ReportAllocs()
	for b.Loop() {
		f.run(p, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(y.Values)), "ns/step")
}
