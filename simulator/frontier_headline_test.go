package simulator

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handBaseline is a reactive curve against handChallenger: its default 0.7
// and 0.5 and 0.9 inside the challenger's pod-hours, 1 below them, 0.6
// dominated by 0.7.
func handBaseline() Curve {
	return curveOf("reactive", "target_utilisation", 0.7,
		[3]float64{0.5, 400, 0.004}, [3]float64{0.6, 250, 0.03}, [3]float64{0.7, 200, 0.02},
		[3]float64{0.9, 120, 0.08}, [3]float64{1, 50, 0.2})
}

func TestNewHeadlineRows(t *testing.T) {
	nan := math.NaN()
	// Computed by hand from the curves' points (see TestCurveUnservedAt).
	want := []struct {
		knob                      float64
		efficient, isDefault      bool
		unserved, ratio, ph, save float64
	}{
		// 0.0025 / 0.004; ln 2.5 / ln 4 of the way from 200 to 400 pod-hours.
		{0.5, true, false, 0.0025, 0.625, 332.1928094887362, 1 - 332.1928094887362/400},
		// 0.01 × 0.25^0.25; ln(4/3) / ln 4 of the way from 100 to 200.
		{0.6, false, false, 0.01 / math.Sqrt2, 0.01 / math.Sqrt2 / 0.03, 120.75187496394219, 1 - 120.75187496394219/250},
		{0.7, true, true, 0.01, 0.5, 150, 0.25},
		// 0.04 × 0.25^0.2; 8 % is above the challenger's 4 %, which its
		// cheapest point leaves for 100 pod-hours: bounds.
		{0.9, true, false, 0.04 * math.Pow(0.25, 0.2), 0.5 * math.Pow(0.25, 0.2), 100, 1 - 100.0/120},
		{1, true, false, nan, nan, nan, nan},
	}
	h := NewHeadline(handBaseline(), handChallenger())
	require.Len(t, h.Rows, len(want))
	assert.Equal(t, "reactive", h.Baseline)
	assert.Equal(t, "predictive", h.Challenger)
	for i, w := range want {
		r := h.Rows[i]
		assert.Equal(t, w.knob, r.Baseline.Knob, "row %d", i)
		assert.Equal(t, w.efficient, r.Efficient, "row %d (knob %v) efficient", i, w.knob)
		assert.Equal(t, w.isDefault, r.Default, "row %d (knob %v) default", i, w.knob)
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"challenger unserved", r.ChallengerUnserved, w.unserved},
			{"unserved ratio", r.UnservedRatio, w.ratio},
			{"challenger pod-hours", r.ChallengerPodHours, w.ph},
			{"pod-hours saved", r.PodHoursSaved, w.save},
		} {
			if math.IsNaN(f.want) {
				assert.True(t, math.IsNaN(f.got), "knob %v %s = %v, want NaN", w.knob, f.name, f.got)
			} else {
				assert.InDelta(t, f.want, f.got, 1e-9, "knob %v %s", w.knob, f.name)
			}
		}
	}
}

func TestNewHeadlineSummary(t *testing.T) {
	s := NewHeadline(handBaseline(), handChallenger()).Summary
	// The dominated 0.6 (ratio 0.236, saved 51.7 %) is left out: with it
	// the median ratio would be 0.44 and the median saving 25 %.
	assert.InDelta(t, 0.5, s.UnservedRatioAtDefault, 1e-12, "ratio at default")
	assert.InDelta(t, 0.25, s.PodHoursSavedAtDefault, 1e-12, "saved at default")
	assert.InDelta(t, 0.625, s.MaxUnservedRatio, 1e-12, "max ratio over 0.5, 0.7, 0.9")
	assert.InDelta(t, 0.5, s.MedianUnservedRatio, 1e-12, "median ratio over 0.5, 0.7, 0.9")
	// At 0.9 (120 pod-hours, 8 %) the saving is a bound: the challenger's
	// cheapest point (100, 4 %) already does better.
	assert.InDelta(t, 1-100.0/120, s.MinPodHoursSaved, 1e-9, "min saved over 0.5, 0.7, 0.9 (a bound)")
	assert.InDelta(t, 1-332.1928094887362/400, s.MedianPodHoursSaved, 1e-9, "median saved over 0.5, 0.7, 0.9")
	assert.Equal(t, 3, s.Compared)
}

func TestNewHeadlineEdgeCases(t *testing.T) {
	tests := []struct {
		name                string
		baseline, challenge Curve
		wantRatio           float64 // of the first row
		wantAtDefault       float64
	}{
		{"0/0 is 1", curveOf("b", "k", 1, [3]float64{1, 300, 0}),
			curveOf("c", "k", 0, [3]float64{1, 200, 0.001}, [3]float64{2, 300, 0}), 1, 1},
		{"x/0 is +Inf", curveOf("b", "k", 1, [3]float64{1, 250, 0}),
			curveOf("c", "k", 0, [3]float64{1, 200, 0.001}, [3]float64{2, 300, 0}), math.Inf(1), math.Inf(1)},
		{"0/x is 0", curveOf("b", "k", 1, [3]float64{1, 300, 0.01}),
			curveOf("c", "k", 0, [3]float64{1, 200, 0.001}, [3]float64{2, 300, 0}), 0, 0},
		{"no default point", curveOf("b", "k", 0.7, [3]float64{1, 300, 0.01}),
			curveOf("c", "k", 0, [3]float64{1, 200, 0.001}, [3]float64{2, 300, 0}), 0, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := NewHeadline(tc.baseline, tc.challenge)
			require.Len(t, h.Rows, 1)
			assert.Equal(t, tc.wantRatio, h.Rows[0].UnservedRatio)
			if math.IsNaN(tc.wantAtDefault) {
				assert.True(t, math.IsNaN(h.Summary.UnservedRatioAtDefault), "ratio at default %v, want NaN", h.Summary.UnservedRatioAtDefault)
			} else {
				assert.Equal(t, tc.wantAtDefault, h.Summary.UnservedRatioAtDefault)
			}
		})
	}
}

