package capacity

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// family is an instance family: memory per core and price per core-hour.
type family struct {
	name         string
	gibPerCore   float64
	pricePerCore float64
}

// catalog returns n instance types across compute, general and memory
// families, sizes 2 to 96 cores, with allocatable after kubelet reserves.
func catalog(n int) []InstanceType {
	fams := []family{{"c", 2, 0.0425}, {"m", 4, 0.048}, {"r", 8, 0.063}}
	sizes := []int{2, 4, 8, 16, 32, 48, 64, 96}
	var out []InstanceType
	for _, size := range sizes {
		for _, f := range fams {
			if len(out) == n {
				return out
			}
			mem := f.gibPerCore * float64(size)
			out = append(out, InstanceType{
				Name:         fmt.Sprintf("%s.%dx", f.name, size),
				PricePerHour: f.pricePerCore * float64(size),
				Allocatable: Resources{
					CPU:    float64(size) - 0.06 - 0.01*float64(size),
					Memory: int64((mem*0.92 - 0.3) * gib),
					Pods:   min(110, 16*size),
				},
			})
		}
	}
	return out
}

// benchProblem generates a realistic problem: lines business lines each
// with its own pool over zones, nTypes instance types, and workloads whose
// replicas add up to about replicas.
func benchProblem(seed uint64, lines, zones, nTypes, replicas int) Problem {
	rng := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
	types := catalog(nTypes)
	var zs []string
	for z := range zones {
		zs = append(zs, fmt.Sprintf("z%c", 'a'+z))
	}
	p := Problem{Headroom: Headroom{UtilizationTarget: 0.9, RolloutSurge: true}}
	var weights []float64
	total := 0.0
	for l := range lines {
		bl := fmt.Sprintf("bl%d", l)
		p.Pools = append(p.Pools, Pool{Name: "pool-" + bl, BusinessLines: []string{bl}, Zones: zs,
			InstanceTypes: types, Overhead: Resources{CPU: 0.2, Memory: 512 << 20, Pods: 4}})
		for k := range 10 + rng.IntN(20) {
			w := benchWorkload(rng, fmt.Sprintf("%s-w%d", bl, k), bl)
			p.Workloads = append(p.Workloads, w)
			x := rng.ExpFloat64()
			weights = append(weights, x)
			total += x
		}
	}
	for i := range p.Workloads {
		n := max(1, int(float64(replicas)*weights[i]/total+0.5))
		p.Workloads[i].Replicas = FixedReplicas(n)
		p.Workloads[i].AntiAffinity = p.Workloads[i].AntiAffinity && n <= 30
	}
	return p
}

// benchWorkload draws one workload: web pods, services or big JVMs.
func benchWorkload(rng *rand.Rand, name, bl string) Workload {
	w := Workload{Name: name, BusinessLine: bl, MaxSkew: 1}
	var cpu, memGiB float64
	switch k := rng.Float64(); {
	case k < 0.5: // web and small services
		cpu = 0.1 + 0.4*rng.Float64()
		memGiB = 0.125 + 0.875*rng.Float64()
	case k < 0.85: // services
		cpu = 0.5 + 1.5*rng.Float64()
		memGiB = 1 + 3*rng.Float64()
	default: // JVMs and caches
		cpu = 1 + 3*rng.Float64()
		memGiB = 4 + 12*rng.Float64()
	}
	w.Requests = Resources{CPU: float64(int(cpu*20)) / 20, Memory: int64(memGiB*8) * (gib / 8)}
	if rng.Float64() < 0.5 {
		w.MaxSurge = IntOrPercent{Value: 25, Percent: true}
	}
	w.AntiAffinity = rng.Float64() < 0.15
	return w
}

// weekOfCampaigns gives every workload of p a daily cycle in six-hour
// blocks over a week (its replicas as the peak) and returns hourly steps.
func weekOfCampaigns(p Problem) (Problem, []time.Time) {
	t0 := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)
	shape := []float64{0.4, 0.8, 1, 0.7}
	for i := range p.Workloads {
		peak := p.Workloads[i].Replicas.Peak()
		var pts []ReplicaPoint
		for b := range 7 * 4 {
			n := max(1, int(shape[b%4]*float64(peak)+0.5))
			pts = append(pts, ReplicaPoint{Time: t0.Add(time.Duration(6*b) * time.Hour), Replicas: n})
		}
		p.Workloads[i].Replicas = Replicas{Points: pts}
	}
	var times []time.Time
	for h := range 7 * 24 {
		times = append(times, t0.Add(time.Duration(h)*time.Hour))
	}
	return p, times
}
