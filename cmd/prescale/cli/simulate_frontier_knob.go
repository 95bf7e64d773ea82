package cli

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/simulator"
)

// The predictive policy's knobs, as --frontier-predictive sweeps them:
// their names, ranges and defaults here, and predictiveAt, which builds
// the policy at a point. The first knob is the risk quantile
// (policies.Policy.Risk), the second the target utilisation the served
// value is divided by (--predictive-utilization): the risk spends pods
// where the learned growth says the demand may rise, the utilisation
// everywhere, which covers what no quantile of the growth foresees (a
// one-sample spike of the metric) and lets the curve reach as far as the
// HPA's. The forecasts and the growth tables depend on neither, so the
// points of a sweep share them.
const (
	predictiveKnobName   = "risk"
	predictiveSecondName = "target_utilisation"
	predictiveKnobHelp   = "each a risk quantile in (0,1) (as --risk), optionally /U with U the target utilisation in (0,1] it runs at (--predictive-utilization when absent), such as 0.98/0.7; the curve is their efficient envelope"
	predictiveKnobWant   = "risk quantiles in (0,1), each optionally /U with a target utilisation U in (0,1], such as 0.5,0.9,0.98/0.7"
)

// predictivePoint is one point of the predictive sweep: a risk and the
// target utilisation it runs at, NaN for --predictive-utilization.
type predictivePoint struct{ risk, utilisation float64 }

// defaultPredictivePoints are --frontier-predictive's default: the risks
// at --predictive-utilization (the pods' full capacity, the HPA's
// tolerance worked around with the running replicas: see
// policies.Policy.Tolerance), then the middle of the range again at
// utilisation 0.9, which leaves the tolerance's room as headroom (on noisy
// traffic without events it serves a little more for the same pod-hours,
// BENCHMARKS.md), then the safe end at risk 0.98 with more headroom, down
// to the HPA's 0.4 (the reactive curve's default range). The curve is
// their efficient envelope.
var defaultPredictivePoints = []predictivePoint{
	{0.2, math.NaN()}, {0.3, math.NaN()}, {0.5, math.NaN()}, {0.7, math.NaN()}, {0.8, math.NaN()},
	{0.9, math.NaN()}, {0.95, math.NaN()}, {0.98, math.NaN()},
	{0.7, 0.9}, {0.8, 0.9}, {0.9, 0.9}, {0.95, 0.9}, {0.98, 0.9}, {0.99, 0.9},
	{0.98, 0.8}, {0.98, 0.7}, {0.98, 0.6}, {0.98, 0.5}, {0.98, 0.4},
}

// String formats the point as the flag takes it.
func (p predictivePoint) String() string {
	s := strconv.FormatFloat(p.risk, 'g', -1, 64)
	if !math.IsNaN(p.utilisation) {
		s += "/" + strconv.FormatFloat(p.utilisation, 'g', -1, 64)
	}
	return s
}

// parsePredictivePoint parses RISK or RISK/UTILISATION.
func parsePredictivePoint(s string) (predictivePoint, error) {
	p := predictivePoint{utilisation: math.NaN()}
	r, u, hasU := strings.Cut(strings.TrimSpace(s), "/")
	var err error
	if p.risk, err = strconv.ParseFloat(r, 64); err != nil || !predictiveKnobValid(p.risk) {
		return p, fmt.Errorf("%q: the risk %q is not in (0,1)", s, r)
	}
	if hasU {
		if p.utilisation, err = strconv.ParseFloat(u, 64); err != nil || !validUtilisation(p.utilisation) {
			return p, fmt.Errorf("%q: the target utilisation %q is not in (0,1]", s, u)
		}
	}
	return p, nil
}

// predictivePointsFlag is the pflag.Value of --frontier-predictive, a
// comma-separated list of points, writing to dst.
func predictivePointsFlag(dst *[]predictivePoint) *listFlag[predictivePoint] {
	return &listFlag[predictivePoint]{dst: dst, typ: "points", format: joinPoints,
		parse: func(s string) (predictivePoint, error) {
			p, err := parsePredictivePoint(s)
			if err != nil {
				return p, fmt.Errorf("%w: use %s", err, predictiveKnobWant)
			}
			return p, nil
		}}
}

func samePredictivePoint(a, b predictivePoint) bool {
	return a.risk == b.risk && (a.utilisation == b.utilisation || math.IsNaN(a.utilisation) && math.IsNaN(b.utilisation))
}

// joinPoints formats points as the flag takes them.
func joinPoints(ps []predictivePoint) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

// checkPredictivePoints checks the points: not empty, none twice as
// written.
func checkPredictivePoints(flag string, ps []predictivePoint) error {
	if len(ps) == 0 {
		return fmt.Errorf("%s: empty: give %s", flag, predictiveKnobWant)
	}
	for i, p := range ps {
		if slices.IndexFunc(ps, func(q predictivePoint) bool { return samePredictivePoint(p, q) }) < i {
			return fmt.Errorf("%s: %s is listed twice", flag, p)
		}
	}
	return nil
}

// predictiveKnobValid reports whether v is a value of the risk knob.
func predictiveKnobValid(v float64) bool { return v > 0 && v < 1 }

// predictiveKnobDefault returns the risk the predictive policy runs at
// without --frontier.
func predictiveKnobDefault(sc *scenario) float64 { return sc.pred.risk }

// predictivePoints returns the sweep's risks and utilisations, a point
// without a utilisation at --predictive-utilization; a point that then
// repeats an earlier one (such as 0.5/1 under --predictive-utilization 1)
// runs once.
func (sc *scenario) predictivePoints() (risks, utilisations []float64) {
	for _, p := range sc.f.frontier.predictive {
		u := p.utilisation
		if math.IsNaN(u) {
			u = sc.pred.utilisation
		}
		dup := false
		for i := range risks {
			dup = dup || risks[i] == p.risk && utilisations[i] == u
		}
		if !dup {
			risks, utilisations = append(risks, p.risk), append(utilisations, u)
		}
	}
	return risks, utilisations
}

// sharedForecaster returns the forecaster the predictive points of one
// sweep share through a cache, with the lead time lead: it must not
// depend on the knobs.
func (sc *scenario) sharedForecaster(lead time.Duration) simulator.Forecaster {
	return sc.predictiveConfig(sc.pred.utilisation, lead).Forecaster
}

// predictiveAt returns a fresh predictive policy at risk k and target
// utilisation u with the lead time lead, forecasting through fc, which
// the points of one sweep share: fc must not depend on k or u.
func (sc *scenario) predictiveAt(k, u float64, lead time.Duration, fc simulator.Forecaster) (*simulator.Predictive, error) {
	cfg := sc.predictiveConfig(u, lead)
	cfg.Policy.Risk = k
	cfg.Forecaster = fc
	return simulator.NewPredictive(cfg)
}
