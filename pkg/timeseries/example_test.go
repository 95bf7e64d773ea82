package timeseries_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// ExampleRead reads an unsorted per-minute trace with a missing minute and
// resamples it to five-minute sums.
func ExampleRead() {
	const trace = `timestamp,value
2024-03-01 00:02,7
2024-03-01 00:00,5
2024-03-01 00:01,6
2024-03-01 00:04,9
`
	series, err := timeseries.Read(strings.NewReader(trace), "web.csv", timeseries.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := series[0]
	fmt.Println(s.Name, s.Start.Format(time.RFC3339), s.Step, s.Values)

	// Four of five minutes observed: the sum is scaled by 5/4.
	five, err := timeseries.Resample(s, 5*time.Minute, timeseries.AggSum)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(five.Start.Format(time.RFC3339), five.Step, five.Values)
	// Output:
	// web 2024-03-01T00:00:00Z 1m0s [5 6 7 NaN 9]
	// 2024-03-01T00:00:00Z 5m0s [33.75]
}

// ExampleRead_errors shows the located error of a bad row.
func ExampleRead_errors() {
	const trace = "timestamp,value\n2024-03-01 00:00,5\n2024-03-01 00:01,abc\n"
	_, err := timeseries.Read(strings.NewReader(trace), "web.csv", timeseries.ReadOptions{})
	fmt.Println(err)
	// Output:
	// reading trace "web.csv" line 3 column "value": parsing "abc": invalid syntax
}

// ExampleReadOptions_Validate shows an option error naming its field.
func ExampleReadOptions_Validate() {
	opts := timeseries.ReadOptions{Format: timeseries.FormatLines, Start: time.Unix(0, 0)}
	fmt.Println(opts.Validate())
	// Output:
	// step: must be positive for format "lines"
}
