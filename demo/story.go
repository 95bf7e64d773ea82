package demo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// story holds the figures the page's account of the run is told from:
// the predictive policy against the reactive HPA, overall, around the
// first event shown and in the hour the predictive policy did worst.
type story struct {
	pred, reac simulator.Result
	loc        *time.Location
	// event is the first event starting inside the simulated window, nil
	// without one; the other event figures are then zero.
	event *calendar.Occurrence
	// predReady and reacReady are the pods ready at the event's start,
	// and need the pods its demand needed.
	predReady, reacReady, need int
	// rise is the predictive policy's largest rise of desired replicas
	// within riseSpan over the event's lead, zero when it did not rise.
	rise rise
	// predEvent and reacEvent are the requests left unserved over the
	// event's affected window.
	predEvent, reacEvent float64
	// worstHour is the hour in which the predictive policy left the most
	// requests unserved beyond the HPA's, zero when in no hour it left
	// more; predWorst and reacWorst are that hour's unserved requests.
	worstHour            time.Time
	predWorst, reacWorst float64
	// predCost and reacCost are the node costs of the policies' replicas
	// on the illustrative pool, in $.
	predCost, reacCost float64
}

// newStory gathers the story's figures from r.
func newStory(r Result) story {
	s := story{loc: locOf(r), predCost: r.Nodes.Predictive.Cost, reacCost: r.HPANodes.Predictive.Cost}
	s.pred, _ = r.Find("predictive")
	s.reac, _ = r.Find("reactive")
	for i, e := range r.Events {
		if !e.Start.Before(r.Demand.Start) && e.Start.Before(r.Demand.End()) {
			s.event = &r.Events[i]
			break
		}
	}
	if s.event != nil {
		s.eventFigures()
	}
	s.worstHourFigures()
	return s
}

// eventFigures fills the figures around the event.
func (s *story) eventFigures() {
	p, q := s.pred.Timeline, s.reac.Timeline
	i := index(p, s.event.Start)
	if i < 0 || i >= len(q) {
		return
	}
	s.predReady, s.reacReady, s.need = p[i].Ready, q[i].Ready, podsFor(p[i].Demand)
	from, to := s.event.Start.Add(-s.event.Lead), s.event.End.Add(s.event.Lag)
	s.rise = largestRise(p, q, index(p, from), i)
	s.predEvent, s.reacEvent = unservedBetween(p, from, to), unservedBetween(q, from, to)
}

// worstHourFigures finds the hour in which predictive left the most
// requests unserved beyond the HPA's.
func (s *story) worstHourFigures() {
	tl := s.pred.Timeline
	if len(tl) == 0 {
		return
	}
	best := 0.0
	for h := tl[0].Time.Truncate(time.Hour); h.Before(tl[len(tl)-1].Time); h = h.Add(time.Hour) {
		p, q := unservedBetween(tl, h, h.Add(time.Hour)), unservedBetween(s.reac.Timeline, h, h.Add(time.Hour))
		if p-q > best {
			best, s.worstHour, s.predWorst, s.reacWorst = p-q, h, p, q
		}
	}
}

// riseSpan is the span over which the predictive policy's rises of
// replicas are measured.
const riseSpan = 15 * time.Minute

// rise is a rise of the predictive policy's desired replicas.
type rise struct {
	from, to     time.Time // the rise's first and last minute
	before, peak int       // desired replicas before the rise and at its top
	need         int       // pods the largest demand of the rise's minutes needed
	hpa          int       // the HPA's desired replicas at the rise's top
}

// largestRise returns the largest rise of p's desired replicas over at
// most riseSpan, within positions [lo, hi] (lo < 0 means 0), with the
// HPA's desired replicas from q; the zero rise when there is none.
func largestRise(p, q []simulator.Point, lo, hi int) rise {
	lo = max(lo, 0)
	if len(p) < 2 || hi >= len(p) || hi >= len(q) || lo >= hi {
		return rise{}
	}
	span := int(riseSpan / p[1].Time.Sub(p[0].Time))
	var best rise
	for j := lo + 1; j <= hi; j++ {
		for i := max(lo, j-span); i < j; i++ {
			if d := p[j].Desired - p[i].Desired; d > best.peak-best.before {
				best = rise{from: p[i].Time, to: p[j].Time, before: p[i].Desired, peak: p[j].Desired, hpa: q[j].Desired}
				for k := i; k <= j; k++ {
					best.need = max(best.need, podsFor(p[k].Demand))
				}
			}
		}
	}
	return best
}

// podsFor returns the pods a demand needs at full capacity, 0 when it is
// missing.
func podsFor(demand float64) int {
	if math.IsNaN(demand) || demand <= 0 {
		return 0
	}
	return int(math.Ceil(demand / podCapacity))
}

// index returns the position of the point at t in tl, -1 outside it.
func index(tl []simulator.Point, t time.Time) int {
	if len(tl) < 2 {
		return -1
	}
	i := int(t.Sub(tl[0].Time) / tl[1].Time.Sub(tl[0].Time))
	if t.Before(tl[0].Time) || i >= len(tl) {
		return -1
	}
	return i
}

