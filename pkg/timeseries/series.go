// Package timeseries holds prescale's regular time series and the readers
// that turn traffic traces (CSV, one value per line, M4 wide format) into them.
//
// A Series is a regular grid: a start instant, a step and one value per step.
// Missing data is NaN, never zero, so that an outage of the telemetry is never
// mistaken for an absence of demand.
package timeseries

import (
	"math"
	"time"
)

// Series is a regularly sampled time series. Values[i] is the observation
// for the interval starting at Start + i*Step; NaN marks a missing value.
type Series struct {
	// Name identifies the series (the value of the series column, the M4 id,
	// or the file name).
	Name string
	// Start is the instant of Values[0], in UTC.
	Start time.Time
	// Step is the spacing of the grid; it is always positive.
	Step time.Duration
	// Values holds one observation per step; NaN is missing.
	Values []float64
}

// Len returns the number of steps in s.
func (s Series) Len() int { return len(s.Values) }

// End returns the instant one step after the last value, the start of the
// first step a forecast of s would cover.
func (s Series) End() time.Time { return s.Time(len(s.Values)) }

// Time returns the instant of step i (which may lie outside the series).
func (s Series) Time(i int) time.Time { return s.Start.Add(time.Duration(i) * s.Step) }

// Index returns the step that contains t, which may be negative or past the
// end of the series.
func (s Series) Index(t time.Time) int {
	d := t.Sub(s.Start)
	i := int(d / s.Step)
	if d < 0 && d%s.Step != 0 {
		i--
	}
	return i
}

// Missing returns the number of NaN values in s.
func (s Series) Missing() int {
	n := 0
	for _, v := range s.Values {
		if math.IsNaN(v) {
			n++
		}
	}
	return n
}

// Slice returns the part of s between steps i (inclusive) and j (exclusive),
// sharing its backing array. It panics if the bounds are out of range.
func (s Series) Slice(i, j int) Series {
	return Series{Name: s.Name, Start: s.Time(i), Step: s.Step, Values: s.Values[i:j:j]}
}

// Clone returns a deep copy of s.
func (s Series) Clone() Series {
	c := s
	c.Values = append([]float64(nil), s.Values...)
	return c
}
