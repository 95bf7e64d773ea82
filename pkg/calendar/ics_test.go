package calendar

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// occKey is the part of an Occurrence that ICS tests compare.
type occKey struct {
	Name, Type string
	Start, End string // RFC 3339 in UTC
}

func keys(occ []Occurrence) []occKey {
	var out []occKey
	for _, o := range occ {
		out = append(out, occKey{o.Name, o.Type, o.Start.Format(time.RFC3339), o.End.Format(time.RFC3339)})
	}
	return out
}

func loadICS(t *testing.T, path string, opts ICSOptions) *Calendar {
	t.Helper()
	c, err := Load(path, LoadOptions{ICS: opts})
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return c
}

func TestParseICSAllDay(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	c := loadICS(t, "testdata/allday.ics", ICSOptions{DefaultType: "holiday", Location: paris})
	if c.Name != "allday" {
		t.Errorf("Name = %q, want allday", c.Name)
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, paris)
	got := keys(c.Occurrences(from, from.AddDate(1, 0, 0)))
	want := []occKey{
		{"New Year's Day", "public-holiday", "2025-12-31T23:00:00Z", "2026-01-01T23:00:00Z"},
		{"Carnival, three days", "holiday", "2026-02-15T23:00:00Z", "2026-02-18T23:00:00Z"},
		{"Company day", "holiday", "2026-06-04T22:00:00Z", "2026-06-05T22:00:00Z"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("occurrences =\n%v\nwant\n%v", got, want)
	}
}

func TestParseICSTZID(t *testing.T) {
	c := loadICS(t, "testdata/tzid.ics", ICSOptions{Lead: time.Hour, Lag: 2 * time.Hour})
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	occ := c.Occurrences(from, from.AddDate(0, 1, 0))
	got := keys(occ)
	want := []occKey{
		{"Product launch", "launch", "2026-03-10T13:00:00Z", "2026-03-10T15:30:00Z"}, // EDT since March 8
		{"Maintenance", "maintenance", "2026-03-11T02:00:00Z", "2026-03-11T03:30:00Z"},
		{"Floating", "event", "2026-03-12T12:00:00Z", "2026-03-12T13:00:00Z"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("occurrences =\n%v\nwant\n%v", got, want)
	}
	for _, o := range occ {
		if o.Lead != time.Hour || o.Lag != 2*time.Hour {
			t.Errorf("%s: lead, lag = %v, %v, want 1h, 2h", o.Name, o.Lead, o.Lag)
		}
	}
}

func TestParseICSRRule(t *testing.T) {
	c := loadICS(t, "testdata/rrule.ics", ICSOptions{})
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	got := keys(c.Occurrences(from, from.AddDate(20, 0, 0)))
	want := []occKey{
		{"Shop anniversary", "anniversary", "2020-02-29T00:00:00Z", "2020-03-01T00:00:00Z"},
		{"Shop anniversary", "anniversary", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"},
		// COUNT=6 from March 13; the 20th is an EXDATE, the 27th moved to the
		// 28th, April 3 cancelled; Berlin switches to CEST on March 29.
		{"Weekly sale", "flash-sale", "2026-03-13T19:00:00Z", "2026-03-13T20:00:00Z"},
		{"Weekly sale (moved)", "flash-sale", "2026-03-28T19:00:00Z", "2026-03-28T21:00:00Z"},
		{"Weekly sale", "flash-sale", "2026-04-10T18:00:00Z", "2026-04-10T19:00:00Z"},
		{"Weekly sale", "flash-sale", "2026-04-17T18:00:00Z", "2026-04-17T19:00:00Z"},
		{"Shop anniversary", "anniversary", "2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("occurrences =\n%v\nwant\n%v", got, want)
	}
}

func TestParseICSErrors(t *testing.T) {
	event := func(lines ...string) string {
		all := append([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:x", "DTSTAMP:20250101T000000Z"}, lines...)
		all = append(all, "END:VEVENT", "END:VCALENDAR")
		return strings.Join(all, "\r\n") + "\r\n"
	}
	tests := []struct {
		name, ics string
		opts      ICSOptions
		want      string
	}{
		{"missing DTSTART", event("SUMMARY:a"), ICSOptions{}, "cal.ics: line 4: DTSTART: required"},
		{"bad DTSTART", event("SUMMARY:a", "DTSTART:2026-07-04"), ICSOptions{}, `cal.ics: line 8: DTSTART: cannot parse "2026-07-04"`},
		{"unknown TZID", event("DTSTART;TZID=Eastern Standard Time:20260704T090000", "DTEND:20260704T100000Z"), ICSOptions{}, `line 7: DTSTART: TZID: unknown time zone "Eastern Standard Time"`},
		{"end before start", event("DTSTART:20260704T090000Z", "DTEND:20260704T080000Z"), ICSOptions{}, "line 8: DTEND: must be after start"},
		{"no end", event("DTSTART:20260704T090000Z"), ICSOptions{}, "line 4: DTEND: required with a DTSTART date-time"},
		{"end and duration", event("DTSTART:20260704T090000Z", "DTEND:20260704T100000Z", "DURATION:PT1H"), ICSOptions{}, "line 9: DURATION: set DTEND or DURATION, not both"},
		{"bad duration", event("DTSTART:20260704T090000Z", "DURATION:1 hour"), ICSOptions{}, `line 8: DURATION: cannot parse duration "1 hour"`},
		{"date end for date-time", event("DTSTART:20260704T090000Z", "DTEND;VALUE=DATE:20260705"), ICSOptions{}, "line 8: DTEND: must be a date when DTSTART is one"},
		{"hourly rule", event("DTSTART:20260704T090000Z", "DURATION:PT1H", "RRULE:FREQ=HOURLY"), ICSOptions{}, "line 9: RRULE: FREQ=HOURLY is finer than DAILY"},
		{"rdate", event("DTSTART:20260704T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY", "RDATE:20260801T090000Z"), ICSOptions{}, "line 10: RDATE: not supported"},
		{"year out of range", event("DTSTART;VALUE=DATE:18000101"), ICSOptions{}, "line 7: DTSTART: year 1800 out of range"},
		{"malformed line", event("DTSTART;VALUE=DATE:20260101", "NOCOLON"), ICSOptions{}, "cal.ics: line 8: malformed content line"},
		{"not a calendar", "hello\r\n", ICSOptions{}, "cal.ics: line 1: malformed content line"},
		{"no vcalendar", "BEGIN:VEVENT\r\nEND:VEVENT\r\n", ICSOptions{}, "cal.ics: malformed calendar; expected a vcalendar"},
		{"bad default type", event("DTSTART;VALUE=DATE:20260101"), ICSOptions{DefaultType: "Bank Holiday"}, `default type: "Bank Holiday" must be lower-case`},
		{"negative lead", event("DTSTART;VALUE=DATE:20260101"), ICSOptions{Lead: -time.Hour}, "lead: must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseICS(strings.NewReader(tt.ics), "cal.ics", tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseICS error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseICSFieldError(t *testing.T) {
	ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:a\r\nDTSTART:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	_, err := ParseICS(strings.NewReader(ics), "f.ics", ICSOptions{})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.File != "f.ics" || fe.Field != "line 4: DTSTART" {
		t.Errorf("ParseICS error = %#v, want a *FieldError for f.ics line 4: DTSTART", err)
	}
}

func TestICSType(t *testing.T) {
	tests := map[string]string{
		"Public Holiday,Bank": "public-holiday",
		`Sale\, big,Other`:    "sale-big",
		"  FLASH_sale ":       "flash-sale",
		"!!!":                 "",
		"":                    "",
		"Fête nationale":      "f-te-nationale",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := icsType(in); got != want {
				t.Errorf("icsType(%q) = %q, want %q", in, got, want)
			}
		})
	}
}
