package calendar

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// datasetDir holds the calendars shipped with prescale.
const datasetDir = "../../datasets/calendars"

func TestDatasetCalendarsLoad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(datasetDir, "*.yaml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("found %d dataset calendars (%v), want at least 3", len(files), err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c, err := Load(path, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
			occ, err := c.Expand(from, from.AddDate(50, 0, 0))
			if err != nil || len(occ) == 0 {
				t.Fatalf("Expand = %d occurrences, %v", len(occ), err)
			}
			checkInvariants(t, occ, from, from.AddDate(50, 0, 0))
		})
	}
}

// TestPeytonManningMatchesCSV checks the calendar against the CSV it was
// converted from, row by row.
func TestPeytonManningMatchesCSV(t *testing.T) {
	f, err := os.Open("../../datasets/wikipedia_pageviews/peyton_manning_events.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want []Occurrence
	for _, r := range rows[1:] {
		ds, _ := time.Parse(time.DateOnly, r[1])
		lower, _ := strconv.Atoi(r[2])
		upper, _ := strconv.Atoi(r[3])
		want = append(want, Occurrence{Type: r[0], Start: ds, End: ds.AddDate(0, 0, 1),
			Lead: time.Duration(-lower) * day, Lag: time.Duration(upper) * day})
	}
	c, err := Load(filepath.Join(datasetDir, "wikipedia-peyton-manning.yaml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := c.Occurrences(time.Date(2007, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC))
	strip := func(o Occurrence) Occurrence { o.Name = ""; return o }
	for i := range got {
		got[i] = strip(got[i])
	}
	sortOccurrences(want)
	if !slices.Equal(got, want) {
		t.Errorf("calendar:\n%v\nCSV:\n%v", got, want)
	}
	if got, want := c.Types(), []string{"playoff", "superbowl"}; !slices.Equal(got, want) {
		t.Errorf("Types() = %q, want %q", got, want)
	}
}

func TestNASA1995(t *testing.T) {
	c, err := Load(filepath.Join(datasetDir, "nasa-1995.yaml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	edt := mustZone(t, "America/New_York")
	from := time.Date(1995, 7, 1, 0, 0, 0, 0, edt)
	occ := c.Occurrences(from, time.Date(1995, 9, 1, 0, 0, 0, 0, edt))
	want := []Occurrence{{
		Name: "Independence Day", Type: "holiday",
		Start: time.Date(1995, 7, 4, 4, 0, 0, 0, time.UTC), End: time.Date(1995, 7, 5, 4, 0, 0, 0, time.UTC),
	}, {
		Name: "STS-70 launch", Type: "launch",
		Start: time.Date(1995, 7, 13, 13, 41, 0, 0, time.UTC), End: time.Date(1995, 7, 13, 14, 41, 0, 0, time.UTC),
		Lead: 4 * time.Hour, Lag: 6 * time.Hour,
	}}
	if !slices.Equal(occ, want) {
		t.Errorf("July-August 1995:\n got %+v\nwant %+v", occ, want)
	}
}

func TestEcommerceCN(t *testing.T) {
	c, err := Load(filepath.Join(datasetDir, "ecommerce-cn.yaml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sh := mustZone(t, "Asia/Shanghai")
	ny := mustZone(t, "America/New_York")
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, sh)
	got := map[string]string{}
	uplift := map[string]float64{}
	for _, o := range c.Occurrences(from, from.AddDate(1, 0, 0)) {
		loc := sh
		if o.Type == "black-friday" || o.Type == "cyber-monday" {
			loc = ny
		}
		got[o.Type] = o.Start.In(loc).Format(time.DateTime)
		uplift[o.Type] = o.Uplift
	}
	want := map[string]string{
		"double11":     "2026-11-11 00:00:00",
		"festival-618": "2026-06-18 00:00:00",
		"double12":     "2026-12-12 00:00:00",
		"black-friday": "2026-11-27 00:00:00",
		"cyber-monday": "2026-11-30 00:00:00",
	}
	for typ, w := range want {
		if got[typ] != w {
			t.Errorf("%s in 2026 starts %q, want %s", typ, got[typ], w)
		}
		if uplift[typ] <= 0 {
			t.Errorf("%s has no business-given uplift", typ)
		}
	}
}
