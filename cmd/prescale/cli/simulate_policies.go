package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/simulator"
)

// policySpec is one entry of --policies: a kind, with an optional
// utilisation (0 for the default).
type policySpec struct {
	kind, label string
	utilisation float64
}

// parsePolicies reads --policies.
func parsePolicies(list []string) ([]policySpec, error) {
	if len(list) == 0 {
		return nil, fmt.Errorf("--policies: empty: give some of reactive, cron, predictive, oracle")
	}
	var out []policySpec
	for _, item := range list {
		item = strings.TrimSpace(item)
		kind, u, hasU := strings.Cut(item, "@")
		p := policySpec{kind: kind, label: item}
		switch kind {
		case "reactive", "cron", "predictive", "oracle":
		default:
			return nil, fmt.Errorf("--policies: unknown policy %q: use reactive, cron, predictive or oracle, optionally @utilisation", item)
		}
		if hasU {
			v, err := strconv.ParseFloat(u, 64)
			if kind == "oracle" || err != nil || !(v > 0 && v <= 1) {
				return nil, fmt.Errorf("--policies: %q: the utilisation after @ must be in (0,1], and the oracle takes none", item)
			}
			p.utilisation = v
		}
		if slices.ContainsFunc(out, func(q policySpec) bool { return q.label == p.label }) {
			return nil, fmt.Errorf("--policies: %q is listed twice", item)
		}
		out = append(out, p)
	}
	return out, nil
}

// startupSpec is one entry of --startup.
type startupSpec struct {
	label string
	delay simulator.Delay
	// p95 is the delay the predictive lead time covers: the fixed delay,
	// or the log-normal's 95th percentile.
	p95 time.Duration
}

// parseStartups reads --startup: durations, or P50/P95 pairs.
func parseStartups(list []string) ([]startupSpec, error) {
	if len(list) == 0 {
		return nil, fmt.Errorf("--startup: empty: give a delay such as 2m")
	}
	var out []startupSpec
	for _, item := range list {
		item = strings.TrimSpace(item)
		a, b, pair := strings.Cut(item, "/")
		p50, err := parseDuration(a)
		if err != nil || p50 < 0 {
			return nil, fmt.Errorf("--startup: %q is not a delay: use a duration such as 2m, or P50/P95 such as 40s/90s", item)
		}
		s := startupSpec{label: item, delay: simulator.Fixed(p50), p95: p50}
		if pair {
			p95, err := parseDuration(b)
			if err != nil || p50 <= 0 || p95 < p50 {
				return nil, fmt.Errorf("--startup: %q: P50/P95 needs 0 < P50 <= P95, such as 40s/90s", item)
			}
			s.delay, s.p95 = simulator.LogNormalFromQuantiles(p50, p95), p95
		}
		out = append(out, s)
	}
	return out, nil
}

// parseAssertions reads the --assert flags.
func parseAssertions(list []string) ([]simulator.Assertion, error) {
	out := make([]simulator.Assertion, 0, len(list))
	for _, s := range list {
		a, err := simulator.ParseAssertion(s)
		if err != nil {
			return nil, fmt.Errorf("--assert: %w", err)
		}
		out = append(out, a)
	}
	return out, nil
}

// parseZoneLoss reads TIME[@FRACTION] in loc.
func parseZoneLoss(s string, loc *time.Location) (simulator.ZoneLoss, error) {
	at, frac, hasFrac := strings.Cut(s, "@")
	t, err := timeseries.ParseTime(strings.TrimSpace(at), loc)
	if err != nil {
		return simulator.ZoneLoss{}, fmt.Errorf("--zone-loss: %q: %w", s, err)
	}
	z := simulator.ZoneLoss{At: t, Fraction: 1.0 / 3}
	if hasFrac {
		v, err := strconv.ParseFloat(strings.TrimSpace(frac), 64)
		if err != nil || !(v > 0 && v <= 1) {
			return z, fmt.Errorf("--zone-loss: %q: the fraction after @ must be in (0,1], such as 0.33", s)
		}
		z.Fraction = v
	}
	return z, nil
}

// build returns the simulator's policy for spec on scenario sc with the
// start-up st. Each call returns a new policy: the predictive one is
// stateful.
func (sc *scenario) build(spec policySpec, st startupSpec) (simulator.Policy, error) {
	u := spec.utilisation
	if u == 0 {
		u = sc.utilisation(spec.kind)
	}
	lead := st.p95 + sc.pred.leadMargin
	reactive := simulator.Reactive{Capacity: sc.capacity, Utilisation: u, Activation: sc.f.keda.reactiveActivation()}
	var p simulator.Policy
	switch spec.kind {
	case "reactive":
		p = reactive
	case "cron":
		ws, err := sc.cronWindows(lead)
		if err != nil {
			return nil, err
		}
		p = simulator.Cron{Reactive: reactive, Windows: ws}
	case "predictive":
		pred, err := simulator.NewPredictive(sc.predictiveConfig(u, lead))
		if err != nil {
			return nil, fmt.Errorf("predictive policy: %w", err)
		}
		p = pred
	default:
		return simulator.Oracle{}, nil
	}
	if spec.utilisation != 0 {
		p = simulator.Labelled{Policy: p, Label: spec.label}
	}
	return p, nil
}
