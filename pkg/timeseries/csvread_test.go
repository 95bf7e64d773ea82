package timeseries

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestReadCSV(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	h0 := mustTime(t, "2015-07-10T00:00:00Z")
	tests := []struct {
		name string
		in   string
		opts ReadOptions
		want []Series
	}{
		{"hourly", "timestamp,value\n2015-07-10 00:00,1\n2015-07-10 01:00,2\n2015-07-10 02:00,3\n",
			ReadOptions{}, []Series{{Name: "x", Start: h0, Step: time.Hour, Values: []float64{1, 2, 3}}}},
		{"unsorted rows", "timestamp,value\n2015-07-10 02:00,3\n2015-07-10 00:00,1\n2015-07-10 01:00,2\n",
			ReadOptions{}, []Series{{Name: "x", Start: h0, Step: time.Hour, Values: []float64{1, 2, 3}}}},
		{"gaps are NaN", "timestamp,value\n2015-07-10 00:00,1\n2015-07-10 01:00,2\n2015-07-10 02:00,3\n2015-07-10 05:00,6\n",
			ReadOptions{}, []Series{{Name: "x", Start: h0, Step: time.Hour, Values: []float64{1, 2, 3, nan, nan, 6}}}},
		{"missing markers", "timestamp,value\n0,\n60,NA\n120,null\n180,NaN\n240,n/a\n300,-1.5e2\n",
			ReadOptions{}, []Series{{Name: "x", Start: time.Unix(0, 0), Step: time.Minute, Values: []float64{nan, nan, nan, nan, nan, -150}}}},
		{"quoted header and fields", "\"ds\",\"y\"\n\"2008-01-02\",5.5\n\"2008-01-01\",\"4.25\"\n",
			ReadOptions{TimeCol: "ds", ValueCol: "y"},
			[]Series{{Name: "x", Start: mustTime(t, "2008-01-01T00:00:00Z"), Step: 24 * time.Hour, Values: []float64{4.25, 5.5}}}},
		{"columns matched ignoring case", "Timestamp, Value\n0,1\n10,2\n",
			ReadOptions{}, []Series{{Name: "x", Start: time.Unix(0, 0), Step: 10 * time.Second, Values: []float64{1, 2}}}},
		{"byte order mark", "\ufefftimestamp,value\n0,1\n10,2\n",
			ReadOptions{}, []Series{{Name: "x", Start: time.Unix(0, 0), Step: 10 * time.Second, Values: []float64{1, 2}}}},
		{"extra columns in any order", "host,value,note,timestamp\na,1,x,0\na,2,y,10\n",
			ReadOptions{}, []Series{{Name: "x", Start: time.Unix(0, 0), Step: 10 * time.Second, Values: []float64{1, 2}}}},
		{"crlf line ends", "timestamp,value\r\n0,1\r\n10,2\r\n",
			ReadOptions{}, []Series{{Name: "x", Start: time.Unix(0, 0), Step: 10 * time.Second, Values: []float64{1, 2}}}},
		{"name option", "timestamp,value\n0,1\n10,2\n",
			ReadOptions{Name: "web"}, []Series{{Name: "web", Start: time.Unix(0, 0), Step: 10 * time.Second, Values: []float64{1, 2}}}},
		{"series column sorted by name with a pooled step", "series,timestamp,value\nb,0,1\na,60,5\nb,60,2\nb,180,4\n",
			ReadOptions{SeriesCol: "series"}, []Series{
				{Name: "a", Start: time.Unix(60, 0), Step: time.Minute, Values: []float64{5}},
				{Name: "b", Start: time.Unix(0, 0), Step: time.Minute, Values: []float64{1, 2, nan, 4}}}},
		{"unix fractional seconds", "timestamp,value\n1436538240.5,2\n1436538240.0,1\n1436538241.5,4\n",
			ReadOptions{}, []Series{{Name: "x", Start: time.Unix(1436538240, 0), Step: 500 * time.Millisecond, Values: []float64{1, 2, nan, 4}}}},
		{"fractional seconds", "timestamp,value\n2015-07-10 00:00:00.100,1\n2015-07-10 00:00:00.200,2\n2015-07-10 00:00:00.300,3\n",
			ReadOptions{}, []Series{{Name: "x", Start: h0.Add(100 * time.Millisecond), Step: 100 * time.Millisecond, Values: []float64{1, 2, 3}}}},
		{"mode step with one irregular gap", "timestamp,value\n0,0\n60,1\n120,2\n180,3\n300,5\n",
			ReadOptions{}, []Series{{Name: "x", Start: time.Unix(0, 0), Step: time.Minute, Values: []float64{0, 1, 2, 3, nan, 5}}}},
		{"location", "minute,count\n1995-07-01 00:01,61\n1995-07-01 00:00,42\n",
			ReadOptions{TimeCol: "minute", ValueCol: "count", Location: ny},
			[]Series{{Name: "x", Start: mustTime(t, "1995-07-01T04:00:00Z"), Step: time.Minute, Values: []float64{42, 61}}}},
		{"spring forward hours are contiguous in UTC", "timestamp,value\n2015-03-08 00:00,0\n2015-03-08 01:00,1\n2015-03-08 03:00,3\n2015-03-08 04:00,4\n",
			ReadOptions{Location: ny},
			[]Series{{Name: "x", Start: mustTime(t, "2015-03-08T05:00:00Z"), Step: time.Hour, Values: []float64{0, 1, 3, 4}}}},
		{"fall back repeated hour collides", "timestamp,value\n2015-11-01 00:00,0\n2015-11-01 01:00,1\n2015-11-01 01:00,10\n2015-11-01 02:00,2\n",
			ReadOptions{Location: ny, Aggregate: AggSum},
			[]Series{{Name: "x", Start: mustTime(t, "2015-11-01T04:00:00Z"), Step: time.Hour, Values: []float64{0, 11, nan, 2}}}},
		{"local dates across DST with explicit daily step", "timestamp,value\n2015-03-09,3\n2015-03-07,1\n2015-03-08,2\n",
			ReadOptions{Location: ny, Step: 24 * time.Hour},
			[]Series{{Name: "x", Start: mustTime(t, "2015-03-07T00:00:00Z"), Step: 24 * time.Hour, Values: []float64{1, 2, 3}}}},
		{"local dates east of UTC floor onto the previous UTC date", "timestamp,value\n2015-01-02,2\n2015-01-01,1\n",
			ReadOptions{Location: tokyo, Step: 24 * time.Hour},
			[]Series{{Name: "x", Start: mustTime(t, "2014-12-31T00:00:00Z"), Step: 24 * time.Hour, Values: []float64{1, 2}}}},
		{"start anchors a daily grid at local midnight", "timestamp,value\n2015-01-02,2\n2015-01-01,1\n",
			ReadOptions{Location: tokyo, Step: 24 * time.Hour, Start: time.Date(2000, 1, 1, 0, 0, 0, 0, tokyo)},
			[]Series{{Name: "x", Start: mustTime(t, "2014-12-31T15:00:00Z"), Step: 24 * time.Hour, Values: []float64{1, 2}}}},
		{"explicit step buckets off-grid points on the epoch grid", "timestamp,value\n10,1\n50,3\n90,5\n",
			ReadOptions{Step: time.Minute, Aggregate: AggMean},
			[]Series{{Name: "x", Start: time.Unix(0, 0), Step: time.Minute, Values: []float64{2, 5}}}},
		{"explicit step anchored at start", "timestamp,value\n40,1\n100,2\n",
			ReadOptions{Step: time.Minute, Start: time.Unix(30, 0)},
			[]Series{{Name: "x", Start: time.Unix(30, 0), Step: time.Minute, Values: []float64{1, 2}}}},
		{"explicit step finer than the data", "timestamp,value\n0,1\n3600,2\n",
			ReadOptions{Step: 30 * time.Minute},
			[]Series{{Name: "x", Start: time.Unix(0, 0), Step: 30 * time.Minute, Values: []float64{1, nan, 2}}}},
		{"single row with explicit step", "timestamp,value\n2015-07-10 00:30,7\n",
			ReadOptions{Step: time.Hour},
			[]Series{{Name: "x", Start: h0, Step: time.Hour, Values: []float64{7}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in), "data/x.csv", tc.opts)
			if err != nil {
				t.Fatalf("Read(%q) error: %v", tc.in, err)
			}
			checkSeries(t, tc.in, got, tc.want)
		})
	}
}

