package simulator

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Job is one simulation: a demand trace replayed under a policy.
type Job struct {
	// Demand is the demand per step, in the unit of Settings.Pods.Capacity
	// (requests/s or any other), on a regular grid; NaN is missing.
	Demand timeseries.Series
	// Policy decides the scaling; Oracle runs the perfect-foresight bound.
	Policy Policy
	// Settings configures the cluster, KEDA and the HPA.
	Settings Settings
	// Nodes is the node capacity, nil for unlimited nodes that are always
	// ready. Run mutates it: give each job its own. The oracle ignores it.
	Nodes NodeCapacity
}

// The package's sentinel errors. ErrInvalid is wrapped by every
// FieldError: errors.Is(err, ErrInvalid) tells bad settings apart from
// other failures. Run returns ErrEmptyDemand and ErrNoPolicy for a job it
// cannot simulate.
var (
	ErrInvalid     = errors.New("invalid settings")
	ErrEmptyDemand = errors.New("demand has no steps")
	ErrNoPolicy    = errors.New("no policy")
)

// Run replays job.Demand through the model of KEDA, the HPA, pod start-up
// and nodes under job.Policy, on a virtual clock from the trace's start to
// its end, and scores the outcome. The same job (same seed) always gives a
// bit-identical Result. Run returns ctx.Err() when ctx ends first.
func Run(ctx context.Context, job Job) (Result, error) {
	if err := job.check(); err != nil {
		return Result{}, err
	}
	if _, ok := job.Policy.(Oracle); ok {
		return runOracle(ctx, job)
	}
	s, err := newSim(job)
	if err != nil {
		return Result{}, err
	}
	if err := s.run(ctx); err != nil {
		return Result{}, err
	}
	return s.result(), nil
}

// check validates the job before a run.
func (j Job) check() error {
	switch {
	case j.Demand.Len() == 0:
		return ErrEmptyDemand
	case j.Demand.Step <= 0:
		return fmt.Errorf("demand step %v: must be positive", j.Demand.Step)
	case j.Policy == nil:
		return ErrNoPolicy
	}
	if err := j.Settings.Validate(); err != nil {
		return err
	}
	if v, ok := j.Policy.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("policy %s: %w", j.Policy.Name(), err)
		}
	}
	end := j.Demand.End()
	for i, z := range j.Settings.ZoneLosses {
		if z.At.Before(j.Demand.Start) || !z.At.Before(end) {
			return fieldErr(fmt.Sprintf("zoneLosses[%d].at", i), "must fall within the trace [%v,%v)", j.Demand.Start, end)
		}
	}
	return nil
}

// need returns the pods needed to serve demand d at full capacity, clamped
// to [lo, hi]; missing demand needs lo. A relative slack of 1e-9 keeps
// float noise (3.0000000000000004 pods) from adding a pod.
func need(d, capacity float64, lo, hi int) int {
	if math.IsNaN(d) || d <= 0 {
		return lo
	}
	n := math.Ceil(d/capacity*(1-1e-9) - 1e-12)
	if n >= float64(hi) {
		return hi
	}
	return max(int(n), lo)
}

// initialReplicas returns the replicas ready at the start of the trace.
func initialReplicas(job Job) int {
	s := job.Settings
	if s.InitialReplicas != AutoReplicas {
		return s.InitialReplicas
	}
	for _, d := range job.Demand.Values {
		if !math.IsNaN(d) {
			return need(d, s.Pods.Capacity, s.KEDA.MinReplicaCount, s.KEDA.MaxReplicaCount)
		}
	}
	return s.KEDA.MinReplicaCount
}

// zoneOffsets returns the zone losses as offsets from the trace start, in
// time order.
func zoneOffsets(job Job) []zoneEvent {
	zs := make([]zoneEvent, 0, len(job.Settings.ZoneLosses))
	for _, z := range job.Settings.ZoneLosses {
		zs = append(zs, zoneEvent{at: z.At.Sub(job.Demand.Start), fraction: z.Fraction})
	}
	for i := 1; i < len(zs); i++ {
		for j := i; j > 0 && zs[j].at < zs[j-1].at; j-- {
			zs[j], zs[j-1] = zs[j-1], zs[j]
		}
	}
	return zs
}

// zoneEvent is a ZoneLoss on the virtual clock.
type zoneEvent struct {
	at       time.Duration
	fraction float64
}
