package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// update rewrites the golden files of this package's tests instead of
// comparing with them.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Datasets shipped with the repository that the command tests read.
const (
	wikipediaTrace    = "../../../datasets/wikipedia_pageviews/example_wp_log_peyton_manning.csv"
	wikipediaCalendar = "../../../datasets/calendars/wikipedia-peyton-manning.yaml"
	nasaTrace         = "../../../datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz"
	m4Excerpt         = "testdata/m4_hourly_h1-h3.csv.gz"
)

// run executes prescale with args and returns its standard output.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := NewRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	return out.String(), err
}

// golden compares got with testdata/name.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update if intended):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2h", 2 * time.Hour, true}, {"7d", 7 * 24 * time.Hour, true}, {"1d12h", 36 * time.Hour, true},
		{"0.5d", 12 * time.Hour, true}, {"1e9d", 0, false}, {"NaNd", 0, false}, {"d", 0, false}, {"-1d", 0, false}, {"1dx", 0, false}, {"abc", 0, false},
	}
	for _, tc := range tests {
		got, err := parseDuration(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestHorizonSteps(t *testing.T) {
	hourly := []timeseries.Series{{Name: "a", Step: time.Hour}, {Name: "b", Step: 30 * time.Minute}}
	tests := []struct {
		flag string
		want []int
		err  string
	}{
		{"48", []int{48, 48}, ""},
		{"2d", []int{48, 96}, ""},
		{"90m", nil, "not a whole, positive number of steps of 1h0m0s"},
		{"abc", nil, `"abc" is neither a duration nor a number of steps`},
		{"0", nil, "give at least one step"},
	}
	for _, tc := range tests {
		got, err := horizonSteps(tc.flag, hourly)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "--horizon: ") {
				t.Errorf("horizonSteps(%q) error = %v, want --horizon: ...%s", tc.flag, err, tc.err)
			}
			continue
		}
		if err != nil || len(got) != 2 || got[0] != tc.want[0] || got[1] != tc.want[1] {
			t.Errorf("horizonSteps(%q) = %v, %v; want %v", tc.flag, got, err, tc.want)
		}
	}
}

func TestSeriesName(t *testing.T) {
	for in, want := range map[string]string{"a/b/requests.csv.gz": "requests", "trace.csv": "trace", "x": "x"} {
		if got := seriesName(in); got != want {
			t.Errorf("seriesName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"2h", "7d", "1d12h", "0.5d", "d", "-1d", "1dx", "90m", "1e3d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDuration(s)
		if err != nil {
			return
		}
		if !strings.Contains(s, "d") {
			if want, werr := time.ParseDuration(s); werr != nil || want != d {
				t.Errorf("parseDuration(%q) = %v, time.ParseDuration = %v, %v", s, d, want, werr)
			}
		}
		if _, err := horizonSteps(s, []timeseries.Series{{Name: "x", Step: time.Minute}}); err != nil && !strings.HasPrefix(err.Error(), "--horizon: ") {
			t.Errorf("horizonSteps(%q) error %q does not name the flag", s, err)
		}
	})
}
