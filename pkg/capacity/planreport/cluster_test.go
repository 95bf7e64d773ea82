package planreport

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// TestBelowPDB checks the rule: below when the budget keeps some pod and
// one more eviction would leave fewer ready pods than it keeps.
func TestBelowPDB(t *testing.T) {
	count := func(v int) *capacity.IntOrPercent { return &capacity.IntOrPercent{Value: v} }
	pct := func(v int) *capacity.IntOrPercent { return &capacity.IntOrPercent{Value: v, Percent: true} }
	tests := []struct {
		name            string
		pdb             *inventory.PDB
		replicas, ready int
		want            bool
	}{
		{"no budget", nil, 3, 0, false},
		{"minAvailable, one eviction to spare: at its budget", &inventory.PDB{MinAvailable: count(2)}, 3, 3, false},
		{"minAvailable, none to spare", &inventory.PDB{MinAvailable: count(2)}, 3, 2, true},
		{"minAvailable, fewer ready than it keeps", &inventory.PDB{MinAvailable: count(2)}, 3, 1, true},
		{"minAvailable 100%", &inventory.PDB{MinAvailable: pct(100)}, 4, 4, true},
		{"minAvailable 50% rounds up: keeps 2 of 3", &inventory.PDB{MinAvailable: pct(50)}, 3, 3, false},
		{"minAvailable 50% rounds up, one not ready", &inventory.PDB{MinAvailable: pct(50)}, 3, 2, true},
		{"maxUnavailable 1 of 3 keeps 2, all ready", &inventory.PDB{MaxUnavailable: count(1)}, 3, 3, false},
		{"maxUnavailable 1 of 3 keeps 2, one not ready", &inventory.PDB{MaxUnavailable: count(1)}, 3, 2, true},
		{"maxUnavailable 0", &inventory.PDB{MaxUnavailable: count(0)}, 3, 3, true},
		{"maxUnavailable 100% keeps none", &inventory.PDB{MaxUnavailable: pct(100)}, 3, 0, false},
		{"neither field keeps none", &inventory.PDB{Name: "empty"}, 3, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, BelowPDB(tc.pdb, tc.replicas, tc.ready))
		})
	}
}

// clusterResult is the minimal plan with a cluster of three Deployments:
// one below its budget, one at it (one eviction to spare) and one
// without a budget.
func clusterResult(t *testing.T) *Result {
	t.Helper()
	r := resultOf(t, minimal, time.Time{})
	two := &capacity.IntOrPercent{Value: 2}
	deploy := func(name, bl string, replicas, ready int, pdb *inventory.PDB) inventory.Deployment {
		return inventory.Deployment{Namespace: "shop", Name: name, BusinessLine: bl, Replicas: replicas, ReadyReplicas: ready,
			Requests: capacity.Resources{CPU: 0.5, Memory: 1 << 30, Pods: 1}, PDB: pdb}
	}
	r.Cluster = &Cluster{
		Inventory: inventory.Inventory{Deployments: []inventory.Deployment{
			deploy("frontend", "shop", 3, 2, &inventory.PDB{Name: "frontend", MinAvailable: two}),
			deploy("cart", "shop", 3, 3, &inventory.PDB{Name: "cart", MinAvailable: two}),
			deploy("newsletter", "", 1, 1, nil),
		}},
		Notes: []string{"1 Deployments without a business line label left out"},
	}
	return r
}

// TestClusterPDBRows marks the Deployment below its budget, and not the one
// at it, in every format: a "below PDB" cell in text and markdown, a
// highlighted row in HTML.
func TestClusterPDBRows(t *testing.T) {
	r := clusterResult(t)
	tests := []struct {
		name             string
		write            func(*strings.Builder, *Result) error
		below, at        string // the rows of the Deployments below and at their budget
		marked, unmarked string // how each reads
	}{
		{"text", func(b *strings.Builder, r *Result) error { return WriteText(b, r) },
			"shop/frontend ", "shop/cart ", "  below PDB (2 ready, keeps 2)", "  ok"},
		{"markdown", func(b *strings.Builder, r *Result) error { return WriteMarkdown(b, r) },
			"| shop/frontend |", "| shop/cart |", "| frontend minAvailable 2 | below PDB (2 ready, keeps 2) |", "| cart minAvailable 2 | ok |"},
		{"html", func(b *strings.Builder, r *Result) error { return WriteHTML(b, r) },
			"<td>shop/frontend</td>", "<td>shop/cart</td>", `<tr class="flag">`, "<tr>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tc.write(&b, r))
			out := b.String()
			below, at := lineWith(t, out, tc.below), lineWith(t, out, tc.at)
			if tc.name == "html" {
				assert.True(t, strings.HasPrefix(below, tc.marked), "the Deployment below its budget is highlighted: %s", below)
				assert.True(t, strings.HasPrefix(at, tc.unmarked), "the Deployment at its budget is not: %s", at)
				assert.Contains(t, below, "<td>below PDB (2 ready, keeps 2)</td>", "the reason is in a cell too")
			} else {
				assert.True(t, strings.HasSuffix(below, tc.marked), "the Deployment below its budget is marked: %q", below)
				assert.True(t, strings.HasSuffix(at, tc.unmarked), "the Deployment at its budget is not: %q", at)
			}
			assert.Equal(t, 1, strings.Count(out, "below PDB ("), "one row below its budget")
		})
	}
}

// lineWith returns the one line of out containing sub.
func lineWith(t *testing.T, out, sub string) string {
	t.Helper()
	var found []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, sub) {
			found = append(found, l)
		}
	}
	require.Len(t, found, 1, "lines with %q", sub)
	return found[0]
}

// TestClusterGolden compares the text and markdown of the cluster
// sections with their golden files.
func TestClusterGolden(t *testing.T) {
	r := clusterResult(t)
	tests := []struct {
		name  string
		write func(*strings.Builder, *Result) error
	}{
		{"cluster_table", func(b *strings.Builder, r *Result) error { return WriteText(b, r) }},
		{"cluster_markdown", func(b *strings.Builder, r *Result) error { return WriteMarkdown(b, r) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tc.write(&b, r))
			golden(t, tc.name, b.String())
		})
	}
}

// TestZoneLossRows highlights in HTML the workloads whose zone loss check
// falls below their budget, which text and markdown already say.
func TestZoneLossRows(t *testing.T) {
	r := resultOf(t, minimal, time.Time{})
	require.Len(t, r.Plan.Workloads, 1)
	z := r.Plan.Workloads[0].ZoneLoss
	require.NotNil(t, z)
	tests := []struct {
		name      string
		surviving int
		flagged   bool
	}{
		{"at its budget", z.MinAvailable, false},
		{"below its budget", z.MinAvailable - 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := *z
			c.Surviving, c.MeetsPDB = tc.surviving, tc.surviving >= c.MinAvailable
			rr := *r
			rr.Plan.Workloads = []capacity.WorkloadPlan{r.Plan.Workloads[0]}
			rr.Plan.Workloads[0].ZoneLoss = &c
			var html, text strings.Builder
			require.NoError(t, WriteHTML(&html, &rr))
			require.NoError(t, WriteText(&text, &rr))
			assert.Equal(t, tc.flagged, strings.Contains(html.String(), `<tr class="flag"><td>frontend</td>`))
			assert.Equal(t, tc.flagged, strings.Contains(text.String(), "below PDB"))
		})
	}
}
