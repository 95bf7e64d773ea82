package capacity

import (
	"math"
)

// dims is the number of packed dimensions: CPU, memory, pods.
const dims = 3

// vec is an exact amount in the packer's integer units: CPU in millicores,
// memory in bytes, pods in slots.
type vec [dims]int64

// add returns a + b.
func (a vec) add(b vec) vec { return vec{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }

// sub returns a - b.
func (a vec) sub(b vec) vec { return vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

// scale returns a * k.
func (a vec) scale(k int64) vec { return vec{a[0] * k, a[1] * k, a[2] * k} }

// fits reports a <= b in every dimension.
func (a vec) fits(b vec) bool { return a[0] <= b[0] && a[1] <= b[1] && a[2] <= b[2] }

// resources converts back to cores, bytes and pods.
func (a vec) resources() Resources {
	return Resources{CPU: float64(a[0]) / 1000, Memory: a[1], Pods: int(a[2])}
}

// millicores rounds cores up to whole millicores, forgiving float noise.
func millicores(cores float64) int64 { return int64(math.Ceil(cores*1000 - 1e-6)) }

// podVec is the packer's form of one replica's requests.
func podVec(r Resources) vec { return vec{millicores(r.CPU), r.Memory, 1} }

// usable is what pods may request on a node of allocatable alloc: the
// utilization target's share of CPU and memory less the overhead, and the
// pod slots less the overhead's.
func usable(alloc, overhead Resources, target float64) vec {
	if target <= 0 || target > 1 {
		target = 1
	}
	return vec{
		int64(math.Floor(target*alloc.CPU*1000+1e-6)) - millicores(overhead.CPU),
		int64(math.Floor(target*float64(alloc.Memory)+1e-6)) - overhead.Memory,
		int64(alloc.Pods - overhead.Pods),
	}
}

// nodeType is an instance type as the packer sees it within one pool.
type nodeType struct {
	cap   vec
	price float64
}

// poolTypes returns the packer's view of the pool's instance types.
func poolTypes(pool Pool, h Headroom) []nodeType {
	out := make([]nodeType, len(pool.InstanceTypes))
	for i, t := range pool.InstanceTypes {
		out[i] = nodeType{cap: usable(t.Allocatable, pool.Overhead, h.UtilizationTarget), price: t.PricePerHour}
	}
	return out
}

// group is the pods of one workload in one zone: identical items.
type group struct {
	w     int  // index of the workload in the problem
	req   vec  // one pod's requests
	count int  // pods to place
	anti  bool // at most one per node
}

// item is count pods of group g on a node.
type item struct {
	g, n int
}

// bin is an open node.
type bin struct {
	t     int // index into the pool's types
	used  vec
	items []item
}

// has returns how many pods of group g the bin holds.
func (b *bin) has(g int) int {
	for _, it := range b.items {
		if it.g == g {
			return it.n
		}
	}
	return 0
}

// put adds n pods of group g with requests req.
func (b *bin) put(g, n int, req vec) {
	b.used = b.used.add(req.scale(int64(n)))
	for i := range b.items {
		if b.items[i].g == g {
			b.items[i].n += n
			return
		}
	}
	b.items = append(b.items, item{g: g, n: n})
}

// take removes n pods of group g with requests req.
func (b *bin) take(g, n int, req vec) {
	b.used = b.used.sub(req.scale(int64(n)))
	for i := range b.items {
		if b.items[i].g == g {
			b.items[i].n -= n
			if b.items[i].n == 0 {
				b.items = append(b.items[:i], b.items[i+1:]...)
			}
			return
		}
	}
}
