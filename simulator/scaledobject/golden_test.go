package scaledobject

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/simulator"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenInputs are the ScaledObjects whose mapping is kept in a golden
// file: every example of deploy/examples, then the good fixtures.
func goldenInputs(t *testing.T) map[string]string {
	t.Helper()
	in := map[string]string{}
	examples, err := filepath.Glob(filepath.Join("..", "..", "deploy", "examples", "scaledobject*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, examples, "no example ScaledObjects found")
	for _, f := range examples {
		in["example-"+strings.TrimSuffix(filepath.Base(f), ".yaml")] = f
	}
	good, err := filepath.Glob(filepath.Join("testdata", "*.good.yaml"))
	require.NoError(t, err)
	for _, f := range good {
		in[strings.TrimSuffix(filepath.Base(f), ".good.yaml")] = f
	}
	return in
}

// TestGolden maps every example and good fixture onto the default
// settings and compares the description with testdata/golden/NAME.txt
// (go test -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	for name, path := range goldenInputs(t) {
		t.Run(name, func(t *testing.T) {
			doc, err := Load(path, "")
			require.NoError(t, err)
			r, err := doc.Map(simulator.DefaultSettings())
			require.NoError(t, err)
			got := strings.Join(r.Describe(), "\n") + "\n"
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "golden file missing: run go test -run TestGolden -update")
			require.Equal(t, string(want), got, "mapping of %s differs from %s", path, golden)
		})
	}
}
