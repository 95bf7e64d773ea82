package simulator_test

import (
	"context"
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/simulator"
)

// A flash sale triples the traffic for an hour. The reactive HPA catches up
// late and leaves some demand unserved; a cron floor set for the sale does
// not; the oracle shows what perfect foresight would cost.
func ExampleCompare() {
	demand := timeseries.Series{Name: "shop", Start: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), Step: time.Minute}
	for i := range 6 * 60 {
		rate := 600.0 // requests/s
		if i >= 180 && i < 240 {
			rate = 1800
		}
		demand.Values = append(demand.Values, rate)
	}
	s := simulator.DefaultSettings()
	s.Pods.Capacity = 50 // requests/s per pod
	s.Pods.PricePerHour = 0.04
	s.KEDA.MinReplicaCount = 2
	sale := simulator.CronWindow{Start: demand.Time(170), End: demand.Time(240), Replicas: 52}
	policies := []simulator.Policy{
		simulator.NewReactive(s.Pods.Capacity),
		simulator.Cron{Reactive: simulator.NewReactive(s.Pods.Capacity), Windows: []simulator.CronWindow{sale}},
	}
	rep, err := simulator.Compare(context.Background(), demand, s, policies, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range append([]simulator.Result{rep.Oracle}, rep.Results...) {
		fmt.Printf("%-8s unserved %.4f  pod-hours %6.2f (%.2f× oracle)  peak %d\n",
			r.Policy, r.UnservedFraction, r.PodHours, r.VsOracle.PodHours, r.PeakReplicas)
	}
	// Output:
	// oracle   unserved 0.0000  pod-hours  96.40 (1.00× oracle)  peak 36
	// reactive unserved 0.0048  pod-hours 144.71 (1.50× oracle)  peak 52
	// cron     unserved 0.0000  pod-hours 150.66 (1.56× oracle)  peak 52
}
