package metricsource_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/pkg/metricsource"
)

// ExamplePrometheus reads the current demand and the last week of history.
func ExamplePrometheus() {
	p, err := metricsource.NewPrometheus(metricsource.PrometheusConfig{
		Address: "http://prometheus.monitoring:9090",
		Timeout: 5 * time.Second,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	const query = `sum by () (rate(http_requests_total{service="checkout"}[5m]))`
	now := time.Now()
	s, err := p.Instant(ctx, query, now)
	switch {
	case errors.Is(err, metricsource.ErrEmpty):
		fmt.Println("no traffic series yet")
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Printf("%.1f requests/s\n", s.Value)
	}
	week, err := p.Range(ctx, query, now.Add(-7*24*time.Hour), now, time.Minute)
	if err == nil {
		fmt.Println(week.Len(), "steps,", week.Missing(), "missing")
	}
}
