package timeseries

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestReadM4(t *testing.T) {
	start := time.Unix(0, 0).UTC()
	opts := ReadOptions{Format: FormatM4, Start: start, Step: time.Hour}
	tests := []struct {
		name string
		in   string
		want []Series
	}{
		{"padded rows", `"V1","V2","V3","V4"
"H2","1","2",
"H1","3","4","5"
`, []Series{
			{Name: "H2", Start: start, Step: time.Hour, Values: []float64{1, 2}},
			{Name: "H1", Start: start, Step: time.Hour, Values: []float64{3, 4, 5}}}},
		{"ragged rows", "V1,V2,V3,V4\nH1,1\nH2,1,2,3\nH3,1,2\n", []Series{
			{Name: "H1", Start: start, Step: time.Hour, Values: []float64{1}},
			{Name: "H2", Start: start, Step: time.Hour, Values: []float64{1, 2, 3}},
			{Name: "H3", Start: start, Step: time.Hour, Values: []float64{1, 2}}}},
		{"interior empty cell is missing", "V1,V2,V3,V4\nH1,1,,3,\n", []Series{
			{Name: "H1", Start: start, Step: time.Hour, Values: []float64{1, nan, 3}}}},
		{"blank padding", "V1,V2,V3,V4\nH1,1.5, , \n", []Series{
			{Name: "H1", Start: start, Step: time.Hour, Values: []float64{1.5}}}},
		{"rows longer than the header", "V1,V2\nH1,1,2,3\n", []Series{
			{Name: "H1", Start: start, Step: time.Hour, Values: []float64{1, 2, 3}}}},
		{"crlf", "V1,V2,V3\r\nH1,1,2\r\n", []Series{
			{Name: "H1", Start: start, Step: time.Hour, Values: []float64{1, 2}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in), "m4.csv", opts)
			if err != nil {
				t.Fatalf("Read(%q) error: %v", tc.in, err)
			}
			checkSeries(t, tc.in, got, tc.want)
		})
	}
}

func TestReadM4Errors(t *testing.T) {
	opts := ReadOptions{Format: FormatM4, Start: time.Unix(0, 0), Step: time.Hour}
	tests := []struct {
		name     string
		in       string
		opts     ReadOptions
		wantIs   error
		wantLine int
		wantCol  string
		wantMsg  string
	}{
		{"empty", "", opts, ErrEmpty, 0, "", ""},
		{"header only", "V1,V2\n", opts, ErrNoData, 0, "", ""},
		{"row without values", "V1,V2,V3\nH1,1\nH2,,\n", opts, ErrNoData, 3, "V1", `series "H2"`},
		{"bad value", "V1,V2,V3\nH1,1,x\n", opts, strconv.ErrSyntax, 2, "V3",
			`reading trace "m4.csv" line 2 column "V3": parsing "x": invalid syntax`},
		{"bad value past the header", "V1,V2\nH1,1,2,x\n", opts, strconv.ErrSyntax, 2, "field 4", ""},
		{"duplicate id", "V1,V2\nH1,1\nH2,1\nH1,2\n", opts, nil, 4, "V1", `duplicate series id "H1" (also on line 2)`},
		{"empty id", "V1,V2\n,1\n", opts, nil, 2, "V1", "empty series id"},
		{"no start", "V1,V2\nH1,1\n", ReadOptions{Format: FormatM4, Step: time.Hour}, nil, 0, "", `start: must be set for format "m4"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in), "m4.csv", tc.opts)
			checkReadError(t, tc.in, got, err, tc.wantIs, tc.wantLine, tc.wantCol, tc.wantMsg)
		})
	}
}
