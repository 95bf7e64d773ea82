package forecast

import (
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Window parts of an occurrence. Offsets in the lead and the event count
// from the event's start; offsets in the lag count from the event's end. So
// occurrences of one type but different durations align where their demand
// looks alike: the run-up and the first hours of the event line up on the
// start, the drain after it on the end, and a longer event than any seen
// before keeps the last learned level of the event part.
const (
	partLead = iota
	partEvent
	partLag
	numParts
)

// eventSpan is an occurrence placed on a series' grid, in steps from the
// series' start: the window [from, to) holds the lead [from, start), the
// event [start, end) and the lag [end, to). A step belongs to the window
// when its interval intersects it.
type eventSpan struct {
	occ                  calendar.Occurrence
	from, start, end, to int
}

// eventSpans places events on the grid that starts at start with step step.
func eventSpans(start time.Time, step time.Duration, events []calendar.Occurrence) []eventSpan {
	g := timeseries.Series{Start: start, Step: step}
	spans := make([]eventSpan, 0, len(events))
	for _, o := range events {
		s := eventSpan{occ: o, from: g.Index(o.WindowStart()), start: g.Index(o.Start)}
		s.start = max(s.start, s.from)
		s.end = max(ceilIndex(g, o.End), s.start+1)
		s.to = max(ceilIndex(g, o.WindowEnd()), s.end)
		spans = append(spans, s)
	}
	return spans
}

// ceilIndex returns the first step of g that starts at or after t.
func ceilIndex(g timeseries.Series, t time.Time) int {
	i := g.Index(t)
	if g.Time(i).Before(t) {
		i++
	}
	return i
}

// locate returns the window part of step i and its offset in that part (see
// partLead); ok is false outside the window.
func (s eventSpan) locate(i int) (part, k int, ok bool) {
	switch {
	case i < s.from || i >= s.to:
		return 0, 0, false
	case i < s.start:
		return partLead, s.start - i - 1, true
	case i < s.end:
		return partEvent, i - s.start, true
	default:
		return partLag, i - s.end, true
	}
}

// partLen returns the number of steps of part p in the window.
func (s eventSpan) partLen(p int) int {
	switch p {
	case partLead:
		return s.start - s.from
	case partEvent:
		return s.end - s.start
	default:
		return s.to - s.end
	}
}

// maskSpans returns a copy of y with the steps of every window set missing,
// and whether any observed step was masked. Without spans it returns y.
func maskSpans(y timeseries.Series, spans []eventSpan) (timeseries.Series, bool) {
	if len(spans) == 0 {
		return y, false
	}
	m := y.Clone()
	masked := false
	for _, s := range spans {
		for i := max(s.from, 0); i < min(s.to, m.Len()); i++ {
			if !math.IsNaN(m.Values[i]) {
				m.Values[i] = math.NaN()
				masked = true
			}
		}
	}
	return m, masked
}

// inAnyWindow marks the steps [offset, offset+n) of the grid that lie in the
// window of some span.
func inAnyWindow(spans []eventSpan, offset, n int) []bool {
	in := make([]bool, n)
	for _, s := range spans {
		for i := max(s.from, offset); i < min(s.to, offset+n); i++ {
			in[i-offset] = true
		}
	}
	return in
}
