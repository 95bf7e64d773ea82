package inventory

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/suggest"
)

// Autoscaled says at what replicas Merge plans a workload that an
// autoscaler scales.
type Autoscaled string

const (
	// AutoscaledClamped plans the workload's replicas (the planning
	// file's, its forecast's or simulation's, or today's for a workload
	// Merge adds) kept within its autoscaler's range: raised to its min,
	// capped at its max. It is the default.
	AutoscaledClamped Autoscaled = "clamped"
	// AutoscaledMax plans the autoscaler's max replicas throughout: the
	// capacity the cluster holds for the worst case the autoscaler
	// allows.
	AutoscaledMax Autoscaled = "max"
)

// AutoscaledValues returns the values of Autoscaled, the default first.
func AutoscaledValues() []string {
	return []string{string(AutoscaledClamped), string(AutoscaledMax)}
}

// ParseAutoscaled returns the Autoscaled named s; empty means
// AutoscaledClamped. An unknown name's error lists the values and the
// closest one.
func ParseAutoscaled(s string) (Autoscaled, error) {
	if s == "" {
		return AutoscaledClamped, nil
	}
	values := AutoscaledValues()
	if slices.Contains(values, s) {
		return Autoscaled(s), nil
	}
	hint := ""
	if best, ok := suggest.Closest(s, values); ok {
		hint = fmt.Sprintf(" (did you mean %s?)", best)
	}
	return "", fmt.Errorf("unknown value %q%s: use %s", s, hint, strings.Join(values, " or "))
}

// ReplicaOrigin says where a planned workload's replica count came from.
type ReplicaOrigin string

const (
	// OriginSource is the source's replicas as they are: the planning
	// file's (a count, points, a forecast or a simulation) or today's for
	// a workload Merge adds, within the autoscaler's range or without
	// autoscaler.
	OriginSource ReplicaOrigin = "source"
	// OriginRaisedToMin is the source's replicas raised to the
	// autoscaler's min where they fall below it.
	OriginRaisedToMin ReplicaOrigin = "raised-to-min"
	// OriginCappedAtMax is the source's replicas capped at the
	// autoscaler's max where they exceed it: the autoscaler cannot serve
	// the excess.
	OriginCappedAtMax ReplicaOrigin = "capped-at-max"
	// OriginRaisedAndCapped is the source's replicas raised to the min
	// at some times and capped at the max at others.
	OriginRaisedAndCapped ReplicaOrigin = "raised-to-min-and-capped-at-max"
	// OriginAtMax is the autoscaler's max throughout, as asked by
	// AutoscaledMax.
	OriginAtMax ReplicaOrigin = "at-max"
)

// PlannedReplicas says at what replicas Merge planned a live Deployment or
// StatefulSet, and why.
type PlannedReplicas struct {
	// Workload is the planned workload's name: the planning file's, or
	// "namespace/name" for a workload Merge added.
	Workload string `json:"workload"`
	// SourcePeak is the peak of the source's replicas, before the
	// autoscaler's range applied.
	SourcePeak int `json:"source_peak"`
	// Peak is the peak of the planned replicas.
	Peak int `json:"peak"`
	// Origin says where the planned replicas came from.
	Origin ReplicaOrigin `json:"origin"`
	// Range is the autoscaler's range applied; nil without autoscaler.
	Range *ReplicaRange `json:"range,omitempty"`
	// ExceedsMax is set when the source's replicas exceed the
	// autoscaler's max at some time, whatever was planned.
	ExceedsMax bool `json:"exceeds_max,omitempty"`
	// Note explains a count that is not the source's, in one sentence;
	// empty for OriginSource.
	Note string `json:"note,omitempty"`
}

