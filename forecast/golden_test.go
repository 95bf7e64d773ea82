package forecast

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update makes golden-file tests rewrite their files under testdata/ instead
// of comparing against them: go test ./forecast/ -run Golden -update.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// compareGolden compares got with the golden file testdata/name, or rewrites
// the file when -update is set.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
