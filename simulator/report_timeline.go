package simulator

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimelineColumns are the columns WriteTimeline writes, in order.
func TimelineColumns() []string {
	return []string{"timestamp", "policy", "demand", "desired_replicas", "ready_replicas"}
}

// WriteTimeline writes the timelines of run's results as CSV with the
// columns of TimelineColumns: per policy in the run's order, one row per
// demand step, timestamps in RFC 3339 UTC, the demand with at most four
// decimals (empty when missing). Results without a timeline (run without
// Settings.Timeline) write no rows.
func WriteTimeline(w io.Writer, run StartupReport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TimelineColumns()); err != nil {
		return err
	}
	row := make([]string, 5)
	for _, r := range run.Results {
		for _, p := range r.Timeline {
			row[0] = p.Time.UTC().Format(time.RFC3339)
			row[1] = r.Policy
			row[2] = decimal(p.Demand)
			row[3] = strconv.Itoa(p.Desired)
			row[4] = strconv.Itoa(p.Ready)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// decimal formats v with at most four decimals, "" when not finite.
func decimal(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}
