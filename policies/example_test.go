package policies_test

import (
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/policies"
)

// A campaign starts in four minutes; pods take five to become ready. The
// forecast sees the ramp inside the lead time, so the scaler asks for the
// pods now, while the live demand still looks calm.
func ExampleDecide() {
	now := time.Date(2026, 11, 10, 23, 56, 0, 0, time.UTC)
	p := policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 100, LeadTime: 5 * time.Minute, MinReplicas: 2}
	d, err := policies.Decide(p, policies.Inputs{
		Now:      now,
		Live:     policies.Observation{Value: 750, At: now},
		Forecast: policies.Forecast{Start: now, Step: time.Minute, Values: []float64{760, 800, 900, 1400, 5200, 6100}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Replicas, d.Source)
	for _, r := range d.Reasons() {
		fmt.Println(r)
	}
	// Output:
	// 61 forecast
	// live demand 750
	// forecast peak 6100 at 2026-11-11T00:01:00Z, within the lead time
}
