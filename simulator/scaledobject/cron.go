package scaledobject

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/prescale-dev/prescale/simulator"
)

// maxCronChanges bounds the start and end instants Cron.Windows walks
// through: a schedule changing state every minute for four months, or
// every 5 minutes for almost two years.
const maxCronChanges = 200_000

// Cron is a trigger of KEDA's cron scaler: DesiredReplicas pods (as a
// metric of DesiredReplicas against an AverageValue target of 1) while
// the schedule's window is open. Map makes it, parsed; Windows panics on a Cron built
// otherwise.
type Cron struct {
	// Start and End are the five-field cron expressions as written.
	Start, End string
	// Timezone is the IANA time zone the expressions are read in.
	Timezone string
	// DesiredReplicas is the replica count inside the window.
	DesiredReplicas int

	loc        *time.Location
	start, end cron.Schedule
}

// cronParser parses schedules as KEDA's cron scaler does.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// parseCron reads a cron trigger's metadata as KEDA's cron scaler does:
// start, end and timezone required, start and end different five-field
// expressions, desiredReplicas a nonzero integer (positive here).
func parseCron(p *problems, path string, md map[string]string) *Cron {
	c := &Cron{Start: md["start"], End: md["end"], Timezone: md["timezone"]}
	var err error
	for _, k := range []string{"start", "end", "timezone", "desiredReplicas"} {
		if _, ok := md[k]; !ok {
			p.invalid(key(path, k), "required by KEDA's cron scaler")
		}
	}
	if c.start, err = cronParser.Parse(c.Start); err != nil && c.Start != "" {
		p.invalid(key(path, "start"), "%q: %w", c.Start, err)
	}
	if c.end, err = cronParser.Parse(c.End); err != nil && c.End != "" {
		p.invalid(key(path, "end"), "%q: %w", c.End, err)
	}
	if c.Start == c.End && c.Start != "" {
		p.invalid(key(path, "end"), "the same as start: KEDA needs two different instants")
	}
	if c.loc, err = time.LoadLocation(c.Timezone); err != nil && c.Timezone != "" {
		p.invalid(key(path, "timezone"), "%q: %w", c.Timezone, err)
	}
	if v, ok := md["desiredReplicas"]; ok {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
		if err != nil || n < 1 {
			p.invalid(key(path, "desiredReplicas"), "%q: want a positive integer", v)
		}
		c.DesiredReplicas = int(n)
	}
	return c
}

// Windows returns the cron trigger's open windows that meet [from, to), as
// the simulator's cron windows of DesiredReplicas pods. KEDA's cron scaler
// counts the trigger active at t when the next end after t comes no later
// than the next start after t (both strictly after t), so the state only
// changes at start and end instants: Windows walks them in the trigger's
// time zone, daylight-saving shifts included, from a lookback of 35 days
// before from so that a window open at from keeps its real start. When the
// windows repeat at a fixed period (always, in a zone without daylight
// saving time, for daily or weekly schedules), it returns one window
// repeating at that period; otherwise one window per occurrence. Times are
// in from's location. It errors when the span, lookback included, holds
// more than 200,000 starts and ends.
func (c *Cron) Windows(from, to time.Time) ([]simulator.CronWindow, error) {
	var out []simulator.CronWindow
	t, changes := from.Add(-cronLookback), 0
	for t.Before(to) {
		if changes++; changes > maxCronChanges {
			return nil, fmt.Errorf("cron start %q and end %q change state more than %d times in %s: use a shorter trace", c.Start, c.End, maxCronChanges, to.Sub(from))
		}
		ns, ne := c.next(c.start, t), c.next(c.end, t)
		next := ns
		if ne.Before(ns) {
			next = ne
		}
		if ne.After(ns) { // closed until next
			t = next
			continue
		}
		if n := len(out); n > 0 && out[n-1].End.Equal(t) {
			out[n-1].End = next
		} else {
			out = append(out, simulator.CronWindow{Start: t, End: next, Replicas: c.DesiredReplicas})
		}
		t = next
	}
	for len(out) > 0 && !out[0].End.After(from) {
		out = out[1:]
	}
	for i := range out { // in the caller's zone, not the trigger's
		out[i].Start, out[i].End = out[i].Start.In(from.Location()), out[i].End.In(from.Location())
	}
	return periodic(out), nil
}

// cronLookback is how far before a span Windows starts walking.
const cronLookback = 35 * 24 * time.Hour

// never stands for a schedule with no next instant (robfig/cron returns
// the zero time when none falls within five years).
var never = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// next returns the schedule's first instant strictly after t, read in the
// trigger's zone.
func (c *Cron) next(s cron.Schedule, t time.Time) time.Time {
	n := s.Next(t.In(c.loc))
	if n.IsZero() {
		return never
	}
	return n
}

// periodic folds windows of one length repeating at one period into one
// repeating window.
func periodic(ws []simulator.CronWindow) []simulator.CronWindow {
	if len(ws) < 2 {
		return ws
	}
	d, every := ws[0].End.Sub(ws[0].Start), ws[1].Start.Sub(ws[0].Start)
	for i, w := range ws {
		if !w.Start.Equal(ws[0].Start.Add(time.Duration(i)*every)) || w.End.Sub(w.Start) != d {
			return ws
		}
	}
	return []simulator.CronWindow{{Start: ws[0].Start, End: ws[0].End, Every: every, Replicas: ws[0].Replicas}}
}
