// Package calendar reads calendars of known events (shopping festivals,
// public holidays, matches, campaigns) and expands them into concrete
// occurrences over a time range.
//
// Sources are prescale's YAML calendar (apiVersion prescale.dev/v1alpha1,
// kind Calendar), iCalendar (.ics) files and built-in public holidays by
// country code. Every source yields the same Occurrence values, which the
// forecasting models use to learn and apply the uplift of each event type.
//
// # YAML calendars
//
//	apiVersion: prescale.dev/v1alpha1
//	kind: Calendar
//	metadata:
//	  name: shop
//	spec:
//	  timeZone: Asia/Shanghai        # IANA zone for local times; default UTC
//	  events:
//	  - name: Singles' Day
//	    type: double11               # lower-case letters, digits, '-'
//	    start: 2024-11-11            # a date: from local midnight
//	    end: 2024-11-11              # a date end includes that whole day
//	    lead: 1d                     # Go duration; d is 24 hours
//	    lag: 6h
//	    recurrence: {yearly: true}
//	    expectedUplift: 5            # business-given multiplier, > 0
//	  holidays:
//	  - {country: us, lead: 12h}
//
// Times are RFC 3339 with an offset, or local "YYYY-MM-DD",
// "YYYY-MM-DDTHH:MM[:SS]" or "YYYY-MM-DD HH:MM[:SS]" read in the event's
// timeZone, else the spec's. A date-only end is inclusive (the event ends at
// the next local midnight); an event whose start is a date may leave out its
// end to last that one day. An event lasts at most 366 days, and years run
// from 1900 to 2999. Lead and lag are Go durations ("90m", "2h") where "d"
// also counts 24 hours ("1d12h"); they are at most 366d. Quote values YAML
// would read as booleans (y, n, yes, no, on, off): Norway is
// `country: "no"`.
//
// A recurrence is one of:
//
//	yearly: true                               # start's month and day
//	yearly: {month: 6, day: 18}                # a fixed date
//	{month: 11, weekday: Thursday, week: 4}    # n-th weekday, -1 = last
//	rrule: FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=23,24,25,26,27,28,29;BYDAY=FR
//
// with optional until (instances starting after it are dropped; a date
// includes its day) and count. The rrule form is RFC 5545 without DTSTART,
// at most daily, without BYHOUR, BYMINUTE or BYSECOND. Instances start at
// the start's local time of day, on the rule's dates from the start's date
// on (a start that does not match the rule is not itself an instance), and
// last as long as the first instance in local wall-clock time, so an all-day
// event stays one calendar day across daylight-saving changes. Dates that do
// not exist in a year (February 29, a 5th weekday) are skipped. The example
// rrule above is Black Friday, the Friday after the 4th Thursday of November.
//
// Holidays come from github.com/rickar/cal/v2 by ISO 3166-1 alpha-2 code
// (see SupportedCountries), with an optional ISO 3166-2 subdivision (needed
// for au). Each is the whole local day in spec.timeZone; one moved off a
// weekend also yields the day off, named "<name> (observed)".
//
// Parse reports every problem it finds, joined, each a *FieldError naming
// the field, such as "spec.events[3].end: must be after start". Unknown keys
// and values of the wrong kind are reported first; values are checked once
// the document's shape is right.
//
// # Expansion
//
// Calendar.Occurrences returns the occurrences whose affected window, Start
// minus Lead to End plus Lag, overlaps a range, sorted. Expansion is lazy and
// bounded: an rrule without a count is walked from near the requested range
// rather than from its first instance, and an event needing more than
// MaxInstances instances fails with ErrTooManyInstances (see
// Calendar.Expand).
package calendar
