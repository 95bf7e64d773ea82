package cli

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

// TestForecastDefaultTrace runs the quick start's command: no --trace reads
// the bundled NASA trace and its calendar.
func TestForecastDefaultTrace(t *testing.T) {
	out, err := run(t, "forecast", "--horizon", "1h", "--model", "mseasonal", "--output", "csv")
	if err != nil {
		t.Fatalf("forecast on the bundled trace: %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("reading output: %v\n%s", err, out)
	}
	if got, want := strings.Join(rows[0], ","), "series,timestamp,value,lower,upper"; got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	if len(rows) != 61 {
		t.Fatalf("got %d forecast rows, want 60 one-minute steps", len(rows)-1)
	}
	// The trace's last minute is 1995-09-01 00:00 EDT, so the forecast
	// starts at 1995-09-01 00:01 EDT, 04:01 UTC.
	first, err := time.Parse(time.RFC3339, rows[1][1])
	if err != nil || !first.Equal(time.Date(1995, 9, 1, 4, 1, 0, 0, time.UTC)) {
		t.Fatalf("first forecast at %q (%v), want 1995-09-01T04:01:00Z", rows[1][1], err)
	}
	if rows[1][0] != "nasa-requests-per-minute" {
		t.Fatalf("series %q, want nasa-requests-per-minute", rows[1][0])
	}
}

func TestForecastDefaultTraceNeedsNoReadFlags(t *testing.T) {
	_, err := run(t, "forecast", "--horizon", "1h", "--time-col", "ts")
	if err == nil || !strings.Contains(err.Error(), "--trace: required with --time-col") {
		t.Fatalf("got %v, want an error naming --trace and --time-col", err)
	}
}
