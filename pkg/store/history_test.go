package store

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// ramp returns n values from base upwards.
func ramp(base float64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = base + float64(i)
	}
	return v
}

// cat concatenates value slices.
func cat(parts ...[]float64) []float64 {
	var out []float64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func nans(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

func TestAppendHistory(t *testing.T) {
	nan := math.NaN()
	overwritten := ramp(0, 3000)
	copy(overwritten[1020:], ramp(-100, 10))
	cases := []struct {
		name      string
		retention int // steps; 0 for the default
		appends   []timeseries.Series
		wantStart int
		want      []float64
	}{
		{"single", 0, []timeseries.Series{series(0, 1, 2, 3)}, 0, []float64{1, 2, 3}},
		{"tail extends", 0, []timeseries.Series{series(0, 1, 2, 3), series(3, 4, 5)}, 0, []float64{1, 2, 3, 4, 5}},
		{"overlap overwrites", 0, []timeseries.Series{series(0, 1, 2, 3), series(2, 9, 8)}, 0, []float64{1, 2, 9, 8}},
		{"inside overwrites", 0, []timeseries.Series{series(0, 1, 2, 3, 4), series(1, 7, 6)}, 0, []float64{1, 7, 6, 4}},
		{"nan overwrites", 0, []timeseries.Series{series(0, 1, 2, 3), series(1, nan)}, 0, []float64{1, nan, 3}},
		{"gap is missing", 0, []timeseries.Series{series(0, 1, 2), series(5, 6)}, 0, []float64{1, 2, nan, nan, nan, 6}},
		{"prepend extends back", 0, []timeseries.Series{series(5, 1), series(2, 7, 8)}, 2, []float64{7, 8, nan, 1}},
		{"before origin", 0, []timeseries.Series{series(0, 1), series(-3000, 5)}, -3000, cat([]float64{5}, nans(2999), []float64{1})},
		{"across chunks", 0, []timeseries.Series{series(0, ramp(0, 3000)...), series(1020, ramp(-100, 10)...)}, 0, overwritten},
		{"long gap skips chunks", 0, []timeseries.Series{series(0, 1), series(5000, 2)}, 0, cat([]float64{1}, nans(4999), []float64{2})},
		{"empty append", 0, []timeseries.Series{series(0, 1), series(9)}, 0, []float64{1}},
		{"retention keeps tail", 10, []timeseries.Series{series(0, ramp(0, 8)...), series(8, ramp(8, 7)...)}, 5, ramp(5, 10)},
		{"retention over chunks", 100, []timeseries.Series{series(0, ramp(0, 3000)...)}, 2900, ramp(2900, 100)},
		{"retention drops old append", 10, []timeseries.Series{series(100, 1), series(0, 5)}, 100, []float64{1}},
		{"retention keeps part of old append", 10, []timeseries.Series{series(100, 1), series(88, ramp(0, 5)...)}, 91, cat([]float64{3, 4}, nans(7), []float64{1})},
		{"retention after gap", 5, []timeseries.Series{series(0, 1, 2, 3), series(50, 4)}, 46, cat(nans(4), []float64{4})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t, Options{NoSync: true, Retention: time.Duration(tc.retention) * time.Minute})
			for i, in := range tc.appends {
				if err := s.AppendHistory("k", in); err != nil {
					t.Fatalf("append %d: %v", i, err)
				}
			}
			got, err := s.History("k")
			if err != nil {
				t.Fatalf("History: %v", err)
			}
			wantStart := t0.Add(time.Duration(tc.wantStart) * time.Minute)
			if !got.Start.Equal(wantStart) || got.Step != time.Minute || got.Name != "k" {
				t.Errorf("History start %s step %s name %q, want %s 1m0s \"k\"", got.Start, got.Step, got.Name, wantStart)
			}
			if !sameValues(got.Values, tc.want) {
				t.Errorf("History values (%d) = %v\nwant (%d) %v", got.Len(), head(got.Values), len(tc.want), head(tc.want))
			}
		})
	}
}

// head shortens long slices in failure messages.
func head(v []float64) []float64 { return v[:min(len(v), 20)] }

func TestAppendHistoryErrors(t *testing.T) {
	cases := []struct {
		name string
		in   timeseries.Series
		want error
	}{
		{"other step", timeseries.Series{Start: t0, Step: time.Second, Values: []float64{1}}, ErrGrid},
		{"off grid", timeseries.Series{Start: t0.Add(30 * time.Second), Step: time.Minute, Values: []float64{1}}, ErrGrid},
		{"zero step", timeseries.Series{Start: t0, Values: []float64{1}}, nil},
		{"year 1", timeseries.Series{Step: time.Minute, Values: []float64{1}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t, Options{NoSync: true})
			if err := s.AppendHistory("k", series(0, 1, 2)); err != nil {
				t.Fatal(err)
			}
			err := s.AppendHistory("k", tc.in)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("AppendHistory = %v, want an error (%v)", err, tc.want)
			}
			if got, _ := s.History("k"); !sameValues(got.Values, []float64{1, 2}) {
				t.Errorf("history changed by a failed append: %v", got.Values)
			}
		})
	}
}

// TestAppendHistoryRandom checks random appends against a plain map, and
// that no chunk outlives the retention window.
func TestAppendHistoryRandom(t *testing.T) {
	const capSteps = 3000
	rng := rand.New(rand.NewPCG(1, 2))
	s := openTemp(t, Options{NoSync: true, Retention: capSteps * time.Minute})
	ref := map[int]float64{}
	first, end := 0, 0
	for op := range 300 {
		a := end - 200 + rng.IntN(400)
		if rng.IntN(10) == 0 {
			a = end + rng.IntN(5000)
		}
		vals := ramp(float64(op*10000), 1+rng.IntN(1500))
		if err := s.AppendHistory("k", series(a, vals...)); err != nil {
			t.Fatalf("op %d: %v", op, err)
		}
		first, end = refAppend(ref, first, end, op == 0, a, vals, capSteps)
		got, err := s.History("k")
		if err != nil {
			t.Fatalf("op %d: History: %v", op, err)
		}
		if want := refSeries(ref, first, end); !got.Start.Equal(t0.Add(time.Duration(first)*time.Minute)) || !sameValues(got.Values, want) {
			t.Fatalf("op %d (append %d values at %d): got start %s, %d values; want start step %d, %d values",
				op, len(vals), a, got.Start, got.Len(), first, len(want))
		}
		if n := countChunks(t, s); n > capSteps/chunkSteps+2 {
			t.Fatalf("op %d: %d chunks stored for a %d-step window", op, n, capSteps)
		}
	}
}

// refAppend applies an append to the reference map with the documented rule.
func refAppend(ref map[int]float64, first, end int, empty bool, a int, vals []float64, capSteps int) (int, int) {
	b := a + len(vals)
	newEnd := b
	if !empty {
		newEnd = max(end, b)
	}
	lo := max(a, newEnd-capSteps)
	if lo >= b {
		return first, end
	}
	for i := lo; i < b; i++ {
		ref[i] = vals[i-a]
	}
	if empty || lo < first {
		first = lo
	}
	return max(first, newEnd-capSteps), newEnd
}

func refSeries(ref map[int]float64, first, end int) []float64 {
	out := nans(end - first)
	for i := range out {
		if v, ok := ref[first+i]; ok {
			out[i] = v
		}
	}
	return out
}

func countChunks(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		kb, err := s.keyBucket(tx, "k", false)
		if err != nil || kb == nil {
			return err
		}
		if cb := kb.Bucket([]byte(bucketChunks)); cb != nil {
			n = cb.Stats().KeyN
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
