package timeseries

import "math"

// Aggregation names how several values that fall in one step combine.
// Missing (NaN) inputs are ignored; a step with no observed input is NaN.
type Aggregation string

// The aggregations Read and Resample understand.
const (
	// AggNone asks Read to reject two observations in one step.
	AggNone Aggregation = ""
	// AggSum adds the values: the choice for counts (requests per step).
	AggSum Aggregation = "sum"
	// AggMean averages the values: the choice for gauges (CPU, replicas).
	AggMean Aggregation = "mean"
	// AggMax keeps the largest value.
	AggMax Aggregation = "max"
	// AggMin keeps the smallest value.
	AggMin Aggregation = "min"
	// AggLast keeps the latest value (for equal timestamps, the one further
	// down the file).
	AggLast Aggregation = "last"
)

func (a Aggregation) valid() bool {
	switch a {
	case AggNone, AggSum, AggMean, AggMax, AggMin, AggLast:
		return true
	}
	return false
}

// accumulator folds the values of one step under an Aggregation, skipping
// NaN. AggNone behaves as AggLast; callers reject collisions before.
type accumulator struct {
	agg           Aggregation
	n             int
	sum, min, max float64
	last          float64
}

func (a *accumulator) reset() {
	*a = accumulator{agg: a.agg}
}

func (a *accumulator) add(v float64) {
	if math.IsNaN(v) {
		return
	}
	if a.n == 0 || v < a.min {
		a.min = v
	}
	if a.n == 0 || v > a.max {
		a.max = v
	}
	a.sum += v
	a.last = v
	a.n++
}

// value returns the aggregate, NaN when no value was observed.
func (a *accumulator) value() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	switch a.agg {
	case AggSum:
		return a.sum
	case AggMean:
		return a.sum / float64(a.n)
	case AggMax:
		return a.max
	case AggMin:
		return a.min
	}
	return a.last
}
