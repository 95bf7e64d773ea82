package scaler

import (
	"slices"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
)

// Events returns the occurrences of events, which are in the trace's time,
// moved onto the wall clock the way r replays the trace: an event the trace
// recorded on its second Thursday at 09:41 happens on each replayed second
// Thursday at 09:41.
func (r *Replay) Events(events Events) Events {
	return &replayEvents{r: r, events: events}
}

// replayEvents is a calendar shifted onto a Replay's wall clock.
type replayEvents struct {
	r      *Replay
	events Events
}

// Types returns the types of the underlying calendar.
func (e *replayEvents) Types() []string { return e.events.Types() }

// Occurrences returns the trace's occurrences replayed in [from, to),
// cycle by cycle, sorted by start.
func (e *replayEvents) Occurrences(from, to time.Time) []calendar.Occurrence {
	if !from.Before(to) {
		return nil
	}
	r := e.r
	first, _, _ := r.position(from)
	last, _, _ := r.position(to)
	var out []calendar.Occurrence
	for k := first - 1; k <= last+1; k++ {
		cycleFrom, cycleTo := r.first, addDays(r.first, 7*r.weeks)
		for _, o := range e.events.Occurrences(cycleFrom, cycleTo) {
			o.Start, o.End = r.wallTime(k, o.Start).UTC(), r.wallTime(k, o.End).UTC()
			if o.Overlaps(from, to) && !containsOccurrence(out, o) {
				out = append(out, o)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b calendar.Occurrence) int { return a.Start.Compare(b.Start) })
	return out
}

// containsOccurrence reports whether occ holds o.
func containsOccurrence(occ []calendar.Occurrence, o calendar.Occurrence) bool {
	for _, x := range occ {
		if x.Name == o.Name && x.Type == o.Type && x.Start.Equal(o.Start) {
			return true
		}
	}
	return false
}
