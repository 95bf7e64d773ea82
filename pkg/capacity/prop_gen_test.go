package capacity

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// randomProblem draws a small problem that exercises every feature: pools
// shared by two business lines, one to three zones, instance types of
// random shapes (some too small for some pods), overhead, minNodes and
// tight maxNodes, anti-affinity, zone spread, surge, zone loss, and replica
// timelines.
func randomProblem(rng *rand.Rand) Problem {
	nBL := 1 + rng.IntN(3)
	zones := []string{"a", "b", "c"}[:1+rng.IntN(3)]
	p := Problem{Headroom: Headroom{
		ZoneLoss:          len(zones) > 1 && rng.IntN(3) == 0,
		UtilizationTarget: []float64{0, 0.7, 0.85, 1}[rng.IntN(4)],
		RolloutSurge:      rng.IntN(2) == 0,
	}}
	for b := range nBL {
		p.Pools = append(p.Pools, randomPool(rng, fmt.Sprintf("p%d", b), []string{fmt.Sprintf("bl%d", b)}, zones))
	}
	if nBL > 1 && rng.IntN(2) == 0 {
		p.Pools = append(p.Pools, randomPool(rng, "shared", []string{"bl0", "bl1"}, zones))
	}
	for i := range 1 + rng.IntN(10) {
		p.Workloads = append(p.Workloads, randomWorkload(rng, i, fmt.Sprintf("bl%d", rng.IntN(nBL))))
	}
	return p
}

// randomPool draws a pool with one to five instance types.
func randomPool(rng *rand.Rand, name string, bls, zones []string) Pool {
	pool := Pool{Name: name, BusinessLines: bls, Zones: zones}
	if rng.IntN(2) == 0 {
		pool.Overhead = Resources{CPU: 0.1, Memory: 256 << 20, Pods: 2}
	}
	if rng.IntN(4) == 0 {
		pool.MinNodes = 1 + rng.IntN(2)
	}
	if rng.IntN(3) == 0 {
		pool.MaxNodes = max(pool.MinNodes, 1+rng.IntN(4))
	}
	for t := range 1 + rng.IntN(5) {
		cores := float64(1 + rng.IntN(16))
		pool.InstanceTypes = append(pool.InstanceTypes, InstanceType{
			Name:         fmt.Sprintf("t%d", t),
			PricePerHour: cores * (0.03 + 0.03*rng.Float64()),
			Allocatable: Resources{CPU: cores, Memory: int64(cores*(1+7*rng.Float64())) * gib,
				Pods: 4 + rng.IntN(40)},
		})
	}
	return pool
}

// randomWorkload draws a workload with random requests and features.
func randomWorkload(rng *rand.Rand, i int, bl string) Workload {
	w := Workload{
		Name: fmt.Sprintf("w%d", i), BusinessLine: bl,
		Requests:     Resources{CPU: float64(1+rng.IntN(40)) / 10, Memory: int64(1+rng.IntN(64)) * (gib / 8)},
		AntiAffinity: rng.IntN(4) == 0,
	}
	if rng.IntN(2) == 0 {
		w.MaxSkew = 1 + rng.IntN(2)
	}
	if rng.IntN(2) == 0 {
		w.MaxSurge = IntOrPercent{Value: 25, Percent: true}
	} else {
		w.MaxSurge = IntOrPercent{Value: rng.IntN(3)}
	}
	w.MinAvailable = IntOrPercent{Value: rng.IntN(101), Percent: true}
	if rng.IntN(3) == 0 {
		t0 := time.Date(2025, 11, 11, 0, 0, 0, 0, time.UTC)
		for k := range 4 {
			w.Replicas.Points = append(w.Replicas.Points, ReplicaPoint{Time: t0.Add(time.Duration(k) * time.Hour), Replicas: rng.IntN(30)})
		}
	} else {
		w.Replicas = FixedReplicas(rng.IntN(30))
	}
	return w
}
