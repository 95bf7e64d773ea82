package capacity

import (
	"math"
	"slices"
)

// exactNodes caps the search nodes of exactZone; beyond it the instance is
// reported unsolved.
const exactNodes = 2_000_000

// exactZone returns the cheapest cost of nodes of the given types that
// hold placed[g] pods of every group g and number at least minNodes (the
// extra ones of the cheapest type), by branch and bound over node
// patterns, and whether the search finished. Nodes are opened in a
// canonical order: each new node holds a pod of the first group with pods
// left, and its pattern is maximal (no pod left fits besides); any
// placement can be turned into one of this form at no extra cost by
// moving pods into earlier nodes, so the search is exact. upper is a known
// cost (the packer's), used to prune; the result is never above it.
func exactZone(types []nodeType, groups []group, placed []int, minNodes int, upper float64) (float64, bool) {
	cheapest := math.Inf(1)
	for _, nt := range types {
		cheapest = min(cheapest, nt.price)
	}
	s := &exactSearch{types: types, groups: groups, rem: append([]int(nil), placed...),
		minNodes: minNodes, cheapest: cheapest, best: upper * (1 + 1e-9), pattern: make([]int, len(groups))}
	s.node(0, 0)
	return min(s.best, upper), s.nodes < exactNodes
}

// exactSearch is the state of exactZone's depth-first search.
type exactSearch struct {
	types    []nodeType
	groups   []group
	rem      []int
	minNodes int
	cheapest float64
	best     float64
	nodes    int
	pattern  []int // pods of each group on the node being filled
}

// total is the cost of opened nodes plus the empty ones minNodes adds.
func (s *exactSearch) total(cost float64, opened int) float64 {
	return cost + float64(max(0, s.minNodes-opened))*s.cheapest
}

// node opens the next node, or records a complete placement.
func (s *exactSearch) node(cost float64, opened int) {
	if s.nodes >= exactNodes {
		return
	}
	s.nodes++
	first := -1
	for g, n := range s.rem {
		if n > 0 {
			first = g
			break
		}
	}
	if first < 0 {
		s.best = min(s.best, s.total(cost, opened))
		return
	}
	if s.total(cost, opened)+s.lower() >= s.best*(1-1e-12) {
		return
	}
	for t, nt := range s.types {
		if !s.groups[first].req.fits(nt.cap) || cost+nt.price >= s.best*(1-1e-12) {
			continue
		}
		s.rem[first]--
		s.pattern[first] = 1
		s.fill(t, first, first, nt.cap.sub(s.groups[first].req), cost+nt.price, opened+1)
		s.pattern[first] = 0
		s.rem[first]++
	}
}

// fill chooses how many more pods of group g onward the node of type t
// holds, largest counts first, and recurses into the next node once the
// pattern is maximal.
func (s *exactSearch) fill(t, first, g int, res vec, cost float64, opened int) {
	if g == len(s.groups) {
		if s.maximal(res) {
			saved := slices.Clone(s.pattern)
			clear(s.pattern)
			s.node(cost, opened)
			copy(s.pattern, saved)
		}
		return
	}
	gr := s.groups[g]
	n := s.rem[g]
	if gr.anti {
		n = min(n, 1-s.pattern[g])
	}
	for d := range dims {
		if gr.req[d] > 0 {
			n = min(n, int(res[d]/gr.req[d]))
		}
	}
	for c := n; c >= 0; c-- {
		s.rem[g] -= c
		s.pattern[g] += c
		s.fill(t, first, g+1, res.sub(gr.req.scale(int64(c))), cost, opened)
		s.pattern[g] -= c
		s.rem[g] += c
	}
}

// maximal reports that no pod left fits in the room res of the node.
func (s *exactSearch) maximal(res vec) bool {
	for g, n := range s.rem {
		gr := s.groups[g]
		if n > 0 && gr.req.fits(res) && !(gr.anti && s.pattern[g] > 0) {
			return false
		}
	}
	return true
}

// lower bounds the cost of the pods left: the per-dimension bound and one
// node per pod of the anti-affine group with most pods left, at the
// cheapest price.
func (s *exactSearch) lower() float64 {
	var total vec
	anti := 0
	for g, n := range s.rem {
		total = total.add(s.groups[g].req.scale(int64(n)))
		if s.groups[g].anti {
			anti = max(anti, n)
		}
	}
	return max(simpleBound(s.types, total, 0), float64(anti)*s.cheapest)
}
