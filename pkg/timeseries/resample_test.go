package timeseries

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestResample(t *testing.T) {
	t0 := mustTime(t, "2015-07-10T00:00:00Z")
	minutes := func(start time.Time, vals ...float64) Series {
		return Series{Name: "m", Start: start, Step: time.Minute, Values: vals}
	}
	tests := []struct {
		name string
		in   Series
		step time.Duration
		agg  Aggregation
		want Series
	}{
		{"full buckets sum", minutes(t0, 1, 2, 3, 4, 5, 6), 3 * time.Minute, AggSum,
			Series{Name: "m", Start: t0, Step: 3 * time.Minute, Values: []float64{6, 15}}},
		{"buckets aligned to the epoch", minutes(t0.Add(time.Minute), 1, 2, 3, 4), 2 * time.Minute, AggMean,
			Series{Name: "m", Start: t0, Step: 2 * time.Minute, Values: []float64{1, 2.5, 4}}},
		{"sum of a bucket half outside the series is scaled", minutes(t0.Add(time.Minute), 1, 2, 3, 4), 2 * time.Minute, AggSum,
			Series{Name: "m", Start: t0, Step: 2 * time.Minute, Values: []float64{2, 5, 8}}},
		{"sum scaled when at least half observed", minutes(t0, 1, nan, 3, 4, 1, 1), 3 * time.Minute, AggSum,
			Series{Name: "m", Start: t0, Step: 3 * time.Minute, Values: []float64{6, 6}}},
		{"sum NaN when under half observed", minutes(t0, 1, nan, nan, 4, 1, 1), 3 * time.Minute, AggSum,
			Series{Name: "m", Start: t0, Step: 3 * time.Minute, Values: []float64{nan, 6}}},
		{"all NaN bucket stays NaN under sum", minutes(t0, nan, nan, 1, 1), 2 * time.Minute, AggSum,
			Series{Name: "m", Start: t0, Step: 2 * time.Minute, Values: []float64{nan, 2}}},
		{"all NaN bucket stays NaN under mean", minutes(t0, nan, nan, 1, 3), 2 * time.Minute, AggMean,
			Series{Name: "m", Start: t0, Step: 2 * time.Minute, Values: []float64{nan, 2}}},
		{"mean uses the observed values", minutes(t0, 1, nan, nan, 5), 4 * time.Minute, AggMean,
			Series{Name: "m", Start: t0, Step: 4 * time.Minute, Values: []float64{3}}},
		{"max", minutes(t0, 1, 7, nan, 5), 2 * time.Minute, AggMax,
			Series{Name: "m", Start: t0, Step: 2 * time.Minute, Values: []float64{7, 5}}},
		{"min", minutes(t0, 1, 7, nan, 5), 2 * time.Minute, AggMin,
			Series{Name: "m", Start: t0, Step: 2 * time.Minute, Values: []float64{1, 5}}},
		{"last skips NaN", minutes(t0, 1, 7, 5, nan), 2 * time.Minute, AggLast,
			Series{Name: "m", Start: t0, Step: 2 * time.Minute, Values: []float64{7, 5}}},
		{"same step is a copy", minutes(t0, 1, nan, 3), time.Minute, AggSum,
			Series{Name: "m", Start: t0, Step: time.Minute, Values: []float64{1, nan, 3}}},
		{"unaligned source start", Series{Name: "m", Start: t0.Add(2 * time.Minute), Step: 5 * time.Minute,
			Values: []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}}, time.Hour, AggSum,
			Series{Name: "m", Start: t0, Step: time.Hour, Values: []float64{12, nan}}},
		{"hourly to UTC days", Series{Name: "h", Start: mustTime(t, "1995-07-01T04:00:00Z"), Step: time.Hour,
			Values: make([]float64, 44)}, 24 * time.Hour, AggMean,
			Series{Name: "h", Start: mustTime(t, "1995-07-01T00:00:00Z"), Step: 24 * time.Hour, Values: []float64{0, 0}}},
		{"empty series", minutes(t0.Add(time.Minute)), time.Hour, AggSum,
			Series{Name: "m", Start: t0, Step: time.Hour}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in.Clone()
			got, err := Resample(tc.in, tc.step, tc.agg)
			if err != nil {
				t.Fatalf("Resample(%v, %s, %s) error: %v", tc.in.Values, tc.step, tc.agg, err)
			}
			checkSeries(t, tc.name, []Series{got}, []Series{tc.want})
			if !sameValues(tc.in.Values, in.Values) {
				t.Errorf("Resample modified its input: %v, was %v", tc.in.Values, in.Values)
			}
		})
	}
}