func TestReadCSVAggregations(t *testing.T) {
	const in = "timestamp,value\n0,4\n0,1\n0,\n0,3\n60,7\n"
	tests := []struct {
		agg   Aggregation
		first float64
	}{
		{AggSum, 8}, {AggMean, 8.0 / 3}, {AggMax, 4}, {AggMin, 1}, {AggLast, 3},
	}
	for _, tc := range tests {
		t.Run(string(tc.agg), func(t *testing.T) {
			got, err := Read(strings.NewReader(in), "x.csv", ReadOptions{Aggregate: tc.agg})
			if err != nil {
				t.Fatalf("Read(%q, %s) error: %v", in, tc.agg, err)
			}
			want := []Series{{Name: "x", Start: time.Unix(0, 0), Step: time.Minute, Values: []float64{tc.first, 7}}}
			checkSeries(t, in, got, want)
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		in       string
		opts     ReadOptions
		wantIs   error
		wantLine int
		wantCol  string
		wantMsg  string
	}{
		{"empty file", "", ReadOptions{}, ErrEmpty, 0, "", `reading trace "x.csv": empty trace`},
		{"blank lines only", "\n\n", ReadOptions{}, ErrEmpty, 0, "", ""},
		{"header only", "timestamp,value\n", ReadOptions{}, ErrNoData, 0, "", `reading trace "x.csv": no data rows`},
		{"missing column", "ds,y\n2008-01-01,1\n", ReadOptions{}, ErrMissingColumn, 1, "timestamp",
			`reading trace "x.csv" line 1 column "timestamp": column not in header: header is "ds", "y"`},
		{"missing series column", "timestamp,value\n0,1\n", ReadOptions{SeriesCol: "host"}, ErrMissingColumn, 1, "host", `"timestamp", "value"`},
		{"bad value", "timestamp,value\n0,1\n60,abc\n", ReadOptions{}, strconv.ErrSyntax, 3, "value",
			`reading trace "x.csv" line 3 column "value": parsing "abc": invalid syntax`},
		{"value out of range", "timestamp,value\n0,1e400\n", ReadOptions{}, strconv.ErrRange, 2, "value", "out of range"},
		{"infinite value", "timestamp,value\n0,-Inf\n", ReadOptions{}, ErrNotFinite, 2, "value", ""},
		{"bad timestamp", "timestamp,value\n0,1\n60,2\nsoon,3\n", ReadOptions{}, ErrTimeFormat, 4, "timestamp", `"soon"`},
		{"impossible date", "timestamp,value\n2015-02-30,1\n", ReadOptions{}, nil, 2, "timestamp", "day out of range"},
		{"short row", "timestamp,value\n0,1\n60\n", ReadOptions{}, nil, 3, "value", "row has 1 fields, header has 2"},
		{"csv syntax", "timestamp,value\n0,\"1\n", ReadOptions{}, nil, 2, "", "quote"},
		{"duplicate", "timestamp,value\n0,1\n60,2\n60,3\n", ReadOptions{}, ErrDuplicate, 4, "timestamp",
			`reading trace "x.csv" line 4 column "timestamp": duplicate timestamp 1970-01-01T00:01:00Z (also on line 3); set an aggregation to combine them`},
		{"duplicate far apart", "timestamp,value\n60,1\n0,2\n120,3\n60,4\n", ReadOptions{}, ErrDuplicate, 5, "timestamp", "also on line 2"},
		{"duplicate in one series only", "s,timestamp,value\na,0,1\nb,0,1\na,0,2\n", ReadOptions{SeriesCol: "s", Step: time.Minute},
			ErrDuplicate, 4, "timestamp", "also on line 2"},
		{"bucket collision", "timestamp,value\n10,1\n50,2\n", ReadOptions{Step: time.Minute}, ErrDuplicate, 3, "timestamp",
			"1970-01-01T00:00:50Z and 1970-01-01T00:00:10Z (line 2) fall in the same 1m0s step"},
		{"off the inferred grid", "timestamp,value\n0,1\n60,2\n120,3\n150,4\n", ReadOptions{}, ErrOffGrid, 5, "timestamp", "lies 30s into a 1m0s step"},
		{"no step to infer", "timestamp,value\n0,1\n", ReadOptions{}, ErrNoStep, 0, "timestamp", "set a step"},
		{"grid too long", "timestamp,value\n0,1\n1,2\n2,3\n4000000000,4\n", ReadOptions{}, ErrTooLong, 0, "timestamp", "check the step"},
		{"daylight-saving gap", "timestamp,value\n2015-03-08 02:30,1\n", ReadOptions{Location: ny, Step: time.Hour}, ErrLocalGap, 2, "timestamp", ""},
		{"year out of range", "timestamp,value\n2500-01-01,1\n", ReadOptions{Step: time.Hour}, ErrTimeRange, 2, "timestamp", ""},
		{"invalid options", "timestamp,value\n0,1\n", ReadOptions{Step: -time.Second}, nil, 0, "", `reading trace "x.csv": step: must not be negative`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in), "x.csv", tc.opts)
			checkReadError(t, tc.in, got, err, tc.wantIs, tc.wantLine, tc.wantCol, tc.wantMsg)
		})
	}
}

// checkReadError checks err against the expected sentinel, position and
// message fragment; a zero line and empty column skip the position check
// unless the error is a *ParseError.
func checkReadError(t *testing.T, in string, got []Series, err error, wantIs error, line int, col, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Read(%q) = %v, want an error", in, got)
	}
	if wantIs != nil && !errors.Is(err, wantIs) {
		t.Errorf("Read(%q) error %v, want errors.Is %v", in, err, wantIs)
	}
	var pe *ParseError
	if errors.As(err, &pe) && (pe.Line != line || pe.Column != col) {
		t.Errorf("Read(%q) error at line %d column %q, want line %d column %q (%v)", in, pe.Line, pe.Column, line, col, err)
	}
	if pe == nil && (line != 0 || col != "") {
		t.Errorf("Read(%q) error %v is not a *ParseError, want line %d column %q", in, err, line, col)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("Read(%q) error\n %q\nwant it to contain\n %q", in, err, msg)
	}
}
