package simulator

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// AutoReplicas as Settings.InitialReplicas starts every policy from the
// replicas the oracle needs for the first known demand value: just enough
// pods at full capacity, clamped to [KEDA.MinReplicaCount,
// KEDA.MaxReplicaCount]. It gives every policy the same starting point.
const AutoReplicas = -1

// Settings configures one simulation. Build it from DefaultSettings, which
// holds the defaults of Kubernetes and KEDA, and set at least Pods.Capacity.
// A Settings value is read-only during a run and may be shared by parallel
// runs.
type Settings struct {
	// Seed seeds the run's random source (PCG); it is recorded in the Result.
	Seed uint64
	// Pods describes the workload's pods: capacity, start-up and price.
	Pods Pods
	// KEDA holds the ScaledObject settings.
	KEDA KEDA
	// HPA holds the HorizontalPodAutoscaler controller and behavior settings.
	HPA HPA
	// Metrics describes how the policy's metric lags and smooths the demand.
	Metrics Scrape
	// Queue, when its Timeout is positive, queues the demand that finds no
	// free capacity instead of dropping it at once.
	Queue Queue
	// InitialReplicas is the number of ready pods at the start of the
	// trace (created before it, so not billed before it), or AutoReplicas.
	InitialReplicas int
	// ZoneLosses lists the instants at which a fraction of the nodes, and
	// the pods on them, are lost.
	ZoneLosses []ZoneLoss
	// Phases are the offsets of the first HPA sync and the first KEDA poll
	// from the trace's start, used when PinPhases is set.
	Phases Phases
	// PinPhases runs the timers at Phases. Otherwise each run draws the
	// phases from its Seed, uniformly in [0, SyncPeriod) and [0,
	// PollingInterval), independently: in a cluster the controller's and
	// KEDA's timers start when their processes and objects do, so neither
	// is in phase with the traffic nor with each other.
	PinPhases bool
	// Timeline asks Run to record one Point per demand step in
	// Result.Timeline (about 50 bytes per step).
	Timeline bool
}

// Pods describes the pods of the scaled workload.
type Pods struct {
	// Capacity is the demand one ready pod serves, in the demand's unit
	// (requests/s when the trace is in requests/s). It must be positive.
	Capacity float64
	// Startup is the delay from a pod's creation (or from its node being
	// ready, when a node had to be started) to its containers running.
	Startup Delay
	// Warmup is the further fixed delay before the pod passes its readiness
	// probe and receives traffic (JIT, caches, connection pools).
	Warmup time.Duration
	// PricePerHour is the price of one pod for one hour, in $/hour; pods are
	// billed from creation to termination.
	PricePerHour float64
}

// KEDA holds the fields of a KEDA ScaledObject that drive the simulation
// (KEDA docs, "Scaling Deployments": ScaledObject spec).
type KEDA struct {
	// PollingInterval is how often KEDA checks each trigger for activity
	// and, with UseCachedMetrics, refreshes the metric cache (default 30 s).
	PollingInterval time.Duration
	// CooldownPeriod is how long after the last active trigger KEDA waits
	// before scaling the workload to zero; it only applies when
	// MinReplicaCount is 0 (default 300 s).
	CooldownPeriod time.Duration
	// MinReplicaCount is the minimum number of replicas (default 0, which
	// lets KEDA scale to zero; the HPA's minReplicas is then 1).
	MinReplicaCount int
	// MaxReplicaCount is the maximum number of replicas, also the HPA's
	// maxReplicas (default 100).
	MaxReplicaCount int
	// IdleReplicaCount, when set, is the replica count KEDA scales the
	// target to once no trigger has been active for CooldownPeriod; it
	// must be below MinReplicaCount. Unset (nil), KEDA scales to zero only
	// when MinReplicaCount is 0.
	IdleReplicaCount *int
	// InitialCooldownPeriod is how long after the ScaledObject's creation
	// (the trace's start here) KEDA waits before scaling a target that has
	// never been active to zero or idle (default 0).
	InitialCooldownPeriod time.Duration
	// Fallback, when set, replaces the metric of a trigger that failed
	// more than FailureThreshold times in a row (KEDA's spec.fallback).
	Fallback *Fallback
	// UseCachedMetrics makes the HPA read the metric value KEDA cached at
	// its last poll instead of querying the trigger on each HPA sync
	// (trigger field useCachedMetrics, default false).
	UseCachedMetrics bool
}

