package simulator

import (
	"cmp"
	"context"
	"fmt"
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

// DefaultTuneUtilisations are the lower target utilisations a tuning tries
// at DefaultUtilisationRisk after its risks (prescale tune's
// --utilizations, the scaler's re-tuning): down to the HPA's 0.4, for an
// SLO the risks alone cannot meet.
var DefaultTuneUtilisations = []float64{0.8, 0.7, 0.6, 0.5, 0.4}

// DefaultUtilisationRisk is the risk the utilisation points of a tuning
// run at: high enough that the growth covers what it can foresee, low
// enough that its quantile rests on many samples; the utilisation adds
// headroom everywhere, for what no quantile of the growth foresees.
const DefaultUtilisationRisk = 0.98

// RiskTuning is a replay on which TuneRisk chooses the risk of a
// risk-based predictive policy (policies.Policy.Risk), and when asked its
// headroom (policies.Policy.Headroom).
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
	// Utilisations are target utilisations of the pods' capacity
	// (Settings.Pods.Capacity), each in (0, Config.Policy.TargetPerPod /
	// Settings.Pods.Capacity], tried after the risks at UtilisationRisk:
	// a point at utilisation u runs the policy with the headroom
	// TargetPerPod / (Capacity × u), serving what a target that much lower
	// would while the HPA's target stays. Empty means none.
	Utilisations []float64
	// UtilisationRisk is the risk the utilisations run at, in (0, 1); 0
	// means DefaultUtilisationRisk.
	UtilisationRisk float64
	// SLO is the most unserved demand allowed, as a fraction of the
	// demand, in (0, 1): 0.001 is 0.1 %.
	SLO float64
}

// baseUtilisation is the target utilisation the policy runs at without
// headroom: its TargetPerPod's share of the pods' capacity.
func (t RiskTuning) baseUtilisation() float64 {
	return t.Config.Policy.TargetPerPod / t.Settings.Pods.Capacity
}

// Headroom returns the policy's headroom (policies.Policy.Headroom) at
// target utilisation u: how many times the pods its TargetPerPod gives
// serve the demand at u of the pods' capacity. A utilisation at or above
// the policy's own gives 1.
func (t RiskTuning) Headroom(u float64) float64 {
	return max(t.baseUtilisation()/u, 1)
}

// TunedRisk is TuneRisk's answer.
type TunedRisk struct {
	// Curve is the predictive policy's curve over the points tried: the
	// risks, then the utilisations (its second knob, target_utilisation).
	Curve Curve
	// Chosen is the point with the fewest pod-hours whose unserved
	// fraction meets the SLO (Curve.Cheapest); OK is false when no point
	// meets it, Chosen then being the point with the least unserved
	// demand. Chosen.Knob is its risk, Chosen.Second its target
	// utilisation.
	Chosen CurvePoint
	OK     bool
	// Headroom is the chosen point's headroom (RiskTuning.Headroom), 1
	// for a risk point.
	Headroom float64
}

// TuneRisk replays t.Demand with the predictive policy at each of t.Risks,
// then at each of t.Utilisations, and chooses the cheapest point that
// meets t.SLO: what prescale tune does on a trace, and the scaler on its
// stored history.
func TuneRisk(ctx context.Context, t RiskTuning) (TunedRisk, error) {
	risks := t.Risks
	if len(risks) == 0 {
		risks = DefaultTuneRisks
	}
	urisk := cmp.Or(t.UtilisationRisk, DefaultUtilisationRisk)
	switch {
	case !(t.SLO > 0 && t.SLO < 1):
		return TunedRisk{}, fieldErr("tuning.slo", "%v: must be in (0,1)", t.SLO)
	case slices.ContainsFunc(risks, func(r float64) bool { return !(r > 0 && r < 1) }):
		return TunedRisk{}, fieldErr("tuning.risks", "must each be in (0,1)")
	case t.Config.Forecaster == nil:
		return TunedRisk{}, fieldErr("tuning.config.forecaster", "must be set")
	case len(t.Utilisations) > 0 && !(urisk > 0 && urisk < 1):
		return TunedRisk{}, fieldErr("tuning.utilisationRisk", "%v: must be in (0,1)", t.UtilisationRisk)
	case len(t.Utilisations) > 0 && !(t.Settings.Pods.Capacity > 0):
		return TunedRisk{}, fieldErr("tuning.settings.pods.capacity", "must be positive to tune utilisations")
	}
	base := t.baseUtilisation()
	if i := slices.IndexFunc(t.Utilisations, func(u float64) bool { return !(u > 0 && u <= base) }); i >= 0 {
		return TunedRisk{}, fieldErr(fmt.Sprintf("tuning.utilisations[%d]", i), "%v: must be in (0,%.4g], the policy's own utilisation", t.Utilisations[i], base)
	}
	cfg := t.Config
	cfg.Forecaster = NewCachedForecaster(cfg.Forecaster)
	sweep := Sweep{Name: "predictive", Knob: "risk", Values: slices.Clone(risks), Default: math.NaN(),
		New: func(r, u float64) (Policy, error) {
			c := cfg
			c.Policy.Risk = r
			if !math.IsNaN(u) {
				c.Policy.Headroom = t.Headroom(u)
			}
			return NewPredictive(c)
		}}
	if len(t.Utilisations) > 0 {
		sweep.Second, sweep.SecondDefault = "target_utilisation", base
		sweep.Seconds = slices.Repeat([]float64{base}, len(risks))
		for _, u := range t.Utilisations {
			sweep.Values, sweep.Seconds = append(sweep.Values, urisk), append(sweep.Seconds, u)
		}
	}
	f, err := RunFrontier(ctx, FrontierBase{Demand: t.Demand, Settings: t.Settings}, []Sweep{sweep}, 0)
	if err != nil {
		return TunedRisk{}, err
	}
	out := TunedRisk{Curve: f.Curves[0], Headroom: 1}
	if out.Chosen, out.OK = out.Curve.Cheapest(t.SLO); !out.OK {
		for i, p := range out.Curve.Points {
			if i == 0 || p.UnservedFraction < out.Chosen.UnservedFraction {
				out.Chosen = p
			}
		}
	}
	if !math.IsNaN(out.Chosen.Second) {
		out.Headroom = t.Headroom(out.Chosen.Second)
	}
	return out, nil
}
