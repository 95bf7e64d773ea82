package calendar

import "time"

// Occurrence is one concrete instance of a calendar event: the interval in
// which it happens and the windows before and after it in which demand is
// also affected (people arriving early, traffic draining late).
type Occurrence struct {
	// Name is the event's name, such as "Singles' Day 2026".
	Name string
	// Type groups occurrences whose demand looks alike, such as "double11",
	// "holiday" or "flash-sale"; uplift is learned per type.
	Type string
	// Start and End bound the event itself, End exclusive, in UTC.
	Start, End time.Time
	// Lead and Lag widen the affected window: it runs from Start-Lead to
	// End+Lag. Both are zero or positive.
	Lead, Lag time.Duration
	// Uplift is the business-given expected demand multiplier during the event
	// (2 means twice the normal demand), used when the history holds no past
	// occurrence of Type. Zero means none was given.
	Uplift float64
}

// WindowStart returns the start of the affected window, Start-Lead.
func (o Occurrence) WindowStart() time.Time { return o.Start.Add(-o.Lead) }

// WindowEnd returns the end of the affected window, End+Lag (exclusive).
func (o Occurrence) WindowEnd() time.Time { return o.End.Add(o.Lag) }

// Overlaps reports whether the affected window of o intersects [from, to).
func (o Occurrence) Overlaps(from, to time.Time) bool {
	return o.WindowStart().Before(to) && o.WindowEnd().After(from)
}
