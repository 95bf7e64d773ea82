package simulator

import (
	"math"
	"time"
)

// never is the ready time of a pod no node can take.
const never = time.Duration(math.MaxInt64)

// pod is one replica: created when the controller asked for it, ready once
// it has a node, has started and has warmed up. Times are offsets from the
// start of the trace.
type pod struct {
	ready, created time.Duration
}

// podSet holds the live pods sorted by ready time (ties in creation order),
// unschedulable pods (ready == never) last.
//
// The order doubles as the ReplicaSet controller's deletion ranking
// (ActivePods in pkg/controller/controller_utils.go, kubernetes/kubernetes):
// unscheduled pods go first, then pods not yet ready, then ready pods that
// have been ready for the least time, then the newest. For pods that are
// all alike this is "the latest ready time first", the tail of the order,
// and with a fixed start-up delay it is "newest first".
type podSet struct {
	pods        []pod
	nReady      int           // pods[:nReady] are ready
	unscheduled int           // pods[len-unscheduled:] wait for a node
	billed      time.Duration // pod-time of terminated pods
	scratch     []int32
}

// len returns the number of pods, the scale target's replicas.
func (p *podSet) len() int { return len(p.pods) }

// advance marks the pods whose ready time has come.
func (p *podSet) advance(now time.Duration) {
	for p.nReady < len(p.pods) && p.pods[p.nReady].ready <= now {
		p.nReady++
	}
}

// next returns the next instant a pod becomes ready, or never.
func (p *podSet) next() time.Duration {
	if p.nReady < len(p.pods) {
		return p.pods[p.nReady].ready
	}
	return never
}

// insert adds x in ready order, after the pods with the same ready time.
// The caller calls advance afterwards.
func (p *podSet) insert(x pod) {
	p.pods = append(p.pods, x)
	i := len(p.pods) - 1
	for i > 0 && p.pods[i-1].ready > x.ready {
		p.pods[i] = p.pods[i-1]
		i--
	}
	p.pods[i] = x
	if x.ready == never {
		p.unscheduled++
	}
}

// pop terminates the pod ranked first for deletion at now and returns it.
func (p *podSet) pop(now time.Duration) pod {
	x := p.pods[len(p.pods)-1]
	p.pods = p.pods[:len(p.pods)-1]
	p.nReady = min(p.nReady, len(p.pods))
	if x.ready == never {
		p.unscheduled--
	}
	p.billed += now - x.created
	return x
}

// takeUnscheduled removes and returns the oldest pod waiting for a node;
// there must be one.
func (p *podSet) takeUnscheduled() pod {
	i := len(p.pods) - p.unscheduled
	x := p.pods[i]
	copy(p.pods[i:], p.pods[i+1:])
	p.pods = p.pods[:len(p.pods)-1]
	p.unscheduled--
	return x
}

// loseRandom terminates k pods chosen uniformly among the scheduled ones
// at now, drawing with pick(n) in [0, n), and returns k.
func (p *podSet) loseRandom(now time.Duration, k int, pick func(n int) int) int {
	bound := len(p.pods) - p.unscheduled
	k = min(k, bound)
	idx := p.scratch[:0]
	for i := range bound {
		idx = append(idx, int32(i))
	}
	for j := range k {
		r := j + pick(bound-j)
		idx[j], idx[r] = idx[r], idx[j]
		p.pods[idx[j]].created = -1 - p.pods[idx[j]].created
	}
	p.scratch = idx
	kept, readyLost := 0, 0
	for i, x := range p.pods {
		if x.created < 0 {
			p.billed += now - (-1 - x.created)
			if i < p.nReady {
				readyLost++
			}
			continue
		}
		p.pods[kept] = x
		kept++
	}
	p.pods = p.pods[:kept]
	p.nReady -= readyLost
	return k
}

// liveTime returns the pod-time of the live pods up to now.
func (p *podSet) liveTime(now time.Duration) time.Duration {
	var d time.Duration
	for _, x := range p.pods {
		d += now - x.created
	}
	return d
}
