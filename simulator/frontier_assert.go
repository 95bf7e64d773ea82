package simulator

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// FrontierPrefix starts the Policy of a frontier Assertion:
// "frontier.predictive.max_unserved_ratio <= 0.5" checks the predictive
// curve's Headline against the baseline.
const FrontierPrefix = "frontier."

// frontierMetric is one figure of a HeadlineSummary.
type frontierMetric struct {
	name  string
	value func(HeadlineSummary) float64
}

func frontierMetrics() []frontierMetric {
	return []frontierMetric{
		{"unserved_ratio_at_default", func(s HeadlineSummary) float64 { return s.UnservedRatioAtDefault }},
		{"max_unserved_ratio", func(s HeadlineSummary) float64 { return s.MaxUnservedRatio }},
		{"median_unserved_ratio", func(s HeadlineSummary) float64 { return s.MedianUnservedRatio }},
		{"pod_hours_saved_at_default", func(s HeadlineSummary) float64 { return s.PodHoursSavedAtDefault }},
		{"min_pod_hours_saved", func(s HeadlineSummary) float64 { return s.MinPodHoursSaved }},
		{"median_pod_hours_saved", func(s HeadlineSummary) float64 { return s.MedianPodHoursSaved }},
	}
}

// FrontierMetricNames returns the names of a HeadlineSummary's figures as
// the frontier JSON and the frontier assertions spell them.
func FrontierMetricNames() []string {
	var out []string
	for _, m := range frontierMetrics() {
		out = append(out, m.name)
	}
	return out
}

// Metric returns the figure of s called name (one of FrontierMetricNames);
// ok is false for an unknown name.
func (s HeadlineSummary) Metric(name string) (v float64, ok bool) {
	for _, m := range frontierMetrics() {
		if m.name == name {
			return m.value(s), true
		}
	}
	return math.NaN(), false
}

// FrontierCurve returns the curve a frontier assertion names, such as
// "predictive"; ok is false for an assertion on single runs.
func (a Assertion) FrontierCurve() (curve string, ok bool) {
	return strings.CutPrefix(a.Policy, FrontierPrefix)
}

// metricProblem says what is wrong with a's metric for its kind, "" when
// nothing is.
func (a Assertion) metricProblem() string {
	_, runMetric := (Result{}).Metric(a.Metric)
	_, frontierMetric := (HeadlineSummary{}).Metric(a.Metric)
	curve, frontier := a.FrontierCurve()
	switch {
	case frontier && curve == "":
		return fmt.Sprintf("%q names no curve: want frontier.POLICY.METRIC", a.Policy+"."+a.Metric)
	case frontier && !frontierMetric:
		return fmt.Sprintf("unknown frontier metric %q: want one of %s", a.Metric, strings.Join(FrontierMetricNames(), ", "))
	case !frontier && frontierMetric:
		return fmt.Sprintf("%q is a frontier metric: write frontier.%s.%s", a.Metric, a.Policy, a.Metric)
	case !frontier && !runMetric:
		return fmt.Sprintf("unknown metric %q: want one of %s", a.Metric, strings.Join(MetricNames(), ", "))
	}
	return ""
}

// ErrFrontierAssertion is wrapped by the errors of
// ValidateFrontierAssertions.
var ErrFrontierAssertion = errors.New("assertion does not fit the frontier")

// ValidateFrontierAssertions checks, before anything runs, that every
// assertion is a frontier assertion naming one of curves (the names of the
// sweeps to run) other than baseline, the curve the others are compared
// with. The error, which wraps ErrFrontierAssertion, names the first
// assertion at fault and the curves it may name.
func ValidateFrontierAssertions(as []Assertion, baseline string, curves []string) error {
	challengers := slices.DeleteFunc(slices.Clone(curves), func(c string) bool { return c == baseline })
	have := strings.Join(challengers, ", ")
	for _, a := range as {
		curve, ok := a.FrontierCurve()
		switch {
		case !ok:
			return fmt.Errorf("assertion %q checks one run, not a frontier: write frontier.POLICY.METRIC with POLICY one of %s: %w", a, have, ErrFrontierAssertion)
		case curve == baseline:
			return fmt.Errorf("assertion %q: %s is the baseline the curves are compared with: name one of %s: %w", a, curve, have, ErrFrontierAssertion)
		case !slices.Contains(challengers, curve):
			return fmt.Errorf("assertion %q: no curve %q in this run: have %s: %w", a, curve, have, ErrFrontierAssertion)
		}
	}
	return nil
}

// CheckFrontier checks frontier assertions against every run of c, in
// order: one Outcome per assertion and run, its Startup the run's. A
// figure that is not defined (NaN: no baseline point inside the
// challenger's range) fails, as does a curve missing from a run.
func CheckFrontier(c FrontierComparison, as []Assertion) (outcomes []Outcome, passed bool) {
	passed = true
	for _, a := range as {
		curve, _ := a.FrontierCurve()
		for _, run := range c.Runs {
			o := Outcome{Assertion: a, Startup: run.Startup, Got: math.NaN()}
			for _, h := range run.Frontier.Headlines(c.Baseline) {
				if h.Challenger == curve {
					o.Got, _ = h.Summary.Metric(a.Metric)
					o.Passed = a.Op.holds(o.Got, a.Value)
				}
			}
			passed = passed && o.Passed
			outcomes = append(outcomes, o)
		}
	}
	return outcomes, passed
}
