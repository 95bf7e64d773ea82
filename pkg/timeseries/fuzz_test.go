package timeseries

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// addFileSeed adds to the corpus of f the first lines and fields of a
// testdata file, at most 512 bytes: small seeds keep mutation and
// minimisation fast.
func addFileSeed(f *testing.F, name string, lines, fields int, args ...any) {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	rows := strings.Split(string(data), "\n")
	var b strings.Builder
	for _, r := range rows[:min(lines, len(rows))] {
		cells := strings.Split(r, ",")
		b.WriteString(strings.Join(cells[:min(fields, len(cells))], ","))
		b.WriteByte('\n')
	}
	seed := b.String()
	if len(seed) > 512 {
		seed = seed[:strings.LastIndexAny(seed[:512], " \n")+1]
	}
	f.Add(append([]any{[]byte(seed)}, args...)...)
}

// checkInvariants checks what every successful Read promises.
func checkInvariants(t *testing.T, got []Series) {
	t.Helper()
	if len(got) == 0 {
		t.Fatal("Read succeeded with no series")
	}
	for _, s := range got {
		if s.Step <= 0 || s.Len() == 0 || s.Start.Location() != time.UTC || !inRange(s.Start) || !inRange(s.End()) {
			t.Fatalf("series %q: start %v step %v len %d breaks the invariants", s.Name, s.Start, s.Step, s.Len())
		}
		for i, v := range s.Values {
			if math.IsInf(v, 0) {
				t.Fatalf("series %q value %d is %v, want finite or NaN", s.Name, i, v)
			}
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("timestamp,value\n2015-07-10 00:00,1\n2015-07-10 01:00,2\n"), uint8(0))
	f.Add([]byte("timestamp,value\n3,1\n1,2\n2,\n2,4\n"), uint8(2))
	f.Add([]byte("series,timestamp,value\nb,0,1\na,60,5\nb,60,2\nb,180,4\n"), uint8(1))
	f.Add([]byte("timestamp,value\n2015-11-01 01:30,1\n2015-11-01 01:30,2\n2015-03-08 03:10,3\n"), uint8(3))
	f.Add([]byte("\"timestamp\",\"value\"\n\"2015-07-10T00:00:00.5+02:00\",\"1e3\"\n1436479200.5,NA\n"), uint8(0))
	addFileSeed(f, "wikipedia_R_head.csv", 12, 2, uint8(4))
	modes := []ReadOptions{
		{},
		{SeriesCol: "series"},
		{Step: time.Second, Aggregate: AggSum},
		{Step: time.Minute, Start: time.Unix(30, 0), Aggregate: AggLast, Location: fuzzLocation(f)},
		{TimeCol: "ds", ValueCol: "y"},
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		opts := modes[int(mode)%len(modes)]
		got, err := Read(bytes.NewReader(data), "fuzz.csv", opts)
		if err != nil {
			return
		}
		checkInvariants(t, got)
		if rows := countRows(t, data); observed(got) > rows {
			t.Fatalf("Read(%q) observed %d values from %d data rows", data, observed(got), rows)
		}
		for i := 1; i < len(got); i++ {
			if got[i-1].Name >= got[i].Name || got[i].Step != got[0].Step {
				t.Fatalf("series %q, %q: not sorted by distinct name or steps differ", got[i-1].Name, got[i].Name)
			}
		}
		checkRoundTrip(t, got)
	})
}

// countRows counts the data rows of a csv input with encoding/csv alone.
func countRows(t *testing.T, data []byte) int {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord, cr.TrimLeadingSpace = -1, true
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("Read accepted %q, encoding/csv rejects it: %v", data, err)
	}
	return len(rows) - 1
}

// observed counts the non-NaN values of series.
func observed(series []Series) int {
	n := 0
	for _, s := range series {
		n += s.Len() - s.Missing()
	}
	return n
}

func fuzzLocation(f *testing.F) *time.Location {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	return ny
}

// checkRoundTrip writes got and reads it back, when the step can be
// inferred, names survive encoding/csv (which turns \r\n into \n) and
// the output is small enough to keep the fuzzer fast.
func checkRoundTrip(t *testing.T, got []Series) {
	t.Helper()
	n := 0
	for _, s := range got {
		n += s.Len()
	}
	if n > 10_000 || !slices.ContainsFunc(got, func(s Series) bool { return s.Len() > 1 }) ||
		slices.ContainsFunc(got, func(s Series) bool { return strings.Contains(s.Name, "\r") }) {
		return
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, got); err != nil {
		t.Fatalf("WriteCSV error: %v", err)
	}
	back, err := Read(&b, "back.csv", ReadOptions{SeriesCol: "series"})
	if err != nil {
		t.Fatalf("reading WriteCSV output: %v", err)
	}
	checkSeries(t, "round trip", back, got)
}

