// Package policies holds the scaling policy of a workload and the pure
// decision function that turns what is known at an instant (the live demand,
// the forecast over the pod lead time, the floors of active calendar events)
// into the metric value served to KEDA, with the reasons that produced it.
//
// The KEDA external scaler and the simulator both call Decide: what is
// simulated is exactly what runs.
package policies
