package metricsource

import (
	"errors"
	"fmt"
)

// Sentinel errors of the sources; callers test for them with errors.Is.
var (
	// ErrEmpty reports a query that returned no series (or, for a range,
	// no point in the whole range).
	ErrEmpty = errors.New("query returned no series")
	// ErrNotFinite reports an instant query whose value is NaN or ±Inf.
	ErrNotFinite = errors.New("query returned a value that is not finite")
	// ErrMultipleSeries reports a query that returned more than one series;
	// it reaches the caller as a *SeriesCountError.
	ErrMultipleSeries = errors.New("query returned more than one series")
	// ErrResultType reports a result that is not a number series: a string,
	// a range vector from an instant query, or native histograms.
	ErrResultType = errors.New("query result is not a float series")
	// ErrTooLarge reports an answer longer than
	// PrometheusConfig.MaxResponseBytes.
	ErrTooLarge = errors.New("answer exceeds the response size limit")
)

// SeriesCountError reports a query that returned Count series where one
// was wanted. errors.Is(err, ErrMultipleSeries) holds for it.
type SeriesCountError struct {
	// Count is the number of series returned.
	Count int
}

// Error implements error.
func (e *SeriesCountError) Error() string {
	return fmt.Sprintf("query returned %d series, want one: aggregate them in the query, e.g. sum by () (...)", e.Count)
}

// Is reports whether target is ErrMultipleSeries.
func (e *SeriesCountError) Is(target error) bool { return target == ErrMultipleSeries }
