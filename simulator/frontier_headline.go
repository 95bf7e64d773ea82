package simulator

import (
	"math"
	"slices"
)

// Headline compares a challenger's curve (such as predictive) with a
// baseline's (the reactive HPA) at each of the baseline's points: what the
// challenger leaves unserved for the same pod-hours, and what it spends for
// the same unserved demand.
type Headline struct {
	// Baseline and Challenger are the curves' names.
	Baseline, Challenger string
	// Rows holds one row per baseline point, in the baseline's order.
	Rows []HeadlineRow
	// Summary condenses the rows.
	Summary HeadlineSummary
}

// HeadlineRow compares the challenger with one baseline point.
type HeadlineRow struct {
	// Baseline is the baseline's point, Label its label (Curve.Label).
	Baseline CurvePoint
	Label    string
	// Efficient reports whether the baseline point is on the baseline's
	// efficient frontier; a dominated point is a wasteful setting, left
	// out of the summary's maximum and median.
	Efficient bool
	// Default reports whether it is the baseline's default point.
	Default bool
	// ChallengerUnserved is the challenger's unserved fraction at the
	// baseline point's pod-hours (Curve.UnservedAt), NaN when they are
	// outside the challenger's range.
	ChallengerUnserved float64
	// UnservedRatio is ChallengerUnserved over the baseline's unserved
	// fraction: below 1 the challenger leaves less unserved for the same
	// pod-hours. It is 1 when both are 0 (0/0: equally perfect), +Inf when
	// only the baseline's is 0, NaN when ChallengerUnserved is.
	UnservedRatio float64
	// ChallengerPodHours is the challenger's pod-hours at the baseline
	// point's unserved fraction (Curve.PodHoursAt), NaN when it is outside
	// the challenger's range.
	ChallengerPodHours float64
	// PodHoursSaved is 1 − ChallengerPodHours / the baseline's pod-hours:
	// the fraction of the baseline's pod-hours the challenger does without
	// for the same unserved demand, negative when it needs more; NaN when
	// ChallengerPodHours is.
	PodHoursSaved float64
	// UnservedBound is true when the baseline's pod-hours lie beyond the
	// challenger's most expensive efficient point, which leaves no more
	// unserved demand for fewer pod-hours: ChallengerUnserved and
	// UnservedRatio are then that point's, an upper bound (pods added to
	// it could only serve more), not an interpolation.
	UnservedBound bool
	// PodHoursBound is true when the baseline's unserved fraction lies
	// beyond the challenger's cheapest efficient point, which leaves less
	// unserved demand for no more pod-hours: ChallengerPodHours is then
	// that point's, an upper bound, and PodHoursSaved a lower bound.
	PodHoursBound bool
}

// HeadlineSummary condenses a Headline into the figures assertions check;
// a figure is NaN when no row defines it.
type HeadlineSummary struct {
	// UnservedRatioAtDefault and PodHoursSavedAtDefault are the default
	// row's figures: the comparison with the baseline as it runs by
	// default (the HPA at 70 % utilisation).
	UnservedRatioAtDefault, PodHoursSavedAtDefault float64
	// MaxUnservedRatio and MedianUnservedRatio are the worst and the median
	// UnservedRatio over the efficient baseline points inside the
	// challenger's pod-hours range.
	MaxUnservedRatio, MedianUnservedRatio float64
	// MinPodHoursSaved and MedianPodHoursSaved are the worst and the median
	// PodHoursSaved over the efficient baseline points inside the
	// challenger's range of unserved fractions.
	MinPodHoursSaved, MedianPodHoursSaved float64
	// Compared counts the rows behind MaxUnservedRatio and
	// MedianUnservedRatio, Bounded those of them whose ratio is a bound
	// (HeadlineRow.UnservedBound).
	Compared, Bounded int
}

