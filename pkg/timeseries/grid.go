package timeseries

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Limits on the grid built from csv observations: a grid may have up to
// maxStepsPerPoint steps per observation (at least minGridCap, at most
// maxGridSteps), which catches a wrong step or a stray timestamp before it
// allocates gigabytes of NaN.
const (
	maxGridSteps     = 1 << 27
	minGridCap       = 1 << 20
	maxStepsPerPoint = 1024
)

// point is one csv observation: unix nanoseconds, value, 1-based line.
type point struct {
	t    int64
	v    float64
	line int
}

// group holds the observations of one series.
type group struct {
	name string
	pts  []point
}

// grid turns sorted observations into a regular Series.
type grid struct {
	step     int64 // nanoseconds, positive
	phase    int64 // explicit step: instants are phase + k*step, 0 <= phase < step
	inferred bool  // phase is the first timestamp's; off-grid points are errors
	agg      Aggregation
	file     string
	column   string
}

// gridSeries sorts every group by time, settles the step (explicit, or the
// most common positive difference between consecutive distinct timestamps
// over all groups) and builds one Series per group, in the groups' order.
func gridSeries(groups []*group, file string, o ReadOptions) ([]Series, error) {
	for _, g := range groups {
		slices.SortStableFunc(g.pts, func(a, b point) int { return cmp.Compare(a.t, b.t) })
	}
	gr := grid{step: int64(o.Step), agg: o.Aggregate, file: file, column: o.TimeCol}
	if gr.step > 0 && !o.Start.IsZero() {
		_, gr.phase = floorDivMod(o.Start.UnixNano(), gr.step)
	}
	if gr.step == 0 {
		step, ok := inferStep(groups)
		if !ok {
			return nil, &ParseError{File: file, Column: o.TimeCol,
				Err: fmt.Errorf("%w: no series has two distinct timestamps; set a step", ErrNoStep)}
		}
		gr.step, gr.inferred = step, true
	}
	out := make([]Series, 0, len(groups))
	for _, g := range groups {
		s, err := gr.build(g.name, g.pts)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// inferStep returns the most common positive difference between
// consecutive timestamps of the sorted groups, the smaller on a tie.
func inferStep(groups []*group) (int64, bool) {
	counts := make(map[int64]int)
	for _, g := range groups {
		for i := 1; i < len(g.pts); i++ {
			d := uint64(g.pts[i].t - g.pts[i-1].t) // wraps to the true difference
			if d > 0 && d <= math.MaxInt64 {
				counts[int64(d)]++
			}
		}
	}
	best, bestN := int64(0), 0
	for d, n := range counts {
		if n > bestN || n == bestN && d < best {
			best, bestN = d, n
		}
	}
	return best, bestN > 0
}

// build places the sorted points of one series on the grid.
func (g grid) build(name string, pts []point) (Series, error) {
	phase := g.phase
	if g.inferred {
		_, phase = floorDivMod(pts[0].t, g.step)
	}
	k0, off0 := g.bucket(pts[0].t, phase)
	kN, _ := g.bucket(pts[len(pts)-1].t, phase)
	n := uint64(kN-k0) + 1 // wraps to the true count
	if err := g.checkLen(name, n, len(pts)); err != nil {
		return Series{}, err
	}
	values := make([]float64, n)
	for i := range values {
		values[i] = math.NaN()
	}
	acc := accumulator{agg: g.agg}
	cur := k0
	for i, p := range pts {
		k, off := g.bucket(p.t, phase)
		switch {
		case g.inferred && off != 0:
			return Series{}, g.offGrid(name, p, off)
		case i > 0 && k == cur && g.agg == AggNone:
			return Series{}, g.duplicate(pts[i-1], p)
		case k != cur:
			values[uint64(cur-k0)] = acc.value()
			acc.reset()
			cur = k
		}
		acc.add(p.v)
	}
	values[uint64(cur-k0)] = acc.value()
	start := time.Unix(0, pts[0].t).Add(-time.Duration(off0)).UTC()
	return Series{Name: name, Start: start, Step: time.Duration(g.step), Values: values}, nil
}

// bucket returns the step k holding t, phase + k*step <= t < phase +
// (k+1)*step, and t's offset into it, without overflowing.
func (g grid) bucket(t, phase int64) (k, off int64) {
	q, r := floorDivMod(t, g.step)
	if r >= phase {
		return q, r - phase
	}
	return q - 1, r - phase + g.step
}

func (g grid) checkLen(name string, n uint64, points int) error {
	limit := uint64(max(minGridCap, min(maxGridSteps, maxStepsPerPoint*points)))
	if n <= limit && n <= uint64(math.MaxInt64/g.step) {
		return nil
	}
	return &ParseError{File: g.file, Column: g.column, Err: fmt.Errorf(
		"%w: series %s would span %d steps of %s for %d observations (limit %d); check the step and the timestamps",
		ErrTooLong, excerpt(name), n, time.Duration(g.step), points, limit)}
}

func (g grid) offGrid(name string, p point, off int64) error {
	return &ParseError{File: g.file, Line: p.line, Column: g.column, Err: fmt.Errorf(
		"%w: %s lies %s into a %s step of series %s; set an explicit step to bucket off-grid timestamps",
		ErrOffGrid, formatNanos(p.t), time.Duration(off), time.Duration(g.step), excerpt(name))}
}

// duplicate reports two points in one step, at the line further down.
func (g grid) duplicate(a, b point) error {
	if a.line > b.line {
		a, b = b, a
	}
	var err error
	if a.t == b.t {
		err = fmt.Errorf("%w %s (also on line %d); set an aggregation to combine them",
			ErrDuplicate, formatNanos(b.t), a.line)
	} else {
		err = fmt.Errorf("%w: %s and %s (line %d) fall in the same %s step; set an aggregation to combine them",
			ErrDuplicate, formatNanos(b.t), formatNanos(a.t), a.line, time.Duration(g.step))
	}
	return &ParseError{File: g.file, Line: b.line, Column: g.column, Err: err}
}

func formatNanos(t int64) string {
	return time.Unix(0, t).UTC().Format(time.RFC3339Nano)
}

// floorDivMod returns q, r with a = q*b + r and 0 <= r < b, for b > 0.
func floorDivMod(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}
