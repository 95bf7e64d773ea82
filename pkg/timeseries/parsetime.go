package timeseries

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The years in which every instant has a UnixNano; the readers keep all
// arithmetic in int64 nanoseconds.
const (
	minYear = 1678
	maxYear = 2261
)

// ParseTime parses one timestamp, detecting its format from its shape:
//
//   - unix seconds, an integer or a decimal fraction ("1436551200",
//     "1436551200.25"), with nanosecond precision;
//   - RFC 3339 with a UTC offset ("2015-07-10T14:24:00Z",
//     "2015-07-10T14:24:00.5+02:00"; a space may replace the T, and
//     offsets +hh, +hhmm and +hh:mm are accepted);
//   - YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS and
//     YYYY-MM-DD HH:MM:SS.fraction (T or space), read as wall-clock time in
//     loc, or in UTC when loc is nil.
//
// An all-digit value is always unix seconds, so compact dates such as
// 20150710 are not supported. In loc, a wall-clock time skipped by a
// daylight-saving change is an error (ErrLocalGap); a repeated one (the
// hour after clocks go back) is read as its first occurrence, so a second
// occurrence collides with the first. The result is in UTC and lies in the
// years 1678 to 2261 (ErrTimeRange otherwise).
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if loc == nil {
		loc = time.UTC
	}
	var (
		t   time.Time
		err error
	)
	switch {
	case isDate(s):
		t, err = parseCivil(s, loc)
		if _, ok := err.(*time.ParseError); ok { // unwrapped from time.Parse; names the input
			if len(s) <= maxExcerpt {
				return time.Time{}, err
			}
			err = ErrTimeFormat // its message would quote all of s
		}
	case isUnix(s):
		t, err = parseUnix(s)
	default:
		err = ErrTimeFormat
	}
	if err == nil && !inRange(t) {
		err = ErrTimeRange
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("parsing time %s: %w", excerpt(s), err)
	}
	return t.UTC(), nil
}

// inRange reports whether t lies in the years minYear to maxYear (UTC).
func inRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= minYear && y <= maxYear
}

// isUnix reports whether s is [+-]digits[.digits].
func isUnix(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	return allDigits(intPart) && (!hasDot || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseUnix(s string) (time.Time, error) {
	neg := s[0] == '-'
	s = strings.TrimLeft(s, "+-")
	intPart, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || sec > 1e11 {
		return time.Time{}, ErrTimeRange
	}
	if len(frac) > 9 {
		frac = frac[:9] // below a nanosecond: truncated
	}
	var nsec int64
	if frac != "" {
		nsec, _ = strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
	}
	if neg {
		return time.Unix(-sec, -nsec), nil
	}
	return time.Unix(sec, nsec), nil
}

// isDate reports whether s starts with YYYY-MM-DD.
func isDate(s string) bool {
	return len(s) >= 10 && allDigits(s[0:4]) && s[4] == '-' &&
		allDigits(s[5:7]) && s[7] == '-' && allDigits(s[8:10])
}

// parseCivil parses a value that starts with YYYY-MM-DD.
func parseCivil(s string, loc *time.Location) (time.Time, error) {
	if len(s) == 10 {
		w, err := time.Parse(time.DateOnly, s)
		return inLocation(w, err, loc)
	}
	if sep := s[10]; sep != 'T' && sep != ' ' {
		if sep != 't' {
			return time.Time{}, ErrTimeFormat
		}
		s = s[:10] + "T" + s[11:]
	}
	clock, zone := splitZone(s[11:])
	if len(clock) != 5 && len(clock) < 8 {
		return time.Time{}, ErrTimeFormat
	}
	layout := civilLayout(s[10], len(clock) >= 8)
	switch len(zone) {
	case 0:
		w, err := time.Parse(layout, s)
		return inLocation(w, err, loc)
	case 1:
		if zone == "z" {
			s = s[:len(s)-1] + "Z"
		}
		fallthrough
	case 6:
		if layout == "2006-01-02T15:04:05" {
			return time.Parse(time.RFC3339, s) // package time's fast path
		}
		return time.Parse(layout+"Z07:00", s)
	case 3:
		return time.Parse(layout+"Z07", s)
	case 5:
		return time.Parse(layout+"Z0700", s)
	}
	return time.Time{}, ErrTimeFormat
}

// civilLayout returns the layout of a date and clock separated by sep (T or
// space), with or without seconds (a fraction may follow the seconds).
func civilLayout(sep byte, seconds bool) string {
	switch {
	case sep == ' ' && seconds:
		return time.DateTime
	case sep == ' ':
		return "2006-01-02 15:04"
	case seconds:
		return "2006-01-02T15:04:05"
	}
	return "2006-01-02T15:04"
}

// splitZone splits a clock such as "14:24:00.5+02:00" into the clock and
// its zone suffix ("Z", "+hh", "+hhmm", "+hh:mm" or "").
func splitZone(s string) (clock, zone string) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'Z', 'z', '+', '-':
			return s[:i], s[i:]
		}
	}
	return s, ""
}

// inLocation re-reads the wall clock of a time parsed in UTC as a wall
// clock in loc, rejecting one that a daylight-saving change skipped.
func inLocation(w time.Time, err error, loc *time.Location) (time.Time, error) {
	if err != nil || loc == time.UTC {
		return w, err
	}
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	if t.Hour() != w.Hour() || t.Minute() != w.Minute() || t.Day() != w.Day() {
		return time.Time{}, fmt.Errorf("%w in %s", ErrLocalGap, loc)
	}
	return t, nil
}
