package timeseries

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWriteCSV(t *testing.T) {
	in := []Series{{Name: "web", Start: time.Unix(60, 0), Step: time.Minute, Values: []float64{1.5, nan, 3}}}
	var b bytes.Buffer
	if err := WriteCSV(&b, in); err != nil {
		t.Fatalf("WriteCSV error: %v", err)
	}
	want := "series,timestamp,value\n" +
		"web,1970-01-01T00:01:00Z,1.5\n" +
		"web,1970-01-01T00:02:00Z,\n" +
		"web,1970-01-01T00:03:00Z,3\n"
	if b.String() != want {
		t.Errorf("WriteCSV(%v) =\n%s\nwant\n%s", in, b.String(), want)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	start := mustTime(t, "2015-07-10T14:24:00.25Z")
	tests := []struct {
		name string
		in   []Series
	}{
		{"one series", []Series{{Name: "a", Start: start, Step: time.Minute, Values: []float64{1, 2, 3}}}},
		{"missing values at both ends", []Series{{Name: "a", Start: start, Step: time.Hour, Values: []float64{nan, 2, nan, 4, nan}}}},
		{"awkward names and values", []Series{
			{Name: "", Start: start, Step: time.Second, Values: []float64{0.1, -0, 1e-300}},
			{Name: " lead, \"quoted\"", Start: start.Add(time.Hour), Step: time.Second, Values: []float64{math.MaxFloat64}},
			{Name: "multi\nline", Start: start, Step: time.Second, Values: []float64{math.SmallestNonzeroFloat64, 2}},
		}},
		{"sub-second step", []Series{{Name: "fast", Start: start, Step: 250 * time.Millisecond, Values: []float64{1, 2, 3}}}},
		{"daily", []Series{
			{Name: "b", Start: mustTime(t, "2008-01-01T00:00:00Z"), Step: 24 * time.Hour, Values: []float64{5.9, 6.1}},
			{Name: "a", Start: mustTime(t, "2008-02-01T00:00:00Z"), Step: 24 * time.Hour, Values: []float64{4, nan, 4.5}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteCSV(&b, tc.in); err != nil {
				t.Fatalf("WriteCSV error: %v", err)
			}
			got, err := Read(&b, "round.csv", ReadOptions{SeriesCol: "series"})
			if err != nil {
				t.Fatalf("Read of WriteCSV output error: %v\n%s", err, b.String())
			}
			want := sortedByName(tc.in)
			checkSeries(t, tc.name, got, want)
		})
	}
}

func TestWriteCSVErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     Series
		wantIs error
		want   string
	}{
		{"infinite value", Series{Name: "a", Start: time.Unix(0, 0), Step: time.Second, Values: []float64{1, math.Inf(1)}},
			ErrNotFinite, `writing series "a" step 1: value is not finite`},
		{"zero step", Series{Name: "a", Start: time.Unix(0, 0), Values: []float64{1}}, nil, `writing series "a": step 0s is not positive`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteCSV(&bytes.Buffer{}, []Series{tc.in})
			if err == nil || err.Error() != tc.want || (tc.wantIs != nil && !errors.Is(err, tc.wantIs)) {
				t.Errorf("WriteCSV(%v) error %v, want %q", tc.in, err, tc.want)
			}
		})
	}
}

func sortedByName(in []Series) []Series {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b Series) int { return strings.Compare(a.Name, b.Name) })
	return out
}
