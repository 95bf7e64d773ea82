// Package calendar reads calendars of known events (shopping festivals,
// public holidays, matches, campaigns) and expands them into concrete
// occurrences over a time range.
//
// Sources are prescale's YAML calendar (apiVersion prescale.dev/v1alpha1,
// kind Calendar), iCalendar (.ics) files and built-in public holidays by
// country code. Every source yields the same Occurrence values, which the
// forecasting models use to learn and apply the uplift of each event type.
package calendar
