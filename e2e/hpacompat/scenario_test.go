package hpacompat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/api/resource"
)

// targetKind is the type of the External metric's target.
type targetKind int

// The targets KEDA can set: AverageValue (its default, metricType
// AverageValue) proposes ceil(value/target) replicas; Value proposes
// ceil(value/target × ready pods).
const (
	averageValueTarget targetKind = iota
	valueTarget
)

// String returns the Kubernetes spelling.
func (k targetKind) String() string {
	if k == valueTarget {
		return "Value"
	}
	return "AverageValue"
}

// scenario is one HPA as KEDA creates it for a ScaledObject with one
// trigger, and the metric that trigger reports.
type scenario struct {
	// name is the t.Run name.
	name string
	// seed is the generator's seed, 0 for a hand-written scenario.
	seed uint64
	// shape describes the metric in words, for failure messages.
	shape []string
	// step is the metric's resolution: it is constant over each step.
	step time.Duration
	// values is the metric in each step, in milli-units (as the HPA reads
	// quantities), not negative.
	values []int64
	// target is the External metric's target, in milli-units, positive.
	target int64
	// kind is the target's type.
	kind targetKind
	// min and max are the HPA's minReplicas (at least 1, KEDA's
	// minReplicaCount) and maxReplicas; initial is the Deployment's
	// replicas at t=0, in [min, max].
	min, max, initial int32
	// behavior is spec.behavior as the user writes it in the ScaledObject,
	// before the API server's defaulting; nil is KEDA's default.
	behavior *autoscalingv2.HorizontalPodAutoscalerBehavior
	// phase is the instant of the first sync, in [0, syncPeriod): the HPA
	// is created then, while the metric and the pods start at t=0.
	phase time.Duration
}

// syncAt returns the instant of the k-th sync (from 0).
func (s scenario) syncAt(k int) time.Duration { return s.phase + time.Duration(k)*syncPeriod }

// syncs returns the number of syncs within the scenario.
func (s scenario) syncs() int {
	return int((s.duration() - s.phase + syncPeriod - 1) / syncPeriod)
}

// duration returns the scenario's length.
func (s scenario) duration() time.Duration { return time.Duration(len(s.values)) * s.step }

// valueAt returns the metric at offset d from the start, in milli-units;
// past the end it keeps the last value.
func (s scenario) valueAt(d time.Duration) int64 {
	i := min(int(d/s.step), len(s.values)-1)
	return s.values[max(i, 0)]
}

// describe returns the scenario in a few lines, enough to read a failure
// without the generator.
func (s scenario) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %s (seed %d): %s target %s, replicas %d in [%d,%d], %v at %v steps, first sync at %v\n",
		s.name, s.seed, s.kind, milliString(s.target), s.initial, s.min, s.max, s.duration(), s.step, s.phase)
	fmt.Fprintf(&b, "  behavior: %s\n", behaviorString(s.behavior))
	fmt.Fprintf(&b, "  metric: %s", strings.Join(s.shape, "; "))
	return b.String()
}

// milliString formats a milli-unit value as a decimal.
func milliString(m int64) string {
	return resource.NewMilliQuantity(m, resource.DecimalSI).String()
}

// behaviorString formats a behavior as the YAML a user would write, on
// one line.
func behaviorString(b *autoscalingv2.HorizontalPodAutoscalerBehavior) string {
	if b == nil {
		return "nil (KEDA's default: the controller's normalizeDesiredReplicas path)"
	}
	return fmt.Sprintf("{scaleUp: %s, scaleDown: %s}", rulesString(b.ScaleUp), rulesString(b.ScaleDown))
}

