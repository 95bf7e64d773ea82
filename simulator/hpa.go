package simulator

import (
	"math"
	"time"
)

// hpaController is the HorizontalPodAutoscaler controller for one HPA with
// external metrics, as KEDA creates it. It follows
// pkg/controller/podautoscaler/horizontal.go in kubernetes/kubernetes
// (reconcileAutoscaler, recordInitialRecommendation, and either
// normalizeDesiredReplicas, stabilizeRecommendation and
// convertDesiredReplicasWithRules when spec.behavior is nil, or
// normalizeDesiredReplicasWithBehaviors, stabilizeRecommendationWithBehaviors,
// convertDesiredReplicasWithBehaviorRate and storeScaleEvent when it is
// set) and replica_calculator.go (GetExternalPerPodMetricReplicas for
// AverageValue targets, GetExternalMetricReplicas for Value targets).
// Times are offsets from the start of the trace.
type hpaController struct {
	cfg        HPA
	min, max   int32
	seeded     bool
	upRecs     extremes // lowest recommendation of the scale-up window
	downRecs   extremes // highest recommendation of the scale-down window
	ups, downs []scaleEvent
}

// recommendation is one recorded, unstabilised replica recommendation.
type recommendation struct {
	at       time.Duration
	replicas int32
}

// scaleEvent is one past rescale in one direction; change is positive.
type scaleEvent struct {
	at       time.Duration
	change   int32
	outdated bool
}

func newHPAController(cfg HPA, k KEDA) hpaController {
	return hpaController{
		cfg: cfg,
		// KEDA sets the HPA's minReplicas to minReplicaCount, or 1 when it
		// is 0 (the HPA cannot scale to zero; KEDA does).
		min:      int32(max(k.MinReplicaCount, 1)),
		max:      int32(k.MaxReplicaCount),
		upRecs:   extremes{lowest: true},
		downRecs: extremes{},
	}
}

// reconcile runs one HPA sync at now with cur replicas (the scale target's
// spec, which here equals its pod count) and ready pods, and returns the
// replicas to set.
//
// Rules, from reconcileAutoscaler: the first sync records cur as a
// recommendation (so an HPA does not scale down within its window of
// being created); with 0 replicas the HPA is disabled (KEDA scaled the
// target to zero); above maxReplicas it sets maxReplicas, below
// minReplicas it sets minReplicas, both without normalisation; otherwise it
// takes the largest per-metric proposal and normalizes it on the nil or the
// behavior path. Every rescale is stored as a scale event for the
// behavior's rate limits.
func (h *hpaController) reconcile(now time.Duration, cur, ready int32, ms []Metric) int32 {
	if !h.seeded {
		h.upRecs.push(now, cur)
		h.downRecs.push(now, cur)
		h.seeded = true
	}
	var desired int32
	switch {
	case cur == 0:
		return 0
	case cur > h.max:
		desired = h.max
	case cur < h.min:
		desired = h.min
	default:
		p, ok := h.propose(cur, ready, ms)
		if !ok {
			return cur
		}
		if h.cfg.Behavior == nil {
			desired = h.normalize(now, cur, p)
		} else {
			desired = h.rateLimit(now, cur, h.stabilize(now, cur, p))
		}
	}
	if desired != cur && h.cfg.Behavior != nil {
		h.storeScaleEvent(now, cur, desired)
	}
	return desired
}

// propose is computeReplicasForMetrics: the largest proposal over the
// metrics that could be read. When every metric failed, or some failed and
// the others propose to scale down, the HPA does not scale (ok false): the
// Kubernetes docs' "If any of these metrics cannot be converted into a
// desired replica count ... scaling is skipped".
func (h *hpaController) propose(cur, ready int32, ms []Metric) (replicas int32, ok bool) {
	invalid := 0
	replicas = 0
	for _, m := range ms {
		if math.IsNaN(m.Value) {
			invalid++
			continue
		}
		if m.Type == ValueMetric {
			replicas = max(replicas, h.valueReplicas(cur, ready, m))
		} else {
			replicas = max(replicas, h.perPodReplicas(cur, m))
		}
	}
	if invalid == len(ms) || (invalid > 0 && replicas < cur) {
		return cur, false
	}
	return replicas, true
}

