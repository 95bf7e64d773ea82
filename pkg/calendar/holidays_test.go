package calendar

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHolidaysUS2026(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, ny)
	occ, err := Holidays("US", from, from.AddDate(1, 0, 0), ny)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, occ, from, from.AddDate(1, 0, 0))
	got := map[string]string{}
	for _, o := range occ {
		if o.Type != "holiday" || o.End.Sub(o.Start) != 24*time.Hour {
			t.Errorf("%s: type %q, length %v; want holiday, 24h", o.Name, o.Type, o.End.Sub(o.Start))
		}
		if !o.Start.In(ny).Equal(time.Date(o.Start.In(ny).Year(), o.Start.In(ny).Month(), o.Start.In(ny).Day(), 0, 0, 0, 0, ny)) {
			t.Errorf("%s starts at %v, not at local midnight", o.Name, o.Start.In(ny))
		}
		got[o.Name] = o.Start.In(ny).Format(time.DateOnly)
	}
	want := map[string]string{
		"New Year's Day":              "2026-01-01",
		"Martin Luther King Jr. Day":  "2026-01-19",
		"Memorial Day":                "2026-05-25",
		"Independence Day":            "2026-07-04", // a Saturday
		"Independence Day (observed)": "2026-07-03",
		"Thanksgiving Day":            "2026-11-26",
		"Christmas Day":               "2026-12-25",
	}
	for name, day := range want {
		if got[name] != day {
			t.Errorf("%s = %q, want %s", name, got[name], day)
		}
	}
	if len(occ) != 12 {
		t.Errorf("got %d US holidays in 2026, want 11 plus one observed day: %v", len(occ), got)
	}
}

func TestHolidaysSubdivisionAndZone(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	names := func(country string) []string {
		occ, err := Holidays(country, from, to, nil)
		if err != nil {
			t.Fatalf("Holidays(%s): %v", country, err)
		}
		var out []string
		for _, o := range occ {
			out = append(out, o.Name)
		}
		return out
	}
	if got := names("de-BY"); !slices.Contains(got, "Heilige Drei Könige") {
		t.Errorf("Bavaria in early January = %q, want Epiphany", got)
	}
	if got := names("de"); slices.Contains(got, "Heilige Drei Könige") {
		t.Errorf("Germany in early January = %q, want no Epiphany", got)
	}
	occ, err := Holidays("de", from, to, nil)
	if err != nil || len(occ) == 0 || !occ[0].Start.Equal(from) {
		t.Errorf("nil location: %+v, %v; want New Year at UTC midnight", occ, err)
	}
}

func TestHolidaysErrors(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		country string
		target  error
		want    string
	}{
		{"xx", ErrUnknownCountry, "supported are ar, at, au, be"},
		{"us-ca", ErrUnknownSubdivision, `country "us" has no subdivisions`},
		{"au", ErrUnknownSubdivision, "supported are act, nsw, nt, qld, sa, tas, vic, wa"},
		{"de-zz", ErrUnknownSubdivision, "supported are bb, be, bw, by"},
	}
	for _, tt := range tests {
		t.Run(tt.country, func(t *testing.T) {
			_, err := Holidays(tt.country, from, from.AddDate(1, 0, 0), nil)
			if !errors.Is(err, tt.target) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Holidays(%q) error = %v, want %v containing %q", tt.country, err, tt.target, tt.want)
			}
		})
	}
	_, err := Holidays("us", time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), nil)
	if !errors.Is(err, ErrTooManyInstances) {
		t.Errorf("Holidays over 10000 years: error = %v, want ErrTooManyInstances", err)
	}
}

func TestSupportedCountries(t *testing.T) {
	got := SupportedCountries()
	for _, c := range []string{"au", "ca", "de", "fr", "gb", "jp", "nl", "us"} {
		if !slices.Contains(got, c) {
			t.Errorf("SupportedCountries() = %q, missing %s", got, c)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("SupportedCountries() = %q, not sorted", got)
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range got {
		if c == "au" {
			c = "au-nsw"
		}
		occ, err := Holidays(c, from, from.AddDate(1, 0, 0), nil)
		if err != nil || len(occ) == 0 {
			t.Errorf("Holidays(%s, 2026) = %d holidays, %v; want some", c, len(occ), err)
		}
	}
}
