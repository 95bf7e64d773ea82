package forecast

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// hourlyDaily is four weeks of hourly data with a daily shape between 50
// and 150 and 3% noise.
func hourlyDaily() timeseries.Series {
	return synthSpec{n: 28 * 24, step: time.Hour, level: 100, dayAmp: 0.5, noise: 0.03, seed: 3}.series()
}

// set returns a copy of y with the steps [from, to) set to v.
func set(y timeseries.Series, from, to int, v float64) timeseries.Series {
	y = y.Clone()
	for i := from; i < to; i++ {
		y.Values[i] = v
	}
	return y
}

func TestClean(t *testing.T) {
	base := hourlyDaily()
	n := base.Len()
	shifted := base.Clone()
	for i := n - 72; i < n; i++ {
		shifted.Values[i] *= 2
	}
	nights := base.Clone()
	for i := range nights.Values {
		if i%24 < 6 {
			nights.Values[i] = 0
		}
	}
	tests := []struct {
		name    string
		y       timeseries.Series
		want    CleanReport
		missing []int // steps that must become NaN
		changed []int // steps that must be replaced by a value near base
	}{
		{"clean series", base, CleanReport{}, nil, nil},
		{"outage zeros", set(base, 200, 230, 0), CleanReport{OutageRuns: 1, OutagePoints: 30}, []int{200, 229}, nil},
		{"near-zero outage", set(base, 300, 310, 0.5), CleanReport{OutageRuns: 1, OutagePoints: 10}, []int{300, 309}, nil},
		{"outage across NaN", set(set(base, 300, 310, 0), 304, 306, math.NaN()), CleanReport{OutageRuns: 1, OutagePoints: 8}, []int{300, 309}, nil},
		{"two zeros are a spike", set(base, 400, 402, 0), CleanReport{Spikes: 2}, nil, []int{400, 401}},
		{"spike", set(base, 500, 501, 1000), CleanReport{Spikes: 1}, nil, []int{500}},
		{"level shift kept", shifted, CleanReport{}, nil, nil},
		{"long trailing zeros kept", set(base, n-30, n, 0), CleanReport{}, nil, nil},
		{"short trailing outage masked", set(base, n-5, n, 0), CleanReport{OutageRuns: 1, OutagePoints: 5}, []int{n - 5, n - 1}, nil},
		{"zero nights are demand", nights, CleanReport{}, nil, nil},
		{"missing values untouched", set(base, 100, 150, math.NaN()), CleanReport{}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := tc.y.Clone()
			got, rep := Clean(tc.y, []int{24})
			if rep != tc.want {
				t.Errorf("report = %+v, want %+v", rep, tc.want)
			}
			if !slices.EqualFunc(orig.Values, tc.y.Values, func(a, b float64) bool { return sameFloat(a, b, 0) }) {
				t.Error("Clean modified its input")
			}
			for _, i := range tc.missing {
				if !math.IsNaN(got.Values[i]) {
					t.Errorf("step %d = %v, want NaN", i, got.Values[i])
				}
			}
			for _, i := range tc.changed {
				if math.Abs(got.Values[i]-base.Values[i]) > 0.15*base.Values[i] {
					t.Errorf("step %d = %v, want near %v", i, got.Values[i], base.Values[i])
				}
			}
		})
	}
}

func TestCleanKeepsQuietValuesAfterBursts(t *testing.T) {
	// Bursts every fourth step stop three cycles before the end: the quiet
	// values that follow must not be "restored" to bursts.
	y := synthSpec{n: 400, step: 5 * time.Minute, level: 10, noise: 0.05, seed: 9}.series()
	for i := 0; i < 388; i += 4 {
		y.Values[i] = 1000
	}
	got, rep := Clean(y, []int{4})
	for i := 388; i < y.Len(); i++ {
		if got.Values[i] > 100 {
			t.Errorf("step %d cleaned to %v (report %+v), want its quiet value %v", i, got.Values[i], rep, y.Values[i])
		}
	}
}

func TestCleanWithoutPeriods(t *testing.T) {
	y := set(synthSpec{n: 200, step: time.Minute, level: 10, noise: 0.02, seed: 4}.series(), 50, 51, 100)
	y = set(y, 120, 140, 0)
	got, rep := Clean(y, nil)
	want := CleanReport{OutageRuns: 1, OutagePoints: 20, Spikes: 1}
	if rep != want {
		t.Errorf("report = %+v, want %+v", rep, want)
	}
	if v := got.Values[50]; math.Abs(v-10) > 1 {
		t.Errorf("spike replaced by %v, want about 10", v)
	}
}

