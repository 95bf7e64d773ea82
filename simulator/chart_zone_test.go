package simulator

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteChartTimeZone checks that the chart labels its time axis in the
// trace's time zone and says which, not UTC whatever the trace.
func TestWriteChartTimeZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	tests := []struct {
		name      string
		loc       *time.Location
		zone      string
		firstTick string
	}{
		{"UTC", time.UTC, "times UTC", "Jan 5 00:00"},
		// 2026-01-05T00:00Z is 19:00 EST on Jan 4: ticks every 3 hours
		// fall on the local hours 21:00, 00:00, ...
		{"New York", ny, "times America/New_York", "Jan 4 21:00"},
	}
	tick := regexp.MustCompile(`text-anchor="middle" fill="#444">([^<]+)<`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testComparison(t)
			c.Start = c.Start.In(tc.loc)
			var b bytes.Buffer
			require.NoError(t, WriteChart(&b, c, c.Startups[0]))
			assert.Contains(t, b.String(), tc.zone)
			m := tick.FindStringSubmatch(b.String())
			require.NotNil(t, m, "no time tick in the chart")
			assert.Equal(t, tc.firstTick, m[1])
		})
	}
}
