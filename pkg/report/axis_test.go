package report

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestValueTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		n      int
		want   []float64
	}{
		{"costs", 0, 26.3, 5, []float64{0, 10, 20, 30}},
		{"nodes", 0, 63, 5, []float64{0, 20, 40, 60, 80}},
		{"percent", 0, 100, 4, []float64{0, 25, 50, 75, 100}},
		{"small", 0, 0.42, 4, []float64{0, 0.2, 0.4, 0.6}},
		{"flat zero", 0, 0, 4, []float64{0, 0.25, 0.5, 0.75, 1}},
		{"negative", -3, 7, 5, []float64{-4, -2, 0, 2, 4, 6, 8}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := valueTicks(tc.lo, tc.hi, tc.n)
			if !slices.EqualFunc(got, tc.want, func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }) {
				t.Errorf("valueTicks(%g, %g, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
			}
		})
	}
}

func TestTimeTicks(t *testing.T) {
	t0 := time.Date(2025, 11, 27, 0, 0, 0, 0, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		from, to  time.Time
		n         int
		loc       *time.Location
		step      time.Duration
		first     string
		count     int
		firstText string
	}{
		{"three days hourly", t0, t0.Add(72 * time.Hour), 11, time.UTC, 12 * time.Hour, "2025-11-27T00:00:00Z", 7, "Nov 27"},
		{"one hour by minutes", t0.Add(90 * time.Second), t0.Add(time.Hour), 11, time.UTC, 10 * time.Minute, "2025-11-27T00:10:00Z", 6, "00:10"},
		{"two months", t0, t0.AddDate(0, 2, 0), 11, time.UTC, 7 * 24 * time.Hour, "2025-11-27T00:00:00Z", 9, "Nov 27"},
		{"local midnights", t0, t0.Add(72 * time.Hour), 3, paris, 24 * time.Hour, "2025-11-27T23:00:00Z", 3, "Nov 28"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ticks, step := timeTicks(tc.from, tc.to, tc.n, tc.loc)
			if step != tc.step || len(ticks) != tc.count || ticks[0].UTC().Format(time.RFC3339) != tc.first {
				t.Fatalf("got step %s, %d ticks from %s; want %s, %d from %s", step, len(ticks), ticks[0].UTC().Format(time.RFC3339), tc.step, tc.count, tc.first)
			}
			if got := timeLabel(ticks[0], step, tc.loc); got != tc.firstText {
				t.Errorf("first label %q, want %q", got, tc.firstText)
			}
			for _, tk := range ticks {
				if tk.Before(tc.from) || tk.After(tc.to) {
					t.Errorf("tick %s outside [%s, %s]", tk, tc.from, tc.to)
				}
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {0.25, "0.25"}, {0.0004, "0"}, {1.5, "1.5"}, {11.316, "11.3"}, {26.331, "26.3"},
		{120, "120"}, {1234.6, "1235"}, {12345, "12.3k"}, {2_500_000, "2.5M"}, {-0.0001, "0"}, {-42.26, "-42.3"},
		{math.NaN(), "–"}, {math.Inf(1), "–"},
	}
	for _, tc := range tests {
		if got := FormatNumber(tc.in); got != tc.want {
			t.Errorf("FormatNumber(%g) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
