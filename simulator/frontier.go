package simulator

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Sweep is one policy's cost/unserved curve: the policy run at each value
// of its risk knob, such as the reactive policy's target utilisation.
type Sweep struct {
	// Name is the curve's name, such as "reactive": assertions and reports
	// name the curve by it, and each point's Result.Policy is Name@knob.
	Name string
	// Knob is the name of the knob swept, such as "target_utilisation".
	Knob string
	// Values are the knob's values, one point each, in the order reported.
	Values []float64
	// Default is the knob's value the policy runs at by default (the
	// reactive policy's 0.7). The headline figures "at default" are read at
	// the baseline's point of this value; a value not among Values (NaN
	// included) means the curve has no default point.
	Default float64
	// Second names a second knob the points also vary, such as the
	// predictive policy's target utilisation next to its risk; empty for a
	// sweep over Knob alone.
	Second string
	// Seconds holds the second knob's value at each point, parallel to
	// Values: point i runs at (Values[i], Seconds[i]). It is empty when
	// Second is. A value of Knob may then repeat; a pair may not.
	Seconds []float64
	// SecondDefault is the second knob's default value: the default point
	// is (Default, SecondDefault), and a point's label names its second
	// value only where it departs from this one.
	SecondDefault float64
	// New returns a fresh policy at a point: knob is its Values entry,
	// second its Seconds entry (NaN for a sweep over one knob).
	// RunFrontier calls it once per point, in order, from its own
	// goroutine and before any run. The policies must not share mutable
	// state; a CachedForecaster is safe to share.
	New func(knob, second float64) (Policy, error)
}

// knobName names the knob(s) as a point's label shows them.
func (s Sweep) knobName() string {
	return Curve{Knob: s.Knob, Second: s.Second}.KnobName()
}

// second returns the second knob's value at point j, NaN for a sweep over
// one knob.
func (s Sweep) second(j int) float64 {
	if s.Second == "" {
		return math.NaN()
	}
	return s.Seconds[j]
}

// validate checks the sweep, naming it by its index i.
func (s Sweep) validate(i int) error {
	at := fmt.Sprintf("sweeps[%d]", i)
	switch {
	case s.Name == "":
		return fieldErr(at+".name", "must not be empty")
	case s.New == nil:
		return fieldErr(at+".new", "must be set")
	case len(s.Values) == 0:
		return fieldErr(at+".values", "must not be empty")
	case s.Second == "" && len(s.Seconds) > 0:
		return fieldErr(at+".second", "must name the knob of seconds")
	case s.Second != "" && len(s.Seconds) != len(s.Values):
		return fieldErr(at+".seconds", "has %d values for %d of values", len(s.Seconds), len(s.Values))
	}
	for j, v := range s.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fieldErr(fmt.Sprintf("%s.values[%d]", at, j), "must be finite")
		}
		if v2 := s.second(j); s.Second != "" && (math.IsNaN(v2) || math.IsInf(v2, 0)) {
			return fieldErr(fmt.Sprintf("%s.seconds[%d]", at, j), "must be finite")
		}
		for i := range j {
			if s.Values[i] == v && (s.Second == "" || s.Seconds[i] == s.Seconds[j]) {
				return fieldErr(fmt.Sprintf("%s.values[%d]", at, j), "%s is listed twice", s.label(j))
			}
		}
	}
	return nil
}

// label returns point j's label: its knob value and, when the sweep has a
// second knob and the point departs from its default, "/" and the second
// value, such as 0.98/0.7.
func (s Sweep) label(j int) string {
	return pointLabel(s.Values[j], s.second(j), s.SecondDefault)
}

func pointLabel(knob, second, secondDefault float64) string {
	if math.IsNaN(second) || sameKnob(second, secondDefault) {
		return knobLabel(knob)
	}
	return knobLabel(knob) + "/" + knobLabel(second)
}

