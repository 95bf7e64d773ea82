package timeseries

import (
	"bytes"
	"encoding/csv"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func newYork(t *testing.T) *time.Location {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return ny
}

// readRaw reads a csv file with encoding/csv alone, as an independent check.
func readRaw(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestReadNASAPerMinute(t *testing.T) {
	path := filepath.Join("testdata", "nasa_per_minute_3days.csv")
	got, err := ReadFile(path, ReadOptions{TimeCol: "minute_start_edt", ValueCol: "count", Location: newYork(t)})
	if err != nil {
		t.Fatalf("ReadFile(%s) error: %v", path, err)
	}
	rows := readRaw(t, path)[1:]
	s := got[0]
	if s.Name != "nasa_per_minute_3days" || s.Step != time.Minute || s.Len() != len(rows) || s.Missing() != 0 ||
		!s.Start.Equal(mustTime(t, "1995-07-01T04:00:00Z")) {
		t.Fatalf("ReadFile(%s) = %q from %v step %v, %d values (%d missing); want 4,320 minutes from 04:00Z",
			path, s.Name, s.Start, s.Step, s.Len(), s.Missing())
	}
	for i, r := range rows {
		if want, _ := strconv.ParseFloat(r[1], 64); s.Values[i] != want {
			t.Fatalf("minute %d (%s): got %v, want %v", i, r[0], s.Values[i], want)
		}
	}
}

// TestNASASecondsMatchMinutes resamples the per-second excerpt to minutes
// and compares it with the per-minute file counted independently from the
// same log: every complete minute must match exactly.
func TestNASASecondsMatchMinutes(t *testing.T) {
	ny := newYork(t)
	sec, err := ReadFile(filepath.Join("testdata", "nasa_per_second_first_hour.txt"),
		ReadOptions{Format: FormatLines, Start: time.Date(1995, 7, 1, 0, 0, 1, 0, ny), Step: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if sec[0].Len() != 3600 {
		t.Fatalf("per-second excerpt has %d values, want 3600", sec[0].Len())
	}
	got, err := Resample(sec[0], time.Minute, AggSum)
	if err != nil {
		t.Fatal(err)
	}
	mins, err := ReadFile(filepath.Join("testdata", "nasa_per_minute_3days.csv"),
		ReadOptions{TimeCol: "minute_start_edt", ValueCol: "count", Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	want := mins[0]
	if !got.Start.Equal(want.Start) || got.Len() != 61 {
		t.Fatalf("resampled from %v with %d minutes, want %v and 61", got.Start, got.Len(), want.Start)
	}
	// The first minute lacks second 0 (59 of 60 observed): its sum is scaled.
	if w := want.Values[0] * 60 / 59; math.Abs(got.Values[0]-w) > 1e-9 {
		t.Errorf("minute 0: got %v, want %v (scaled by 60/59)", got.Values[0], w)
	}
	for i := 1; i < 60; i++ {
		if got.Values[i] != want.Values[i] {
			t.Errorf("minute %d: per-second sum %v, per-minute count %v", i, got.Values[i], want.Values[i])
		}
	}
	// The last minute holds one second only: under half observed.
	if !math.IsNaN(got.Values[60]) {
		t.Errorf("minute 60 (1 of 60 seconds observed): got %v, want NaN", got.Values[60])
	}
}

func TestReadM4Excerpt(t *testing.T) {
	path := filepath.Join("testdata", "m4_hourly_3rows.csv")
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	got, err := ReadFile(path, ReadOptions{Format: FormatM4, Start: start, Step: time.Hour})
	if err != nil {
		t.Fatalf("ReadFile(%s) error: %v", path, err)
	}
	rows := readRaw(t, path)[1:]
	if len(got) != len(rows) {
		t.Fatalf("got %d series, want %d", len(got), len(rows))
	}
	for i, r := range rows {
		var want []float64
		for _, c := range r[1:] {
			if c == "" {
				break // padding
			}
			v, err := strconv.ParseFloat(c, 64)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, v)
		}
		checkSeries(t, r[0], got[i:i+1], []Series{{Name: r[0], Start: start, Step: time.Hour, Values: want}})
	}
	if got[0].Name != "H1" || got[0].Len() != 700 || got[2].Len() != 960 {
		t.Errorf("got %s with %d values and %d values last, want H1 with 700 and 960", got[0].Name, got[0].Len(), got[2].Len())
	}
}

func TestReadWikipediaUnsorted(t *testing.T) {
	path := filepath.Join("testdata", "wikipedia_R_head.csv")
	got, err := ReadFile(path, ReadOptions{TimeCol: "ds", ValueCol: "y"})
	if err != nil {
		t.Fatalf("ReadFile(%s) error: %v", path, err)
	}
	s := got[0]
	rows := readRaw(t, path)[1:]
	if s.Step != 24*time.Hour || s.Len()-s.Missing() != len(rows) {
		t.Fatalf("got step %v, %d values with %d missing; want daily with %d observed", s.Step, s.Len(), s.Missing(), len(rows))
	}
	for _, r := range rows {
		day, err := time.Parse(time.DateOnly, r[0])
		if err != nil {
			t.Fatal(err)
		}
		want, _ := strconv.ParseFloat(r[1], 64)
		if i := s.Index(day); i < 0 || i >= s.Len() || s.Values[i] != want {
			t.Errorf("day %s: got index %d of %d, want value %v", r[0], i, s.Len(), want)
		}
	}
	if s.Missing() == 0 {
		t.Error("the excerpt has absent days; want them as NaN, got none")
	}
}

// TestGoldenNASAHourly resamples the per-minute excerpt to hourly sums and
// compares the WriteCSV output with a golden file (refresh with -update).
func TestGoldenNASAHourly(t *testing.T) {
	mins, err := ReadFile(filepath.Join("testdata", "nasa_per_minute_3days.csv"),
		ReadOptions{TimeCol: "minute_start_edt", ValueCol: "count", Location: newYork(t), Name: "nasa"})
	if err != nil {
		t.Fatal(err)
	}
	hourly, err := Resample(mins[0], time.Hour, AggSum)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, []Series{hourly}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "nasa_hourly.golden.csv")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("hourly resample differs from %s; run with -update after checking the change", golden)
	}
	total := 0.0
	for _, v := range mins[0].Values {
		total += v
	}
	sum := 0.0
	for _, v := range hourly.Values {
		sum += v
	}
	if hourly.Len() != 72 || sum != total {
		t.Errorf("72 hourly sums of complete hours: got %d hours summing to %v, want 72 summing to %v", hourly.Len(), sum, total)
	}
}
