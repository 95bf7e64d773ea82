package forecast

import (
	"context"
	"fmt"
	"math"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// SeasonalNaive is the seasonal naive method: the forecast of a step is the
// value one period earlier. It is the baseline every other model must beat.
type SeasonalNaive struct {
	period int
}

// NewSeasonalNaive returns the seasonal naive model of the given period in
// steps. Period 0 detects the primary (shortest) period with DetectPeriods at
// each fit, and falls back to 1 (the naive method: repeat the last value)
// when the history shows no seasonality.
func NewSeasonalNaive(period int) *SeasonalNaive {
	return &SeasonalNaive{period: max(period, 0)}
}

// Name returns "snaive".
func (m *SeasonalNaive) Name() string { return "snaive" }

// Fit checks y and returns its seasonal naive fit. It returns ErrNoData when
// y has no value and ErrShortHistory when y is shorter than one period.
func (m *SeasonalNaive) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if countPresent(y.Values) == 0 {
		return nil, fmt.Errorf("fitting snaive to %q: %w", y.Name, ErrNoData)
	}
	p := m.period
	if p == 0 {
		p = primaryPeriod(ctx, y)
	}
	if y.Len() < p {
		return nil, fmt.Errorf("fitting snaive of period %d to %q (%d steps): %w",
			p, y.Name, y.Len(), ErrShortHistory)
	}
	return &snaiveFit{values: append([]float64(nil), y.Values...), period: p}, nil
}

// primaryPeriod returns the shortest period DetectPeriods finds in y, or 1.
func primaryPeriod(ctx context.Context, y timeseries.Series) int {
	if ps := detectPeriods(ctx, y, 1); len(ps) > 0 {
		return ps[0]
	}
	return 1
}

// snaiveFit is a fitted SeasonalNaive, holding a copy of the history.
type snaiveFit struct {
	values []float64
	period int
}

// Forecast returns, for each of the h steps, the most recent non-missing
// value at the same phase of the period (the last non-missing value of the
// history when that phase has none).
func (f *snaiveFit) Forecast(h int) []float64 {
	n := len(f.values)
	out := make([]float64, max(h, 0))
	for i := range out {
		out[i] = f.samePhaseBefore(n + i)
	}
	return out
}

// InSample returns at each step the most recent non-missing value at the
// same phase before it, NaN in the first period.
func (f *snaiveFit) InSample() []float64 {
	out := make([]float64, len(f.values))
	for t := range out {
		out[t] = math.NaN()
		for j := t - f.period; j >= 0; j -= f.period {
			if !math.IsNaN(f.values[j]) {
				out[t] = f.values[j]
				break
			}
		}
	}
	return out
}

// samePhaseBefore returns the latest non-missing value at step t's phase
// before the end of the history, or the last non-missing value.
func (f *snaiveFit) samePhaseBefore(t int) float64 {
	n := len(f.values)
	j := t - f.period*((t-n)/f.period+1)
	for ; j >= 0; j -= f.period {
		if !math.IsNaN(f.values[j]) {
			return f.values[j]
		}
	}
	for j = n - 1; j >= 0; j-- {
		if !math.IsNaN(f.values[j]) {
			break
		}
	}
	return f.values[j]
}