// Phases are the offsets of the controllers' periodic timers from the
// trace's start.
type Phases struct {
	// Sync is the offset of the first HPA sync, in [0, HPA.SyncPeriod).
	Sync time.Duration
	// Poll is the offset of the first KEDA poll, in [0,
	// KEDA.PollingInterval).
	Poll time.Duration
}

// FallbackBehavior is KEDA's spec.fallback.behavior: which replica count
// the fallback metric asks for.
type FallbackBehavior string

// The fallback behaviors of KEDA 2.21.
const (
	// FallbackStatic asks for Fallback.Replicas (KEDA's default).
	FallbackStatic FallbackBehavior = "static"
	// FallbackCurrentReplicas keeps the current replicas.
	FallbackCurrentReplicas FallbackBehavior = "currentReplicas"
	// FallbackCurrentReplicasIfHigher asks for the higher of the current
	// replicas and Fallback.Replicas.
	FallbackCurrentReplicasIfHigher FallbackBehavior = "currentReplicasIfHigher"
	// FallbackCurrentReplicasIfLower asks for the lower of the two.
	FallbackCurrentReplicasIfLower FallbackBehavior = "currentReplicasIfLower"
)

// Fallback is KEDA's spec.fallback. After more than FailureThreshold failed
// readings of a trigger in a row, KEDA serves the HPA, instead of the
// error, a metric worth the fallback replicas (Replicas × the target for an
// AverageValue trigger, divided by the ready pods for a Value trigger) and
// counts the trigger active (pkg/fallback in KEDA). A good reading resets
// the count. The count here advances once per instant at which the policy
// is read (each HPA sync and KEDA poll).
type Fallback struct {
	// FailureThreshold is the number of failures in a row tolerated.
	FailureThreshold int
	// Replicas is fallback.replicas.
	Replicas int
	// Behavior chooses the replica count; empty means FallbackStatic.
	Behavior FallbackBehavior
}

// Scrape describes how the demand reaches the policy as a metric.
type Scrape struct {
	// Lag is the delay between demand happening and its metric being
	// queryable (scrape interval, remote write, rule evaluation).
	Lag time.Duration
	// Window, when positive, averages the demand over [t-Lag-Window,
	// t-Lag), as a rate() over a range would; zero samples the rate in force
	// at t-Lag.
	Window time.Duration
}

// Queue configures the queueing of demand that finds no free capacity.
type Queue struct {
	// Timeout is how long queued demand waits before it is dropped (counted
	// as unserved); zero disables the queue: excess demand is unserved at
	// once.
	Timeout time.Duration
}

// ZoneLoss is the loss of a fraction of the nodes at one instant, as when a
// zone fails. The pods on them disappear; their ReplicaSet re-creates them
// at once, and they become ready after the usual start-up delay.
type ZoneLoss struct {
	// At is the instant of the loss.
	At time.Time
	// Fraction of the nodes lost, in (0, 1]. With unlimited nodes it is the
	// fraction of the pods lost.
	Fraction float64
}

// DefaultSettings returns the Kubernetes and KEDA defaults: a 15 s HPA sync
// period, 0.1 tolerance, no HPA behavior (what KEDA creates for a
// ScaledObject without one: see HPA.Behavior), timer phases drawn from the
// seed, a 30 s KEDA polling interval, 300 s cooldown, replicas in [0, 100], a 30 s
// metric lag, a fixed 60 s pod start-up and seed 1. Pods.Capacity is left
// zero: the caller must set it.
func DefaultSettings() Settings {
	return Settings{
		Seed: 1,
		Pods: Pods{Startup: Fixed(60 * time.Second)},
		KEDA: KEDA{
			PollingInterval: 30 * time.Second,
			CooldownPeriod:  300 * time.Second,
			MinReplicaCount: 0,
			MaxReplicaCount: 100,
		},
		HPA:             DefaultHPA(),
		Metrics:         Scrape{Lag: 30 * time.Second},
		InitialReplicas: AutoReplicas,
	}
}

// FieldError reports one invalid setting, naming it by its YAML path
// (such as "hpa.tolerance").
type FieldError struct {
	// Field is the setting's path, such as "hpa.scaleUp.policies[0].value".
	Field string
	// Reason says what the value must be.
	Reason string
}

