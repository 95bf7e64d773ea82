package timeseries

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestReadLines(t *testing.T) {
	start := mustTime(t, "1995-07-01T04:00:01Z")
	opts := ReadOptions{Format: FormatLines, Start: start, Step: time.Second}
	tests := []struct {
		name string
		in   string
		opts ReadOptions
		want []float64
	}{
		{"one per line", "1\n0\n2\n", opts, []float64{1, 0, 2}},
		{"one line", "1 0 0 2 ", opts, []float64{1, 0, 0, 2}},
		{"no final line break", "1\n2", opts, []float64{1, 2}},
		{"mixed blanks and crlf", "\t1 \r\n 2\t3\r\n\r\n4", opts, []float64{1, 2, 3, 4}},
		{"blank lines are skipped", "1\n\n\n2\n", opts, []float64{1, 2}},
		{"missing markers", "1\nNaN\nNA\nnull\n5", opts, []float64{1, nan, nan, nan, 5}},
		{"decimals and signs", "-1.5\n+2\n1e3\n0.25", opts, []float64{-1.5, 2, 1000, 0.25}},
		{"long integer", "12345678901234567890", opts, []float64{12345678901234567890}},
		{"zero padded", "007", opts, []float64{7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in), "data/nasa.txt", tc.opts)
			if err != nil {
				t.Fatalf("Read(%q) error: %v", tc.in, err)
			}
			want := []Series{{Name: "nasa", Start: start, Step: time.Second, Values: tc.want}}
			checkSeries(t, tc.in, got, want)
		})
	}
}

// TestReadLinesChunks checks values that straddle the reader's chunks
// against a plain strings.Fields parse.
func TestReadLinesChunks(t *testing.T) {
	var b bytes.Buffer
	for i := range 100_000 {
		b.WriteString(strconv.Itoa(i * 7919 % 1000003))
		b.WriteString([]string{"\n", " ", "\t\t", "\r\n"}[i%4])
		if i%1000 == 0 {
			b.WriteString("3.25 ")
		}
	}
	in := b.String()
	var want []float64
	for _, f := range strings.Fields(in) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, v)
	}
	got, err := Read(strings.NewReader(in), "big.txt", ReadOptions{Format: FormatLines, Start: time.Unix(0, 0), Step: time.Second})
	if err != nil {
		t.Fatalf("Read error: %v", err)
	}
	if !sameValues(got[0].Values, want) {
		t.Errorf("Read of %d bytes: got %d values, want %d equal to strings.Fields", len(in), len(got[0].Values), len(want))
	}
}

func TestReadLinesErrors(t *testing.T) {
	opts := ReadOptions{Format: FormatLines, Start: time.Unix(0, 0), Step: time.Second}
	tests := []struct {
		name     string
		in       string
		opts     ReadOptions
		wantIs   error
		wantLine int
		wantCol  string
		wantMsg  string
	}{
		{"empty", "", opts, ErrEmpty, 0, "", `reading trace "n.txt": empty trace`},
		{"blanks only", " \n\n", opts, ErrNoData, 0, "", ""},
		{"bad value on a line", "1\n2\nabc\n4\n", opts, strconv.ErrSyntax, 3, "value 1",
			`reading trace "n.txt" line 3 column "value 1": parsing "abc": invalid syntax`},
		{"bad value in a row", "1 2\n3 4 x5 6", opts, strconv.ErrSyntax, 2, "value 3", `parsing "x5"`},
		{"header line", "count\n1\n", opts, strconv.ErrSyntax, 1, "value 1", ""},
		{"comma separated", "1,2\n", opts, strconv.ErrSyntax, 1, "value 1", ""},
		{"infinite", "1\ninf\n", opts, ErrNotFinite, 2, "value 1", ""},
		{"value too long", "1 " + strings.Repeat("9", 2<<20), opts, ErrLimit, 1, "", ""},
		{"end past the supported years", "1\n2\n3\n", ReadOptions{Format: FormatLines,
			Start: time.Date(2261, 12, 31, 23, 0, 0, 0, time.UTC), Step: time.Hour}, ErrTimeRange, 0, "", "3 steps of 1h0m0s"},
		{"no step", "1\n", ReadOptions{Format: FormatLines, Start: time.Unix(0, 0)}, nil, 0, "",
			`step: must be positive for format "lines"`},
		{"no start", "1\n", ReadOptions{Format: FormatLines, Step: time.Second}, nil, 0, "",
			`start: must be set for format "lines"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in), "n.txt", tc.opts)
			checkReadError(t, tc.in, got, err, tc.wantIs, tc.wantLine, tc.wantCol, tc.wantMsg)
		})
	}
}
