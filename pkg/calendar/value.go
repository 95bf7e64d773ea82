package calendar

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Bounds on values read from calendar files.
const (
	// minYear and maxYear bound the years of every date in a calendar.
	minYear, maxYear = 1900, 2999
	// maxSpan bounds Lead and Lag, and the length of an event.
	maxSpan = 366 * day
	// day is the length of the "d" unit.
	day = 24 * time.Hour
)

// parseTime reads an RFC 3339 time with offset, or a local date or
// date-time read in loc. dateOnly reports the "YYYY-MM-DD" form.
func parseTime(s string, loc *time.Location) (t time.Time, dateOnly bool, err error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, false, checkYear(t)
	}
	layouts := [...]string{time.DateOnly, "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", time.DateTime}
	for i, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, i == 0, checkYear(t)
		}
	}
	return time.Time{}, false, fmt.Errorf("cannot parse %q: want RFC 3339 with offset, YYYY-MM-DD or YYYY-MM-DD[T ]HH:MM[:SS]", s)
}

// checkYear rejects dates outside [minYear, maxYear].
func checkYear(t time.Time) error {
	if y := t.Year(); y < minYear || y > maxYear {
		return fmt.Errorf("year %d out of range %d..%d", y, minYear, maxYear)
	}
	return nil
}

// nextDay returns the local midnight after the day of t in loc.
func nextDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// parseSpan reads a non-negative Lead or Lag: a Go duration where "d" also
// counts 24 hours, such as "1d", "1d12h" or "90m". Empty is zero.
func parseSpan(s string) (time.Duration, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, errors.New("must not be negative")
	}
	if strings.ContainsAny(s, "+-") {
		return 0, fmt.Errorf("cannot parse %q: want a duration such as 90m, 2h or 1d", s)
	}
	var total float64
	rest := s
	for rest != "" {
		i := strings.IndexByte(rest, 'd')
		if i < 0 {
			d, err := time.ParseDuration(rest)
			if err != nil {
				return 0, fmt.Errorf("cannot parse %q: want a duration such as 90m, 2h or 1d", s)
			}
			total += float64(d)
			break
		}
		head, n := splitNumber(rest[:i])
		days, err := strconv.ParseFloat(n, 64)
		if n == "" || err != nil || strings.ContainsAny(n, "+-eExX_") {
			return 0, fmt.Errorf("cannot parse %q: want a duration such as 90m, 2h or 1d", s)
		}
		if head != "" {
			d, err := time.ParseDuration(head)
			if err != nil {
				return 0, fmt.Errorf("cannot parse %q: want a duration such as 90m, 2h or 1d", s)
			}
			total += float64(d)
		}
		total += days * float64(day)
		rest = rest[i+1:]
	}
	return checkSpan(total)
}

// checkSpan rejects negative spans and spans over maxSpan.
func checkSpan(total float64) (time.Duration, error) {
	if total < 0 || math.Signbit(total) {
		return 0, errors.New("must not be negative")
	}
	if total > float64(maxSpan) {
		return 0, fmt.Errorf("must be at most %s", formatSpan(maxSpan))
	}
	return time.Duration(total), nil
}

// splitNumber splits s into a leading part and the trailing run of digits
// and dots, the number before a "d" unit.
func splitNumber(s string) (head, num string) {
	i := len(s)
	for i > 0 && (s[i-1] >= '0' && s[i-1] <= '9' || s[i-1] == '.') {
		i--
	}
	return s[:i], s[i:]
}

// formatSpan writes d in days when it is a whole number of them.
func formatSpan(d time.Duration) string {
	if d > 0 && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}

// loadLocation reads an IANA time zone name; empty is UTC. "Local" is
// rejected: a calendar must mean the same on every machine.
func loadLocation(name string) (*time.Location, error) {
	switch name {
	case "", "UTC":
		return time.UTC, nil
	case "Local":
		return nil, errors.New(`"Local" depends on the machine; name an IANA zone such as "Europe/Paris"`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return loc, nil
}

// checkType validates an occurrence type.
func checkType(s string) error {
	switch {
	case s == "":
		return errors.New("required")
	case len(s) > 63 || !isLabel(s):
		return fmt.Errorf("%q must be lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters", s)
	}
	return nil
}

// checkUplift validates a business-given uplift.
func checkUplift(u *float64) (float64, error) {
	if u == nil {
		return 0, nil
	}
	if !(*u > 0) || math.IsInf(*u, 0) {
		return 0, fmt.Errorf("must be a multiplier greater than 0, got %v", *u)
	}
	return *u, nil
}

// isLabel reports whether s is a DNS label: lower-case letters, digits and
// '-', not starting or ending with '-'.
func isLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkLength checks that an event ends after it starts, both in absolute
// and in local wall-clock time, and lasts at most maxSpan.
func checkLength(start, end time.Time) error {
	wall := wallClock(end).Sub(wallClock(start))
	switch {
	case !end.After(start) || wall <= 0:
		return errors.New("must be after start")
	case end.Sub(start) > maxSpan || wall > maxSpan:
		return fmt.Errorf("must be at most %s after start", formatSpan(maxSpan))
	}
	return nil
}
