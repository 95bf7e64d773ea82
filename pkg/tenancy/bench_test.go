package tenancy

import "testing"

// BenchmarkEnforce confines a query of typical size (three selectors) and
// one near the scaler's 16 KiB limit on queries.
func BenchmarkEnforce(b *testing.B) {
	long := `sum(rate(x{job="a"}[5m]))`
	for len(long) < 15_000 {
		long += ` + sum(rate(x{job="a"}[5m]))`
	}
	for _, c := range []struct{ name, q string }{
		{"typical", `sum(rate(http_requests_total{job="api"}[2m])) / sum(kube_deployment_spec_replicas{deployment="api"}) + 0 * up`},
		{"16KiB", long},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Enforce(c.q, "namespace", "team-a"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}