// unservedBetween returns the requests left unserved in [from, to): the
// demand (requests per minute) times its unserved fraction times each
// step's minutes.
func unservedBetween(tl []simulator.Point, from, to time.Time) float64 {
	if len(tl) < 2 {
		return 0
	}
	minutes := tl[1].Time.Sub(tl[0].Time).Minutes()
	total := 0.0
	for _, p := range tl {
		if !p.Time.Before(from) && p.Time.Before(to) && !math.IsNaN(p.Demand) && !math.IsNaN(p.Unserved) {
			total += p.Demand * p.Unserved * minutes
		}
	}
	return total
}

// String tells the story in plain words, one paragraph.
func (s story) String() string {
	var b strings.Builder
	b.WriteString(s.verdict())
	if s.event != nil {
		b.WriteString(" " + s.eventSentence())
	}
	if s.worstHour.IsZero() {
		b.WriteString(" In no hour did it leave more requests unserved than the HPA.")
	} else {
		fmt.Fprintf(&b, " Where it lost: in the hour from %s it left %s requests unserved against the HPA's %s.",
			s.clock(s.worstHour), requests(s.predWorst), requests(s.reacWorst))
	}
	fmt.Fprintf(&b, " On the illustrative node pool its replicas cost %s against the HPA's %s (%s).",
		dollars(s.predCost), dollars(s.reacCost), savings(percentSaved(s.predCost, s.reacCost)))
	return b.String()
}

// verdict says whether predictive won, on unserved demand and pod-hours.
func (s story) verdict() string {
	p, r := s.pred, s.reac
	unserved := fmt.Sprintf("it left %s of the requests unserved against the HPA's %s", percent(p.UnservedFraction), percent(r.UnservedFraction))
	hours := fmt.Sprintf("%s pod-hours against the HPA's %s (%s)", podHours(p.PodHours), podHours(r.PodHours),
		savings(percentSaved(p.PodHours, r.PodHours)))
	switch served, cheaper := p.UnservedFraction < r.UnservedFraction, p.PodHours <= r.PodHours; {
	case served && cheaper:
		return "Predictive won on both counts: " + unserved + ", with " + hours + "."
	case served:
		return "Predictive served more of the demand and paid for it: " + unserved + ", but used " + hours + "."
	case cheaper:
		return "Predictive did not serve more of the demand: " + unserved + ", though it used " + hours + "."
	}
	return "Predictive lost on both counts: " + unserved + ", and used " + hours + "."
}

// eventSentence says whether predictive scaled ahead of the event, and
// what each policy dropped over the event's window.
func (s story) eventSentence() string {
	e := s.event
	var b strings.Builder
	switch r := s.rise; {
	case r.peak <= r.before:
		fmt.Fprintf(&b, "It did not raise its replicas ahead of the %s.", e.Name)
	case r.peak > r.need:
		fmt.Fprintf(&b, "It scaled ahead of the %s, before the demand did: between %s and %s, %s before it, it raised its replicas from %d to %d while the demand needed at most %d pods; the HPA then wanted %d.",
			e.Name, s.clock(r.from), s.clock(r.to), scaler.FormatDuration(e.Start.Sub(r.to)), r.before, r.peak, r.need, r.hpa)
	default:
		fmt.Fprintf(&b, "Ahead of the %s it scaled with the demand, not before it: its largest rise, between %s and %s, took it from %d to %d replicas while the demand needed %d pods; the HPA then wanted %d.",
			e.Name, s.clock(r.from), s.clock(r.to), r.before, r.peak, r.need, r.hpa)
	}
	fmt.Fprintf(&b, " At %s it had %d pods ready against the HPA's %d, for a demand needing %d.", s.clock(e.Start), s.predReady, s.reacReady, s.need)
	fmt.Fprintf(&b, " Over the event's window, %s to %s, it left %s requests unserved against the HPA's %s.",
		s.clock(e.Start.Add(-e.Lead)), s.clock(e.End.Add(e.Lag)), requests(s.predEvent), requests(s.reacEvent))
	return b.String()
}

// clock formats t as the trace's local day and time.
func (s story) clock(t time.Time) string { return t.In(s.loc).Format("Jan 2 15:04") }

// percentSaved returns how much less x is than base, in percent of base
// (negative when more), 0 when base is 0.
func percentSaved(x, base float64) float64 {
	if base == 0 {
		return 0
	}
	return 100 * (base - x) / base
}

// percent formats a fraction as a percentage: 0.384 %.
func percent(v float64) string { return fmt.Sprintf("%.3f %%", 100*v) }

// podHours formats pod-hours with one decimal.
func podHours(v float64) string { return fmt.Sprintf("%.1f", v) }

// requests formats a number of requests, rounded.
func requests(v float64) string { return fmt.Sprintf("%.0f", v) }
