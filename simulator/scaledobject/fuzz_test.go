package scaledobject

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/prescale-dev/prescale/simulator"
)

// FuzzDecode checks that any input decodes and maps, or fails with the
// package's sentinels, and never panics.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	examples, _ := filepath.Glob(filepath.Join("..", "..", "deploy", "examples", "scaledobject*.yaml"))
	for _, p := range append(seeds, examples...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
	}
	f.Add([]byte("kind: ScaledObject\n---\nkind: ScaledObject\n"), "x")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		doc, err := Decode(data, "fuzz.yaml", name)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrAmbiguous) {
				t.Fatalf("Decode error %v wraps none of the sentinels", err)
			}
			return
		}
		r, err := doc.Map(simulator.DefaultSettings())
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotSupported) {
				t.Fatalf("Map error %v wraps none of the sentinels", err)
			}
			return
		}
		s := r.Settings
		s.Pods.Capacity = 1
		if err := s.Validate(); err != nil {
			t.Fatalf("mapped settings are invalid: %v", err)
		}
		_ = r.Describe()
	})
}
