package tenancy

import (
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnforce(t *testing.T) {
	cases := []struct {
		name, query, want string
		err               error
	}{
		{name: "bare metric", query: `up`, want: `up{namespace="team-a"}`},
		{name: "aggregation over a range",
			query: `sum(rate(http_requests_total{job="api"}[2m]))`,
			want:  `sum(rate(http_requests_total{job="api",namespace="team-a"}[2m]))`},
		{name: "the issue's query",
			query: `max(process_resident_memory_bytes{job="prometheus"})`,
			want:  `max(process_resident_memory_bytes{job="prometheus",namespace="team-a"})`},
		{name: "binary expression, both sides",
			query: `a / on() b`, want: `a{namespace="team-a"} / on () b{namespace="team-a"}`},
		{name: "subquery", query: `max_over_time(rate(x[1m])[10m:1m])`,
			want: `max_over_time(rate(x{namespace="team-a"}[1m])[10m:1m])`},
		{name: "offset and @", query: `x offset 5m @ 100`, want: `x{namespace="team-a"} @ 100.000 offset 5m`},
		{name: "own namespace kept once", query: `x{namespace="team-a"}`, want: `x{namespace="team-a"}`},
		{name: "regex that admits the tenant is narrowed", query: `x{namespace=~"team-.*"}`, want: `x{namespace="team-a"}`},
		{name: "negative matcher on another tenant is narrowed", query: `x{namespace!="team-b"}`, want: `x{namespace="team-a"}`},
		{name: "name selector", query: `{__name__="x"}`, want: `{__name__="x",namespace="team-a"}`},
		{name: "no selector", query: `vector(1) + time()`, want: `vector(1) + time()`},
		{name: "label_replace of another label", query: `label_replace(x, "dst", "$1", "src", "(.*)")`,
			want: `label_replace(x{namespace="team-a"}, "dst", "$1", "src", "(.*)")`},
		{name: "other tenant", query: `x{namespace="team-b"}`, err: ErrConflict},
		{name: "other tenant in one branch", query: `x + y{namespace="team-b"}`, err: ErrConflict},
		{name: "regex that excludes the tenant", query: `x{namespace=~"team-b|team-c"}`, err: ErrConflict},
		{name: "negative matcher on the tenant", query: `x{namespace!="team-a"}`, err: ErrConflict},
		{name: "two matchers, one conflicting", query: `x{namespace="team-a",namespace="team-b"}`, err: ErrConflict},
		{name: "label_replace onto the tenant label", query: `label_replace(x, "namespace", "team-b", "", "")`, err: ErrRelabel},
		{name: "label_join onto the tenant label", query: `label_join(x, "namespace", ",", "a")`, err: ErrRelabel},
		{name: "info", query: `info(x)`, err: ErrParse}, // experimental: refused by the parser's options
		{name: "syntax error", query: `sum(`, err: ErrParse},
		{name: "empty", query: ``, err: ErrParse},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Enforce(c.query, "namespace", "team-a")
			if c.err != nil {
				require.ErrorIs(t, err, c.err, "Enforce(%q) = %q", c.query, got)
				return
			}
			require.NoError(t, err, "Enforce(%q)", c.query)
			assert.Equal(t, c.want, got, "Enforce(%q)", c.query)
		})
	}
}

func TestEnforceLabelAndTenant(t *testing.T) {
	got, err := Enforce(`x{tenant="t1"}`, "tenant", "t1")
	require.NoError(t, err)
	assert.Equal(t, `x{tenant="t1"}`, got)
	_, err = Enforce(`x`, "tenant", "")
	assert.ErrorIs(t, err, ErrTenant)
	_, err = Enforce(`x`, "bad-label", "t1")
	assert.ErrorIs(t, err, ErrTenant)
}

func TestEnforceErrorIsBounded(t *testing.T) {
	q := `x{namespace="team-b",pad="` + strings.Repeat("p", 100_000) + `"}`
	_, err := Enforce(q, "namespace", "team-a")
	require.ErrorIs(t, err, ErrConflict)
	assert.Less(t, len(err.Error()), 400, "error message: %d bytes", len(err.Error()))
}

// checkConfined parses an enforced query back and checks that every
// selector has exactly the tenant's matcher on the label.
func checkConfined(t *testing.T, enforced, label, tenant string) {
	t.Helper()
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(enforced)
	require.NoError(t, err, "the enforced query %q does not parse", enforced)
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		count := 0
		for _, m := range vs.LabelMatchers {
			if m.Name == label {
				count++
				assert.Equal(t, "="+tenant, m.Type.String()+m.Value, "selector %s of %q", vs, enforced)
			}
		}
		assert.Equal(t, 1, count, "selector %s of %q: matchers on %s", vs, enforced, label)
		return nil
	})
}

func TestEnforcedQueriesAreConfined(t *testing.T) {
	for _, q := range []string{
		`sum by (pod) (rate(x{job=~"a|b"}[5m])) / ignoring(pod) group_left sum(y)`,
		`histogram_quantile(0.9, sum by (le) (rate(h_bucket{namespace=~".+"}[5m])))`,
		`count(x) > bool 3 or absent(z{namespace="team-a"})`,
	} {
		got, err := Enforce(q, "namespace", "team-a")
		require.NoError(t, err, q)
		checkConfined(t, got, "namespace", "team-a")
	}
}