func TestResampleErrors(t *testing.T) {
	s := Series{Name: "m", Start: time.Unix(0, 0), Step: 7 * time.Minute, Values: []float64{1, 2}}
	tests := []struct {
		name   string
		in     Series
		step   time.Duration
		agg    Aggregation
		wantIs error
		want   string
	}{
		{"not a multiple", s, time.Hour, AggSum, ErrStepMultiple,
			`resampling "m" to 1h0m0s: step is not a multiple of the source step 7m0s`},
		{"finer step", s, time.Minute, AggSum, ErrStepMultiple, ""},
		{"zero step", s, 0, AggSum, ErrStepMultiple, ""},
		{"negative step", s, -14 * time.Minute, AggSum, ErrStepMultiple, ""},
		{"no aggregation", s, 14 * time.Minute, AggNone, nil, `aggregation "": want sum, mean, max, min or last`},
		{"unknown aggregation", s, 14 * time.Minute, "median", nil, `aggregation "median"`},
		{"zero source step", Series{Name: "m", Start: time.Unix(0, 0)}, time.Hour, AggSum, nil, "source step 0s is not positive"},
		{"start out of range", Series{Name: "m", Step: time.Hour, Values: []float64{1}}, time.Hour, AggSum, ErrTimeRange, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resample(tc.in, tc.step, tc.agg)
			if err == nil {
				t.Fatalf("Resample(%s, %s) = %v, want an error", tc.step, tc.agg, got)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("Resample(%s, %s) error %v, want errors.Is %v", tc.step, tc.agg, err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Resample(%s, %s) error %q, want it to contain %q", tc.step, tc.agg, err, tc.want)
			}
		})
	}
}

// TestResampleProperties checks, on seeded random series, that sums are
// preserved when nothing is missing, that every bucket starts on the epoch
// grid and that the result holds the start instant of every input value.
func TestResampleProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	checked := 0
	for i := range 200 {
		src := time.Duration(1+r.IntN(10)) * time.Second
		m := 1 + r.IntN(20)
		step := time.Duration(m) * src
		s := Series{Start: time.Unix(int64(r.IntN(1e9)), 0), Step: src, Values: make([]float64, r.IntN(500))}
		if i%2 == 0 { // aligned and complete: the sum must be preserved exactly
			s.Start = time.Unix(0, s.Start.UnixNano()/int64(step)*int64(step)) // Truncate counts from year 1
			s.Values = s.Values[:len(s.Values)/m*m]
		}
		total := 0.0
		for j := range s.Values {
			s.Values[j] = float64(r.IntN(100))
			total += s.Values[j]
		}
		got, err := Resample(s, step, AggSum)
		if err != nil {
			t.Fatalf("case %d: Resample error: %v", i, err)
		}
		last := s.Time(max(0, len(s.Values)-1)) // start instant of the last value
		if got.Start.UnixNano()%int64(step) != 0 || got.Start.After(s.Start) ||
			(len(s.Values) > 0 && !got.End().After(last)) {
			t.Errorf("case %d: result %v..%v step %s is off the epoch grid or misses values starting %v..%v",
				i, got.Start, got.End(), step, s.Start, last)
		}
		aligned := s.Start.UnixNano()%int64(step) == 0 && len(s.Values)%m == 0
		sum := 0.0
		for _, v := range got.Values {
			if !math.IsNaN(v) {
				sum += v
			}
		}
		if aligned {
			checked++
		}
		if aligned && math.Abs(sum-total) > 1e-9*math.Max(1, total) {
			t.Errorf("case %d: aligned complete series sum %v resampled to %v", i, total, sum)
		}
	}
	if checked < 100 {
		t.Errorf("only %d of 200 cases were aligned and complete, want at least 100", checked)
	}
}