// NewHeadline compares challenger with baseline at each baseline point.
func NewHeadline(baseline, challenger Curve) Headline {
	h := Headline{Baseline: baseline.Name, Challenger: challenger.Name}
	def, hasDef := baseline.DefaultPoint()
	for _, p := range baseline.Points {
		row := HeadlineRow{Baseline: p, Label: baseline.Label(p), Efficient: baseline.IsEfficient(p), Default: hasDef && p.SameKnobs(def),
			UnservedRatio: math.NaN(), PodHoursSaved: math.NaN()}
		var ok bool
		if row.ChallengerUnserved, ok = challenger.UnservedAt(p.PodHours); ok {
			row.UnservedRatio = ratio(row.ChallengerUnserved, p.UnservedFraction)
		} else if c, ok := dominatingEnd(challenger, p, true); ok {
			row.ChallengerUnserved, row.UnservedRatio, row.UnservedBound = c.UnservedFraction, ratio(c.UnservedFraction, p.UnservedFraction), true
		}
		if row.ChallengerPodHours, ok = challenger.PodHoursAt(p.UnservedFraction); ok {
			row.PodHoursSaved = 1 - row.ChallengerPodHours/p.PodHours
		} else if c, ok := dominatingEnd(challenger, p, false); ok {
			row.ChallengerPodHours, row.PodHoursSaved, row.PodHoursBound = c.PodHours, 1-c.PodHours/p.PodHours, true
		}
		h.Rows = append(h.Rows, row)
	}
	h.Summary = summarise(h.Rows)
	return h
}

// dominatingEnd returns the challenger's efficient point at its expensive
// end (its cheap end when expensive is false) when p lies beyond it on
// that side and it dominates p: no more pod-hours and no more unserved
// demand, one of them less (beyond p on the expensive side, it has fewer
// pod-hours; on the cheap side, less unserved demand). The comparison at
// p is then bounded by that point; where both leave nothing unserved, the
// ratio is 1 (equally perfect), for fewer pod-hours.
func dominatingEnd(challenger Curve, p CurvePoint, expensive bool) (CurvePoint, bool) {
	e := challenger.Efficient()
	if len(e) == 0 {
		return CurvePoint{}, false
	}
	c := e[0]
	beyond := p.UnservedFraction > c.UnservedFraction
	if expensive {
		c = e[len(e)-1]
		beyond = p.PodHours > c.PodHours
	}
	return c, beyond && c.PodHours <= p.PodHours && c.UnservedFraction <= p.UnservedFraction
}

// defaultRow returns the row of the baseline's default point, the zero
// row when there is none.
func (h Headline) defaultRow() HeadlineRow {
	for _, r := range h.Rows {
		if r.Default {
			return r
		}
	}
	return HeadlineRow{}
}

// summarise computes the Summary of rows.
func summarise(rows []HeadlineRow) HeadlineSummary {
	s := HeadlineSummary{UnservedRatioAtDefault: math.NaN(), PodHoursSavedAtDefault: math.NaN()}
	var ratios, saved []float64
	for _, r := range rows {
		if r.Default {
			s.UnservedRatioAtDefault, s.PodHoursSavedAtDefault = r.UnservedRatio, r.PodHoursSaved
		}
		if !r.Efficient {
			continue
		}
		if !math.IsNaN(r.UnservedRatio) {
			ratios = append(ratios, r.UnservedRatio)
			if r.UnservedBound {
				s.Bounded++
			}
		}
		if !math.IsNaN(r.PodHoursSaved) {
			saved = append(saved, r.PodHoursSaved)
		}
	}
	s.Compared = len(ratios)
	s.MaxUnservedRatio, s.MedianUnservedRatio = orNaN(ratios, slices.Max[[]float64]), orNaN(ratios, median)
	s.MinPodHoursSaved, s.MedianPodHoursSaved = orNaN(saved, slices.Min[[]float64]), orNaN(saved, median)
	return s
}

// orNaN returns f(vs), NaN when vs is empty.
func orNaN(vs []float64, f func([]float64) float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	return f(vs)
}

// median returns the median of vs, which must not be empty: the mean of
// the middle two for an even count. +Inf counts as the largest value.
func median(vs []float64) float64 {
	n := len(vs)
	s := slices.Clone(vs)
	slices.Sort(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Headlines compares every curve but the baseline with it, in the curves'
// order; nil when f has no curve called baseline.
func (f Frontier) Headlines(baseline string) []Headline {
	base, ok := f.Curve(baseline)
	if !ok {
		return nil
	}
	var out []Headline
	for _, c := range f.Curves {
		if c.Name != baseline {
			out = append(out, NewHeadline(base, c))
		}
	}
	return out
}
