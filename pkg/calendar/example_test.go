package calendar_test

import (
	"fmt"
	"log"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
)

func ExampleParse() {
	doc := []byte(`
apiVersion: prescale.dev/v1alpha1
kind: Calendar
metadata:
  name: shop
spec:
  timeZone: Asia/Shanghai
  events:
  - name: Singles' Day
    type: double11
    start: 2024-11-11      # the whole local day
    lead: 1d
    recurrence:
      yearly: true
    expectedUplift: 5      # given by the business
  - name: Thanksgiving
    type: holiday
    timeZone: America/New_York
    start: 2024-11-28
    recurrence: {month: 11, weekday: Thursday, week: 4}
`)
	cal, err := calendar.Parse(doc, "shop.yaml")
	if err != nil {
		log.Fatal(err)
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, o := range cal.Occurrences(from, from.AddDate(0, 1, 0)) {
		fmt.Printf("%-12s %-8s %s .. %s lead %v uplift %g\n", o.Name, o.Type,
			o.Start.Format(time.RFC3339), o.End.Format(time.RFC3339), o.Lead, o.Uplift)
	}
	// Output:
	// Singles' Day double11 2026-11-10T16:00:00Z .. 2026-11-11T16:00:00Z lead 24h0m0s uplift 5
	// Thanksgiving holiday  2026-11-26T05:00:00Z .. 2026-11-27T05:00:00Z lead 0s uplift 0
}
