package simulator

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// curveOf returns a curve of points given as knob, pod-hours, unserved
// fraction triples.
func curveOf(name, knob string, def float64, pts ...[3]float64) Curve {
	c := Curve{Name: name, Knob: knob, Default: def}
	for _, p := range pts {
		r := Result{Policy: name + "@" + knobLabel(p[0]), PodHours: p[1], UnservedFraction: p[2]}
		c.Points = append(c.Points, CurvePoint{Knob: p[0], PodHours: p[1], UnservedFraction: p[2], NodeCost: math.NaN(), Result: r})
	}
	return c
}

// handChallenger is a curve whose efficient points fall by a factor of 4
// per 100 then 200 pod-hours: (100, 4 %), (200, 1 %), (400, 0.25 %); its
// knob 0.5 point is dominated by knob 0.6's.
func handChallenger() Curve {
	return curveOf("predictive", "predictive_utilisation", 1/1.1,
		[3]float64{0.5, 450, 0.003}, [3]float64{0.6, 400, 0.0025}, [3]float64{0.8, 200, 0.01}, [3]float64{1, 100, 0.04})
}

func TestCurveEfficient(t *testing.T) {
	tests := []struct {
		name  string
		curve Curve
		want  []float64 // knobs, in increasing pod-hours
	}{
		{"dominated point left out", handChallenger(), []float64{1, 0.8, 0.6}},
		{"equal unserved: the cheaper", curveOf("c", "k", 0, [3]float64{1, 100, 0.01}, [3]float64{2, 200, 0.01}), []float64{1}},
		{"equal pod-hours: the lower unserved", curveOf("c", "k", 0, [3]float64{1, 100, 0.02}, [3]float64{2, 100, 0.01}), []float64{2}},
		{"identical points: the first", curveOf("c", "k", 0, [3]float64{1, 100, 0.01}, [3]float64{2, 100, 0.01}), []float64{1}},
		{"NaN left out", curveOf("c", "k", 0, [3]float64{1, math.NaN(), 0.01}, [3]float64{2, 100, 0.02}), []float64{2}},
		{"empty", Curve{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []float64
			for _, p := range tc.curve.Efficient() {
				got = append(got, p.Knob)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCurveUnservedAt(t *testing.T) {
	zero := curveOf("z", "k", 0, [3]float64{1, 100, 0.01}, [3]float64{2, 300, 0})
	tests := []struct {
		name     string
		curve    Curve
		podHours float64
		want     float64
		ok       bool
	}{
		{"at a point", handChallenger(), 200, 0.01, true},
		{"first point", handChallenger(), 100, 0.04, true},
		{"last point", handChallenger(), 400, 0.0025, true},
		// sqrt(0.04 × 0.01): the geometric mean halfway.
		{"halfway, geometric", handChallenger(), 150, 0.02, true},
		{"halfway of the second segment", handChallenger(), 300, 0.005, true},
		// 0.01 × 0.25^0.25 = 0.01 / sqrt(2).
		{"a quarter of the way", handChallenger(), 250, 0.01 / math.Sqrt2, true},
		{"below the range", handChallenger(), 99, math.NaN(), false},
		{"above the range: the dominated point does not extend it", handChallenger(), 420, math.NaN(), false},
		{"to zero: linear", zero, 200, 0.005, true},
		{"at zero", zero, 300, 0, true},
		{"empty curve", Curve{}, 1, math.NaN(), false},
		{"single point, at it", curveOf("s", "k", 0, [3]float64{1, 10, 0.1}), 10, 0.1, true},
		{"single point, beside it", curveOf("s", "k", 0, [3]float64{1, 10, 0.1}), 11, math.NaN(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.curve.UnservedAt(tc.podHours)
			require.Equal(t, tc.ok, ok, "UnservedAt(%v) ok", tc.podHours)
			if !ok {
				assert.True(t, math.IsNaN(got), "UnservedAt(%v) = %v outside the range, want NaN", tc.podHours, got)
				return
			}
			assert.InDelta(t, tc.want, got, 1e-12, "UnservedAt(%v)", tc.podHours)
		})
	}
}

func TestCurvePodHoursAt(t *testing.T) {
	zero := curveOf("z", "k", 0, [3]float64{1, 100, 0.01}, [3]float64{2, 300, 0})
	tests := []struct {
		name     string
		curve    Curve
		unserved float64
		want     float64
		ok       bool
	}{
		{"at a point", handChallenger(), 0.01, 200, true},
		{"halfway, geometric", handChallenger(), 0.02, 150, true},
		// ln(0.01/0.004) / ln(0.01/0.0025) = ln 2.5 / ln 4 = 0.660964 of 200.
		{"inside the second segment", handChallenger(), 0.004, 332.1928094887362, true},
		{"above the range", handChallenger(), 0.05, math.NaN(), false},
		{"below the range", handChallenger(), 0.002, math.NaN(), false},
		// (0.01 − 0.0025) / 0.01 = 0.75 of 200.
		{"to zero: linear", zero, 0.0025, 250, true},
		{"zero", zero, 0, 300, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.curve.PodHoursAt(tc.unserved)
			require.Equal(t, tc.ok, ok, "PodHoursAt(%v) ok", tc.unserved)
			if !ok {
				assert.True(t, math.IsNaN(got), "PodHoursAt(%v) = %v outside the range, want NaN", tc.unserved, got)
				return
			}
			assert.InDelta(t, tc.want, got, 1e-9, "PodHoursAt(%v)", tc.unserved)
		})
	}
}

// PodHoursAt inverts UnservedAt over the whole range.
func TestCurvePodHoursAtInvertsUnservedAt(t *testing.T) {
	c := handChallenger()
	for x := 100.0; x <= 400; x += 7 {
		u, ok := c.UnservedAt(x)
		require.True(t, ok, "UnservedAt(%v)", x)
		back, ok := c.PodHoursAt(u)
		require.True(t, ok, "PodHoursAt(%v)", u)
		assert.InDelta(t, x, back, 1e-9, "PodHoursAt(UnservedAt(%v))", x)
	}
}
