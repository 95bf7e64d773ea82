package evidence

import (
	"errors"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// update rewrites README.md's evidence blocks (TestReadmeCurrent) and this
// package's golden files instead of comparing with them.
var update = flag.Bool("update", false, "rewrite README.md's evidence blocks and the golden files under testdata/")

// TestReadmeCurrent renders every evidence block from the directory
// PRESCALE_EVIDENCE_DIR (written by `make evidence`) and fails when a
// block of README.md differs: a figure the README quotes is not what the
// commands give today. `make evidence-check` runs it; `make
// evidence-update` rewrites the blocks.
func TestReadmeCurrent(t *testing.T) {
	dir := os.Getenv("PRESCALE_EVIDENCE_DIR")
	if dir == "" {
		t.Skip("PRESCALE_EVIDENCE_DIR is not set: run `make evidence-check`")
	}
	const readme = "../../README.md"
	doc, err := os.ReadFile(readme)
	require.NoError(t, err)
	texts, err := Render(os.DirFS(dir))
	require.NoError(t, err)
	if *update {
		out, err := Replace(doc, texts)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(readme, out, 0o644))
		return
	}
	err = Check(doc, texts)
	var stale *StaleError
	if errors.As(err, &stale) {
		t.Fatalf("README.md is stale (run `make evidence-update` and reread the prose around the blocks): %v", err)
	}
	require.NoError(t, err)
}
