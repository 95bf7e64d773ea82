// Package forecast models request-rate-like metrics: daily and weekly
// seasonality, trend, and the uplift of known calendar events learned from
// their past occurrences. It gives point forecasts with empirically
// calibrated prediction intervals, and backtests every model against honest
// baselines (seasonal naive, Holt-Winters) by rolling origin.
//
// The package is pure: it does no I/O and no logging, keeps no global state,
// and honours context cancellation on long fits.
package forecast

import (
	"context"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Model is a forecasting method. It is safe to call Fit concurrently on
// different series.
type Model interface {
	// Name is the model's identifier, as the CLI's --model flag accepts it.
	Name() string
	// Fit learns from the history y, whose NaN values are missing data (runs
	// of them may be long: outages, masked event windows).
	Fit(ctx context.Context, y timeseries.Series) (Fit, error)
}

// Fit is a model fitted to one history.
type Fit interface {
	// Forecast returns the point forecasts of the h steps that follow the
	// history, in the units of the history.
	Forecast(h int) []float64
	// InSample returns the model's fitted value at each step of the history
	// (a one-step-ahead or smoothed estimate of what the model expected
	// there), NaN where it has none. Its length is the history's.
	InSample() []float64
}
