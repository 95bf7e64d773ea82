package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// benchSteps is four weeks of one-minute steps.
const benchSteps = 40320

// fillStore appends benchSteps steps to each of keys keys in one-day
// batches.
func fillStore(b *testing.B, s *Store, keys int) {
	b.Helper()
	const day = 1440
	for k := range keys {
		for d := 0; d < benchSteps; d += day {
			if err := s.AppendHistory(fmt.Sprintf("ns/app-%d/0", k), series(d, ramp(float64(d), day)...)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAppendHistory appends one step to a four-week history.
func BenchmarkAppendHistory(b *testing.B) {
	for _, sync := range []bool{true, false} {
		b.Run(fmt.Sprintf("steps=%d/sync=%t", benchSteps, sync), func(b *testing.B) {
			s := openTemp(b, Options{NoSync: !sync})
			fillStore(b, s, 1)
			i := benchSteps
			b.ReportAllocs()
			for b.Loop() {
				if err := s.AppendHistory("ns/app-0/0", series(i, float64(i))); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkHistory reads a four-week history.
func BenchmarkHistory(b *testing.B) {
	s := openTemp(b, Options{NoSync: true})
	fillStore(b, s, 1)
	b.ReportAllocs()
	for b.Loop() {
		h, err := s.History("ns/app-0/0")
		if err != nil || h.Len() != benchSteps {
			b.Fatalf("History: %d steps, %v", h.Len(), err)
		}
	}
	b.ReportMetric(float64(benchSteps)*float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkDiskPerKey reports the pages used per key (bbolt's high-water
// mark) and the file size per key (bbolt grows the file by doubling) of a
// store holding four weeks of one-minute history per key, written in
// one-day appends (raw float64: 322,560 bytes per key).
func BenchmarkDiskPerKey(b *testing.B) {
	const keys = 20
	var size, used int64
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "state.db")
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		fillStore(b, s, keys)
		_ = s.db.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size = info.Size()
	}
	b.ReportMetric(float64(used)/keys, "used-bytes/key")
	b.ReportMetric(float64(size)/keys, "file-bytes/key")
	b.ReportMetric(float64(used)/keys/benchSteps, "used-bytes/step")
}

// BenchmarkOpen opens (and by default verifies) a store of 100 keys of
// four-week history.
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "state.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	fillStore(b, s, 100)
	s.Close()
	for _, verify := range []bool{true, false} {
		b.Run(fmt.Sprintf("keys=100/verify=%t", verify), func(b *testing.B) {
			for b.Loop() {
				s, err := Open(path, Options{NoVerify: !verify, LockTimeout: time.Second})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
