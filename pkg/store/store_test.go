package store

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// t0 is the grid origin of most tests.
var t0 = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

// openTemp opens a store in a fresh directory and closes it at cleanup.
func openTemp(t testing.TB, opts Options) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state.db"), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// series returns values on a one-minute grid starting offset steps after t0.
func series(offset int, vals ...float64) timeseries.Series {
	return timeseries.Series{Start: t0.Add(time.Duration(offset) * time.Minute), Step: time.Minute, Values: vals}
}

// sameValues compares float slices treating NaN as equal to NaN.
func sameValues(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool {
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	})
}

func TestRecordRoundTrip(t *testing.T) {
	s := openTemp(t, Options{NoSync: true})
	fitted := time.Date(2024, 3, 5, 6, 7, 8, 9, time.UTC)
	models := []struct {
		name string
		rec  ModelRecord
	}{
		{"full", ModelRecord{Name: "holt-winters", FormatVersion: 3, FittedAt: fitted, HistoryEnd: t0, Blob: []byte{1, 2, 3}}},
		{"zero times and empty blob", ModelRecord{Name: "naive"}},
		{"large blob", ModelRecord{Name: "x", FormatVersion: math.MaxUint32, Blob: bytes.Repeat([]byte{0xab}, 1<<20)}},
	}
	for _, tc := range models {
		t.Run("model/"+tc.name, func(t *testing.T) {
			key := "ns/" + tc.name + "/0"
			if err := s.PutModel(key, tc.rec); err != nil {
				t.Fatalf("PutModel: %v", err)
			}
			got, err := s.Model(key)
			if err != nil {
				t.Fatalf("Model: %v", err)
			}
			if got.Name != tc.rec.Name || got.FormatVersion != tc.rec.FormatVersion ||
				!got.FittedAt.Equal(tc.rec.FittedAt) || !got.HistoryEnd.Equal(tc.rec.HistoryEnd) ||
				!bytes.Equal(got.Blob, tc.rec.Blob) || got.FittedAt.IsZero() != tc.rec.FittedAt.IsZero() {
				t.Errorf("Model = %+v, want %+v", got, tc.rec)
			}
		})
	}
	decisions := []struct {
		name string
		d    Decision
	}{
		{"value", Decision{Value: 12.5, At: fitted}},
		{"nan", Decision{Value: math.NaN(), At: fitted}},
		{"zero", Decision{}},
	}
	for _, tc := range decisions {
		t.Run("decision/"+tc.name, func(t *testing.T) {
			key := "ns/d-" + tc.name + "/0"
			if err := s.PutDecision(key, tc.d); err != nil {
				t.Fatalf("PutDecision: %v", err)
			}
			got, err := s.Decision(key)
			if err != nil {
				t.Fatalf("Decision: %v", err)
			}
			if !sameValues([]float64{got.Value}, []float64{tc.d.Value}) || !got.At.Equal(tc.d.At) {
				t.Errorf("Decision = %+v, want %+v", got, tc.d)
			}
		})
	}
}

func TestNotFoundAndKeys(t *testing.T) {
	s := openTemp(t, Options{NoSync: true})
	if err := s.PutDecision("a/only-decision/0", Decision{Value: 1, At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendHistory("b/only-history/0", series(0, 1, 2)); err != nil {
		t.Fatal(err)
	}
	lookups := []struct {
		name string
		call func() error
	}{
		{"history of unknown key", func() error { _, err := s.History("nope"); return err }},
		{"history of key without history", func() error { _, err := s.History("a/only-decision/0"); return err }},
		{"model of key without model", func() error { _, err := s.Model("b/only-history/0"); return err }},
		{"decision of unknown key", func() error { _, err := s.Decision("nope"); return err }},
		{"delete unknown key", func() error { return s.Delete("nope") }},
	}
	for _, tc := range lookups {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
		})
	}
	keys, err := s.Keys()
	if want := []string{"a/only-decision/0", "b/only-history/0"}; err != nil || !slices.Equal(keys, want) {
		t.Fatalf("Keys = %q, %v; want %q", keys, err, want)
	}
	if err := s.Delete("a/only-decision/0"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Decision("a/only-decision/0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Decision after Delete: %v, want ErrNotFound", err)
	}
	if keys, _ := s.Keys(); !slices.Equal(keys, []string{"b/only-history/0"}) {
		t.Errorf("Keys after Delete = %q", keys)
	}
}

func TestInvalidKey(t *testing.T) {
	s := openTemp(t, Options{NoSync: true})
	for _, key := range []string{"", string(make([]byte, MaxKeyLen+1))} {
		if err := s.AppendHistory(key, series(0, 1)); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("AppendHistory(key of %d bytes) = %v, want ErrInvalidKey", len(key), err)
		}
		if err := s.PutDecision(key, Decision{}); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("PutDecision(key of %d bytes) = %v, want ErrInvalidKey", len(key), err)
		}
	}
}

func TestPersistsAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Created() {
		t.Error("Created() = false for a new file")
	}
	want := series(0, 1, math.NaN(), 3)
	if err := s.AppendHistory("k", want); err != nil {
		t.Fatal(err)
	}
	if err := s.PutModel("k", ModelRecord{Name: "m", Blob: []byte("fit")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if s.Created() {
		t.Error("Created() = true for an existing file")
	}
	got, err := s.History("k")
	if err != nil || !got.Start.Equal(want.Start) || got.Step != want.Step || !sameValues(got.Values, want.Values) {
		t.Errorf("History after reopen = %+v, %v; want %+v", got, err, want)
	}
	if m, err := s.Model("k"); err != nil || string(m.Blob) != "fit" {
		t.Errorf("Model after reopen = %+v, %v", m, err)
	}
}
