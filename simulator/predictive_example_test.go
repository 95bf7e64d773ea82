package simulator_test

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// A service whose traffic climbs steeply every morning, pods taking five
// minutes to start. The predictive policy forecasts each hour from what it
// has seen (a week of history, then the simulated days so far) and asks
// for the morning's pods ahead of the climb, aiming at 91 % of a pod's
// capacity (see DefaultPredictiveUtilisation); the reactive HPA, at 70 %,
// follows the climb with more pods.
func ExamplePredictive() {
	const perDay = 24 * 12 // 5-minute steps
	y := timeseries.Series{Name: "api", Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Step: 5 * time.Minute}
	for i := range 10 * perDay {
		h := float64(i%perDay) / 12
		y.Values = append(y.Values, 200+1800*math.Max(0, math.Sin(math.Pi*(h-7)/12))) // requests/s
	}
	past, demand := y.Slice(0, 7*perDay), y.Slice(7*perDay, y.Len())
	s := simulator.DefaultSettings()
	s.Pods.Capacity = 100 // requests/s per pod
	s.Pods.Startup = simulator.Fixed(5 * time.Minute)
	s.KEDA.MinReplicaCount = 1
	pred, err := simulator.NewPredictive(simulator.PredictiveConfig{
		Policy: policies.Policy{Mode: policies.ModePredictive, TargetPerPod: 100 * simulator.DefaultPredictiveUtilisation, LeadTime: 6 * time.Minute,
			MinReplicas: 1, MaxReplicas: 100},
		Forecaster: simulator.QuantileForecaster{Options: forecast.Options{Model: "mseasonal"}, Quantile: 0.8},
		Past:       past,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := simulator.Compare(context.Background(), demand, s, []simulator.Policy{simulator.NewReactive(100), pred}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Results {
		fmt.Printf("%-10s unserved %.3f%%  pod-hours %.0f (%.2fx oracle)\n", r.Policy, 100*r.UnservedFraction, r.PodHours, r.VsOracle.PodHours)
	}
	fmt.Println("refits:", pred.Stats().Refits)
	// Output:
	// reactive   unserved 0.000%  pod-hours 814 (1.41x oracle)
	// predictive unserved 0.004%  pod-hours 656 (1.14x oracle)
	// refits: 72
}

// A check for continuous integration, as simulate --assert reads it.
func ExampleParseAssertion() {
	a, err := simulator.ParseAssertion("predictive.pod_hours_vs_oracle <= 1.3")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("policy %s, metric %s, %s %g\n", a.Policy, a.Metric, a.Op, a.Value)
	_, err = simulator.ParseAssertion("predictive.latency < 0.2")
	fmt.Println(err != nil)
	// Output:
	// policy predictive, metric pod_hours_vs_oracle, <= 1.3
	// true
}
