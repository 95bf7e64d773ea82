package cli

import (
	"time"

	"github.com/prescale-dev/prescale/simulator"
)

// The predictive policy's risk knob, as --frontier-predictive sweeps it:
// its name, range and default here, and predictiveAt, which builds the
// policy at a value of it. The knob is the risk quantile
// (policies.Policy.Risk); the forecasts and the growth tables do not
// depend on it, so the points of a sweep share them.
const (
	predictiveKnobName = "risk"
	predictiveKnobHelp = "its risk quantile (as --risk), each in (0,1)"
	predictiveKnobWant = "risk quantiles in (0,1), such as 0.5,0.7,0.8,0.9,0.95,0.98"
)

// predictiveKnobValid reports whether v is a value of the knob.
func predictiveKnobValid(v float64) bool { return v > 0 && v < 1 }

// predictiveKnobDefault returns the knob's value the predictive policy
// runs at without --frontier.
func predictiveKnobDefault(sc *scenario) float64 { return sc.pred.risk }

// sharedForecaster returns the forecaster the predictive points of one
// sweep share through a cache, with the lead time lead: it must not
// depend on the knob.
func (sc *scenario) sharedForecaster(lead time.Duration) simulator.Forecaster {
	return sc.predictiveConfig(sc.pred.utilisation, lead).Forecaster
}

// predictiveAt returns a fresh predictive policy at knob value k with the
// lead time lead, forecasting through fc, which the points of one sweep
// share: fc must not depend on k.
func (sc *scenario) predictiveAt(k float64, lead time.Duration, fc simulator.Forecaster) (*simulator.Predictive, error) {
	cfg := sc.predictiveConfig(sc.pred.utilisation, lead)
	cfg.Policy.Risk = k
	cfg.Forecaster = fc
	return simulator.NewPredictive(cfg)
}