// Error returns "field: reason".
func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap returns ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Validate checks every setting and returns all problems joined, each a
// *FieldError, or nil.
func (s Settings) Validate() error {
	errs := s.Pods.validate()
	errs = append(errs, s.KEDA.validate()...)
	errs = append(errs, s.HPA.validate()...)
	if s.Metrics.Lag < 0 {
		errs = append(errs, fieldErr("metrics.lag", "must not be negative"))
	}
	if s.Metrics.Window < 0 {
		errs = append(errs, fieldErr("metrics.window", "must not be negative"))
	}
	if s.Queue.Timeout < 0 {
		errs = append(errs, fieldErr("queue.timeout", "must not be negative"))
	}
	if s.PinPhases {
		if s.Phases.Sync < 0 || s.Phases.Sync >= s.HPA.SyncPeriod {
			errs = append(errs, fieldErr("phases.sync", "must be in [0,hpa.syncPeriod)"))
		}
		if s.Phases.Poll < 0 || s.Phases.Poll >= s.KEDA.PollingInterval {
			errs = append(errs, fieldErr("phases.poll", "must be in [0,keda.pollingInterval)"))
		}
	}
	if s.InitialReplicas < AutoReplicas || s.InitialReplicas > s.KEDA.MaxReplicaCount {
		errs = append(errs, fieldErr("initialReplicas", "must be in [0,keda.maxReplicaCount] or %d (auto)", AutoReplicas))
	}
	for i, z := range s.ZoneLosses {
		if !(z.Fraction > 0 && z.Fraction <= 1) {
			errs = append(errs, fieldErr(fmt.Sprintf("zoneLosses[%d].fraction", i), "must be in (0,1]"))
		}
	}
	return errors.Join(errs...)
}

func (p Pods) validate() []error {
	var errs []error
	if !(p.Capacity > 0) || math.IsInf(p.Capacity, 0) {
		errs = append(errs, fieldErr("pods.capacity", "must be positive and finite"))
	}
	if p.Startup == nil {
		errs = append(errs, fieldErr("pods.startup", "must be set"))
	} else if v, ok := p.Startup.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			errs = append(errs, fieldErr("pods.startup", "%v", err))
		}
	}
	if p.Warmup < 0 {
		errs = append(errs, fieldErr("pods.warmup", "must not be negative"))
	}
	if !(p.PricePerHour >= 0) || math.IsInf(p.PricePerHour, 0) {
		errs = append(errs, fieldErr("pods.pricePerHour", "must be finite and not negative"))
	}
	return errs
}

func (k KEDA) validate() []error {
	var errs []error
	if k.PollingInterval <= 0 {
		errs = append(errs, fieldErr("keda.pollingInterval", "must be positive"))
	}
	if k.CooldownPeriod < 0 {
		errs = append(errs, fieldErr("keda.cooldownPeriod", "must not be negative"))
	}
	if k.MinReplicaCount < 0 {
		errs = append(errs, fieldErr("keda.minReplicaCount", "must not be negative"))
	}
	if k.MaxReplicaCount < max(k.MinReplicaCount, 1) || k.MaxReplicaCount > math.MaxInt32 {
		errs = append(errs, fieldErr("keda.maxReplicaCount", "must be at least max(keda.minReplicaCount,1) and fit in int32"))
	}
	if k.IdleReplicaCount != nil && (*k.IdleReplicaCount < 0 || *k.IdleReplicaCount >= k.MinReplicaCount) {
		errs = append(errs, fieldErr("keda.idleReplicaCount", "must be in [0,keda.minReplicaCount)"))
	}
	if k.InitialCooldownPeriod < 0 {
		errs = append(errs, fieldErr("keda.initialCooldownPeriod", "must not be negative"))
	}
	if f := k.Fallback; f != nil {
		if f.FailureThreshold < 0 {
			errs = append(errs, fieldErr("keda.fallback.failureThreshold", "must not be negative"))
		}
		if f.Replicas < 0 {
			errs = append(errs, fieldErr("keda.fallback.replicas", "must not be negative"))
		}
		switch f.Behavior {
		case "", FallbackStatic, FallbackCurrentReplicas, FallbackCurrentReplicasIfHigher, FallbackCurrentReplicasIfLower:
		default:
			errs = append(errs, fieldErr("keda.fallback.behavior", "%q is not one of static, currentReplicas, currentReplicasIfHigher, currentReplicasIfLower", f.Behavior))
		}
	}
	return errs
}
