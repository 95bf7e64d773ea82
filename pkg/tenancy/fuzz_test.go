package tenancy

import (
	"errors"
	"testing"
)

// FuzzEnforce checks that Enforce never panics, that every query it
// accepts comes back confined (each selector carries exactly the tenant's
// matcher), and that enforcing is idempotent.
func FuzzEnforce(f *testing.F) {
	for _, q := range []string{
		`up`, `sum(rate(x{job="a"}[5m]))`, `x{namespace="team-b"}`, `x{namespace=~"team-.*"}`,
		`label_replace(x, "namespace", "b", "", "")`, `a / on() group_left b offset 1h`,
		`max_over_time(rate(x[1m])[10m:1m] @ end())`, `{__name__=~"x|y"}`, `vector(1)`, `sum(`,
	} {
		f.Add(q, "team-a")
	}
	f.Fuzz(func(t *testing.T, query, tenant string) {
		got, err := Enforce(query, "namespace", tenant)
		if err != nil {
			if !errors.Is(err, ErrParse) && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrRelabel) &&
				!errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTenant) {
				t.Fatalf("Enforce(%q, %q): error %v wraps no sentinel", query, tenant, err)
			}
			return
		}
		checkConfined(t, got, "namespace", tenant)
		again, err := Enforce(got, "namespace", tenant)
		if err != nil || again != got {
			t.Fatalf("Enforce is not idempotent on %q: %q, %v", got, again, err)
		}
	})
}
