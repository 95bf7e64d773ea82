package report

import "errors"

var (
	// ErrSeriesLength reports a series whose number of values differs from
	// its chart's times or categories.
	ErrSeriesLength = errors.New("series length does not match the chart")
	// ErrTimes reports a time chart without times, or with times out of
	// order.
	ErrTimes = errors.New("times must be strictly increasing")
	// ErrNoCategories reports a bar chart without categories.
	ErrNoCategories = errors.New("no categories")
	// ErrSVG reports an SVG figure whose markup is not one svg element.
	ErrSVG = errors.New("markup is not one svg element")
)
