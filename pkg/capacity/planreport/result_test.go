package planreport

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// update rewrites the golden files of this package's tests instead of
// comparing with them.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Planning files the tests pack.
const (
	ecommerce = "../../../deploy/examples/capacity/ecommerce.yaml"
	staffing  = "../../../deploy/examples/capacity/staffing.yaml"
	minimal   = "testdata/minimal.yaml"
)

// resultOf packs a planning file as prescale plan does: the instant at,
// or the timeline, or the peak when the file has no timeline.
func resultOf(t *testing.T, path string, at time.Time) *Result {
	t.Helper()
	c, err := capacity.LoadConfig(path)
	require.NoError(t, err)
	p, err := c.Problem()
	require.NoError(t, err)
	r := &Result{Name: c.Metadata.Name, At: at}
	if times := c.Times(); !at.IsZero() || len(times) == 0 {
		p.At = at
		r.Plan, err = capacity.Pack(context.Background(), p)
		require.NoError(t, err)
		return r
	}
	tl, err := capacity.PlanTimeline(context.Background(), p, c.Times())
	require.NoError(t, err)
	r.Plan, r.Timeline = tl.PeakPlan, &tl
	return r
}

// golden compares got with testdata/name.golden, or rewrites the file
// with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "reading golden file (run with -update to create it)")
	require.Equal(t, string(want), got, "output differs from %s (run with -update if intended)", path)
}
