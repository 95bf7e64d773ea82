package scaler

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// durationUnit is a unit ParseDuration accepts.
type durationUnit struct {
	name string
	size time.Duration
}

// durationUnits returns the units ParseDuration accepts, smallest first;
// "ms" comes before "m", of which it is an extension.
func durationUnits() [6]durationUnit {
	return [...]durationUnit{
		{"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute},
		{"h", time.Hour}, {"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour},
	}
}

// ParseDuration parses a non-negative duration written as a sequence of
// numbers with units, such as "90s", "1h30m", "28d" or "4w": the units of
// time.ParseDuration from ms up, plus d (24 hours) and w (7 days). Numbers
// may have a fraction ("1.5h"). The result is rounded to the nanosecond.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("empty duration")
	}
	if s == "0" {
		return 0, nil
	}
	var total float64
	for rest := s; rest != ""; {
		n := strings.IndexFunc(rest, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if n <= 0 {
			return 0, fmt.Errorf("duration %q: want numbers with units ms, s, m, h, d or w, such as 90s or 4w", s)
		}
		v, err := strconv.ParseFloat(rest[:n], 64)
		if err != nil {
			return 0, fmt.Errorf("duration %q: bad number %q", s, rest[:n])
		}
		rest = rest[n:]
		size, used := unitPrefix(rest)
		if used == 0 {
			return 0, fmt.Errorf("duration %q: missing or unknown unit after %s (want ms, s, m, h, d or w)", s, strconv.FormatFloat(v, 'g', -1, 64))
		}
		total += v * float64(size)
		rest = rest[used:]
	}
	if total > math.MaxInt64 {
		return 0, fmt.Errorf("duration %q overflows", s)
	}
	return time.Duration(math.Round(total)), nil
}

// unitPrefix returns the size and length of the unit s starts with.
func unitPrefix(s string) (time.Duration, int) {
	for _, u := range durationUnits() {
		if strings.HasPrefix(s, u.name) {
			return u.size, len(u.name)
		}
	}
	return 0, 0
}

// FormatDuration writes d in the largest units ParseDuration reads back
// exactly, such as "4w", "36h" or "1m30s".
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	neg := d < 0
	if neg {
		d = -d
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	units := durationUnits()
	for i := len(units) - 1; i >= 0 && d > 0; i-- {
		u := units[i]
		if n := d / u.size; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.name)
			d -= n * u.size
		}
	}
	if d > 0 {
		b.WriteString(strconv.FormatInt(int64(d), 10) + "ns")
	}
	return b.String()
}

// Duration is a time.Duration that reads and writes in YAML and JSON as a
// string ParseDuration understands ("30s", "4w").
type Duration time.Duration

// MarshalJSON writes d as a FormatDuration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(FormatDuration(time.Duration(d)))
}

// UnmarshalJSON reads a ParseDuration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"30s\" or \"4w\", got %s", b)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
