package calendar

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchCalendar builds a calendar of n recurring events cycling through
// the recurrence kinds: yearly dates, n-th weekdays, weekly and monthly
// rules, all starting in 2018, plus US holidays.
func benchCalendar(b *testing.B, n int) *Calendar {
	b.Helper()
	weekdays := []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	var sb strings.Builder
	for i := range n {
		month, day := i%12+1, i%28+1
		start := fmt.Sprintf("2018-%02d-%02d", month, day)
		fmt.Fprintf(&sb, "  - {name: e%d, type: t%d, start: %s, lead: 2h, lag: 1d, recurrence: ", i, i%10, start)
		switch i % 5 {
		case 0:
			sb.WriteString("{yearly: true}")
		case 1:
			fmt.Fprintf(&sb, "{yearly: {month: %d, day: %d}}", month, day)
		case 2:
			fmt.Fprintf(&sb, "{month: %d, weekday: Monday, week: %d}", month, i%4+1)
		case 3:
			fmt.Fprintf(&sb, "{rrule: \"FREQ=WEEKLY;BYDAY=%s\"}", weekdays[i%7])
		case 4:
			sb.WriteString("{rrule: \"FREQ=MONTHLY;BYDAY=-1FR\"}")
		}
		sb.WriteString("}\n")
	}
	doc := "apiVersion: prescale.dev/v1alpha1\nkind: Calendar\nmetadata: {name: bench}\nspec:\n  timeZone: Europe/Berlin\n  holidays: [{country: us}]\n  events:\n" + sb.String()
	c, err := Parse([]byte(doc), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkOccurrences(b *testing.B) {
	for _, n := range []int{10, 50, 200} {
		b.Run(fmt.Sprintf("events=%d/years=3", n), func(b *testing.B) {
			c := benchCalendar(b, n)
			from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			to := from.AddDate(3, 0, 0)
			var count int
			b.ReportAllocs()
			for b.Loop() {
				count = len(c.Occurrences(from, to))
			}
			b.ReportMetric(float64(count), "occurrences/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(count), "ns/occurrence")
		})
	}
}
