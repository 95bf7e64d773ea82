package capacity

import "math"

// defaultCoreGiB is how many GiB of memory one core is priced as when the
// instance prices cannot be fitted (one instance shape, or a fit with a
// non-positive coefficient): a round figure near the ratio of the per-core
// and per-GiB prices of public clouds' custom machine types.
const defaultCoreGiB = 8

// gib is one GiB in bytes.
const gib = 1 << 30

// priceSplit divides node prices between CPU and memory.
type priceSplit struct {
	share float64 // fixed CPU share, or 0
	core  float64 // relative price of a core
	gib   float64 // relative price of a GiB
}

// newPriceSplit prepares the split: the fixed share if set, otherwise the
// least-squares fit price = core*cores + gib*GiB (no intercept) over the
// problem's instance types, or the default ratio when the fit fails.
func newPriceSplit(p Problem) priceSplit {
	if p.CostSplit.CPUShare > 0 {
		return priceSplit{share: p.CostSplit.CPUShare}
	}
	var scc, scm, smm, scp, smp float64
	for _, pool := range p.Pools {
		for _, t := range pool.InstanceTypes {
			c, m := t.Allocatable.CPU, float64(t.Allocatable.Memory)/gib
			scc, scm, smm = scc+c*c, scm+c*m, smm+m*m
			scp, smp = scp+c*t.PricePerHour, smp+m*t.PricePerHour
		}
	}
	det := scc*smm - scm*scm
	if det > 1e-9*scc*smm {
		a := (scp*smm - smp*scm) / det
		b := (smp*scc - scp*scm) / det
		if a > 0 && b > 0 && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
			return priceSplit{core: a, gib: b}
		}
	}
	return priceSplit{core: defaultCoreGiB, gib: 1}
}

// cpuShare returns the fraction of a node's price attributed to CPU.
func (s priceSplit) cpuShare(alloc Resources) float64 {
	if s.share > 0 {
		return s.share
	}
	c := s.core * alloc.CPU
	m := s.gib * float64(alloc.Memory) / gib
	if c+m <= 0 {
		return 0.5
	}
	return c / (c + m)
}
