package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// icsTimes reads the DATE or DATE-TIME values of a property (one, or a
// comma-separated list for EXDATE). A TZID parameter names the zone;
// values without TZID or "Z" are floating and read in floating.
func icsTimes(p *ics.IANAProperty, floating *time.Location) (ts []time.Time, date bool, err error) {
	loc := floating
	if tz := p.ICalParameters["TZID"]; len(tz) > 0 {
		if len(tz) > 1 {
			return nil, false, errors.New("more than one TZID")
		}
		if loc, err = loadLocation(strings.TrimPrefix(tz[0], "/")); err != nil {
			return nil, false, fmt.Errorf("TZID: %w", err)
		}
	}
	dateParam := false
	if v := p.ICalParameters["VALUE"]; len(v) > 0 {
		dateParam = strings.EqualFold(v[0], "DATE")
	}
	for i, s := range strings.Split(p.Value, ",") {
		t, d, err := icsTime(strings.TrimSpace(s), loc, dateParam)
		if err != nil {
			return nil, false, err
		}
		if i > 0 && d != date {
			return nil, false, errors.New("mixes dates and date-times")
		}
		ts, date = append(ts, t), d
	}
	return ts, date, nil
}

// icsTime reads one DATE ("20260704") or DATE-TIME ("20260704T090000",
// with "Z" for UTC) value.
func icsTime(s string, loc *time.Location, dateParam bool) (t time.Time, date bool, err error) {
	switch {
	case len(s) == 8:
		t, err = time.ParseInLocation("20060102", s, loc)
		date = true
	case dateParam:
		return time.Time{}, false, fmt.Errorf("VALUE=DATE but %q is not a date", s)
	case strings.HasSuffix(s, "Z"):
		t, err = time.ParseInLocation("20060102T150405Z", s, time.UTC)
	default:
		t, err = time.ParseInLocation("20060102T150405", s, loc)
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("cannot parse %q: want 20060102 or 20060102T150405[Z]", s)
	}
	if err := checkYear(t); err != nil {
		return time.Time{}, false, err
	}
	return t.In(loc), date, nil
}

// icsDuration reads an RFC 5545 DURATION such as "P1D", "PT2H30M" or "P1W"
// into whole days (counted on the wall clock) and a fixed duration.
func icsDuration(s string) (days int, d time.Duration, err error) {
	bad := fmt.Errorf("cannot parse duration %q: want P[n]W, P[n]D or P[nD]T[nH][nM][nS]", s)
	rest, ok := strings.CutPrefix(strings.TrimPrefix(s, "+"), "P")
	if !ok || rest == "" {
		return 0, 0, bad
	}
	inTime := false
	for rest != "" {
		if rest[0] == 'T' && !inTime {
			inTime, rest = true, rest[1:]
			continue
		}
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i > 6 || i == len(rest) {
			return 0, 0, bad
		}
		n, _ := strconv.Atoi(rest[:i])
		switch unit := rest[i]; {
		case unit == 'W' && !inTime:
			days += 7 * n
		case unit == 'D' && !inTime:
			days += n
		case unit == 'H' && inTime:
			d += time.Duration(n) * time.Hour
		case unit == 'M' && inTime:
			d += time.Duration(n) * time.Minute
		case unit == 'S' && inTime:
			d += time.Duration(n) * time.Second
		default:
			return 0, 0, bad
		}
		rest = rest[i+1:]
	}
	return days, d, nil
}

// icsType turns the first CATEGORIES value into an occurrence type:
// lower-case, with every run of other characters than letters and digits
// replaced by '-'. It returns "" when nothing is left.
func icsType(categories string) string {
	first := categories
	for i := 0; i < len(first); i++ {
		if first[i] == '\\' {
			i++
		} else if first[i] == ',' {
			first = first[:i]
			break
		}
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(ics.FromText(first)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	s := b.String()
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	return s
}