// FrontierBase is what every point of a frontier shares: the trace, the
// settings (hence the seed) and the node pool.
type FrontierBase struct {
	// Demand is the trace, as in Job.
	Demand timeseries.Series
	// Settings configures the cluster, KEDA and the HPA, as in Job.
	Settings Settings
	// Nodes, when not nil, runs every point in a fresh pool of its own, as
	// CompareNodes does: NodeHours and NodeCost are then filled.
	Nodes *NodeBilling
}

// Frontier holds the curves of a RunFrontier.
type Frontier struct {
	// Oracle is the perfect-foresight bound on the same trace; every
	// point's Result.VsOracle refers to it.
	Oracle Result
	// Curves holds one Curve per Sweep, in the order given.
	Curves []Curve
}

// Curve returns the curve called name.
func (f Frontier) Curve(name string) (Curve, bool) {
	for _, c := range f.Curves {
		if c.Name == name {
			return c, true
		}
	}
	return Curve{}, false
}

// Curve is one policy's outcomes over its knob.
type Curve struct {
	// Name and Knob are the Sweep's.
	Name, Knob string
	// Default is the Sweep's default knob value.
	Default float64
	// Second and SecondDefault are the Sweep's second knob and its
	// default, "" and NaN for a curve over one knob.
	Second        string
	SecondDefault float64
	// Points holds one point per knob value, in the Sweep's order.
	Points []CurvePoint
}

// CurvePoint is the outcome of one policy at one knob value.
type CurvePoint struct {
	// Knob is the knob's value.
	Knob float64
	// Second is the second knob's value, NaN on a curve over one knob.
	Second float64
	// PodHours is Result.PodHours, in pod-hours.
	PodHours float64
	// UnservedFraction is Result.UnservedFraction, in [0, 1].
	UnservedFraction float64
	// NodeCost is the node pool's cost, node-hours × its price in $, or NaN
	// without a node pool.
	NodeCost float64
	// Result is the run's full Result, VsOracle filled.
	Result Result
}

// DefaultPoint returns the point at the curve's Default knob value.
func (c Curve) DefaultPoint() (CurvePoint, bool) {
	for _, p := range c.Points {
		if c.IsDefault(p) {
			return p, true
		}
	}
	return CurvePoint{}, false
}

// IsDefault reports whether p is at the curve's default knob value(s).
func (c Curve) IsDefault(p CurvePoint) bool {
	return sameKnob(p.Knob, c.Default) && (c.Second == "" || sameKnob(p.Second, c.SecondDefault))
}

// Label returns p's label as the point's policy name shows it after "@":
// its knob value and, on a curve over two knobs where p departs from the
// second's default, "/" and the second value, such as 0.98/0.7.
func (c Curve) Label(p CurvePoint) string {
	if c.Second == "" {
		return knobLabel(p.Knob)
	}
	return pointLabel(p.Knob, p.Second, c.SecondDefault)
}

// KnobName returns the name of what Label shows: the knob's name, and
// "/" and the second knob's on a curve over two knobs.
func (c Curve) KnobName() string {
	if c.Second == "" {
		return c.Knob
	}
	return c.Knob + "/" + c.Second
}

// SameKnobs reports whether p and q are at the same knob value(s).
func (p CurvePoint) SameKnobs(q CurvePoint) bool {
	return p.Knob == q.Knob && (p.Second == q.Second || math.IsNaN(p.Second) && math.IsNaN(q.Second))
}

// sameKnob reports whether two knob values are equal up to float noise.
func sameKnob(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*max(math.Abs(a), math.Abs(b), 1)
}