func rulesString(r *autoscalingv2.HPAScalingRules) string {
	if r == nil {
		return "default"
	}
	var parts []string
	if r.StabilizationWindowSeconds != nil {
		parts = append(parts, fmt.Sprintf("stabilizationWindowSeconds: %d", *r.StabilizationWindowSeconds))
	}
	if r.SelectPolicy != nil {
		parts = append(parts, "selectPolicy: "+string(*r.SelectPolicy))
	}
	if r.Policies != nil {
		var ps []string
		for _, p := range r.Policies {
			ps = append(ps, fmt.Sprintf("%s %d/%ds", p.Type, p.Value, p.PeriodSeconds))
		}
		parts = append(parts, "policies: ["+strings.Join(ps, ", ")+"]")
	}
	if r.Tolerance != nil {
		parts = append(parts, "tolerance: "+r.Tolerance.String())
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// The generator's step: finer than the 15 s sync, so that a spike may
// start and end between two syncs.
const genStep = 5 * time.Second

// generate returns the scenario of one seed: the same seed always gives
// the same scenario. The metric starts at a random level and goes through
// three to seven events (steps, ramps, spikes shorter than the 300 s
// stabilization window, drops to zero, plateaus on the tolerance's edge);
// half the scenarios have a random behavior.
func generate(seed uint64) scenario {
	r := rand.New(rand.NewPCG(seed, 0x68706163))
	sc := scenario{seed: seed, step: genStep}
	if r.IntN(4) == 0 {
		sc.kind = valueTarget
	}
	sc.min = int32(1 + r.IntN(3))
	sc.max = sc.min + int32(2+r.IntN(30))
	sc.initial = sc.min + int32(r.IntN(int(sc.max-sc.min)+1))
	sc.target = int64(100 * (5 + r.IntN(200)))
	if r.IntN(4) == 0 {
		sc.phase = time.Duration(1+r.IntN(2)) * genStep
	}
	g := shaper{r: r, sc: &sc, levels: make([]float64, (10+r.IntN(11))*int(time.Minute/genStep))}
	g.run()
	sc.behavior = genBehavior(r)
	tag := "nil"
	if sc.behavior != nil {
		tag = "behavior"
	}
	sc.name = fmt.Sprintf("seed-%03d-%s-%s", seed, sc.kind, tag)
	return sc
}

// shaper draws a scenario's metric as levels: replica-equivalents
// (value/target) for an AverageValue target, the usage ratio for a Value
// target, whose proposals multiply the ready pods by it.
type shaper struct {
	r      *rand.Rand
	sc     *scenario
	levels []float64
}

func (g *shaper) run() {
	base := g.level()
	for i := range g.levels {
		g.levels[i] = base
	}
	g.note("starts at %s", g.show(base))
	for range 3 + g.r.IntN(5) {
		switch g.r.IntN(7) {
		case 0, 1:
			g.step()
		case 2:
			g.ramp()
		case 3:
			g.spike()
		case 4:
			g.drop()
		case 5:
			g.edge()
		case 6:
			g.drift()
		}
	}
	g.sc.values = make([]int64, len(g.levels))
	for i, l := range g.levels {
		g.sc.values[i] = int64(math.Round(l * float64(g.sc.target)))
	}
}

// level draws a level: for AverageValue up to 30 % above maxReplicas (so
// that the max clamp binds), for Value a ratio in [0.5, 1.7], half the
// time in [0.8, 1.2] around the tolerance band (outside it the replicas
// grow or shrink geometrically).
func (g *shaper) level() float64 {
	if g.sc.kind == valueTarget {
		if g.r.IntN(2) == 0 {
			return 0.8 + 0.4*g.r.Float64()
		}
		return 0.5 + 1.2*g.r.Float64()
	}
	return 1.3 * float64(g.sc.max) * g.r.Float64()
}

// at draws an instant, as a step index, in the scenario's first 80 %.
func (g *shaper) at() int { return g.r.IntN(len(g.levels) * 4 / 5) }

// step changes the level from a random instant on.
func (g *shaper) step() {
	i, l := g.at(), g.level()
	g.fill(i, len(g.levels), l)
	g.note("step to %s at %v", g.show(l), g.time(i))
}

// ramp moves the level linearly to a new one over 1 to 5 minutes, and
// keeps it.
func (g *shaper) ramp() {
	i, n, l := g.at(), 12+g.r.IntN(49), g.level()
	from := g.levels[i]
	for k := i; k < len(g.levels); k++ {
		f := min(float64(k-i+1)/float64(n), 1)
		g.levels[k] = from + f*(l-from)
	}
	g.note("ramp from %s to %s over %v at %v", g.show(from), g.show(l), g.time(n), g.time(i))
}

// spike raises the level 2 to 6 times for 5 s to 290 s, shorter than
// the stabilization window, then restores it.
func (g *shaper) spike() {
	i, n := g.at(), 1+g.r.IntN(58)
	l := (2 + 4*g.r.Float64()) * max(g.levels[i], 1)
	if g.sc.kind == valueTarget {
		l = min(l, 3)
	}
	g.fill(i, i+n, l)
	g.note("spike to %s for %v at %v", g.show(l), g.time(n), g.time(i))
}

// drop takes the metric to zero, or a tenth, for 1 to 10 minutes.
func (g *shaper) drop() {
	i, n := g.at(), 12+g.r.IntN(109)
	l := 0.0
	if g.r.IntN(2) == 0 {
		l = g.levels[i] / 10
	}
	g.fill(i, i+n, l)
	g.note("drop to %s for %v at %v", g.show(l), g.time(n), g.time(i))
}

// edge holds the level exactly on the tolerance's edge (10 % above or
// below k replicas' worth, or a ratio of 1.1 or 0.9) for 1 to 5 minutes.
func (g *shaper) edge() {
	i, n := g.at(), 12+g.r.IntN(49)
	f := 1.1
	if g.r.IntN(2) == 0 {
		f = 0.9
	}
	l := f
	if g.sc.kind == averageValueTarget {
		l = f * float64(g.sc.min+int32(g.r.IntN(int(g.sc.max-g.sc.min)+1)))
	}
	g.fill(i, i+n, l)
	g.note("edge at %s for %v at %v", g.show(l), g.time(n), g.time(i))
}

// drift moves the level by 10 % to 40 %, up or down, over 5 to 10
// minutes and keeps it: the usage ratio crawls through the tolerance band,
// so the sync at which the HPA reacts depends on the tolerance.
func (g *shaper) drift() {
	i, n := g.at(), 60+g.r.IntN(61)
	from := g.levels[i]
	f := 1 + 0.1 + 0.3*g.r.Float64()
	if g.r.IntN(2) == 0 {
		f = 1 / f
	}
	for k := i; k < len(g.levels); k++ {
		g.levels[k] = from * (1 + min(float64(k-i+1)/float64(n), 1)*(f-1))
	}
	g.note("drift from %s to %s over %v at %v", g.show(from), g.show(from*f), g.time(n), g.time(i))
}

func (g *shaper) fill(from, to int, l float64) {
	for k := from; k < min(to, len(g.levels)); k++ {
		g.levels[k] = l
	}
}

func (g *shaper) note(format string, args ...any) {
	g.sc.shape = append(g.sc.shape, fmt.Sprintf(format, args...))
}

func (g *shaper) time(steps int) time.Duration { return time.Duration(steps) * g.sc.step }

// show formats a level as the metric value it stands for.
func (g *shaper) show(l float64) string {
	return milliString(int64(math.Round(l * float64(g.sc.target))))
}

// genBehavior draws spec.behavior: nil 40 % of the time, otherwise each
// direction is left to the defaults or given some of its fields.
func genBehavior(r *rand.Rand) *autoscalingv2.HorizontalPodAutoscalerBehavior {
	if r.IntN(5) < 2 {
		return nil
	}
	return &autoscalingv2.HorizontalPodAutoscalerBehavior{ScaleUp: genRules(r), ScaleDown: genRules(r)}
}

// genRules draws one direction's rules: nil a fifth of the time,
// otherwise each of its four fields set with probability one half (three
// quarters for the policies, mostly Pods 1-8 or Percent 10-100). Windows and periods are often multiples of the
// sync period and sometimes not, so that cut-offs fall between syncs too.
func genRules(r *rand.Rand) *autoscalingv2.HPAScalingRules {
	if r.IntN(5) == 0 {
		return nil
	}
	var rules autoscalingv2.HPAScalingRules
	if r.IntN(2) == 0 {
		w := pickSeconds(r, []int32{0, 15, 30, 60, 90, 120, 180, 300, 600}, 600)
		rules.StabilizationWindowSeconds = &w
	}
	if r.IntN(2) == 0 {
		s := []autoscalingv2.ScalingPolicySelect{autoscalingv2.MaxChangePolicySelect,
			autoscalingv2.MaxChangePolicySelect, autoscalingv2.MinChangePolicySelect,
			autoscalingv2.MinChangePolicySelect, autoscalingv2.DisabledPolicySelect}[r.IntN(5)]
		rules.SelectPolicy = &s
	}
	if r.IntN(4) != 0 {
		for range 1 + r.IntN(3) {
			p := autoscalingv2.HPAScalingPolicy{Type: autoscalingv2.PodsScalingPolicy, Value: int32(1 + r.IntN(8)),
				PeriodSeconds: pickSeconds(r, []int32{15, 30, 60, 120, 300}, 600)}
			if r.IntN(2) == 0 {
				p.Type, p.Value = autoscalingv2.PercentScalingPolicy, int32(10+r.IntN(91))
				if r.IntN(4) == 0 {
					p.Value = int32(101 + r.IntN(200))
				}
			}
			p.PeriodSeconds = max(p.PeriodSeconds, 1)
			rules.Policies = append(rules.Policies, p)
		}
	}
	if r.IntN(2) == 0 {
		q := resource.NewMilliQuantity([]int64{0, 10, 50, 100, 150, 250, 500}[r.IntN(7)], resource.DecimalSI)
		rules.Tolerance = q
	}
	return &rules
}

// pickSeconds returns one of common, or a uniform draw in [0, upTo], as
// often.
func pickSeconds(r *rand.Rand, common []int32, upTo int) int32 {
	if r.IntN(2) == 0 {
		return common[r.IntN(len(common))]
	}
	return int32(r.IntN(upTo + 1))
}
