package calendar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// addSeeds adds every testdata file matching pattern to the corpus.
func addSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds match %s: %v", pattern, err)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkExpansions expands c over a few ranges and checks the invariants.
func checkExpansions(t *testing.T, c *Calendar) {
	for _, r := range [][2]time.Time{
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1995, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(1995, 7, 2, 0, 0, 0, 0, time.UTC)},
	} {
		occ, _ := c.Expand(r[0], r[1])
		checkInvariants(t, occ, r[0], r[1])
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f, "testdata/*.yaml")
	addSeeds(f, "../../datasets/calendars/*.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if c != nil {
				t.Fatalf("Parse returned a calendar and an error: %v", err)
			}
			return
		}
		checkExpansions(t, c)
	})
}

func FuzzParseICS(f *testing.F) {
	addSeeds(f, "testdata/*.ics")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseICS(bytes.NewReader(data), "fuzz.ics", ICSOptions{DefaultType: "holiday"})
		if err != nil {
			if c != nil {
				t.Fatalf("ParseICS returned a calendar and an error: %v", err)
			}
			return
		}
		checkExpansions(t, c)
	})
}