// knobLabel formats a knob value as the point's name shows it.
func knobLabel(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// RunFrontier runs the oracle and every sweep at every knob value on
// base's trace, all points in parallel on up to workers goroutines
// (GOMAXPROCS when workers <= 0), and returns one Curve per sweep. Each
// point is an independent run with base's settings and seed, so the
// outcome depends neither on workers nor on scheduling. Errors name the
// sweep and knob value at fault; on the first one the remaining runs are
// abandoned.
func RunFrontier(ctx context.Context, base FrontierBase, sweeps []Sweep, workers int) (Frontier, error) {
	var bill NodeBilling
	if base.Nodes != nil {
		var err error
		if bill, err = base.Nodes.prepare(base.Demand, base.Settings); err != nil {
			return Frontier{}, err
		}
	}
	points, err := frontierPoints(base, bill, sweeps)
	if err != nil {
		return Frontier{}, err
	}
	results := make([]Result, len(points))
	err = forEach(ctx, len(points), workers, func(ctx context.Context, i int) error {
		r, err := Run(ctx, points[i].job)
		if err != nil {
			return fmt.Errorf("simulating %s: %w", points[i].job.Policy.Name(), err)
		}
		results[i] = r
		return nil
	})
	if err != nil {
		return Frontier{}, err
	}
	return assemble(base, bill, sweeps, results, points), nil
}

// frontierPoint is one run of a frontier and its node meter, nil without
// a node pool.
type frontierPoint struct {
	job   Job
	meter *nodeMeter
}

// frontierPoints validates the sweeps and builds their runs, the oracle's
// first, each point's policy labelled name@knob.
func frontierPoints(base FrontierBase, bill NodeBilling, sweeps []Sweep) ([]frontierPoint, error) {
	points := []frontierPoint{{job: Job{Demand: base.Demand, Policy: Oracle{}, Settings: base.Settings}}}
	for i, sw := range sweeps {
		if err := sw.validate(i); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(sweeps[:i], func(o Sweep) bool { return o.Name == sw.Name }) {
			return nil, fieldErr(fmt.Sprintf("sweeps[%d].name", i), "%q is used twice", sw.Name)
		}
		for j, k := range sw.Values {
			p, err := sw.New(k, sw.second(j))
			if err != nil {
				return nil, fmt.Errorf("building %s at %s %s: %w", sw.Name, sw.knobName(), sw.label(j), err)
			}
			pt := frontierPoint{job: Job{Demand: base.Demand, Policy: Labelled{Policy: p, Label: sw.Name + "@" + sw.label(j)}, Settings: base.Settings}}
			if base.Nodes != nil {
				pt.meter = bill.meter(base.Demand.Start)
				pt.job.Nodes = pt.meter
			}
			points = append(points, pt)
		}
	}
	return points, nil
}

// assemble turns the runs' results, the oracle's first, into a Frontier:
// node costs from the points' meters, ratios to the oracle.
func assemble(base FrontierBase, bill NodeBilling, sweeps []Sweep, results []Result, points []frontierPoint) Frontier {
	end := base.Demand.End()
	f := Frontier{Oracle: results[0]}
	if base.Nodes != nil {
		f.Oracle.NodeHours = f.Oracle.PodHours / float64(bill.Pool.PodsPerNode)
		f.Oracle.Cost = f.Oracle.NodeHours * bill.PricePerNodeHour
	}
	f.Oracle.VsOracle = f.Oracle.Relative(f.Oracle)
	k := 1
	for _, sw := range sweeps {
		c := Curve{Name: sw.Name, Knob: sw.Knob, Default: sw.Default, Second: sw.Second, SecondDefault: math.NaN(),
			Points: make([]CurvePoint, len(sw.Values))}
		if sw.Second != "" {
			c.SecondDefault = sw.SecondDefault
		}
		for j, v := range sw.Values {
			r := results[k]
			p := CurvePoint{Knob: v, Second: sw.second(j), NodeCost: math.NaN()}
			if m := points[k].meter; m != nil {
				r.NodeHours = m.hours(end)
				r.Cost = r.NodeHours * bill.PricePerNodeHour
				p.NodeCost = r.Cost
			}
			r.VsOracle = r.Relative(f.Oracle)
			p.PodHours, p.UnservedFraction, p.Result = r.PodHours, r.UnservedFraction, r
			c.Points[j] = p
			k++
		}
		f.Curves = append(f.Curves, c)
	}
	return f
}