// within reports whether a usage ratio is within the tolerances:
// 1 − down <= ratio <= 1 + up (Tolerances.isWithin).
func (h *hpaController) within(ratio float64) bool {
	down, up := h.cfg.tolerances()
	return 1-down <= ratio && ratio <= 1+up
}

// perPodReplicas is GetExternalPerPodMetricReplicas: with usage u and
// AverageValue target a, both in milli-units as the HPA reads quantities,
// the usage ratio is u/(a×cur); within the tolerances the HPA keeps cur,
// otherwise it proposes ceil(u/a), whatever cur is.
func (h *hpaController) perPodReplicas(cur int32, m Metric) int32 {
	u, a := float64(milli(m.Value)), float64(milli(m.Target))
	if h.within(u / (a * float64(cur))) {
		return cur
	}
	return clampInt32(math.Ceil(u / a))
}

// valueReplicas is GetExternalMetricReplicas for a Value target: the usage
// ratio is u/a; within the tolerances the HPA keeps cur, otherwise it
// proposes ceil(ratio × the ready pods).
func (h *hpaController) valueReplicas(cur, ready int32, m Metric) int32 {
	u, a := float64(milli(m.Value)), float64(milli(m.Target))
	ratio := u / a
	if h.within(ratio) {
		return cur
	}
	return clampInt32(math.Ceil(ratio * float64(ready)))
}

// normalize is normalizeDesiredReplicas, the path of an HPA without
// behavior: the highest recommendation recorded within the last
// DownscaleStabilization (a sample exactly that old still counts, as
// stabilizeRecommendation drops only samples strictly before the cut-off),
// p included and then recorded; then convertDesiredReplicasWithRules: at
// least minReplicas, and at most maxReplicas and max(2 × cur, 4).
func (h *hpaController) normalize(now time.Duration, cur, p int32) int32 {
	stab := max(p, h.downRecs.extreme(now-h.cfg.DownscaleStabilization-1, p))
	h.downRecs.push(now, p)
	upLimit := clampInt32(math.Max(2*float64(cur), 4))
	allowed := min(h.max, upLimit)
	switch {
	case stab < h.min:
		return h.min
	case stab > allowed:
		return allowed
	}
	return stab
}

// milli rounds v to KEDA's milli precision (KEDA formats metric values and
// targets with three decimals; the HPA reads MilliValue). NaN, infinite
// and negative values become 0, as in KEDA's quantityFromFloat64.
func milli(v float64) int64 {
	if !(v >= 0) || math.IsInf(v, 0) {
		return 0
	}
	return int64(min(math.Round(v*1000), 1<<62))
}

func clampInt32(v float64) int32 {
	if v >= math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(v)
}

// stabilize is stabilizeRecommendationWithBehaviors: the result is cur
// brought into [lowest recommendation within the scale-up window, highest
// within the scale-down window], both windows including p. Recommendations
// strictly newer than now-window count; p is then recorded.
//
// Kubernetes keeps a list of recommendations and scans it; as the windows
// only slide forward, the extremes over them are kept here in monotonic
// queues instead, which gives the same values in constant amortized time.
func (h *hpaController) stabilize(now time.Duration, cur, p int32) int32 {
	b := h.cfg.Behavior
	up := min(p, h.upRecs.extreme(now-b.ScaleUp.StabilizationWindow, p))
	down := max(p, h.downRecs.extreme(now-b.ScaleDown.StabilizationWindow, p))
	h.upRecs.push(now, p)
	h.downRecs.push(now, p)
	return min(max(cur, up), down)
}

