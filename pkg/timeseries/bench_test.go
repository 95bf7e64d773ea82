package timeseries

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// nasaValues is the number of values in the NASA 1995 per-second trace.
const nasaValues = 5_059_950

func BenchmarkReadLines(b *testing.B) {
	vals := genCounts(nasaValues, time.Second, 1)
	start := time.Date(1995, 7, 1, 4, 0, 1, 0, time.UTC)
	for _, sep := range []struct {
		name string
		b    byte
	}{{"newline", '\n'}, {"space", ' '}} {
		data := linesText(vals, sep.b)
		b.Run(fmt.Sprintf("values=%d/sep=%s", len(vals), sep.name), func(b *testing.B) {
			opts := ReadOptions{Format: FormatLines, Start: start, Step: time.Second}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(bytes.NewReader(data), "bench.txt", opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(vals))*float64(b.N)/b.Elapsed().Seconds(), "values/s")
		})
	}
}

func BenchmarkReadCSV(b *testing.B) {
	const rows = 40_320 // four weeks of minutes
	vals := genCounts(rows, time.Minute, 2)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, layout := range []struct{ name, layout string }{
		{"rfc3339", time.RFC3339}, {"datetime", time.DateTime}, {"unix", "unix"},
	} {
		data := csvText(vals, start, time.Minute, layout.layout)
		b.Run(fmt.Sprintf("rows=%d/time=%s", rows, layout.name), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(bytes.NewReader(data), "bench.csv", ReadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func BenchmarkResample(b *testing.B) {
	for _, c := range []struct {
		n        int
		from, to time.Duration
	}{
		{40_320, time.Minute, time.Hour},
		{nasaValues, time.Second, time.Minute},
	} {
		s := Series{Start: time.Date(1995, 7, 1, 4, 0, 1, 0, time.UTC), Step: c.from,
			Values: genCounts(c.n, c.from, 3)}
		b.Run(fmt.Sprintf("values=%d/%s-to-%s", c.n, c.from, c.to), func(b *testing.B) {
			b.SetBytes(int64(8 * c.n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Resample(s, c.to, AggSum); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.n)*float64(b.N)/b.Elapsed().Seconds(), "values/s")
		})
	}
}