func TestNewHeadlineDisjointCurves(t *testing.T) {
	base := curveOf("b", "k", 1, [3]float64{1, 10, 0.5})
	s := NewHeadline(base, handChallenger()).Summary
	for _, name := range FrontierMetricNames() {
		v, ok := s.Metric(name)
		require.True(t, ok, name)
		assert.True(t, math.IsNaN(v), "%s = %v with no overlap, want NaN", name, v)
	}
	assert.Zero(t, s.Compared)
}

func TestFrontierHeadlines(t *testing.T) {
	f := Frontier{Curves: []Curve{handBaseline(), handChallenger()}}
	hs := f.Headlines("reactive")
	require.Len(t, hs, 1)
	assert.Equal(t, "predictive", hs[0].Challenger)
	assert.Nil(t, f.Headlines("hpa"), "no curve called hpa")
}

// TestNewHeadlineBounds checks the bounds a challenger dominating past its
// ends gives: a baseline point costlier than the challenger's costliest
// point, which leaves less unserved, is compared with that point (an upper
// bound on the ratio); one leaving more unserved than the challenger's
// cheapest point, which also costs less, gets a lower bound on the saving;
// a point the challenger's ends do not dominate stays out of range.
func TestNewHeadlineBounds(t *testing.T) {
	base := curveOf("reactive", "target_utilisation", 0.7,
		[3]float64{0.5, 800, 0.02}, [3]float64{0.7, 500, 0.05}, [3]float64{1, 120, 0.5}, [3]float64{1.1, 50, 0.9})
	h := NewHeadline(base, handChallenger())
	costly, def, cheap, cheapest := h.Rows[0], h.Rows[1], h.Rows[2], h.Rows[3]

	assert.True(t, costly.UnservedBound)
	assert.InDelta(t, 0.0025, costly.ChallengerUnserved, 1e-12, "the challenger's costliest efficient point")
	assert.InDelta(t, 0.125, costly.UnservedRatio, 1e-12)
	assert.True(t, def.UnservedBound)
	assert.InDelta(t, 0.05, def.UnservedRatio, 1e-12)
	assert.True(t, def.PodHoursBound, "5% is above the challenger's cheapest point's 4%, at 100 pod-hours")
	assert.InDelta(t, 0.8, def.PodHoursSaved, 1e-12)
	assert.False(t, cheap.UnservedBound, "inside the challenger's pod-hours range: interpolated")

	assert.True(t, cheap.PodHoursBound, "the challenger's cheapest point (100, 4%) leaves less than 50% for fewer pod-hours than 120")
	assert.InDelta(t, 1-100.0/120, cheap.PodHoursSaved, 1e-12)
	assert.False(t, cheapest.PodHoursBound, "costs less than the challenger's cheapest point: no bound")
	assert.True(t, math.IsNaN(cheapest.PodHoursSaved))

	s := h.Summary
	assert.InDelta(t, 0.05, s.UnservedRatioAtDefault, 1e-12)
	assert.Equal(t, 2, s.Bounded)
	assert.Equal(t, 3, s.Compared)
}

// TestNewHeadlineBoundsBothPerfect: beyond the challenger's costliest
// point, an HPA point that also leaves nothing unserved is bounded at the
// ratio 1 (equally perfect) for fewer pod-hours; one leaving less than
// the challenger's costliest point is not bounded.
func TestNewHeadlineBoundsBothPerfect(t *testing.T) {
	challenger := curveOf("predictive", "risk", 0.9, [3]float64{0.9, 100, 0.01}, [3]float64{0.98, 150, 0})
	base := curveOf("reactive", "target_utilisation", 0.7, [3]float64{0.5, 300, 0}, [3]float64{0.7, 200, 0.001})
	h := NewHeadline(base, challenger)
	perfect, def := h.Rows[0], h.Rows[1]
	assert.True(t, perfect.UnservedBound)
	assert.Equal(t, 1.0, perfect.UnservedRatio, "0/0: equally perfect")
	assert.InDelta(t, 0.5, perfect.PodHoursSaved, 1e-12, "nothing unserved for 150 pod-hours instead of 300")
	assert.True(t, def.UnservedBound)
	assert.Equal(t, 0.0, def.UnservedRatio)

	worse := curveOf("predictive", "risk", 0.9, [3]float64{0.9, 100, 0.01}, [3]float64{0.98, 150, 0.002})
	h = NewHeadline(base, worse)
	assert.False(t, h.Rows[1].UnservedBound, "0.2% left for 150 pod-hours does not bound the HPA's 0.1% at 200")
	assert.True(t, math.IsNaN(h.Rows[1].UnservedRatio))
}
