package timeseries

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Format names the layout of a trace file.
type Format string

// The trace formats Read understands.
const (
	// FormatCSV is a CSV file with a header row and one observation per row:
	// a time column, a value column and, for many series in one long-format
	// file, a series column. It is the default.
	FormatCSV Format = "csv"
	// FormatLines is a text file of values separated by white space, usually
	// one per line, without timestamps: ReadOptions.Start and Step place
	// them on a grid.
	FormatLines Format = "lines"
	// FormatM4 is the M4 competition's wide CSV layout: a header row, then
	// one series per row, its id then its values; ReadOptions.Start and Step
	// place every series on the same grid.
	FormatM4 Format = "m4"
)

// Default column names of the csv format.
const (
	DefaultTimeCol  = "timestamp"
	DefaultValueCol = "value"
)

// ReadOptions tells Read how to interpret a trace. The zero value reads a
// csv file with columns "timestamp" and "value", timestamps without offset
// in UTC, and the step inferred from the data.
type ReadOptions struct {
	// Format is the file layout; "" means FormatCSV.
	Format Format
	// TimeCol and ValueCol name the csv columns holding the timestamp and
	// the value (defaults "timestamp" and "value"). Matching is exact, or
	// case-insensitive when no header cell matches exactly.
	TimeCol, ValueCol string
	// SeriesCol, when set, names a csv column that tells the rows of many
	// series apart: Read returns one Series per distinct value, sorted by
	// name.
	SeriesCol string
	// Location interprets csv timestamps that carry no UTC offset; nil means
	// UTC. Unix seconds and RFC 3339 offsets are absolute and ignore it.
	Location *time.Location
	// Start is the instant of the first value for the lines and m4 formats
	// (required there). For csv it is optional and only anchors the grid of
	// an explicit Step: grid instants are Start + k*Step for any integer k.
	Start time.Time
	// Step is the grid spacing: required for lines and m4. For csv it is
	// optional; when zero it is inferred from the data (see Read).
	Step time.Duration
	// Aggregate combines csv observations that fall in one step (duplicate
	// timestamps, or off-grid timestamps bucketed by an explicit Step);
	// AggNone makes such a collision an error naming both lines.
	Aggregate Aggregation
	// Limits bound the bytes, row length and rows read; the zero value
	// selects the defaults (see Limits).
	Limits Limits
	// Name is the series name for the single-series formats (csv without
	// SeriesCol, lines); it defaults to the file's base name without its
	// extension. The m4 format and SeriesCol take names from the data.
	Name string
}

// Validate reports the first inconsistent field of o, naming it, such as
// `step: must be positive for format "lines"`.
func (o ReadOptions) Validate() error {
	if !o.Aggregate.valid() {
		return fmt.Errorf("aggregate: unknown aggregation %q (want sum, mean, max, min or last)", o.Aggregate)
	}
	if err := o.Limits.validate(); err != nil {
		return err
	}
	if o.Step < 0 {
		return fmt.Errorf("step: must not be negative, got %s", o.Step)
	}
	if !o.Start.IsZero() && !inRange(o.Start) {
		return fmt.Errorf("start: %s: %w", o.Start.Format(time.RFC3339), ErrTimeRange)
	}
	switch o.Format {
	case "", FormatCSV:
		return o.validateCSV()
	case FormatLines, FormatM4:
		if o.Step == 0 {
			return fmt.Errorf("step: must be positive for format %q", o.Format)
		}
		if o.Start.IsZero() {
			return fmt.Errorf("start: must be set for format %q", o.Format)
		}
		return nil
	default:
		return fmt.Errorf("format: unknown format %q (want csv, lines or m4)", o.Format)
	}
}

func (o ReadOptions) validateCSV() error {
	d := o.withDefaults("")
	if d.TimeCol == d.ValueCol {
		return fmt.Errorf("valueCol: same column %q as timeCol", d.ValueCol)
	}
	if d.SeriesCol != "" && (d.SeriesCol == d.TimeCol || d.SeriesCol == d.ValueCol) {
		return fmt.Errorf("seriesCol: column %q is already the time or value column", d.SeriesCol)
	}
	if !o.Start.IsZero() && o.Step == 0 {
		return fmt.Errorf("start: anchors the grid of an explicit step, so it needs a step for format %q", FormatCSV)
	}
	return nil
}

// withDefaults fills the defaults of o in one place; file names the
// single series when o.Name is empty.
func (o ReadOptions) withDefaults(file string) ReadOptions {
	if o.Format == "" {
		o.Format = FormatCSV
	}
	if o.TimeCol == "" {
		o.TimeCol = DefaultTimeCol
	}
	if o.ValueCol == "" {
		o.ValueCol = DefaultValueCol
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	o.Limits = o.Limits.withDefaults()
	if o.Name == "" && file != "" {
		base := filepath.Base(file)
		o.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return o
}