// planReplicas returns the replicas to plan for a workload named name
// whose source gives r and whose autoscaler keeps it in rng (nil without
// one), with the record of where they came from.
func planReplicas(name string, r capacity.Replicas, rng *ReplicaRange, at Autoscaled) (capacity.Replicas, PlannedReplicas) {
	peak := r.Peak()
	pr := PlannedReplicas{Workload: name, SourcePeak: peak, Peak: peak, Origin: OriginSource}
	if rng == nil {
		return r, pr
	}
	pr.Range = rng
	if rng.Max < rng.Min {
		pr.Note = fmt.Sprintf("workload %q: %s has min %d above max %d: planned at its source's replicas", name, rng.Source, rng.Min, rng.Max)
		return r, pr
	}
	low, high := replicaExtent(r)
	pr.ExceedsMax = high > rng.Max
	if at == AutoscaledMax {
		pr.Peak, pr.Origin = rng.Max, OriginAtMax
		pr.Note = fmt.Sprintf("workload %q: planned at the max of %s, %d replicas throughout", name, rng.Source, rng.Max)
		if pr.ExceedsMax {
			pr.Note += fmt.Sprintf("; its replicas peak at %d, which exceeds that max: the autoscaler cannot serve more", peak)
		}
		return capacity.FixedReplicas(rng.Max), pr
	}
	raised := low < rng.Min
	switch {
	case raised && pr.ExceedsMax:
		pr.Origin = OriginRaisedAndCapped
	case raised:
		pr.Origin = OriginRaisedToMin
	case pr.ExceedsMax:
		pr.Origin = OriginCappedAtMax
	default:
		return r, pr
	}
	out := clampReplicas(r, rng.Min, rng.Max)
	pr.Peak = out.Peak()
	var why []string
	if pr.ExceedsMax {
		why = append(why, fmt.Sprintf("its replicas peak at %d, which exceeds the max of %s: capped at %d, the autoscaler cannot serve more", peak, rng.Source, rng.Max))
	}
	if raised {
		why = append(why, fmt.Sprintf("its replicas fall to %d, below the min of %s: raised to %d", low, rng.Source, rng.Min))
	}
	pr.Note = fmt.Sprintf("workload %q: %s", name, strings.Join(why, "; "))
	return out, pr
}

// replicaExtent returns the smallest and the largest count of r.
func replicaExtent(r capacity.Replicas) (int, int) {
	if len(r.Points) == 0 {
		return r.Fixed, r.Fixed
	}
	low, high := r.Points[0].Replicas, r.Points[0].Replicas
	for _, p := range r.Points[1:] {
		low, high = min(low, p.Replicas), max(high, p.Replicas)
	}
	return low, high
}

// clampReplicas returns r with every count kept within [lo, hi], merging
// the points that become equal to the one before.
func clampReplicas(r capacity.Replicas, lo, hi int) capacity.Replicas {
	if len(r.Points) == 0 {
		return capacity.FixedReplicas(min(max(r.Fixed, lo), hi))
	}
	out := capacity.Replicas{Points: make([]capacity.ReplicaPoint, 0, len(r.Points))}
	for _, p := range r.Points {
		p.Replicas = min(max(p.Replicas, lo), hi)
		if k := len(out.Points); k > 0 && out.Points[k-1].Replicas == p.Replicas {
			continue
		}
		out.Points = append(out.Points, p)
	}
	return out
}

// scaledFromZero reports whether the autoscaler of range r scales its
// workload up from zero replicas: a ScaledObject does, an HPA does not
// (it stops scaling a workload scaled to zero).
func scaledFromZero(r *ReplicaRange) bool {
	return r != nil && rangeRank(r) > 0
}

// plannedNotes collects the planned replicas of the live workloads, by
// their index in liveWorkloads, and the notes on them.
type plannedNotes struct {
	planned []*PlannedReplicas
	notes   []string
	atMax   []string // at their autoscaler's max, which their replicas do not exceed
}

// plan plans the replicas r of the live workload k, planned as name, and
// records them.
func (n *plannedNotes) plan(k int, name string, r capacity.Replicas, rng *ReplicaRange, at Autoscaled) capacity.Replicas {
	out, pr := planReplicas(name, r, rng, at)
	n.record(k, pr)
	return out
}

// record records the planned replicas of the live workload k and its
// note; workloads at their max that their replicas do not exceed share
// one note.
func (n *plannedNotes) record(k int, pr PlannedReplicas) {
	n.planned[k] = &pr
	switch {
	case pr.Origin == OriginAtMax && !pr.ExceedsMax:
		n.atMax = append(n.atMax, fmt.Sprintf("%s (%d)", pr.Workload, pr.Peak))
	case pr.Note != "":
		n.notes = append(n.notes, pr.Note)
	}
}

// all returns the notes, the shared one last.
func (n *plannedNotes) all() []string {
	if len(n.atMax) == 0 {
		return n.notes
	}
	return append(n.notes, fmt.Sprintf("%d autoscaled workloads planned at their autoscaler's max replicas throughout: %s", len(n.atMax), listNames(n.atMax)))
}

// withPlanned returns inv with its Deployments and StatefulSets copied and
// their Planned set from planned, indexed like liveWorkloads.
func (inv Inventory) withPlanned(planned []*PlannedReplicas) Inventory {
	inv.Deployments = slices.Clone(inv.Deployments)
	inv.StatefulSets = slices.Clone(inv.StatefulSets)
	for i := range inv.Deployments {
		inv.Deployments[i].Planned = planned[i]
	}
	for i := range inv.StatefulSets {
		inv.StatefulSets[i].Planned = planned[len(inv.Deployments)+i]
	}
	return inv
}
