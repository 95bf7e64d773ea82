package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	ics "github.com/arran4/golang-ical"
)

// veventLines records where a VEVENT and its properties are in the file.
type veventLines struct {
	// begin is the line of BEGIN:VEVENT, 1-based.
	begin int
	// props maps a property name to the line of its first occurrence.
	props map[string]int
}

// line returns the line of property name, or of BEGIN:VEVENT if absent.
func (v veventLines) line(name string) int {
	if l, ok := v.props[name]; ok {
		return l
	}
	return v.begin
}

// field names a property of the VEVENT for a FieldError.
func (v veventLines) field(name string) string {
	if v.begin == 0 {
		return "VEVENT: " + name
	}
	return fmt.Sprintf("line %d: %s", v.line(name), name)
}

// indexICS unfolds the content lines of an iCalendar file, checks that each
// parses as a property, and returns the lines of every VEVENT in order.
func indexICS(data []byte, file string) ([]veventLines, error) {
	var (
		events []veventLines
		stack  []string
	)
	err := eachContentLine(data, func(n int, line string) error {
		p, err := ics.ParseProperty(ics.ContentLine(line))
		if err != nil || p == nil {
			msg := "malformed content line"
			if err != nil {
				msg = err.Error()
			}
			return &FieldError{File: file, Field: fmt.Sprintf("line %d", n), Err: errors.New(msg)}
		}
		inEvent := len(stack) == 2 && stack[1] == "VEVENT"
		switch {
		case p.IANAToken == "BEGIN":
			stack = append(stack, p.Value)
			if len(stack) == 2 && p.Value == "VEVENT" {
				events = append(events, veventLines{begin: n, props: map[string]int{}})
			}
		case p.IANAToken == "END":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case inEvent:
			props := events[len(events)-1].props
			if _, seen := props[p.IANAToken]; !seen {
				props[p.IANAToken] = n
			}
		}
		return nil
	})
	return events, err
}

// eachContentLine calls fn with every unfolded, non-empty content line and
// the 1-based number of the physical line where it starts.
func eachContentLine(data []byte, fn func(n int, line string) error) error {
	var (
		cur   strings.Builder
		start int
	)
	flush := func() error {
		if cur.Len() == 0 {
			return nil
		}
		defer cur.Reset()
		return fn(start, cur.String())
	}
	for i, raw := range bytes.Split(data, []byte("\n")) {
		raw = bytes.TrimSuffix(raw, []byte("\r"))
		if len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t') {
			cur.Write(raw[1:])
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		start = i + 1
		cur.Write(raw)
	}
	return flush()
}
