package simulator

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseAssertion(t *testing.T) {
	tests := []struct {
		in   string
		want Assertion
	}{
		{"predictive.unserved_fraction < 0.001", Assertion{"predictive", "unserved_fraction", OpLess, 0.001}},
		{"  predictive.pod_hours_vs_oracle<=1.3 ", Assertion{"predictive", "pod_hours_vs_oracle", OpLessEqual, 1.3}},
		{"reactive@0.5.peak_replicas == 41", Assertion{"reactive@0.5", "peak_replicas", OpEqual, 41}},
		{"oracle.scale_events >= 1e3", Assertion{"oracle", "scale_events", OpGreaterEqual, 1000}},
		{"cron.cost > -2", Assertion{"cron", "cost", OpGreater, -2}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseAssertion(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("ParseAssertion(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseAssertionErrors(t *testing.T) {
	tests := []struct {
		in     string
		column int
		reason string
	}{
		{"predictive.unserved_fraction", 29, "no comparison"},
		{"predictive.unserved_fraction = 1", 30, `unknown operator "="`},
		{"predictive.unserved_fraction != 1", 30, `unknown operator "!="`},
		{"predictive.unserved_fraction <== 1", 30, `unknown operator "<=="`},
		{"predictive.unserved < 1", 12, `unknown metric "unserved"`},
		{"unserved_fraction < 1", 1, "is not policy.metric"},
		{" .unserved_fraction < 1", 2, "is not policy.metric"},
		{"my policy.cost < 1", 3, "space in policy name"},
		{"predictive.cost < ", 19, `"" is not a finite number`},
		{"predictive.cost < NaN", 19, "not a finite number"},
		{"predictive.cost < 1e999", 19, "not a finite number"},
		{"predictive.cost <  two", 20, `"two" is not a finite number`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseAssertion(tc.in)
			var ae *AssertionError
			if !errors.As(err, &ae) || !errors.Is(err, ErrAssertion) {
				t.Fatalf("ParseAssertion(%q) = %v, want an *AssertionError", tc.in, err)
			}
			if ae.Column != tc.column || !strings.Contains(ae.Reason, tc.reason) {
				t.Errorf("ParseAssertion(%q): column %d, %q; want column %d, reason containing %q", tc.in, ae.Column, ae.Reason, tc.column, tc.reason)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	oracle := Result{Policy: "oracle", PodHours: 10}
	pred := Result{Policy: "predictive", UnservedFraction: 0.002, PodHours: 12}
	pred.VsOracle = pred.Relative(oracle)
	slow := Result{Policy: "predictive", UnservedFraction: 0.0005, PodHours: 15}
	slow.VsOracle = slow.Relative(oracle)
	c := Comparison{Startups: []StartupReport{
		{Startup: "2m", Oracle: oracle, Results: []Result{pred}},
		{Startup: "5m", Oracle: oracle, Results: []Result{slow}},
	}}
	tests := []struct {
		in         string
		wantPassed []bool // per start-up
	}{
		{"predictive.unserved_fraction < 0.001", []bool{false, true}},
		{"predictive.pod_hours_vs_oracle <= 1.2", []bool{true, false}},
		{"oracle.pod_hours == 10", []bool{true, true}},
		{"reactive.pod_hours < 100", []bool{false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			a, err := ParseAssertion(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			outs, all := Check(c, []Assertion{a})
			allWant := true
			for i, o := range outs {
				allWant = allWant && tc.wantPassed[i]
				if o.Passed != tc.wantPassed[i] || o.Startup != c.Startups[i].Startup {
					t.Errorf("start-up %s: %s, want passed=%v", c.Startups[i].Startup, o, tc.wantPassed[i])
				}
			}
			if all != allWant {
				t.Errorf("all passed = %v, want %v", all, allWant)
			}
		})
	}
}

func TestOutcomeString(t *testing.T) {
	a := Assertion{"predictive", "unserved_fraction", OpLess, 0.001}
	tests := []struct {
		o    Outcome
		want string
	}{
		{Outcome{a, "5m", 0.0023, false}, "FAIL predictive.unserved_fraction < 0.001 (start-up 5m): got 0.0023"},
		{Outcome{a, "5m", 0, true}, "ok   predictive.unserved_fraction < 0.001 (start-up 5m): got 0"},
		{Outcome{a, "5m", math.NaN(), false}, "FAIL predictive.unserved_fraction < 0.001 (start-up 5m): got no such policy"},
	}
	for _, tc := range tests {
		if got := tc.o.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

func FuzzParseAssertion(f *testing.F) {
	for _, s := range []string{
		"predictive.unserved_fraction < 0.001", "reactive@0.5.pod_hours_vs_oracle<=1.3", "a.b == 1",
		"x.cost >= -1e-3", "..cost > 0", "p.cost <= 0x1p-2", "p.cost < 1_0", "p.q\t<\t1", "<", "p.cost <= =",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAssertion(s)
		if err != nil {
			var ae *AssertionError
			if !errors.As(err, &ae) || ae.Column < 1 || ae.Column > len(s)+1 {
				t.Fatalf("ParseAssertion(%q): %v, want an *AssertionError with a column in [1,%d]", s, err, len(s)+1)
			}
			return
		}
		if math.IsNaN(a.Value) || math.IsInf(a.Value, 0) || a.Policy == "" {
			t.Fatalf("ParseAssertion(%q) = %+v: accepted a non-finite value or empty policy", s, a)
		}
		back, err := ParseAssertion(a.String())
		if err != nil || back != a {
			t.Fatalf("round trip of %q: %q parses to %+v, %v; want %+v", s, a.String(), back, err, a)
		}
	})
}
