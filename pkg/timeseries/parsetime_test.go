package timeseries

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   string
		loc  *time.Location
		want string // RFC 3339 in UTC
	}{
		{"rfc3339 utc", "2015-07-10T14:24:00Z", nil, "2015-07-10T14:24:00Z"},
		{"rfc3339 offset and nanoseconds", "2015-07-10T14:24:00.123456789+02:00", nil, "2015-07-10T12:24:00.123456789Z"},
		{"rfc3339 lower case", "2015-07-10t14:24:00z", nil, "2015-07-10T14:24:00Z"},
		{"space and offset", "2015-07-10 14:24:00+00:00", nil, "2015-07-10T14:24:00Z"},
		{"minutes and offset", "2015-07-10T14:24+02:00", nil, "2015-07-10T12:24:00Z"},
		{"offset without colon", "2015-07-10T14:24:00+0530", nil, "2015-07-10T08:54:00Z"},
		{"offset hours only", "2015-07-10T14:24:00-07", nil, "2015-07-10T21:24:00Z"},
		{"offset ignores location", "2015-07-10T12:00:00Z", ny, "2015-07-10T12:00:00Z"},
		{"date", "2015-07-10", nil, "2015-07-10T00:00:00Z"},
		{"date and minutes", "2015-07-10 14:24", nil, "2015-07-10T14:24:00Z"},
		{"date and seconds", "2015-07-10 14:24:05", nil, "2015-07-10T14:24:05Z"},
		{"fractional seconds", "2015-07-10 14:24:05.25", nil, "2015-07-10T14:24:05.25Z"},
		{"fractional seconds with comma", "2015-07-10 14:24:05,125", nil, "2015-07-10T14:24:05.125Z"},
		{"T without zone", "2015-07-10T14:24:05", nil, "2015-07-10T14:24:05Z"},
		{"surrounding blanks", "  2015-07-10 ", nil, "2015-07-10T00:00:00Z"},
		{"date in new york summer", "2015-07-10", ny, "2015-07-10T04:00:00Z"},
		{"new york winter", "2015-01-10 12:00", ny, "2015-01-10T17:00:00Z"},
		{"new york summer", "2015-07-10 12:00", ny, "2015-07-10T16:00:00Z"},
		{"before spring forward", "2015-03-08 01:59", ny, "2015-03-08T06:59:00Z"},
		{"after spring forward", "2015-03-08 03:00", ny, "2015-03-08T07:00:00Z"},
		{"repeated hour reads as first occurrence", "2015-11-01 01:30", ny, "2015-11-01T05:30:00Z"},
		{"after fall back", "2015-11-01 02:00", ny, "2015-11-01T07:00:00Z"},
		{"unix seconds", "1436538240", nil, "2015-07-10T14:24:00Z"},
		{"unix seconds ignore location", "1436538240", ny, "2015-07-10T14:24:00Z"},
		{"fractional unix seconds", "1436538240.5", nil, "2015-07-10T14:24:00.5Z"},
		{"unix nanoseconds kept", "1436538240.000000001", nil, "2015-07-10T14:24:00.000000001Z"},
		{"unix below nanoseconds truncated", "1436538240.1234567899", nil, "2015-07-10T14:24:00.123456789Z"},
		{"negative unix seconds", "-1.5", nil, "1969-12-31T23:59:58.5Z"},
		{"explicit plus", "+60", nil, "1970-01-01T00:01:00Z"},
		{"compact date is unix seconds", "20150710", nil, "1970-08-22T05:25:10Z"},
		{"earliest year", "1678-01-01", nil, "1678-01-01T00:00:00Z"},
		{"latest year", "2261-12-31T23:59:59Z", nil, "2261-12-31T23:59:59Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTime(tc.in, tc.loc)
			if err != nil {
				t.Fatalf("ParseTime(%q) error: %v", tc.in, err)
			}
			if want := mustTime(t, tc.want); !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("ParseTime(%q) = %v, want %v in UTC", tc.in, got, want)
			}
		})
	}
}

func TestParseTimeErrors(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      string
		loc     *time.Location
		wantIs  error
		wantMsg string
	}{
		{"empty", "", nil, ErrTimeFormat, `parsing time ""`},
		{"words", "yesterday", nil, ErrTimeFormat, "yesterday"},
		{"exponent", "1.4e9", nil, ErrTimeFormat, "1.4e9"},
		{"bare dot", "1436538240.", nil, ErrTimeFormat, ""},
		{"bad separator", "2015-07-10X14:24", nil, ErrTimeFormat, ""},
		{"hour only", "2015-07-10 14", nil, ErrTimeFormat, ""},
		{"bad zone", "2015-07-10T14:24:00+2", nil, ErrTimeFormat, ""},
		{"slashes", "2015/07/10", nil, ErrTimeFormat, ""},
		{"month out of range", "2015-13-01", nil, nil, "month out of range"},
		{"day out of range", "2015-02-30", nil, nil, "day out of range"},
		{"hour out of range", "2015-07-10 25:00", nil, nil, "hour out of range"},
		{"trailing text", "2015-07-10 14:24:00abc", nil, nil, "extra text"},
		{"unix milliseconds", "1436538240000", nil, ErrTimeRange, ""},
		{"huge unix", "99999999999999999999999", nil, ErrTimeRange, ""},
		{"too early", "1677-12-31", nil, ErrTimeRange, ""},
		{"too late", "2262-01-01", nil, ErrTimeRange, ""},
		{"daylight-saving gap", "2015-03-08 02:30", ny, ErrLocalGap, "America/New_York"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTime(tc.in, tc.loc)
			if err == nil {
				t.Fatalf("ParseTime(%q) = %v, want an error", tc.in, got)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("ParseTime(%q) error %v, want errors.Is %v", tc.in, err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("ParseTime(%q) error %q, want it to contain %q", tc.in, err, tc.wantMsg)
			}
		})
	}
}
