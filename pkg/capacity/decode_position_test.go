package capacity

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/scalar"
)

// planWith returns a valid planning file whose lines marked #POOL and
// #WORKLOAD are followed by pool and workload, indented to their
// mapping's keys.
func planWith(pool, workload string) string {
	return strings.NewReplacer("#POOL\n", pool, "#WORKLOAD\n", workload).Replace(`apiVersion: prescale.dev/v1alpha1
kind: CapacityPlan
spec:
  nodePools:
    - name: web
      businessLines: [shop]
      zones: [a]
#POOL
      instanceTypes:
        - name: m.xlarge
          allocatable: {cpu: 3920m, memory: 14Gi, pods: 58}
          pricePerHour: 0.192
  workloads:
    - name: frontend
      businessLine: shop
      requests: {cpu: 500m, memory: 1Gi}
#WORKLOAD
      replicas: 6
`)
}

// TestParseConfigPositions checks that unknown fields and wrongly typed
// values name their line and column, and unknown fields the known field
// they most likely mean.
func TestParseConfigPositions(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    []string // each error, in order
		unknown bool     // errors.Is(err, scalar.ErrUnknownField)
	}{
		{"unknown field close to a known one", planWith("      maxNode: 3\n", ""),
			[]string{"line 8, column 7: spec.nodePools[0].maxNode: unknown field: did you mean maxNodes?"}, true},
		{"unknown field close to none", planWith("", "      colour: blue\n"),
			[]string{"line 16, column 7: spec.workloads[0].colour: unknown field (known: antiAffinity, businessLine, maxSurge, name, nodePool, pdb, replicas, replicasFrom, requests, zoneSpread)"}, true},
		{"nested unknown field", planWith("", "      pdb: {minAvailable: 1, maxUnavailable: 1}\n"),
			[]string{"line 16, column 30: spec.workloads[0].pdb.maxUnavailable: unknown field: did you mean minAvailable?"}, true},
		{"unknown field in a headroom", "apiVersion: prescale.dev/v1alpha1\nkind: CapacityPlan\nspec:\n  headroom:\n    utilisationTargt: 0.8\n",
			[]string{"line 5, column 5: spec.headroom.utilisationTargt: unknown field: did you mean utilisationTarget?"}, true},
		{"wrong type", planWith("      minNodes: two\n", ""),
			[]string{"line 8, column 17: spec.nodePools[0].minNodes: must be a whole number"}, false},
		{"wrong type of a self-decoding value", planWith("", "      maxSurge: lots\n"),
			[]string{`line 16, column 17: spec.workloads[0].maxSurge: must be a whole number or a percentage such as "25%", got "lots"`}, false},
		{"a validation error", planWith("      minNodes: -1\n", ""),
			[]string{"line 8, column 17: spec.nodePools[0].minNodes: must not be negative, got -1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.yaml), nil)
			require.Error(t, err)
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				got = append(got, e.Error())
				var fe *FieldError
				assert.True(t, errors.As(e, &fe), "%v is not a *FieldError", e)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.unknown, errors.Is(err, scalar.ErrUnknownField))
		})
	}
}

// TestPriceBookPositions checks that a price book's unknown field names
// the price book, its line and column.
func TestPriceBookPositions(t *testing.T) {
	fsys := fstest.MapFS{"prices.yaml": {Data: []byte("apiVersion: prescale.dev/v1alpha1\nkind: PriceBook\nprice:\n  m.xlarge: 0.192\n")}}
	plan := strings.Replace(planWith("", ""), "spec:\n", "spec:\n  priceBook: {file: prices.yaml}\n", 1)
	_, err := ParseConfig([]byte(plan), fsys)
	require.Error(t, err)
	assert.Equal(t, "prices.yaml:3:1: price: unknown field: did you mean prices?", err.Error())
	assert.ErrorIs(t, err, scalar.ErrUnknownField)
}
