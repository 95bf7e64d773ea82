package timeseries

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Read reads the trace in r; file names it in errors and, by default, names
// its single series. It returns at least one Series, each on a regular grid
// with a positive step and at least one value; missing data is NaN, never
// zero.
//
// Values: a number as strconv.ParseFloat reads it; an empty cell, NA, N/A,
// NaN or null (any case) is missing; ±Inf is an error.
//
// For the csv format, rows may come in any order. Each observation is placed
// on a grid:
//
//   - With an explicit Step, grid instants are Start + k*Step for integer k,
//     or k*Step after the Unix epoch when Start is zero (so a 1h step lands
//     on whole UTC hours). Each observation goes to the step that contains
//     it (its timestamp floored to the grid); a series starts at the step of
//     its first observation.
//   - Without one, the step is inferred as the most common positive
//     difference between consecutive distinct timestamps, counted over all
//     series of the file (the smaller difference wins a tie). Each series'
//     grid starts at its first timestamp, and a timestamp that is not a
//     whole number of steps after it is an error (ErrOffGrid): irregular or
//     jittered data needs an explicit step.
//
// The epoch grid of a daily Step is made of UTC midnights. With a Location
// west of UTC (America/New_York: local midnight is 04:00 or 05:00 UTC) each
// local date floors onto its own UTC date, across daylight-saving changes
// too; east of UTC local dates floor onto the previous UTC date, unless
// Start anchors the grid at a local midnight (exact only while the UTC
// offset does not change).
//
// Steps that receive no observation are NaN. Two observations of one series
// in one step (equal timestamps, or with an explicit step two timestamps in
// the same bucket) are an error naming both lines (ErrDuplicate) unless
// Aggregate says how to combine them; read-time bucketing applies no
// coverage correction, so prefer reading the finest grid and calling
// Resample. A timestamp in the repeated hour after clocks go back reads as
// the hour's first occurrence (see ParseTime) and so collides like a
// duplicate.
//
// Errors locating a row are *ParseError; the sentinels (ErrEmpty,
// ErrMissingColumn, ErrNoData, ErrDuplicate, ErrOffGrid, ErrNoStep,
// ErrTooLong and the time and value errors) work with errors.Is. Read does
// not close r.
func Read(r io.Reader, file string, opts ReadOptions) ([]Series, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("reading trace %q: %w", file, err)
	}
	o := opts.withDefaults(file)
	switch o.Format {
	case FormatLines:
		return readLines(r, file, o)
	case FormatM4:
		return readM4(r, file, o)
	}
	return readCSV(r, file, o)
}

// ReadFile opens the file at path and reads it with Read.
func ReadFile(path string, opts ReadOptions) ([]Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading trace: %w", err)
	}
	defer f.Close()
	return Read(f, path, opts)
}

// parseValue parses one value cell; see Read for the accepted forms.
func parseValue(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if isMissing(s) {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			err = ne.Err
		}
		return 0, fmt.Errorf("parsing %s: %w", excerpt(s), err)
	}
	if math.IsInf(v, 0) {
		return 0, fmt.Errorf("parsing %s: %w", excerpt(s), ErrNotFinite)
	}
	return v, nil
}

func isMissing(s string) bool {
	switch len(s) {
	case 0:
		return true
	case 2, 3, 4:
		return strings.EqualFold(s, "na") || strings.EqualFold(s, "n/a") ||
			strings.EqualFold(s, "nan") || strings.EqualFold(s, "null")
	}
	return false
}

// checkEnd reports a grid of n steps from o.Start that ends after the
// supported years.
func checkEnd(file string, o ReadOptions, n int) error {
	if uint64(n) <= uint64(math.MaxInt64/int64(o.Step)) && inRange(o.Start.Add(time.Duration(n)*o.Step)) {
		return nil
	}
	return &ParseError{File: file, Err: fmt.Errorf("%d steps of %s from %s: %w",
		n, o.Step, o.Start.UTC().Format("2006-01-02T15:04:05Z07:00"), ErrTimeRange)}
}
