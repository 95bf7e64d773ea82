package simulator

import (
	"context"
	"fmt"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// UnlimitedNodes is the MaxNodes of a node pool without a cap: reports
// print it as "unlimited".
const UnlimitedNodes = 1 << 30

// NodeBilling is a node pool the workload's pods run in and what its nodes
// cost: with it a policy's cost is its node-hours × PricePerNodeHour
// instead of its pod-hours × Settings.Pods.PricePerHour.
type NodeBilling struct {
	// Pool configures the NodePool each policy's run gets afresh.
	Pool NodePoolSettings
	// PricePerNodeHour is the price of one node for one hour, in $/hour.
	PricePerNodeHour float64
}

// CompareNodes is Compare with a fresh NodePool of b.Pool per policy: pods
// wait for a node with room, nodes take b.Pool.StartupDelay to come up. It
// fills each result's NodeHours, the time integral of the pool's nodes
// (starting ones included, as they are billed from launch) over the trace,
// and sets Cost to NodeHours × b.PricePerNodeHour. The oracle ignores
// nodes: its NodeHours is its PodHours / b.Pool.PodsPerNode, perfectly
// packed nodes that are there exactly when needed, a lower bound. The pool
// starts with at least the nodes the initial replicas need (the steady
// state before the trace), at most b.Pool.MaxNodes.
func CompareNodes(ctx context.Context, demand timeseries.Series, s Settings, policies []Policy, b NodeBilling) (Report, error) {
	b, err := b.prepare(demand, s)
	if err != nil {
		return Report{}, err
	}
	var meters []*nodeMeter
	newNodes := func() NodeCapacity {
		m := b.meter(demand.Start)
		meters = append(meters, m)
		return m
	}
	rep, err := Compare(ctx, demand, s, policies, newNodes)
	if err != nil {
		return Report{}, err
	}
	if len(meters) != len(rep.Results) {
		return Report{}, fmt.Errorf("node pools: %d made for %d results", len(meters), len(rep.Results))
	}
	end := demand.Start.Add(time.Duration(demand.Len()) * demand.Step)
	rep.Oracle.NodeHours = rep.Oracle.PodHours / float64(b.Pool.PodsPerNode)
	rep.Oracle.Cost = rep.Oracle.NodeHours * b.PricePerNodeHour
	rep.Oracle.VsOracle = rep.Oracle.Relative(rep.Oracle)
	for i := range rep.Results {
		r := &rep.Results[i]
		r.NodeHours = meters[i].hours(end)
		r.Cost = r.NodeHours * b.PricePerNodeHour
		r.VsOracle = r.Relative(rep.Oracle)
	}
	return rep, nil
}

// prepare returns b with at least the initial nodes the demand's initial
// replicas need (at most Pool.MaxNodes), after checking the pool and the
// price.
func (b NodeBilling) prepare(demand timeseries.Series, s Settings) (NodeBilling, error) {
	if b.Pool.PodsPerNode > 0 {
		need := (initialReplicas(Job{Demand: demand, Settings: s}) + b.Pool.PodsPerNode - 1) / b.Pool.PodsPerNode
		b.Pool.InitialNodes = min(max(b.Pool.InitialNodes, need), b.Pool.MaxNodes)
	}
	if _, err := NewNodePool(b.Pool); err != nil {
		return b, err
	}
	if !(b.PricePerNodeHour >= 0) {
		return b, fieldErr("nodes.pricePerNodeHour", "must not be negative")
	}
	return b, nil
}

// meter returns a fresh pool of b.Pool, billed from start; b must have
// passed prepare.
func (b NodeBilling) meter(start time.Time) *nodeMeter {
	p, _ := NewNodePool(b.Pool) // checked by prepare
	return &nodeMeter{pool: p, last: start}
}

// nodeMeter is a NodePool that integrates its node count over time.
type nodeMeter struct {
	pool    *NodePool
	last    time.Time // instant billed up to
	seconds float64   // node-seconds billed
}

// Bind implements NodeCapacity.
func (m *nodeMeter) Bind(now time.Time) (time.Time, bool) {
	m.billTo(now)
	return m.pool.Bind(now)
}

// Release implements NodeCapacity.
func (m *nodeMeter) Release(now time.Time) {
	m.billTo(now)
	m.pool.Release(now)
}

// Fail implements NodeCapacity.
func (m *nodeMeter) Fail(now time.Time, fraction float64) int {
	m.billTo(now)
	return m.pool.Fail(now, fraction)
}

// hours bills up to end and returns the node-hours.
func (m *nodeMeter) hours(end time.Time) float64 {
	m.billTo(end)
	return m.seconds / 3600
}

// billTo bills the nodes up to now. The pool removes an unneeded node
// lazily, at its next call; the meter applies a removal due before now at
// its due time, so that a quiet period after a scale-down is not billed
// at the old size.
func (m *nodeMeter) billTo(now time.Time) {
	p := m.pool
	if p.hasUnneeded {
		if due := p.unneededAt.Add(p.cfg.UnneededTime); !due.Before(m.last) && due.Before(now) {
			m.bill(due)
			p.advance(due)
		}
	}
	m.bill(now)
}

// bill adds the current node count from m.last to t.
func (m *nodeMeter) bill(t time.Time) {
	if t.After(m.last) {
		m.seconds += float64(m.pool.Nodes()) * t.Sub(m.last).Seconds()
		m.last = t
	}
}
