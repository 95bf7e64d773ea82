package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
)

// APIVersion and Kind identify a prescale calendar file.
const (
	APIVersion = "prescale.dev/v1alpha1"
	Kind       = "Calendar"
)

// File is a calendar file as written in YAML. It mirrors the file exactly;
// Parse validates it and expands it into a Calendar.
type File struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   Metadata `json:"metadata"`
	Spec       Spec     `json:"spec"`
}

// Metadata names the calendar.
type Metadata struct {
	// Name is a lower-case name such as "ecommerce-cn".
	Name string `json:"name"`
}

// Spec holds the events and holiday lists of a calendar.
type Spec struct {
	// TimeZone is the IANA zone, such as "Asia/Shanghai", in which local
	// times of events and the days of holidays are read. Empty means UTC.
	TimeZone string        `json:"timeZone,omitempty"`
	Events   []EventSpec   `json:"events,omitempty"`
	Holidays []HolidaySpec `json:"holidays,omitempty"`
}

// EventSpec is one event, possibly recurring.
type EventSpec struct {
	// Name is a human-readable name such as "Singles' Day".
	Name string `json:"name"`
	// Type groups events whose demand looks alike, such as "double11"; it is
	// lower-case letters, digits and '-', at most 63 characters.
	Type string `json:"type"`
	// Start and End bound the (first instance of the) event: RFC 3339 with an
	// offset, or local "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" or
	// "YYYY-MM-DD HH:MM[:SS]" read in TimeZone. A date-only End includes that
	// whole day. End may be left out when Start is a date: the event is that
	// one day.
	Start string `json:"start"`
	End   string `json:"end,omitempty"`
	// TimeZone overrides Spec.TimeZone for this event.
	TimeZone string `json:"timeZone,omitempty"`
	// Lead and Lag widen the affected window before and after the event:
	// Go durations ("90m", "2h") with "d" for 24 hours ("1d", "1d12h").
	Lead string `json:"lead,omitempty"`
	Lag  string `json:"lag,omitempty"`
	// Recurrence repeats the event; nil means it happens once.
	Recurrence *RecurrenceSpec `json:"recurrence,omitempty"`
	// ExpectedUplift is the business-given demand multiplier (> 0) used when
	// history holds no past instance of Type; 5 means five times normal.
	ExpectedUplift *float64 `json:"expectedUplift,omitempty"`
}

// DateRule picks one day a year: Month and Day (November 11), or Month,
// Weekday and Week (the 4th Thursday of November; Week -1 is the last).
type DateRule struct {
	Month   int    `json:"month,omitempty"`
	Day     int    `json:"day,omitempty"`
	Weekday string `json:"weekday,omitempty"`
	Week    int    `json:"week,omitempty"`
}

// isZero reports whether no field of the rule is set.
func (r DateRule) isZero() bool { return r == DateRule{} }

// RecurrenceSpec repeats an event. Exactly one of Yearly, the inline
// DateRule fields or RRule is set. Every instance starts at the time of day
// of the event's start and lasts as long as its first instance; instances
// before the start's date are not produced.
type RecurrenceSpec struct {
	// Yearly is `true` (the start's month and day every year) or a DateRule.
	Yearly *YearlySpec `json:"yearly,omitempty"`
	// DateRule written inline, such as {month: 11, weekday: Thursday, week: 4},
	// also repeats yearly.
	DateRule
	// RRule is an RFC 5545 rule such as "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=18",
	// without DTSTART (the event's start is used). Its finest frequency is
	// DAILY and it may not set BYHOUR, BYMINUTE or BYSECOND.
	RRule string `json:"rrule,omitempty"`
	// Until drops instances starting after it (a date includes its whole day).
	Until string `json:"until,omitempty"`
	// Count keeps only the first Count instances (at least 1).
	Count *int `json:"count,omitempty"`
}

// YearlySpec is the value of `yearly:`, either a boolean or a DateRule.
type YearlySpec struct {
	// Enabled is the boolean form; it is true whenever a DateRule was given.
	Enabled bool `json:"-"`
	DateRule
}

// UnmarshalJSON accepts true, false or a DateRule object.
func (y *YearlySpec) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var r DateRule
		if err := dec.Decode(&r); err != nil {
			return err
		}
		*y = YearlySpec{Enabled: true, DateRule: r}
		return nil
	}
	var b bool
	if err := json.Unmarshal(data, &b); err != nil {
		return errors.New("must be true, false or {month, day} / {month, weekday, week}")
	}
	*y = YearlySpec{Enabled: b}
	return nil
}

// MarshalJSON writes the boolean form when no DateRule is set.
func (y YearlySpec) MarshalJSON() ([]byte, error) {
	if y.DateRule.isZero() {
		return json.Marshal(y.Enabled)
	}
	return json.Marshal(y.DateRule)
}

// HolidaySpec adds every public holiday of a country (or of one of its
// subdivisions) as a whole local day in Spec.TimeZone.
type HolidaySpec struct {
	// Country is an ISO 3166-1 alpha-2 code such as "us" (case-insensitive).
	Country string `json:"country"`
	// Subdivision is an ISO 3166-2 subdivision code without the country
	// prefix, such as "by" for Bavaria; needed for "au".
	Subdivision string `json:"subdivision,omitempty"`
	// Type is the occurrence type, "holiday" when empty.
	Type string `json:"type,omitempty"`
	// Lead and Lag are as in EventSpec.
	Lead string `json:"lead,omitempty"`
	Lag  string `json:"lag,omitempty"`
	// ExpectedUplift is as in EventSpec.
	ExpectedUplift *float64 `json:"expectedUplift,omitempty"`
}
