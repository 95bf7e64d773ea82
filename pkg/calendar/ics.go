package calendar

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// maxICSBytes bounds the size of an iCalendar file.
const maxICSBytes = 16 << 20

// ICSOptions control how ParseICS reads an iCalendar file.
type ICSOptions struct {
	// DefaultType is the type of events without CATEGORIES, such as
	// "holiday"; "event" when empty.
	DefaultType string
	// Location reads floating times and all-day dates (values with neither
	// TZID nor "Z"); UTC when nil.
	Location *time.Location
	// Lead and Lag widen the affected window of every event; both >= 0.
	Lead, Lag time.Duration
	// Name names the calendar; when empty, the file's base name without
	// its extension.
	Name string
}

// withDefaults fills the defaults and checks the options.
func (o ICSOptions) withDefaults() (ICSOptions, error) {
	if o.DefaultType == "" {
		o.DefaultType = "event"
	}
	if err := checkType(o.DefaultType); err != nil {
		return o, fmt.Errorf("default type: %w", err)
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if _, err := checkSpan(float64(o.Lead)); err != nil {
		return o, fmt.Errorf("lead: %w", err)
	}
	if _, err := checkSpan(float64(o.Lag)); err != nil {
		return o, fmt.Errorf("lag: %w", err)
	}
	return o, nil
}

// ParseICS reads an iCalendar (RFC 5545) file into a Calendar. Each VEVENT
// becomes an event: SUMMARY is its name; the first CATEGORIES value,
// lower-cased with other characters than letters and digits turned into
// '-', is its type (else opts.DefaultType); DTSTART with DTEND or DURATION
// bound it (an all-day DTSTART alone lasts one day; DTEND is exclusive).
// TZID parameters name IANA zones. RRULE (at most daily) repeats it, EXDATE
// and RECURRENCE-ID overrides remove instances, STATUS:CANCELLED drops it;
// RDATE and EXRULE are errors. file names the source in errors, which
// carry the line and property where they can, as *FieldError values.
func ParseICS(r io.Reader, file string, opts ICSOptions) (*Calendar, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("reading iCalendar %q: %w", file, err)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxICSBytes+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading iCalendar %q: %w", file, err)
	case len(data) > maxICSBytes:
		return nil, &FieldError{File: file, Err: fmt.Errorf("larger than %d bytes", maxICSBytes)}
	}
	index, err := indexICS(data, file)
	if err != nil {
		return nil, err
	}
	parsed, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		return nil, &FieldError{File: file, Err: err}
	}
	fe := &fieldErrors{file: file}
	var built []icsEvent
	for i, v := range parsed.Events() {
		x := icsEvent{v: v, opts: &opts, fe: fe}
		if i < len(index) {
			x.lines = index[i]
		}
		if x.build() {
			built = append(built, x)
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	name := opts.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return &Calendar{Name: name, events: applyOverrides(built)}, nil
}

// applyOverrides removes the instances that RECURRENCE-ID events replace
// or cancel from their recurring master, and returns the events to keep.
func applyOverrides(built []icsEvent) []event {
	replaced := make(map[string][]time.Time)
	for _, x := range built {
		if !x.recurrenceID.IsZero() {
			replaced[x.uid] = append(replaced[x.uid], x.recurrenceID)
		}
	}
	var events []event
	for _, x := range built {
		if x.recurrenceID.IsZero() {
			x.e.exclude = append(x.e.exclude, replaced[x.uid]...)
		}
		if !x.cancelled {
			events = append(events, x.e)
		}
	}
	return events
}
