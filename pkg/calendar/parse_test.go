package calendar

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// badFiles lists, for every testdata/*.bad.yaml, the errors Parse must
// report: each line of the joined error must contain one of them, in order.
var badFiles = map[string][]string{
	"api-version.bad.yaml": {
		`apiVersion: must be "prescale.dev/v1alpha1", got "prescale.dev/v1"`,
		`kind: must be "Calendar", got "Schedule"`,
	},
	"missing-names.bad.yaml": {
		"metadata.name: required",
		"spec.events[0].name: required",
	},
	"unknown-field.bad.yaml": {
		"spec.events[0].strat: unknown field: did you mean start?",
		"spec.tz: unknown field",
	},
	"end-before-start.bad.yaml": {
		"spec.events[0].end: must be after start",
		"spec.events[2].end: must be after start",
		"spec.events[3].end: required when start has a time of day",
		"spec.events[4].end: must be at most 366d after start",
	},
	"bad-week.bad.yaml": {
		"spec.events[0].recurrence.week: must be 1..5 or -1, got 6",
		"spec.events[1].recurrence.month: must be 1..12, got 13",
		`spec.events[1].recurrence.weekday: "Thurs" is not a weekday`,
		"spec.events[1].recurrence.week: must be 1..5 or -1, got 0",
		"spec.events[2].recurrence: set either day, or weekday and week",
		"spec.events[3].recurrence.weekday: required with week",
	},
	"bad-type.bad.yaml": {
		`spec.events[0].type: "Flash_Sale" must be lower-case`,
		"spec.events[1].type: required",
		`spec.events[2].type: "sale-" must be lower-case`,
	},
	"bad-timezone.bad.yaml": {
		`spec.timeZone: unknown time zone "Mars/Olympus_Mons"`,
		`spec.events[0].timeZone: "Local" depends on the machine`,
	},
	"bad-lead-lag.bad.yaml": {
		"spec.events[0].lead: must not be negative",
		`spec.events[0].lag: cannot parse "3 days"`,
		"spec.events[1].lead: must be at most 366d",
		`spec.events[1].lag: cannot parse "1x"`,
	},
	"bad-uplift.bad.yaml": {
		"spec.events[0].expectedUplift: must be a multiplier greater than 0, got 0",
		"spec.events[1].expectedUplift: must be a multiplier greater than 0, got -2",
		"spec.holidays[0].expectedUplift: must be a multiplier greater than 0, got 0",
	},
	"bad-rrule.bad.yaml": {
		"spec.events[0].recurrence.rrule: FREQ=HOURLY is finer than DAILY",
		"spec.events[1].recurrence.rrule: \"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\" matches no date on or after start",
		`spec.events[2].recurrence.rrule: cannot parse "FREQ=SOMETIMES"`,
		"spec.events[3].recurrence.rrule: BYHOUR, BYMINUTE and BYSECOND are not supported",
		"spec.events[4].recurrence.rrule: must be one RRULE without DTSTART",
		"spec.events[5].recurrence.rrule: sets COUNT or UNTIL",
	},
	"bad-recurrence.bad.yaml": {
		"spec.events[0].recurrence: set only one of yearly, rrule",
		"spec.events[1].recurrence: needs one of yearly, month/day/weekday/week or rrule",
		"spec.events[2].recurrence.yearly.day: must be 1..29, got 30",
		"spec.events[3].recurrence: needs one of",
	},
	"bad-yearly-shape.bad.yaml": {
		"spec.events[0].recurrence.yearly: must be true, false or {month, day} / {month, weekday, week}",
		"bad-yearly-shape.bad.yaml:16:26: spec.events[1].recurrence.yearly.date: unknown field: did you mean day?",
	},
	"bad-bounds.bad.yaml": {
		"spec.events[0].recurrence.count: must be at least 1, got 0",
		"spec.events[1].recurrence.until: must not be before start",
		`spec.events[2].recurrence.until: cannot parse "next year"`,
	},
	"bad-holidays.bad.yaml": {
		`spec.holidays[0].country: unknown country "xx": supported are ar, at, au,`,
		`spec.holidays[1].subdivision: unknown subdivision "zz" of country "de": supported are bb, be, bw, by,`,
		`spec.holidays[2].subdivision: unknown subdivision "" of country "au": supported are act, nsw,`,
		`spec.holidays[3].subdivision: unknown subdivision "ca": country "us" has no subdivisions`,
		"spec.holidays[4].country: required",
	},
	"bad-dates.bad.yaml": {
		`spec.events[0].start: cannot parse "2026-13-01"`,
		`spec.events[1].start: cannot parse "05/30/2026"`,
		"spec.events[2].start: year 1066 out of range 1900..2999",
	},
	"bad-kinds.bad.yaml": {
		`:10:25: spec.events[0].recurrence.month: must be an integer, got string "eleven"`,
		":10:38: spec.events[0].recurrence.day: must be an integer, got a list",
		`:11:21: spec.events[0].expectedUplift: must be a number, got string "lots"`,
		`spec.holidays: must be a list, got string "us"`,
	},
	"norway.bad.yaml": {
		`norway.bad.yaml:9:14: spec.holidays[0].country: must be a string, but YAML 1.1 reads no as a boolean: quote it ("no")`,
		`norway.bad.yaml:11:11: spec.holidays[1].type: must be a string, but YAML 1.1 reads yes as a boolean: quote it ("yes")`,
		`norway.bad.yaml:14:11: spec.events[0].type: must be a string, but YAML 1.1 reads 11 as a number: quote it ("11")`,
		`norway.bad.yaml:16:11: spec.events[1].name: must be a string, but YAML 1.1 reads ~ as null: quote it ("~")`,
	},
	"duplicate-key.bad.yaml": {`key "name" already set in map`},
	"syntax.bad.yaml":        {"yaml: line 8: mapping values are not allowed"},
	"empty.bad.yaml":         {"empty calendar file"},
}

func TestParseBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := badFiles[name]
			if !ok {
				t.Fatalf("%s has no expected errors in badFiles", name)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(data, name)
			if err == nil {
				t.Fatalf("Parse(%s) = %d events, want errors %q", name, len(c.events), want)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.File != name {
				t.Errorf("Parse(%s) error %v is not a *FieldError naming the file", name, err)
			}
			got := strings.Split(strings.ReplaceAll(err.Error(), "\n  ", " "), "\n")
			if len(got) != len(want) {
				t.Errorf("Parse(%s) gave %d errors, want %d:\n%s", name, len(got), len(want), err)
			}
			for i := range min(len(got), len(want)) {
				if !strings.Contains(got[i], want[i]) {
					t.Errorf("Parse(%s) error %d = %q, want it to contain %q", name, i, got[i], want[i])
				}
			}
		})
	}
	for name := range badFiles {
		if !slices.Contains(files, filepath.Join("testdata", name)) {
			t.Errorf("badFiles lists %s, which is not in testdata", name)
		}
	}
}

func TestParseGoodFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.good.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no good fixtures: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c, err := Load(path, LoadOptions{})
			if err != nil {
				t.Fatalf("Load(%s): %v", path, err)
			}
			from := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			occ, err := c.Expand(from, from.AddDate(10, 0, 0))
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			checkInvariants(t, occ, from, from.AddDate(10, 0, 0))
		})
	}
}

func TestParseFullExample(t *testing.T) {
	c, err := Load("testdata/full.good.yaml", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "full-example" {
		t.Errorf("Name = %q, want full-example", c.Name)
	}
	want := []string{"double11", "double12", "flash-sale", "holiday", "match", "us-holiday"}
	if got := c.Types(); !slices.Equal(got, want) {
		t.Errorf("Types() = %q, want %q", got, want)
	}
	shanghai := mustZone(t, "Asia/Shanghai")
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var singles []Occurrence
	for _, o := range c.Occurrences(from, from.AddDate(0, 1, 0)) {
		if o.Type == "double11" {
			singles = append(singles, o)
		}
	}
	wantOcc := Occurrence{
		Name: "Singles' Day", Type: "double11",
		Start: time.Date(2026, 11, 11, 0, 0, 0, 0, shanghai).UTC(),
		End:   time.Date(2026, 11, 12, 0, 0, 0, 0, shanghai).UTC(),
		Lead:  24 * time.Hour, Lag: 6 * time.Hour, Uplift: 5,
	}
	if len(singles) != 1 || singles[0] != wantOcc {
		t.Errorf("Singles' Day in November 2026 = %+v, want [%+v]", singles, wantOcc)
	}
}

func TestLoadUnsupportedExtension(t *testing.T) {
	_, err := Load("calendar.json", LoadOptions{})
	if !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("Load(calendar.json) error = %v, want ErrUnsupportedFormat", err)
	}
	_, err = Load("testdata/missing.yaml", LoadOptions{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing.yaml) error = %v, want os.ErrNotExist", err)
	}
}

// mustZone loads an IANA zone or stops the test.
func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// checkInvariants verifies what every expansion must hold.
func checkInvariants(t testing.TB, occ []Occurrence, from, to time.Time) {
	t.Helper()
	for i, o := range occ {
		if !o.End.After(o.Start) || o.Lead < 0 || o.Lag < 0 || !o.Overlaps(from, to) {
			t.Fatalf("occurrence %d = %+v: want End > Start, Lead, Lag >= 0, overlapping [%v, %v)", i, o, from, to)
		}
		if o.Start.Location() != time.UTC || o.End.Location() != time.UTC {
			t.Fatalf("occurrence %d = %+v: want UTC times", i, o)
		}
		if i > 0 && o.Start.Before(occ[i-1].Start) {
			t.Fatalf("occurrences %d and %d out of order: %v after %v", i-1, i, occ[i-1].Start, o.Start)
		}
	}
}
