package simulator

import (
	"context"
	"errors"
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

// MinForecastHistory is the history QuantileForecaster needs before it
// fits a forecasting model: two days, the two cycles a daily period needs
// to be detected. With a shorter history and Growth set it learns the
// growth alone.
const MinForecastHistory = 48 * time.Hour

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
	// Growth, when set, also learns the demand's growth over the lead time
	// at each refit (policies.LearnGrowth), on the history at its own
	// resolution with Options.Events as the calendar, for risk-based
	// targets (policies.Policy.Risk). It does not depend on the risk.
	Growth *policies.GrowthOptions
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

// GrowthLearner is a Forecaster that can learn the demand's growth table
// (policies.Forecast.Growth) without fitting its forecasting model. A
// risk-based Predictive asks it for the growth alone at each refit, and
// for the forecast only when a decision reads it: when the live demand is
// unknown (policies.Inputs.LiveKnown). Its decisions are those of a policy
// that fits both at every refit, as the scaler does, at a fraction of the
// cost.
type GrowthLearner interface {
	// LearnGrowth returns the growth table Forecast would return for
	// history (nil when the history holds no growth sample), or an error
	// wrapping errors.ErrUnsupported when the forecaster learns none.
	LearnGrowth(ctx context.Context, history timeseries.Series) (*policies.GrowthTable, error)
}

// LearnGrowth implements GrowthLearner: the growth table learned with the
// Growth options and Options.Events; errors.ErrUnsupported when Growth is
// nil.
func (f QuantileForecaster) LearnGrowth(_ context.Context, history timeseries.Series) (*policies.GrowthTable, error) {
	if f.Growth == nil {
		return nil, fmt.Errorf("learning growth: no growth options: %w", errors.ErrUnsupported)
	}
	g := *f.Growth
	g.Events = f.Options.Events
	t, err := policies.LearnGrowth(history, g)
	if err != nil && !errors.Is(err, policies.ErrNoGrowth) {
		return nil, fmt.Errorf("learning growth from %d steps: %w", history.Len(), err)
	}
	return t, nil
}

// Forecast implements Forecaster. When the model fails, the growth learned
// (if any) is returned with the error.
func (f QuantileForecaster) Forecast(ctx context.Context, history timeseries.Series, horizon int) (policies.Forecast, error) {
	var out policies.Forecast
	if f.Growth != nil {
		var err error
		if out.Growth, err = f.LearnGrowth(ctx, history); err != nil {
			return policies.Forecast{}, err
		}
		if time.Duration(history.Len())*history.Step < MinForecastHistory {
			return out, nil // the growth alone: too short a history for the seasonal model
		}
	}
	opts := f.Options
	point := f.Quantile == 0.5
	if !point {
		opts.Level = 2*f.Quantile - 1
	}
	coarse, horizon, err := f.coarse(history, horizon)
	if err != nil {
		return out, err
	}
	r, err := forecast.Forecast(ctx, coarse, horizon, opts)
	if err != nil {
		return out, fmt.Errorf("forecasting %d steps from %d: %w", horizon, coarse.Len(), err)
	}
	out.Start, out.Step, out.Values = r.Start, r.Step, r.Upper
	if point {
		out.Values = r.Point
	}
	return out, nil
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
