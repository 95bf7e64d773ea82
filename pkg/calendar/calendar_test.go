package calendar

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestOccurrencesWindowOverlap(t *testing.T) {
	// The event runs 10:00-12:00 UTC; its window 08:00-13:00.
	c := parseEvents(t, "UTC", `
  - {name: e, type: x, start: "2026-06-01 10:00", end: "2026-06-01 12:00", lead: 2h, lag: 1h}
`)
	at := func(h, m int) time.Time { return time.Date(2026, 6, 1, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		from, to time.Time
		want     bool
	}{
		{"range inside event", at(10, 30), at(11, 0), true},
		{"range inside lead only", at(8, 0), at(9, 0), true},
		{"range inside lag only", at(12, 30), at(12, 45), true},
		{"range ends at window start", at(6, 0), at(8, 0), false},
		{"range ends just after window start", at(6, 0), at(8, 1), true},
		{"range starts at window end", at(13, 0), at(14, 0), false},
		{"range starts just before window end", at(12, 59), at(14, 0), true},
		{"range covers window", at(0, 0), at(23, 0), true},
		{"empty range", at(10, 0), at(10, 0), false},
		{"reversed range", at(11, 0), at(10, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := len(c.Occurrences(tt.from, tt.to)) == 1
			if got != tt.want {
				t.Errorf("Occurrences(%v, %v) found the event = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestOccurrencesRecurringWindow(t *testing.T) {
	// Daily 10:00-11:00 with a 2h lag: the instance of June 1 still matters
	// at 12:30, so a range [12:30, June 2 09:00) holds exactly that one.
	c := parseEvents(t, "UTC", `
  - {name: e, type: x, start: "2026-05-01 10:00", end: "2026-05-01 11:00", lag: 2h, recurrence: {rrule: FREQ=DAILY}}
`)
	from := time.Date(2026, 6, 1, 12, 30, 0, 0, time.UTC)
	occ := c.Occurrences(from, from.Add(20*time.Hour+30*time.Minute))
	if len(occ) != 1 || !occ[0].Start.Equal(time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Occurrences = %+v, want only the June 1 instance", occ)
	}
}

func TestOccurrencesDeterministicOrder(t *testing.T) {
	c := parseEvents(t, "UTC", `
  - {name: b, type: q, start: 2026-06-01}
  - {name: a, type: q, start: 2026-06-01}
  - {name: c, type: p, start: 2026-06-01}
  - {name: d, type: p, start: 2026-05-31, end: 2026-06-01}
  - {name: e, type: p, start: 2026-06-01, end: 2026-06-02}
`)
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var got []string
	for _, o := range c.Occurrences(from, from.AddDate(0, 2, 0)) {
		got = append(got, o.Name)
	}
	want := []string{"d", "c", "a", "b", "e"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

func TestMergeAndTypes(t *testing.T) {
	a := parseEvents(t, "UTC", "  - {name: a, type: sale, start: 2026-06-01}\n")
	b := parseEvents(t, "UTC", "  - {name: b, type: match, start: 2026-06-02}\n  - {name: c, type: sale, start: 2026-06-03}\n")
	a.Name, b.Name = "a", "b"
	m := Merge(a, nil, b)
	if m.Name != "a+b" {
		t.Errorf("Merge name = %q, want a+b", m.Name)
	}
	if got, want := m.Types(), []string{"match", "sale"}; !slices.Equal(got, want) {
		t.Errorf("Types() = %q, want %q", got, want)
	}
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if n := len(m.Occurrences(from, from.AddDate(0, 0, 7))); n != 3 {
		t.Errorf("merged calendar has %d occurrences, want 3", n)
	}
	if n := len(a.Occurrences(from, from.AddDate(0, 0, 7))); n != 1 {
		t.Errorf("Merge changed its input: a has %d occurrences, want 1", n)
	}
	var empty *Calendar
	if empty.Types() != nil || empty.Occurrences(from, from.AddDate(1, 0, 0)) != nil {
		t.Error("a nil calendar should have no types and no occurrences")
	}
	if n := len(Merge().Occurrences(from, from.AddDate(1, 0, 0))); n != 0 {
		t.Errorf("Merge() has %d occurrences, want 0", n)
	}
}

func TestExpandCap(t *testing.T) {
	c := parseEvents(t, "UTC", `
  - {name: daily, type: x, start: 1901-01-01, recurrence: {rrule: FREQ=DAILY}}
  - {name: counted, type: x, start: 1901-01-01, recurrence: {rrule: FREQ=DAILY, count: 200000}}
  - {name: yearly, type: w, start: 1901-01-01, recurrence: {yearly: true}}
`)
	tests := []struct {
		name     string
		from, to time.Time
		failing  []string // events that hit the cap
		want     int      // occurrences still returned
	}{
		// Rules without a count start walking near the range; counted ones
		// walk from their first instance.
		{"a year late in the counted rule", time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), []string{"counted"}, 365 + 1},
		{"three centuries", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), []string{"daily", "counted"}, 300},
		{"one year", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), nil, 2*365 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			occ, err := c.Expand(tt.from, tt.to)
			var failing []string
			for _, e := range unjoin(err) {
				var ee *ExpansionError
				if !errors.As(e, &ee) || !errors.Is(e, ErrTooManyInstances) {
					t.Fatalf("Expand error %v is not an *ExpansionError wrapping ErrTooManyInstances", e)
				}
				failing = append(failing, ee.Event)
			}
			if !slices.Equal(failing, tt.failing) || len(occ) != tt.want {
				t.Errorf("Expand = %d occurrences, cap hit by %q; want %d, %q", len(occ), failing, tt.want, tt.failing)
			}
			if got := c.Occurrences(tt.from, tt.to); len(got) != len(occ) {
				t.Errorf("Occurrences = %d, want %d like Expand", len(got), len(occ))
			}
		})
	}
}

// unjoin lists the errors joined in err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}
