package simulator

import (
	"cmp"
	"math"
	"slices"
)

// Efficient returns the curve's non-dominated points in increasing order
// of pod-hours (hence decreasing unserved fraction): those for which no
// other point has at most its pod-hours and at most its unserved fraction,
// one of them less. Of points with equal figures the first is kept. Points
// whose figures are not finite are left out.
func (c Curve) Efficient() []CurvePoint {
	ps := slices.DeleteFunc(slices.Clone(c.Points), func(p CurvePoint) bool {
		return !finiteFigure(p.PodHours) || !finiteFigure(p.UnservedFraction)
	})
	slices.SortStableFunc(ps, func(a, b CurvePoint) int {
		return cmp.Or(cmp.Compare(a.PodHours, b.PodHours), cmp.Compare(a.UnservedFraction, b.UnservedFraction))
	})
	out := ps[:0]
	for _, p := range ps {
		if len(out) == 0 || p.UnservedFraction < out[len(out)-1].UnservedFraction {
			out = append(out, p)
		}
	}
	return out
}

// IsEfficient reports whether p is among c's non-dominated points.
func (c Curve) IsEfficient(p CurvePoint) bool {
	return slices.ContainsFunc(c.Efficient(), func(e CurvePoint) bool { return e.SameKnobs(p) })
}

func finiteFigure(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// UnservedAt returns the unserved fraction the curve reaches at podHours,
// interpolated between its two efficient points around podHours. ok is
// false when podHours lies outside the efficient points' range: the curve
// says nothing there, and is not extrapolated.
//
// Between two points the interpolation is linear in log(unserved), that
// is geometric, rather than linear in unserved. The unserved demand is the
// tail of the demand above the ready capacity, and adding capacity thins
// that tail multiplicatively, so over a curve's range the unserved
// fraction falls by decades (0.3 % to 6 % on the NASA trace) while the
// pod-hours change by a factor of two: the curve is close to a straight
// line on a log scale and convex on a linear one. A straight chord on the
// linear scale would lie above the convex curve and overstate the
// unserved demand between two points, the more so the further apart they
// are; a chord on the log scale is exact for an exponential tail and
// weighs a drop from 2 % to 1 % the same as one from 0.2 % to 0.1 %.
// When one of the two points has no unserved demand, whose logarithm does
// not exist, that segment is linear.
func (c Curve) UnservedAt(podHours float64) (unserved float64, ok bool) {
	e := c.Efficient()
	i, t, ok := bracket(e, podHours, func(p CurvePoint) float64 { return p.PodHours }, false)
	if !ok {
		return math.NaN(), false
	}
	if t == 0 {
		return e[i].UnservedFraction, true
	}
	a, b := e[i].UnservedFraction, e[i+1].UnservedFraction
	if a > 0 && b > 0 {
		return math.Exp(math.Log(a) + t*(math.Log(b)-math.Log(a))), true
	}
	return a + t*(b-a), true
}

// PodHoursAt returns the pod-hours at which the curve reaches the unserved
// fraction unserved: the inverse of UnservedAt, with the same
// interpolation. ok is false when unserved lies outside the efficient
// points' range.
func (c Curve) PodHoursAt(unserved float64) (podHours float64, ok bool) {
	e := c.Efficient()
	i, t, ok := bracket(e, unserved, func(p CurvePoint) float64 { return p.UnservedFraction }, true)
	if !ok {
		return math.NaN(), false
	}
	if t == 0 {
		return e[i].PodHours, true
	}
	a, b := e[i].UnservedFraction, e[i+1].UnservedFraction
	if a > 0 && b > 0 && unserved > 0 {
		t = (math.Log(a) - math.Log(unserved)) / (math.Log(a) - math.Log(b))
	}
	return e[i].PodHours + t*(e[i+1].PodHours-e[i].PodHours), true
}

// bracket finds x among the values of pts (increasing, or decreasing when
// falling is set): the index i of the segment [i, i+1] that holds x and
// x's linear position t in [0, 1) along it; t is 0 when x is pts[i]'s.
func bracket(pts []CurvePoint, x float64, value func(CurvePoint) float64, falling bool) (i int, t float64, ok bool) {
	if len(pts) == 0 || math.IsNaN(x) {
		return 0, 0, false
	}
	first, last := value(pts[0]), value(pts[len(pts)-1])
	lo, hi := min(first, last), max(first, last)
	if x < lo || x > hi {
		return 0, 0, false
	}
	for i = range len(pts) - 1 {
		a, b := value(pts[i]), value(pts[i+1])
		if x == a {
			return i, 0, true
		}
		if (!falling && x < b) || (falling && x > b) {
			return i, (x - a) / (b - a), true
		}
	}
	return len(pts) - 1, 0, true
}
