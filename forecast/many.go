package forecast

import (
	"context"
	"fmt"
	"runtime"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// ForecastMany forecasts each series in series[i] over horizons[i] steps
// with the same options, workers at a time (zero means GOMAXPROCS). Results
// are in the order of series; the first error, which names its series,
// stops the others. It panics if the two slices differ in length.
func ForecastMany(ctx context.Context, series []timeseries.Series, horizons []int, opts Options, workers int) ([]Result, error) {
	if len(series) != len(horizons) {
		panic("forecast: ForecastMany: series and horizons differ in length")
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Result, len(series))
	err := forEachSeries(ctx, len(series), workers, nil, func(ctx context.Context, i int) error {
		r, err := Forecast(ctx, series[i], horizons[i], opts)
		if err != nil {
			return fmt.Errorf("forecasting series %q: %w", series[i].Name, err)
		}
		out[i] = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