func FuzzReadLines(f *testing.F) {
	f.Add([]byte("1\n0\n2\n"))
	f.Add([]byte("1 0 0 2 NaN -1.5e3\r\n\t7"))
	f.Add([]byte("1\nabc\n"))
	f.Add([]byte("   \n"))
	addFileSeed(f, "nasa_per_second_first_hour.txt", 1, 1)
	f.Add([]byte(strings.Repeat("1 0 0 2 ", 40)))
	opts := ReadOptions{Format: FormatLines, Start: time.Unix(0, 0), Step: time.Second}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), "fuzz.txt", opts)
		want, wantErr := referenceLines(data)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("Read(%q) error %v, reference error %v", data, err, wantErr)
		}
		if err != nil {
			return
		}
		checkInvariants(t, got)
		if !sameValues(got[0].Values, want) {
			t.Fatalf("Read(%q) = %v, reference %v", data, got[0].Values, want)
		}
	})
}

// referenceLines parses the lines format the slow, obvious way.
func referenceLines(data []byte) ([]float64, error) {
	fields := bytes.FieldsFunc(data, func(r rune) bool { return r < 128 && strings.ContainsRune(" \t\n\r\v\f", r) })
	if len(fields) == 0 {
		return nil, ErrNoData
	}
	var out []float64
	for _, f := range fields {
		s := string(f)
		switch strings.ToLower(s) {
		case "na", "n/a", "nan", "null":
			out = append(out, math.NaN())
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(v, 0) {
			return nil, errors.New("bad value")
		}
		out = append(out, v)
	}
	return out, nil
}

func FuzzReadM4(f *testing.F) {
	f.Add([]byte("V1,V2,V3,V4\nH1,1,2,\nH2,1,,3\n"))
	f.Add([]byte("\"V1\",\"V2\"\n\"H1\",\"605\",\"586\"\n"))
	f.Add([]byte("V1,V2\nH1,1\nH1,2\n"))
	addFileSeed(f, "m4_hourly_3rows.csv", 4, 12)
	opts := ReadOptions{Format: FormatM4, Start: time.Unix(0, 0), Step: time.Hour}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), "fuzz.csv", opts)
		if err != nil {
			return
		}
		checkInvariants(t, got)
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord, cr.TrimLeadingSpace = -1, true
		rows, err := cr.ReadAll()
		if err != nil || len(rows)-1 != len(got) {
			t.Fatalf("Read(%q) gave %d series; encoding/csv gives %d rows after the header (err %v)", data, len(got), len(rows)-1, err)
		}
		names := make(map[string]bool)
		for i, r := range rows[1:] {
			last := len(r) - 1
			for last > 0 && strings.TrimSpace(r[last]) == "" {
				last--
			}
			if s := got[i]; s.Len() != last || s.Name != strings.TrimSpace(r[0]) || names[s.Name] {
				t.Fatalf("row %d %q: got series %q with %d values, want %d values and a new name", i+2, r, s.Name, s.Len(), last)
			}
			names[got[i].Name] = true
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2015-07-10T14:24:00Z", "2015-07-10 14:24", "2015-07-10", "1436538240.5",
		"2015-07-10T14:24:00.123+0530", "2015-03-08 02:30", "-1", "2015-07-10t14:24z", "20150710"} {
		f.Add(s)
	}
	ny := fuzzLocation(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, loc := range []*time.Location{nil, ny} {
			got, err := ParseTime(s, loc)
			if err != nil {
				continue
			}
			if got.Location() != time.UTC || !inRange(got) {
				t.Fatalf("ParseTime(%q) = %v, want UTC in years %d..%d", s, got, minYear, maxYear)
			}
			back, err := ParseTime(got.Format(time.RFC3339Nano), nil)
			if err != nil || !back.Equal(got) {
				t.Fatalf("ParseTime(%q) = %v does not round-trip through RFC 3339: %v, %v", s, got, back, err)
			}
		}
	})
}
