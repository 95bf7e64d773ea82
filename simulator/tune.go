package simulator

import "cmp"

// Cheapest returns the point of c with the fewest pod-hours among those
// whose unserved fraction is at most maxUnserved (a fraction of the
// demand, such as 0.001 for 0.1 %): the cheapest value of the curve's knob
// that meets a service-level objective on unserved demand. Of points with
// equal pod-hours the one leaving less demand unserved is returned, then
// the first in the curve's order. Points whose figures are not finite
// never qualify. ok is false when no point meets maxUnserved (a NaN
// maxUnserved included).
func (c Curve) Cheapest(maxUnserved float64) (p CurvePoint, ok bool) {
	for _, q := range c.Points {
		if !finiteFigure(q.PodHours) || !finiteFigure(q.UnservedFraction) || !(q.UnservedFraction <= maxUnserved) {
			continue
		}
		if !ok || cmp.Or(cmp.Compare(q.PodHours, p.PodHours), cmp.Compare(q.UnservedFraction, p.UnservedFraction)) < 0 {
			p, ok = q, true
		}
	}
	return p, ok
}