// readNASAMinutes reads the NASA Kennedy Space Center requests per minute
// (July and August 1995, times in EDT written as UTC), NaN where the log has
// no minute.
func readNASAMinutes(tb testing.TB) timeseries.Series {
	tb.Helper()
	return readNASAMinutesIn(tb, nil)
}

// readNASAMinutesIn reads the NASA per-minute trace with its EDT
// timestamps taken in loc: nil labels the wall-clock times as UTC (the
// tests that name instants of the trace by its own clock), America/New_York
// gives true instants, as a calendar's occurrences are.
func readNASAMinutesIn(tb testing.TB, loc *time.Location) timeseries.Series {
	tb.Helper()
	gz, err := openGzip("../datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz")
	if err != nil {
		tb.Fatal(err)
	}
	defer gz.Close()
	ss, err := timeseries.Read(gz, "nasa_requests_per_minute_edt.csv", timeseries.ReadOptions{
		TimeCol: "minute_start_edt", ValueCol: "count", Step: time.Minute, Location: loc,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ss[0]
}

// TestCleanNASAHurricane checks that the hurricane shutdown of the NASA web
// server (zeros from 1995-08-01 14:52 to 08-03 04:36) is taken as missing
// data and that little else is touched.
func TestCleanNASAHurricane(t *testing.T) {
	y := readNASAMinutes(t)
	day := func(d, h, m int) int { return y.Index(time.Date(1995, 8, d, h, m, 0, 0, time.UTC)) }
	y = y.Slice(y.Index(time.Date(1995, 7, 10, 0, 0, 0, 0, time.UTC)), day(6, 0, 0))
	from, to := y.Index(time.Date(1995, 8, 1, 14, 52, 0, 0, time.UTC)), y.Index(time.Date(1995, 8, 3, 4, 36, 0, 0, time.UTC))
	// The server came back slowly: zeros go on intermittently until about
	// 11:30 on 08-03, which the check leaves out of "outside".
	recovered := y.Index(time.Date(1995, 8, 3, 12, 0, 0, 0, time.UTC))
	got, rep := Clean(y, []int{1440, 10080})
	masked, outside := 0, 0
	for i, v := range got.Values {
		switch {
		case i >= from && i < to:
			if math.IsNaN(v) {
				masked++
			}
		case i >= to && i < recovered:
		case !sameFloat(v, y.Values[i], 0):
			outside++
		}
	}
	rest := y.Len() - (recovered - from)
	t.Logf("report %+v; outage steps masked %d of %d; other steps changed %d of %d", rep, masked, to-from, outside, rest)
	if masked < (to-from)*95/100 {
		t.Errorf("masked %d of the %d outage steps, want at least 95%%", masked, to-from)
	}
	if outside > rest/100 {
		t.Errorf("changed %d of %d steps outside the outage, want at most 1%%", outside, rest)
	}
}

func TestMedianInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		v := make([]float64, 1+rng.IntN(80))
		for i := range v {
			v[i] = float64(rng.IntN(12))
		}
		s := slices.Sorted(slices.Values(v))
		want := (s[(len(s)-1)/2] + s[len(s)/2]) / 2
		if got := medianInPlace(slices.Clone(v)); got != want {
			t.Fatalf("medianInPlace(%v) = %v, want %v", v, got, want)
		}
	}
	if got := medianInPlace(nil); !math.IsNaN(got) {
		t.Errorf("medianInPlace(nil) = %v, want NaN", got)
	}
}

// BenchmarkClean cleans four weeks of one-minute data.
func BenchmarkClean(b *testing.B) {
	y := synthSpec{n: 28 * 1440, step: time.Minute, level: 200, dayAmp: 0.6, weekend: 0.6, noise: 0.1}.series()
	b.ReportAllocs()
	for b.Loop() {
		Clean(y, []int{1440, 10080})
	}
}

// gzipFile is a gzip stream over an open file; Close closes both.
type gzipFile struct {
	*gzip.Reader
	f *os.File
}

// Close closes the gzip stream and the file.
func (g gzipFile) Close() error {
	return errors.Join(g.Reader.Close(), g.f.Close())
}

// openGzip opens the gzip-compressed file at path for reading.
func openGzip(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return gzipFile{gz, f}, nil
}
