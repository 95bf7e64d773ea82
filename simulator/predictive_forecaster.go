package simulator

import (
	"context"
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// Forecaster forecasts the demand that follows a history, as the predictive
// policy's forecast input: one value per step, at the policy's quantile.
type Forecaster interface {
	// Forecast returns horizon steps following history, starting at
	// history.End() on history's grid. history is the policy's own copy.
	Forecast(ctx context.Context, history timeseries.Series, horizon int) (policies.Forecast, error)
}

// DefaultQuantile is the forecast quantile the simulate command's
// predictive policy provisions for: the busiest minute of a forecast step
// is expected above it four steps in ten; the target utilisation adds the
// rest of the headroom. It was chosen on the first two simulated weeks of
// the NASA trace (1995-07-08 to 07-21, 5-minute start-up) as the highest of
// 0.5, 0.6, 0.7 and 0.8 whose pod-hours stay within those of the HPA at
// 70 % utilisation, the other defaults fixed beforehand.
const DefaultQuantile = 0.6

// QuantileForecaster is the scaler's forecaster: forecast.Forecast with the
// options' model and calendar events, served at a quantile of the forecast
// distribution. The q-quantile is the upper bound of the central interval
// at level 2q−1; q = 0.5 is the point forecast.
type QuantileForecaster struct {
	// Options are passed to forecast.Forecast; Level is set from Quantile.
	// Events may hold every occurrence of the calendar, future ones
	// included: a calendar is known in advance.
	Options forecast.Options
	// Quantile is the quantile served, in [0.5, 1).
	Quantile float64
	// Resolution, when longer than the history's step (a whole multiple of
	// it), is the forecast's step: the history is aggregated to it with
	// Aggregation before fitting, its last partial step left out. Zero
	// forecasts on the history's own grid.
	Resolution time.Duration
	// Aggregation combines the history's steps into one of Resolution:
	// timeseries.AggMean (the default when empty) or timeseries.AggMax, the
	// busiest step, which is what capacity must cover.
	Aggregation timeseries.Aggregation
}

// Validate checks the quantile and the options.
func (f QuantileForecaster) Validate() error {
	if !(f.Quantile >= 0.5 && f.Quantile < 1) {
		return fieldErr("predictive.quantile", "must be in [0.5,1)")
	}
	switch f.Aggregation {
	case "", timeseries.AggMean, timeseries.AggMax:
	default:
		return fieldErr("predictive.aggregation", "must be mean or max")
	}
	if f.Resolution < 0 {
		return fieldErr("predictive.resolution", "must not be negative")
	}
	o := f.Options
	o.Level = 0
	if err := o.Validate(); err != nil {
		return fieldErr("predictive.forecast", "%v", err)
	}
	return nil
}

// Forecast implements Forecaster.
func (f QuantileForecaster) Forecast(ctx context.Context, history timeseries.Series, horizon int) (policies.Forecast, error) {
	opts := f.Options
	point := f.Quantile == 0.5
	if !point {
		opts.Level = 2*f.Quantile - 1
	}
	history, horizon, err := f.coarse(history, horizon)
	if err != nil {
		return policies.Forecast{}, err
	}
	r, err := forecast.Forecast(ctx, history, horizon, opts)
	if err != nil {
		return policies.Forecast{}, fmt.Errorf("forecasting %d steps from %d: %w", horizon, history.Len(), err)
	}
	values := r.Upper
	if point {
		values = r.Point
	}
	return policies.Forecast{Start: r.Start, Step: r.Step, Values: values}, nil
}

// coarse aggregates history to Resolution, leaving out its last partial
// step, and converts horizon to steps of Resolution covering as much.
func (f QuantileForecaster) coarse(y timeseries.Series, horizon int) (timeseries.Series, int, error) {
	res := f.Resolution
	if res <= y.Step {
		return y, horizon, nil
	}
	if res%y.Step != 0 {
		return y, 0, fmt.Errorf("resolution %v: not a whole multiple of the history's step %v", res, y.Step)
	}
	until := y.Time(y.Len() + horizon)
	off := y.End().UnixNano() % int64(res) // whole buckets only, aligned to the Unix epoch as Resample aligns them
	if off < 0 {
		off += int64(res)
	}
	end := y.End().Add(-time.Duration(off))
	n := y.Index(end)
	if n <= 0 {
		return y, 0, fmt.Errorf("history of %d steps: shorter than one step of %v", y.Len(), res)
	}
	agg := f.Aggregation
	if agg == "" {
		agg = timeseries.AggMean
	}
	c, err := timeseries.Resample(y.Slice(0, n), res, agg)
	if err != nil {
		return y, 0, err
	}
	return c, int((until.Sub(c.End()) + res - 1) / res), nil
}
