package timeseries

import (
	"testing"
	"time"
)

func TestReadOptionsValidate(t *testing.T) {
	start := time.Date(1995, 7, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		opts ReadOptions
		want string // "" for valid
	}{
		{"zero value", ReadOptions{}, ""},
		{"csv with step and aggregation", ReadOptions{Step: time.Minute, Aggregate: AggSum}, ""},
		{"csv with anchored step", ReadOptions{Step: time.Minute, Start: start}, ""},
		{"lines", ReadOptions{Format: FormatLines, Start: start, Step: time.Second}, ""},
		{"m4", ReadOptions{Format: FormatM4, Start: start, Step: time.Hour}, ""},
		{"unknown format", ReadOptions{Format: "parquet"}, `format: unknown format "parquet" (want csv, lines or m4)`},
		{"unknown aggregation", ReadOptions{Aggregate: "median"}, `aggregate: unknown aggregation "median" (want sum, mean, max, min or last)`},
		{"negative step", ReadOptions{Step: -time.Minute}, "step: must not be negative, got -1m0s"},
		{"lines without step", ReadOptions{Format: FormatLines, Start: start}, `step: must be positive for format "lines"`},
		{"m4 without step", ReadOptions{Format: FormatM4, Start: start}, `step: must be positive for format "m4"`},
		{"lines without start", ReadOptions{Format: FormatLines, Step: time.Second}, `start: must be set for format "lines"`},
		{"start out of range", ReadOptions{Format: FormatM4, Start: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), Step: time.Hour},
			"start: 1600-01-01T00:00:00Z: time outside the years 1678 to 2261"},
		{"csv start without step", ReadOptions{Start: start}, `start: anchors the grid of an explicit step, so it needs a step for format "csv"`},
		{"same time and value column", ReadOptions{TimeCol: "value"}, `valueCol: same column "value" as timeCol`},
		{"series column reused", ReadOptions{SeriesCol: "timestamp"}, `seriesCol: column "timestamp" is already the time or value column`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate(%+v) = %v, want nil", tc.opts, err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("Validate(%+v) = %v, want %q", tc.opts, err, tc.want)
			}
		})
	}
}
