// Package scaler is prescale's KEDA external scaler: a gRPC server
// implementing KEDA's ExternalScaler service that serves, for each
// ScaledObject trigger, the metric value of policies.Decide: the live
// demand, the forecast over the pods' lead time, the floors of calendar
// events and the previous answer, then the replica bounds and rate limits.
// The simulator calls the same function, so what is simulated is what runs.
//
// # The gRPC path
//
// KEDA calls GetMetricSpec once per trigger, then at each poll GetMetrics
// and IsActive. A trigger is registered the first time any of them names it
// (its ScalerMetadata parsed by ParseMetadata, its source and calendar
// resolved by name, its last forecast and decision restored from the
// store). GetMetrics runs one instant query under a short deadline and
// Decide; it never fits a model or runs a range query. When the live
// query fails or returns no finite value the answer comes from the
// forecast, the event floors or the last value (never below minReplicas);
// only when none exists does it fail, with codes.Unavailable, so that
// KEDA's fallback applies. Bad metadata is codes.InvalidArgument naming
// the key.
//
// # The background
//
// Server.Run refits each trigger's forecast every refitInterval on a pool
// of workers: the history is backfilled over historyWindow the first time
// (range queries), then refreshed incrementally, and kept in the bbolt
// store with the fitted forecast.Result (so a restarted scaler answers at
// once) and the last decisions.
//
// # The process
//
// Listen and Service.Serve run a ScalerConfig: metric sources by name
// (Prometheus servers, or a Replay of a recorded trace), calendars by name,
// TLS or mutual TLS, the standard gRPC health service, /metrics,
// /debug/decisions (what prescale explain prints) and optional pprof on the
// HTTP address, and a graceful shutdown. DefaultConfig replays the bundled
// NASA HTTP trace of 1995 on the wall clock's time of week, so that a
// plain `prescale serve` answers real values from the first minute.
package scaler
