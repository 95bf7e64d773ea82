package capacity

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

// Search budget, which scales with the zone: its ruin-and-recreate rounds
// stop after searchRoundsPerNode rounds per node (at least
// searchMinRounds), or searchWorkPerPod candidate evaluations in fills per
// pod (at least searchMinWork), whichever comes first (counts, not a
// clock, so results are reproducible; Problem.Deadline adds a clock).
// Each round repacks two to searchMaxNodes nodes. noiseLevel is the
// relative perturbation of fill scores and type choices in those repacks.
const (
	searchRoundsPerNode = 16
	searchMinRounds     = 200
	searchWorkPerPod    = 150
	searchMinWork       = 200_000
	searchMaxNodes      = 6
	noiseLevel          = 0.3
)

// search is a large-neighbourhood search: each round picks a few nodes,
// mostly among the least efficient, repacks their pods with randomly
// perturbed fills, and keeps the result when it is cheaper. The random
// source is seeded from the zone's contents, so the result depends only on
// the input.
func (zp *zonePacker) search(ctx context.Context) error {
	if len(zp.bins) < 2 {
		return nil
	}
	rng := rand.New(rand.NewPCG(zp.seed(), 0x9e3779b97f4a7c15))
	start := zp.work
	rounds, work := zp.searchBudget()
	for r := 0; r < rounds && zp.work-start < work; r++ {
		if r%16 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if zp.expired() {
				return nil
			}
		}
		if len(zp.bins) < 2 {
			return nil
		}
		sel := zp.pick(rng)
		if !zp.tryRepack(ctx, sel, rng, 0) && r%4 == 3 {
			zp.tryRepack(ctx, sel, rng, len(sel)-1)
		}
	}
	return nil
}

// searchBudget returns the zone's rounds and fill evaluations: both grow
// with the zone's nodes and pods.
func (zp *zonePacker) searchBudget() (rounds, work int) {
	pods := 0
	for _, n := range zp.placed() {
		pods += n
	}
	return max(searchMinRounds, searchRoundsPerNode*len(zp.bins)), max(searchMinWork, searchWorkPerPod*pods)
}

// pick chooses two to searchMaxNodes distinct bins, each drawn with a bias
// towards the least efficient (the square of a uniform rank).
func (zp *zonePacker) pick(rng *rand.Rand) []int {
	order := zp.byEfficiency()
	k := 2 + rng.IntN(min(searchMaxNodes, len(order))-1)
	var sel []int
	for len(sel) < k {
		u := rng.Float64()
		i := order[int(u*u*float64(len(order)))]
		if !slices.Contains(sel, i) {
			sel = append(sel, i)
		}
	}
	return sel
}

// seed hashes the zone's groups into a random seed.
func (zp *zonePacker) seed() uint64 {
	h := fnv.New64a()
	var buf [8]byte
	put := func(v int64) {
		for i := range buf {
			buf[i] = byte(v >> (8 * i))
		}
		h.Write(buf[:])
	}
	for _, g := range zp.groups {
		put(int64(g.w))
		put(int64(g.count))
		for d := range dims {
			put(g.req[d])
		}
	}
	return h.Sum64()
}
