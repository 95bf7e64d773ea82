package simulator

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Cheapest returns the point of c with the fewest pod-hours among those
// whose unserved fraction is at most maxUnserved (a fraction of the
// demand, such as 0.001 for 0.1 %): the cheapest value of the curve's knob
// that meets a service-level objective on unserved demand. Of points with
// equal pod-hours the one leaving less demand unserved is returned, then
// the first in the curve's order. Points whose figures are not finite
// never qualify. ok is false when no point meets maxUnserved (a NaN
// maxUnserved included).
func (c Curve) Cheapest(maxUnserved float64) (p CurvePoint, ok bool) {
	for _, q := range c.Points {
		if !finiteFigure(q.PodHours) || !finiteFigure(q.UnservedFraction) || !(q.UnservedFraction <= maxUnserved) {
			continue
		}
		if !ok || cmp.Or(cmp.Compare(q.PodHours, p.PodHours), cmp.Compare(q.UnservedFraction, p.UnservedFraction)) < 0 {
			p, ok = q, true
		}
	}
	return p, ok
}

// DefaultTuneRisks are the risks TuneRisk tries by default: from the
// median of the growth to its 99.5th percentile.
var DefaultTuneRisks = []float64{0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995}

// RiskTuning is a replay on which TuneRisk chooses the risk of a
// risk-based predictive policy (policies.Policy.Risk).
type RiskTuning struct {
	// Demand is the replayed history; Settings the cluster, KEDA and HPA
	// it runs on.
	Demand   timeseries.Series
	Settings Settings
	// Config is the predictive policy; each point runs it at one risk.
	// Its Forecaster is shared between the points through a
	// CachedForecaster: it must depend on the history only.
	Config PredictiveConfig
	// Risks are the risks tried, each in (0, 1); empty means
	// DefaultTuneRisks.
	Risks []float64
	// SLO is the most unserved demand allowed, as a fraction of the
	// demand, in (0, 1): 0.001 is 0.1 %.
	SLO float64
}

// TunedRisk is TuneRisk's answer.
type TunedRisk struct {
	// Curve is the predictive policy's curve over the risks tried.
	Curve Curve
	// Chosen is the point with the fewest pod-hours whose unserved
	// fraction meets the SLO (Curve.Cheapest); OK is false when no risk
	// meets it, Chosen then being the point with the least unserved
	// demand.
	Chosen CurvePoint
	OK     bool
}

// TuneRisk replays t.Demand with the predictive policy at each of t.Risks
// and chooses the cheapest risk that meets t.SLO: what prescale tune does
// on a trace, and the scaler on its stored history.
func TuneRisk(ctx context.Context, t RiskTuning) (TunedRisk, error) {
	risks := t.Risks
	if len(risks) == 0 {
		risks = DefaultTuneRisks
	}
	switch {
	case !(t.SLO > 0 && t.SLO < 1):
		return TunedRisk{}, fieldErr("tuning.slo", "%v: must be in (0,1)", t.SLO)
	case slices.ContainsFunc(risks, func(r float64) bool { return !(r > 0 && r < 1) }):
		return TunedRisk{}, fieldErr("tuning.risks", "must each be in (0,1)")
	case t.Config.Forecaster == nil:
		return TunedRisk{}, fieldErr("tuning.config.forecaster", "must be set")
	}
	cfg := t.Config
	cfg.Forecaster = NewCachedForecaster(cfg.Forecaster)
	sweep := Sweep{Name: "predictive", Knob: "risk", Values: risks, Default: math.NaN(),
		New: func(r, _ float64) (Policy, error) {
			c := cfg
			c.Policy.Risk = r
			return NewPredictive(c)
		}}
	f, err := RunFrontier(ctx, FrontierBase{Demand: t.Demand, Settings: t.Settings}, []Sweep{sweep}, 0)
	if err != nil {
		return TunedRisk{}, err
	}
	out := TunedRisk{Curve: f.Curves[0]}
	if out.Chosen, out.OK = out.Curve.Cheapest(t.SLO); !out.OK {
		for i, p := range out.Curve.Points {
			if i == 0 || p.UnservedFraction < out.Chosen.UnservedFraction {
				out.Chosen = p
			}
		}
	}
	return out, nil
}
