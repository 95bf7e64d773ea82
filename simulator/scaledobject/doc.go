// Package scaledobject reads a KEDA ScaledObject manifest and turns it into
// the settings of a simulation: what `prescale simulate --scaledobject`
// replays a trace through, so that the simulated KEDA and HPA are the ones
// the manifest would create in a cluster.
//
// Decode reads a YAML file, possibly of several documents, picks the
// ScaledObject (by name when there are several) and decodes it strictly
// into v1alpha1.ScaledObject, prescale's mirror of KEDA 2.21's API type
// (package v1alpha1 below this one: the same Go types, JSON field names
// and omitempty flags, without the weight of KEDA's API package, which
// links controller-runtime and client-go's informers): an unknown field, a
// duplicate key, a value of the wrong type or a missing required field is
// an error naming the field's path and line, with the closest known field
// for an unknown one.
//
// Document.Map validates the object with KEDA's own rules where KEDA
// exports them (CheckReplicaCountBoundsAreValid, CheckFallbackValid and
// ValidateTriggers, re-implemented in v1alpha1 with KEDA's rules and
// messages), the CRD's schema and the API server's validation of an HPA
// behavior, then maps it as KEDA 2.21 creates the HPA:
//
//   - minReplicaCount (default 0), maxReplicaCount (100), idleReplicaCount,
//     pollingInterval (30 s), cooldownPeriod (300 s), initialCooldownPeriod
//     (0) and fallback go to simulator.KEDA;
//   - advanced.horizontalPodAutoscalerConfig.behavior goes to
//     simulator.HPA.Behavior: nil when absent (KEDA then leaves the HPA's
//     behavior nil and the controller runs its older path), otherwise with
//     the API server's defaults filled per direction, as
//     SetDefaults_HorizontalPodAutoscaler does, per-direction tolerance
//     included; the paused-scale-in and paused-scale-out annotations
//     disable a direction, as KEDA does;
//   - each trigger becomes a Trigger: prescale's external scaler (type
//     external with a scalerAddress) with its metadata parsed by the
//     scaler's own scaler.ParseMetadata, prometheus with its threshold and
//     activationThreshold, cron with its schedules parsed by the cron
//     library KEDA uses (see Cron.Windows), each with its metricType and
//     useCachedMetrics.
//
// What the simulator cannot model is an error wrapping ErrNotSupported,
// never silently dropped: other trigger types (cpu, memory, kafka...),
// scalingModifiers, the paused, paused-replicas and force-activation
// annotations, metadata read from the workload's environment (…FromEnv),
// tolerances of 1 or more, a cron trigger with a Value target, and triggers
// that disagree on useCachedMetrics (the simulator applies one setting to
// every trigger). What is mapped but worth knowing is returned as notes.
package scaledobject
