package simulator

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFrontierAssertion(t *testing.T) {
	tests := []struct {
		in    string
		want  Assertion
		curve string
	}{
		{"frontier.predictive.unserved_ratio_at_default <= 0.2", Assertion{"frontier.predictive", "unserved_ratio_at_default", OpLessEqual, 0.2}, "predictive"},
		{" frontier.predictive.max_unserved_ratio<1", Assertion{"frontier.predictive", "max_unserved_ratio", OpLess, 1}, "predictive"},
		{"frontier.predictive@q.pod_hours_saved_at_default >= 0.1", Assertion{"frontier.predictive@q", "pod_hours_saved_at_default", OpGreaterEqual, 0.1}, "predictive@q"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseAssertion(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			curve, ok := got.FrontierCurve()
			assert.True(t, ok)
			assert.Equal(t, tc.curve, curve)
			again, err := ParseAssertion(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again, "String does not round-trip")
		})
	}
	a, err := ParseAssertion("predictive.unserved_fraction < 1")
	require.NoError(t, err)
	_, ok := a.FrontierCurve()
	assert.False(t, ok, "a run's assertion taken for a frontier's")
}

func TestParseFrontierAssertionErrors(t *testing.T) {
	tests := []struct {
		in     string
		column int
		reason string
	}{
		{"frontier.predictive.unserved_fraction < 1", 21, `unknown frontier metric "unserved_fraction": want one of unserved_ratio_at_default, max_unserved_ratio`},
		{"predictive.max_unserved_ratio < 1", 12, `"max_unserved_ratio" is a frontier metric: write frontier.predictive.max_unserved_ratio`},
		{"frontier..max_unserved_ratio < 1", 11, `"frontier..max_unserved_ratio" names no curve`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseAssertion(tc.in)
			var ae *AssertionError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.column, ae.Column)
			assert.Contains(t, ae.Reason, tc.reason)
		})
	}
}

func TestValidateFrontierAssertions(t *testing.T) {
	curves := []string{"reactive", "predictive"}
	tests := []struct {
		name string
		in   []string
		want string // "" for no error
	}{
		{"challenger", []string{"frontier.predictive.max_unserved_ratio <= 0.5", "frontier.predictive.pod_hours_saved_at_default > 0"}, ""},
		{"none", nil, ""},
		{"unknown curve", []string{"frontier.predictive.max_unserved_ratio <= 0.5", "frontier.predictve.max_unserved_ratio <= 0.5"},
			`assertion "frontier.predictve.max_unserved_ratio <= 0.5": no curve "predictve" in this run: have predictive`},
		{"the baseline", []string{"frontier.reactive.max_unserved_ratio <= 1"},
			`assertion "frontier.reactive.max_unserved_ratio <= 1": reactive is the baseline the curves are compared with: name one of predictive`},
		{"a run's assertion", []string{"predictive.unserved_fraction < 0.01"},
			`assertion "predictive.unserved_fraction < 0.01" checks one run, not a frontier: write frontier.POLICY.METRIC with POLICY one of predictive`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var as []Assertion
			for _, s := range tc.in {
				a, err := ParseAssertion(s)
				require.NoError(t, err)
				as = append(as, a)
			}
			err := ValidateFrontierAssertions(as, "reactive", curves)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrFrontierAssertion)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "error %q, want one starting %q", err, tc.want)
		})
	}
}

func TestCheckFrontier(t *testing.T) {
	c := handComparison()
	parse := func(s string) Assertion {
		a, err := ParseAssertion(s)
		require.NoError(t, err)
		return a
	}
	tests := []struct {
		in     string
		got    float64
		passed bool
	}{
		{"frontier.predictive.unserved_ratio_at_default <= 0.5", 0.5, true},
		{"frontier.predictive.max_unserved_ratio < 0.6", 0.625, false},
		{"frontier.predictive.median_unserved_ratio == 0.5", 0.5, true},
		{"frontier.predictive.pod_hours_saved_at_default >= 0.25", 0.25, true},
		{"frontier.predictive.min_pod_hours_saved > 0.2", 1 - 100.0/120, false},
		{"frontier.cron.max_unserved_ratio < 1", math.NaN(), false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			outs, passed := CheckFrontier(c, []Assertion{parse(tc.in)})
			require.Len(t, outs, 1)
			assert.Equal(t, tc.passed, passed)
			assert.Equal(t, tc.passed, outs[0].Passed)
			assert.Equal(t, "5m", outs[0].Startup)
			if math.IsNaN(tc.got) {
				assert.True(t, math.IsNaN(outs[0].Got), "got %v, want NaN", outs[0].Got)
				assert.Contains(t, outs[0].String(), "got undefined (outside the challenger's range)")
			} else {
				assert.InDelta(t, tc.got, outs[0].Got, 1e-9)
			}
		})
	}
	outs, passed := CheckFrontier(c, []Assertion{parse("frontier.predictive.max_unserved_ratio <= 1"), parse("frontier.predictive.max_unserved_ratio <= 0.1")})
	assert.False(t, passed)
	require.Len(t, outs, 2)
	assert.Equal(t, "ok   frontier.predictive.max_unserved_ratio <= 1 (start-up 5m): got 0.625", outs[0].String())
	assert.Equal(t, "FAIL frontier.predictive.max_unserved_ratio <= 0.1 (start-up 5m): got 0.625", outs[1].String())
}

func TestHeadlineSummaryMetricNames(t *testing.T) {
	s := HeadlineSummary{UnservedRatioAtDefault: 1, MaxUnservedRatio: 2, MedianUnservedRatio: 3,
		PodHoursSavedAtDefault: 4, MinPodHoursSaved: 5, MedianPodHoursSaved: 6}
	want := []float64{1, 2, 3, 4, 5, 6}
	names := FrontierMetricNames()
	require.Len(t, names, len(want))
	for i, name := range names {
		got, ok := s.Metric(name)
		require.True(t, ok, name)
		assert.Equal(t, want[i], got, name)
	}
	_, ok := s.Metric("unserved_fraction")
	assert.False(t, ok)
}
