package capacity

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// BenchmarkPack packs generated problems of 8 business lines (one pool
// each), 3 zones and 20 instance types, with a realistic mix of requests,
// and reports the gap to the lower bound.
func BenchmarkPack(b *testing.B) {
	for _, n := range []int{1000, 10000, 30000, 50000} {
		b.Run(fmt.Sprintf("replicas=%d", n), func(b *testing.B) {
			p := benchProblem(1, 8, 3, 20, n)
			var pl Plan
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if pl, err = Pack(context.Background(), p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(100*pl.Gap, "gap_%")
			b.ReportMetric(float64(len(pl.Nodes)), "nodes")
			b.ReportMetric(pl.CostPerHour, "$/h")
		})
	}
}

// BenchmarkPackGapDistribution packs 50 generated problems of 10000
// replicas (seeds 1 to 50) and reports the distribution of their gaps to
// the lower bound.
func BenchmarkPackGapDistribution(b *testing.B) {
	const instances = 50
	var gaps []float64
	for b.Loop() {
		gaps = gaps[:0]
		for seed := range uint64(instances) {
			pl, err := Pack(context.Background(), benchProblem(seed+1, 8, 3, 20, 10000))
			if err != nil {
				b.Fatal(err)
			}
			gaps = append(gaps, 100*pl.Gap)
		}
	}
	slices.Sort(gaps)
	q := func(f float64) float64 { return gaps[int(f*float64(len(gaps)-1)+0.5)] }
	b.ReportMetric(q(0), "gap_min_%")
	b.ReportMetric(q(0.5), "gap_median_%")
	b.ReportMetric(q(0.9), "gap_p90_%")
	b.ReportMetric(q(1), "gap_max_%")
	b.Logf("gap to the lower bound over %d instances: min %.2f%%, median %.2f%%, p90 %.2f%%, max %.2f%%", instances, q(0), q(0.5), q(0.9), q(1))
}

// BenchmarkPlanTimeline plans a week at hourly steps whose demand changes
// every six hours, so that most steps reuse packed pools.
func BenchmarkPlanTimeline(b *testing.B) {
	p, times := weekOfCampaigns(benchProblem(3, 8, 3, 20, 5000))
	b.ReportAllocs()
	var tl Timeline
	for b.Loop() {
		var err error
		if tl, err = PlanTimeline(context.Background(), p, times); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(times)), "steps")
	b.ReportMetric(tl.SavingsVsStaticPeak.Percent, "saving_vs_static_%")
}