// rateLimit is convertDesiredReplicasWithBehaviorRate: a scale-up is capped
// by maxReplicas and the scale-up policies, a scale-down floored by
// minReplicas and the scale-down policies.
func (h *hpaController) rateLimit(now time.Duration, cur, desired int32) int32 {
	switch {
	case desired > cur:
		limit := max(h.upLimit(now, cur), cur)
		return min(desired, h.max, limit)
	case desired < cur:
		limit := min(h.downLimit(now, cur), cur)
		return max(desired, h.min, limit)
	}
	return desired
}

// upLimit is calculateScaleUpLimitWithScalingRules: for each policy, the
// replicas at the start of its period (cur minus the pods added plus the
// pods removed within it) plus Value pods or times 1+Value/100 rounded up;
// SelectMax keeps the largest limit, SelectMin the smallest, SelectDisabled
// forbids scaling up.
func (h *hpaController) upLimit(now time.Duration, cur int32) int32 {
	r := h.cfg.Behavior.ScaleUp
	if r.Select == SelectDisabled {
		return cur
	}
	var result int32 = math.MinInt32
	if r.Select == SelectMin {
		result = math.MaxInt32
	}
	for _, p := range r.Policies {
		start := cur - changeWithin(h.ups, now, p.Period) + changeWithin(h.downs, now, p.Period)
		var proposed int32
		if p.Kind == PodsPolicy {
			proposed = start + int32(p.Value)
		} else {
			proposed = clampInt32(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		}
		result = pick(r.Select == SelectMin, result, proposed)
	}
	return result
}

// downLimit is calculateScaleDownLimitWithBehaviors: the replicas at the
// start of each policy's period minus Value pods, or times 1-Value/100
// truncated; SelectMax keeps the lowest floor (the largest change),
// SelectMin the highest.
func (h *hpaController) downLimit(now time.Duration, cur int32) int32 {
	r := h.cfg.Behavior.ScaleDown
	if r.Select == SelectDisabled {
		return cur
	}
	var result int32 = math.MaxInt32
	if r.Select == SelectMin {
		result = math.MinInt32
	}
	for _, p := range r.Policies {
		start := cur - changeWithin(h.ups, now, p.Period) + changeWithin(h.downs, now, p.Period)
		var proposed int32
		if p.Kind == PodsPolicy {
			proposed = start - int32(p.Value)
		} else {
			proposed = int32(float64(start) * (1 - float64(p.Value)/100))
		}
		result = pick(r.Select != SelectMin, result, proposed)
	}
	return result
}

// pick returns min(a, b) when lowest is set, max(a, b) otherwise.
func pick(lowest bool, a, b int32) int32 {
	if lowest {
		return min(a, b)
	}
	return max(a, b)
}

// changeWithin is getReplicasChangePerPeriod: the replicas changed by the
// events strictly newer than now-period.
func changeWithin(events []scaleEvent, now, period time.Duration) int32 {
	cut := now - period
	var n int32
	for _, e := range events {
		if e.at > cut {
			n += e.change
		}
	}
	return n
}

// storeScaleEvent records a rescale from prev to next: events older than the
// direction's longest policy period are marked outdated and one of them is
// reused, otherwise the event is appended.
func (h *hpaController) storeScaleEvent(now time.Duration, prev, next int32) {
	events, rules, change := &h.ups, h.cfg.Behavior.ScaleUp, next-prev
	if next < prev {
		events, rules, change = &h.downs, h.cfg.Behavior.ScaleDown, prev-next
	}
	var longest time.Duration
	for _, p := range rules.Policies {
		longest = max(longest, p.Period)
	}
	old := -1
	for i := range *events {
		e := &(*events)[i]
		if e.at < now-longest {
			e.outdated = true
		}
		if e.outdated {
			old = i
		}
	}
	ev := scaleEvent{at: now, change: change}
	if old >= 0 {
		(*events)[old] = ev
	} else {
		*events = append(*events, ev)
	}
}
