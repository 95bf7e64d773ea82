package calendar

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// parseEvents parses a calendar made of the given YAML event list.
func parseEvents(t testing.TB, timeZone, events string) *Calendar {
	t.Helper()
	doc := fmt.Sprintf("apiVersion: prescale.dev/v1alpha1\nkind: Calendar\nmetadata: {name: t}\nspec:\n  timeZone: %q\n  events:\n%s", timeZone, events)
	c, err := Parse([]byte(doc), "t.yaml")
	if err != nil {
		t.Fatalf("Parse:\n%s\n%v", doc, err)
	}
	return c
}

// localStarts formats the starts of occ in loc as "2006-01-02 15:04".
func localStarts(occ []Occurrence, loc *time.Location) []string {
	var out []string
	for _, o := range occ {
		out = append(out, o.Start.In(loc).Format("2006-01-02 15:04"))
	}
	return out
}

func TestRecurrence(t *testing.T) {
	tests := []struct {
		name, tz, event string
		from, to        string // years, [from, to)
		want            []string
	}{{
		name: "yearly true keeps month and day",
		tz:   "Asia/Shanghai", from: "2019", to: "2023",
		event: `{name: a, type: x, start: 2020-11-11, recurrence: {yearly: true}}`,
		want:  []string{"2020-11-11 00:00", "2021-11-11 00:00", "2022-11-11 00:00"},
	}, {
		name: "fixed date from a start on another day",
		tz:   "UTC", from: "2020", to: "2023",
		event: `{name: a, type: x, start: "2020-06-20 09:30", end: "2020-06-20 10:00", recurrence: {yearly: {month: 6, day: 18}}}`,
		want:  []string{"2021-06-18 09:30", "2022-06-18 09:30"},
	}, {
		name: "february 29 only in leap years",
		tz:   "UTC", from: "2020", to: "2030",
		event: `{name: a, type: x, start: 2020-02-29, recurrence: {yearly: true}}`,
		want:  []string{"2020-02-29 00:00", "2024-02-29 00:00", "2028-02-29 00:00"},
	}, {
		name: "4th thursday of november",
		tz:   "America/New_York", from: "2024", to: "2028",
		event: `{name: a, type: x, start: 2024-11-28, recurrence: {month: 11, weekday: Thursday, week: 4}}`,
		want:  []string{"2024-11-28 00:00", "2025-11-27 00:00", "2026-11-26 00:00", "2027-11-25 00:00"},
	}, {
		name: "last monday of may",
		tz:   "America/New_York", from: "2024", to: "2027",
		event: `{name: a, type: x, start: 2024-05-01, recurrence: {yearly: {month: 5, weekday: mon, week: -1}}}`,
		want:  []string{"2024-05-27 00:00", "2025-05-26 00:00", "2026-05-25 00:00"},
	}, {
		name: "5th sunday skips years without one",
		tz:   "UTC", from: "2024", to: "2029",
		event: `{name: a, type: x, start: 2024-01-01, recurrence: {month: 3, weekday: Sunday, week: 5}}`,
		want:  []string{"2024-03-31 00:00", "2025-03-30 00:00", "2026-03-29 00:00"},
	}, {
		name: "rrule with count",
		tz:   "Europe/Paris", from: "2026", to: "2027",
		event: `{name: a, type: x, start: "2026-01-05 08:00", end: "2026-01-05 09:00", recurrence: {rrule: "FREQ=MONTHLY;BYDAY=1MO", count: 3}}`,
		want:  []string{"2026-01-05 08:00", "2026-02-02 08:00", "2026-03-02 08:00"},
	}, {
		name: "until keeps an instance on its day",
		tz:   "UTC", from: "2020", to: "2030",
		event: `{name: a, type: x, start: 2020-06-18, recurrence: {yearly: true, until: 2022-06-18}}`,
		want:  []string{"2020-06-18 00:00", "2021-06-18 00:00", "2022-06-18 00:00"},
	}, {
		name: "until as a date-time is inclusive",
		tz:   "UTC", from: "2026", to: "2027",
		event: `{name: a, type: x, start: "2026-01-01 10:00", end: "2026-01-01 11:00", recurrence: {rrule: FREQ=DAILY, until: "2026-01-03T10:00"}}`,
		want:  []string{"2026-01-01 10:00", "2026-01-02 10:00", "2026-01-03 10:00"},
	}, {
		name: "count counts from the first instance, not the range",
		tz:   "UTC", from: "2022", to: "2030",
		event: `{name: a, type: x, start: 2020-01-01, recurrence: {yearly: true, count: 4}}`,
		want:  []string{"2022-01-01 00:00", "2023-01-01 00:00"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.tz)
			c := parseEvents(t, tt.tz, "  - "+tt.event+"\n")
			from, _ := time.ParseInLocation("2006", tt.from, loc)
			to, _ := time.ParseInLocation("2006", tt.to, loc)
			occ := c.Occurrences(from, to)
			checkInvariants(t, occ, from, to)
			if got := localStarts(occ, loc); !slices.Equal(got, tt.want) {
				t.Errorf("%s over [%s, %s):\n got %q\nwant %q", tt.event, tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestRecurrenceAcrossDST(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	c := parseEvents(t, "Europe/Berlin", `
  - {name: evening, type: x, start: "2026-03-20 20:00", end: "2026-03-20 23:00", recurrence: {rrule: FREQ=WEEKLY, count: 3}}
  - {name: day, type: w, start: 2026-03-28, recurrence: {rrule: FREQ=DAILY, count: 2}}
  - {name: night, type: z, start: "2026-10-24 22:00", end: "2026-10-25 06:00", recurrence: {rrule: FREQ=DAILY, count: 2}}
`)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, berlin)
	got := map[string][]string{}
	for _, o := range c.Occurrences(from, from.AddDate(1, 0, 0)) {
		got[o.Name] = append(got[o.Name], fmt.Sprintf("%s/%s", o.Start.In(berlin).Format("01-02T15:04"), o.End.Sub(o.Start)))
	}
	want := map[string][]string{
		// 20:00 local each week, 19:00 UTC in CET and 18:00 UTC in CEST.
		"evening": {"03-20T20:00/3h0m0s", "03-27T20:00/3h0m0s", "04-03T20:00/3h0m0s"},
		// A whole local day is 23 hours on the day clocks go forward.
		"day": {"03-28T00:00/24h0m0s", "03-29T00:00/23h0m0s"},
		// 22:00 to 06:00 local is 9 hours on the night clocks go back.
		"night": {"10-24T22:00/9h0m0s", "10-25T22:00/8h0m0s"},
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s: got %q, want %q", name, got[name], w)
		}
	}
}

// thanksgiving returns the 4th Thursday of November of year y.
func thanksgiving(y int) time.Time {
	d := time.Date(y, time.November, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Thursday {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 21)
}

func TestBlackFridayAndCyberMondayRules(t *testing.T) {
	c, err := Load("testdata/black-friday.good.yaml", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ny := mustZone(t, "America/New_York")
	from := time.Date(2016, 1, 1, 0, 0, 0, 0, ny)
	byType := map[string][]string{}
	for _, o := range c.Occurrences(from, from.AddDate(40, 0, 0)) {
		byType[o.Type] = append(byType[o.Type], o.Start.In(ny).Format(time.DateOnly))
	}
	var friday, monday []string
	for y := 2016; y < 2056; y++ {
		friday = append(friday, thanksgiving(y).AddDate(0, 0, 1).Format(time.DateOnly))
		monday = append(monday, thanksgiving(y).AddDate(0, 0, 4).Format(time.DateOnly))
	}
	if got := byType["black-friday"]; !slices.Equal(got, friday) {
		t.Errorf("black friday:\n got %v\nwant %v", got, friday)
	}
	if got := byType["cyber-monday"]; !slices.Equal(got, monday) {
		t.Errorf("cyber monday:\n got %v\nwant %v", got, monday)
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"", 0, ""}, {"0", 0, ""}, {"2h", 2 * time.Hour, ""}, {"1d", 24 * time.Hour, ""},
		{"1d12h", 36 * time.Hour, ""}, {"1.5d", 36 * time.Hour, ""}, {"12h1d", 36 * time.Hour, ""},
		{"90m", 90 * time.Minute, ""}, {"366d", 366 * 24 * time.Hour, ""},
		{"-1h", 0, "must not be negative"}, {"1d-2h", 0, "cannot parse"}, {"d", 0, "cannot parse"},
		{"1e3d", 0, "cannot parse"}, {"367d", 0, "must be at most 366d"}, {"1w", 0, "cannot parse"},
		{"99999999999999h", 0, "cannot parse"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSpan(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("parseSpan(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("parseSpan(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestRRuleSkipMatchesFullWalk checks that starting a rule near the range
// yields the same instances as walking it from its first instance.
func TestRRuleSkipMatchesFullWalk(t *testing.T) {
	rules := []string{
		"FREQ=DAILY",
		"FREQ=DAILY;BYMONTH=2,3;BYDAY=MO,TH",
		"FREQ=WEEKLY",
		"FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=1",
		"FREQ=WEEKLY;WKST=SU;BYDAY=SU,SA;BYSETPOS=-1",
		"FREQ=MONTHLY",
		"FREQ=MONTHLY;BYDAY=-1FR",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
		"FREQ=YEARLY",
		"FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO",
		"FREQ=YEARLY;BYEASTER=-2",
		"FREQ=YEARLY;BYYEARDAY=-36,-35,-34,-33,-32,-31,-30;BYDAY=MO",
		"FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31", // not skipped: INTERVAL > 1
		"FREQ=WEEKLY;COUNT=600",                 // not skipped: COUNT
	}
	berlin := mustZone(t, "Europe/Berlin")
	first := time.Date(2019, 3, 13, 20, 30, 0, 0, berlin) // a Wednesday
	for _, s := range rules {
		t.Run(s, func(t *testing.T) {
			opt, err := parseRRule(s, first)
			if err != nil {
				t.Fatal(err)
			}
			r := rruleRule{opt: opt}
			end := time.Date(2030, 1, 1, 0, 0, 0, 0, berlin)
			full := collect(r.iter(first, time.Time{}), time.Time{}, end)
			for _, hint := range []time.Time{
				time.Date(2021, 1, 1, 0, 0, 0, 0, berlin),
				time.Date(2024, 2, 29, 13, 0, 0, 0, berlin),
				time.Date(2026, 10, 25, 2, 30, 0, 0, berlin),
				time.Date(2027, 12, 31, 23, 0, 0, 0, berlin),
			} {
				var want []time.Time
				for _, x := range full {
					if !x.Before(hint) {
						want = append(want, x)
					}
				}
				got := collect(r.iter(first, hint), hint, end)
				if !slices.EqualFunc(got, want, time.Time.Equal) || len(want) == 0 {
					t.Errorf("from %v: skipping gives %d instances, full walk %d (first %v vs %v)",
						hint, len(got), len(want), firstOf(got), firstOf(want))
				}
			}
		})
	}
}

// collect reads instances in [from, to) from next.
func collect(next func() (time.Time, bool), from, to time.Time) []time.Time {
	var out []time.Time
	for {
		x, ok := next()
		if !ok || !x.Before(to) {
			return out
		}
		if !x.Before(from) {
			out = append(out, x)
		}
	}
}

func firstOf(ts []time.Time) time.Time {
	if len(ts) == 0 {
		return time.Time{}
	}
	return ts[0]
}
