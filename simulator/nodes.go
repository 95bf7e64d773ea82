package simulator

import (
	"errors"
	"math"
	"time"
)

// NodeCapacity is the room the cluster has for the workload's pods. Run
// asks it for a slot each time a pod is created and gives the slot back
// when the pod ends; nil means unlimited nodes, always ready. It is
// stateful: use one per run. Times passed in never decrease.
type NodeCapacity interface {
	// Bind reserves room for one pod created at now and returns the instant
	// its node can run it: now when a node has room, later when a node must
	// be started. ok is false when no room can be made (the pool is at its
	// maximum size); Run then keeps the pod pending and retries when room
	// is released.
	Bind(now time.Time) (start time.Time, ok bool)
	// Release frees the room of one bound pod at now.
	Release(now time.Time)
	// Fail removes a fraction of the nodes at now, as when a zone is lost,
	// and returns how many bound pods ran on them. Run terminates that
	// many pods at random without Releasing them, and re-creates them.
	Fail(now time.Time, fraction float64) (evicted int)
}

// NodePool is a NodeCapacity of identical nodes, each holding PodsPerNode
// of the workload's pods, grown on demand up to MaxNodes by a cluster
// autoscaler that takes StartupDelay to bring a node up and removes a
// node's worth of spare room after it has been unneeded for UnneededTime
// (cluster-autoscaler's --scale-down-unneeded-time, default 10 min).
//
// Slots are fungible: a pod takes a free slot on a ready node if there is
// one, else a slot on the node that will be ready soonest. This ignores
// fragmentation, which identical pods do not cause.
type NodePool struct {
	cfg         NodePoolSettings
	ready       int         // nodes running
	booting     []time.Time // ready times of the nodes starting, ascending
	used        int         // slots bound to pods
	unneededAt  time.Time   // since when a whole node has been spare
	hasUnneeded bool
}

// NodePoolSettings configures a NodePool.
type NodePoolSettings struct {
	// PodsPerNode is how many of the workload's pods fit on a node.
	PodsPerNode int
	// MinNodes and MaxNodes bound the pool; InitialNodes are ready at the
	// start.
	MinNodes, MaxNodes, InitialNodes int
	// StartupDelay is the time from asking for a node to pods running on
	// it (provisioning, boot, join, image pull of the daemon sets).
	StartupDelay time.Duration
	// UnneededTime is how long a node's worth of room must stay unused
	// before a node is removed; zero removes at once.
	UnneededTime time.Duration
}

// NewNodePool returns a pool with cfg.InitialNodes ready nodes, or an error
// naming the invalid field.
func NewNodePool(cfg NodePoolSettings) (*NodePool, error) {
	var errs []error
	if cfg.PodsPerNode < 1 {
		errs = append(errs, fieldErr("nodes.podsPerNode", "must be positive"))
	}
	if cfg.MinNodes < 0 || cfg.MaxNodes < max(cfg.MinNodes, 1) {
		errs = append(errs, fieldErr("nodes.maxNodes", "must be at least max(nodes.minNodes,1), with nodes.minNodes >= 0"))
	}
	if cfg.InitialNodes < cfg.MinNodes || cfg.InitialNodes > cfg.MaxNodes {
		errs = append(errs, fieldErr("nodes.initialNodes", "must be in [nodes.minNodes,nodes.maxNodes]"))
	}
	if cfg.StartupDelay < 0 || cfg.UnneededTime < 0 {
		errs = append(errs, fieldErr("nodes.startupDelay", "delays must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &NodePool{cfg: cfg, ready: cfg.InitialNodes}, nil
}

// Nodes returns the number of nodes, ready and starting, at the last call.
func (p *NodePool) Nodes() int { return p.ready + len(p.booting) }

// Bind implements NodeCapacity.
func (p *NodePool) Bind(now time.Time) (time.Time, bool) {
	p.advance(now)
	ppn := p.cfg.PodsPerNode
	defer p.trackUnneeded(now)
	if p.used < p.ready*ppn {
		p.used++
		return now, true
	}
	if j := (p.used - p.ready*ppn) / ppn; j < len(p.booting) {
		p.used++
		return p.booting[j], true
	}
	if p.Nodes() >= p.cfg.MaxNodes {
		return time.Time{}, false
	}
	at := now.Add(p.cfg.StartupDelay)
	p.booting = append(p.booting, at)
	p.used++
	return at, true
}

// Release implements NodeCapacity.
func (p *NodePool) Release(now time.Time) {
	p.advance(now)
	p.used = max(p.used-1, 0)
	p.trackUnneeded(now)
}

// Fail implements NodeCapacity: it removes round(fraction × nodes) nodes,
// ready ones first, and evicts their share of the bound pods.
func (p *NodePool) Fail(now time.Time, fraction float64) int {
	p.advance(now)
	total := p.Nodes()
	lost := min(int(math.Round(fraction*float64(total))), total)
	if lost == 0 {
		return 0
	}
	evicted := min(int(math.Round(float64(p.used)*float64(lost)/float64(total))), p.used)
	fromReady := min(lost, p.ready)
	p.ready -= fromReady
	p.booting = p.booting[:len(p.booting)-(lost-fromReady)]
	p.used -= evicted
	p.trackUnneeded(now)
	return evicted
}

// advance turns the nodes whose start-up is over into ready nodes and
// removes unneeded nodes whose time has come.
func (p *NodePool) advance(now time.Time) {
	n := 0
	for n < len(p.booting) && !p.booting[n].After(now) {
		n++
	}
	if n > 0 {
		p.ready += n
		p.booting = append(p.booting[:0], p.booting[n:]...)
	}
	if p.hasUnneeded && !now.Before(p.unneededAt.Add(p.cfg.UnneededTime)) {
		spare := (p.Nodes()*p.cfg.PodsPerNode - p.used) / p.cfg.PodsPerNode
		drop := min(spare, p.ready, p.Nodes()-p.cfg.MinNodes)
		p.ready -= max(drop, 0)
		p.hasUnneeded = false
	}
}

// trackUnneeded starts or stops the unneeded timer after a change.
func (p *NodePool) trackUnneeded(now time.Time) {
	spare := p.Nodes()*p.cfg.PodsPerNode - p.used
	switch {
	case spare < p.cfg.PodsPerNode || p.Nodes() <= p.cfg.MinNodes:
		p.hasUnneeded = false
	case !p.hasUnneeded:
		p.hasUnneeded, p.unneededAt = true, now
	}
}
