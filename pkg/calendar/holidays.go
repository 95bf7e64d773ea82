package calendar

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
)

// holidaySource expands the public holidays of one country or subdivision.
type holidaySource struct {
	label     string // "us" or "de-by"
	typ       string
	lead, lag time.Duration
	uplift    float64
	loc       *time.Location
	list      []*cal.Holiday
}

// Holidays returns the public holidays of a country whose day overlaps
// [from, to), as whole days in loc (UTC when nil), of type "holiday" and
// sorted by Start. country is an ISO 3166-1 alpha-2 code such as "us",
// optionally followed by an ISO 3166-2 subdivision such as "de-by"; case
// does not matter. A holiday moved off a weekend yields two occurrences: the
// day itself and the day off, named "<name> (observed)". An unknown code is
// an error wrapping ErrUnknownCountry or ErrUnknownSubdivision that lists the
// supported codes.
func Holidays(country string, from, to time.Time, loc *time.Location) ([]Occurrence, error) {
	code, sub, _ := strings.Cut(country, "-")
	src, err := newHolidaySource(code, sub)
	if err != nil {
		return nil, err
	}
	src.typ = "holiday"
	if loc != nil {
		src.loc = loc
	}
	occ, err := src.expand(nil, from, to)
	sortOccurrences(occ)
	return occ, err
}

// SupportedCountries returns the lower-case ISO 3166-1 alpha-2 codes that
// Holidays and the holidays list of a calendar file accept, sorted.
func SupportedCountries() []string {
	return slices.Sorted(maps.Keys(countries()))
}

// newHolidaySource resolves a country and optional subdivision code to a
// holiday list, in UTC with no type set.
func newHolidaySource(code, sub string) (holidaySource, error) {
	code, sub = strings.ToLower(code), strings.ToLower(sub)
	table := countries()
	c, ok := table[code]
	if !ok {
		return holidaySource{}, fmt.Errorf("%w %q: supported are %s", ErrUnknownCountry, code,
			strings.Join(slices.Sorted(maps.Keys(table)), ", "))
	}
	src := holidaySource{label: code, loc: time.UTC, list: c.national}
	if sub == "" && c.national != nil {
		return src, nil
	}
	list, ok := c.subdivisions[sub]
	if !ok {
		if len(c.subdivisions) == 0 {
			return holidaySource{}, fmt.Errorf("%w %q: country %q has no subdivisions", ErrUnknownSubdivision, sub, code)
		}
		return holidaySource{}, fmt.Errorf("%w %q of country %q: supported are %s", ErrUnknownSubdivision, sub, code,
			strings.Join(slices.Sorted(maps.Keys(c.subdivisions)), ", "))
	}
	src.label, src.list = code+"-"+sub, list
	return src, nil
}

// expand appends the holidays whose affected window overlaps [from, to).
func (h *holidaySource) expand(occ []Occurrence, from, to time.Time) ([]Occurrence, error) {
	if !from.Before(to) {
		return occ, nil
	}
	first := from.Add(-h.lag - 2*day).In(h.loc).Year()
	last := to.Add(h.lead + 2*day).In(h.loc).Year()
	if (last-first+1)*len(h.list) > MaxInstances {
		return occ, &ExpansionError{Event: "holidays " + h.label, Err: ErrTooManyInstances}
	}
	for y := first; y <= last; y++ {
		for _, hol := range h.list {
			actual, observed := hol.Calc(y)
			if actual.IsZero() {
				continue
			}
			occ = h.appendDay(occ, hol.Name, actual, from, to)
			if !observed.IsZero() && !sameDay(actual, observed) {
				occ = h.appendDay(occ, hol.Name+" (observed)", observed, from, to)
			}
		}
	}
	return occ, nil
}

// appendDay appends the whole local day of d named name if it overlaps.
func (h *holidaySource) appendDay(occ []Occurrence, name string, d time.Time, from, to time.Time) []Occurrence {
	y, m, dd := d.Date()
	start := time.Date(y, m, dd, 0, 0, 0, 0, h.loc)
	o := Occurrence{
		Name: name, Type: h.typ,
		Start: start.UTC(), End: nextDay(start, h.loc).UTC(),
		Lead: h.lead, Lag: h.lag, Uplift: h.uplift,
	}
	if o.Overlaps(from, to) {
		occ = append(occ, o)
	}
	return occ
}

// sameDay reports whether a and b fall on the same calendar date as read in
// their own locations.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
