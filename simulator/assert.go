package simulator

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Op is the comparison of an Assertion.
type Op string

// The comparisons an Assertion may make.
const (
	OpLess         Op = "<"
	OpLessEqual    Op = "<="
	OpGreater      Op = ">"
	OpGreaterEqual Op = ">="
	OpEqual        Op = "=="
)

// holds reports whether got op want.
func (o Op) holds(got, want float64) bool {
	switch o {
	case OpLess:
		return got < want
	case OpLessEqual:
		return got <= want
	case OpGreater:
		return got > want
	case OpGreaterEqual:
		return got >= want
	case OpEqual:
		return got == want
	}
	return false
}

// Assertion is a check on one figure of one policy, such as
// "predictive.unserved_fraction < 0.001" or
// "predictive.pod_hours_vs_oracle <= 1.3", for continuous integration. A
// frontier assertion, whose Policy is "frontier." followed by a curve's
// name, checks a figure of that curve's Headline against the baseline,
// such as "frontier.predictive.max_unserved_ratio <= 0.5" (see
// CheckFrontier).
type Assertion struct {
	// Policy is the policy's name as reported ("oracle" for the bound), or
	// "frontier." and a curve's name.
	Policy string
	// Metric is one of MetricNames, or of FrontierMetricNames for a
	// frontier assertion.
	Metric string
	// Op compares the figure with Value.
	Op Op
	// Value is the bound, a finite number.
	Value float64
}

// String returns the assertion as ParseAssertion reads it.
func (a Assertion) String() string {
	return fmt.Sprintf("%s.%s %s %s", a.Policy, a.Metric, a.Op, strconv.FormatFloat(a.Value, 'g', -1, 64))
}

// ErrAssertion is wrapped by every error ParseAssertion returns.
var ErrAssertion = errors.New("invalid assertion")

// AssertionError is a syntax error in an assertion: the input, the
// 1-based column (in bytes) where the problem is, and the reason.
type AssertionError struct {
	Input  string
	Column int
	Reason string
}

// Error returns "assertion "input": column N: reason".
func (e *AssertionError) Error() string {
	return fmt.Sprintf("assertion %q: column %d: %s", e.Input, e.Column, e.Reason)
}

// Unwrap returns ErrAssertion.
func (e *AssertionError) Unwrap() error { return ErrAssertion }

// ParseAssertion reads "policy.metric op number": the policy's name (any
// characters but spaces and the operators; the metric is after its last
// dot), a metric of MetricNames, an operator among < <= > >= ==, and a
// finite number; or "frontier.curve.metric op number" with a metric of
// FrontierMetricNames. Spaces around the parts are ignored.
func ParseAssertion(s string) (Assertion, error) {
	fail := func(col int, format string, args ...any) (Assertion, error) {
		return Assertion{}, &AssertionError{Input: s, Column: col + 1, Reason: fmt.Sprintf(format, args...)}
	}
	i := strings.IndexAny(s, "<>=!")
	if i < 0 {
		return fail(len(s), "no comparison: want policy.metric OP number with OP one of < <= > >= ==")
	}
	op, n := readOp(s[i:])
	if op == "" {
		return fail(i, "unknown operator %q: want one of < <= > >= ==", opToken(s[i:]))
	}
	left := strings.TrimSpace(s[:i])
	dot := strings.LastIndexByte(left, '.')
	lead := len(s[:i]) - len(strings.TrimLeftFunc(s[:i], unicode.IsSpace))
	if dot <= 0 {
		return fail(lead, "%q is not policy.metric", left)
	}
	a := Assertion{Policy: left[:dot], Metric: left[dot+1:], Op: op}
	if j := strings.IndexFunc(a.Policy, unicode.IsSpace); j >= 0 {
		return fail(lead+j, "space in policy name %q", a.Policy)
	}
	if reason := a.metricProblem(); reason != "" {
		return fail(lead+dot+1, "%s", reason)
	}
	rest := s[i+n:]
	num := strings.TrimSpace(rest)
	col := i + n + len(rest) - len(strings.TrimLeftFunc(rest, unicode.IsSpace))
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fail(col, "%q is not a finite number", num)
	}
	a.Value = v
	return a, nil
}

// readOp returns the operator at the start of s and its length, or "".
func readOp(s string) (Op, int) {
	for _, op := range []Op{OpLessEqual, OpGreaterEqual, OpEqual, OpLess, OpGreater} {
		if strings.HasPrefix(s, string(op)) {
			if len(s) > len(op) && strings.ContainsRune("<>=!", rune(s[len(op)])) {
				return "", 0
			}
			return op, len(op)
		}
	}
	return "", 0
}

// opToken returns the run of operator characters at the start of s.
func opToken(s string) string {
	n := 0
	for n < len(s) && strings.ContainsRune("<>=!", rune(s[n])) {
		n++
	}
	return s[:n]
}

// Outcome is an assertion checked against one StartupReport.
type Outcome struct {
	Assertion Assertion
	// Startup is the report's start-up delay.
	Startup string
	// Got is the figure, NaN when the policy was not in the report.
	Got float64
	// Passed reports whether the assertion holds.
	Passed bool
}

// String describes the outcome in words, such as
// "FAIL predictive.unserved_fraction < 0.001 (start-up 5m): got 0.0023".
func (o Outcome) String() string {
	status := "ok  "
	if !o.Passed {
		status = "FAIL"
	}
	return fmt.Sprintf("%s %s (start-up %s): got %s", status, o.Assertion, o.Startup, o.gotString(6))
}

// gotString formats the outcome's figure with digits significant digits,
// saying why when it is NaN.
func (o Outcome) gotString(digits int) string {
	if !math.IsNaN(o.Got) {
		return strconv.FormatFloat(o.Got, 'g', digits, 64)
	}
	if _, ok := o.Assertion.FrontierCurve(); ok {
		return "undefined (outside the challenger's range)"
	}
	return "no such policy"
}

// Check checks the assertions against every StartupReport of c, in order: one
// Outcome per assertion and run. A policy missing from a report fails.
func Check(c Comparison, as []Assertion) (outcomes []Outcome, passed bool) {
	passed = true
	for _, a := range as {
		for _, run := range c.Startups {
			o := Outcome{Assertion: a, Startup: run.Startup, Got: math.NaN()}
			if r, ok := run.Find(a.Policy); ok {
				o.Got, _ = r.Metric(a.Metric)
				o.Passed = a.Op.holds(o.Got, a.Value)
			}
			passed = passed && o.Passed
			outcomes = append(outcomes, o)
		}
	}
	return outcomes, passed
}
