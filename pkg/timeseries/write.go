package timeseries

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// WriteCSV writes series in the long csv format, one row per step: a
// header "series,timestamp,value", then the series name, the step's
// instant in RFC 3339 UTC (with nanoseconds when needed) and the value in
// the shortest form that reads back exactly, empty for NaN. Read with
// SeriesCol "series" returns the same series, sorted by name, provided
// their names are distinct and free of carriage returns (encoding/csv reads
// \r\n in a quoted field as \n) and one of them has two or more values so
// that the step can be inferred; a single one-value series reads back with
// Step and Start set to its own. Infinite values and non-positive steps are
// errors.
func WriteCSV(w io.Writer, series []Series) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"series", DefaultTimeCol, DefaultValueCol}); err != nil {
		return fmt.Errorf("writing series: %w", err)
	}
	rec := make([]string, 3)
	for _, s := range series {
		if s.Step <= 0 && len(s.Values) > 0 {
			return fmt.Errorf("writing series %q: step %s is not positive", s.Name, s.Step)
		}
		rec[0] = s.Name
		for i, v := range s.Values {
			if math.IsInf(v, 0) {
				return fmt.Errorf("writing series %q step %d: %w", s.Name, i, ErrNotFinite)
			}
			rec[1] = s.Time(i).UTC().Format(time.RFC3339Nano)
			rec[2] = ""
			if !math.IsNaN(v) {
				rec[2] = strconv.FormatFloat(v, 'g', -1, 64)
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("writing series %q: %w", s.Name, err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing series: %w", err)
	}
	return nil
}
