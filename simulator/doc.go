// Package simulator replays a demand trace through a model of how
// Kubernetes scales a workload — KEDA, the HorizontalPodAutoscaler, pod
// start-up and, optionally, nodes — under an autoscaling policy, and scores
// the outcome: unserved demand, time under-provisioned, pod-hours, cost,
// peak replicas and scale events, each also relative to a perfect-foresight
// oracle.
//
// # Model
//
// The run is a discrete-event simulation on a virtual clock (offsets from
// the trace's start; nothing reads the wall clock) with one seeded PCG
// random source: the same Job gives a bit-identical Result.
//
//   - Demand is a regular series in any unit (requests/s), piecewise
//     constant over each step; NaN is missing and is neither served nor
//     unserved.
//   - Metric pipeline: a policy sees the demand at now minus
//     Settings.Metrics.Lag, optionally averaged over Metrics.Window, and the
//     completed steps before that horizon (Observations); nothing later.
//   - KEDA (docs "Scaling Deployments", "Concepts: scaling", and
//     pkg/scaling in kedacore/keda): every pollingInterval (default 30 s)
//     the scale loop reads the triggers, caches them when useCachedMetrics
//     is set, scales 0 -> max(minReplicaCount,1) when a trigger is active
//     and to 0 after cooldownPeriod (default 300 s) of inactivity when
//     minReplicaCount is 0. KEDA serves each trigger to the HPA as an
//     external metric with an AverageValue target, rounded to milli-units.
//   - HPA (Kubernetes docs "Horizontal Pod Autoscaling", and
//     pkg/controller/podautoscaler/horizontal.go and replica_calculator.go
//     in kubernetes/kubernetes): every sync period (default 15 s,
//     --horizontal-pod-autoscaler-sync-period) each metric proposes
//     ceil(value/target) replicas unless the usage ratio
//     value/(target×replicas) is within 1±tolerance (default 0.1,
//     --horizontal-pod-autoscaler-tolerance); the largest proposal is
//     stabilised (lowest recommendation of the scale-up window, default 0;
//     highest of the scale-down window, default 300 s) and rate-limited by
//     the behavior policies (Pods or Percent per period, selectPolicy
//     Max/Min/Disabled; default up max(100 %, 4 pods) per 15 s, down 100 %
//     per 15 s), within [minReplicas, maxReplicas].
//   - Pods are created at the decision and ready after their node is (see
//     NodeCapacity; unlimited by default), a drawn start-up Delay and a
//     warm-up; on scale-down they end at once, latest-ready first (the
//     ReplicaSet's deletion ranking). Pods are billed from creation to
//     termination.
//   - Serving: ready pods × capacity serve the demand; the excess is
//     unserved, or queued FIFO and dropped after Queue.Timeout.
//
// Policies implement Policy: Reactive (the live metric at a target
// utilisation), Cron (Reactive plus KEDA cron-trigger floors) and Oracle
// (the lower bound, run apart from KEDA and the HPA). Other policies, such
// as a forecast-driven one, implement the same interface elsewhere.
//
// Run simulates one Job, RunAll many in parallel, Compare several policies
// against the oracle; WhatIf derives variants of a scenario.
package simulator
