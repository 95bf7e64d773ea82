package simulator

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurveCheapest(t *testing.T) {
	tests := []struct {
		name        string
		curve       Curve
		maxUnserved float64
		wantOK      bool
		wantKnob    float64
	}{
		{"cheapest of those meeting", handChallenger(), 0.01, true, 0.8},
		{"the limit itself meets", handChallenger(), 0.0025, true, 0.6},
		{"a dominated point is never chosen", handChallenger(), 0.003, true, 0.6},
		{"loose: the cheapest of all", handChallenger(), 0.5, true, 1},
		{"none meets", handChallenger(), 0.001, false, 0},
		{"equal pod-hours: the lower unserved", curveOf("c", "k", 0,
			[3]float64{1, 100, 0.0008}, [3]float64{2, 100, 0.0005}, [3]float64{3, 150, 0}), 0.001, true, 2},
		{"identical points: the first", curveOf("c", "k", 0,
			[3]float64{0.9, 100, 0.0005}, [3]float64{0.8, 100, 0.0005}), 0.001, true, 0.9},
		{"no unserved demand meets a zero objective", curveOf("c", "k", 0,
			[3]float64{1, 100, 0.001}, [3]float64{2, 300, 0}), 0, true, 2},
		{"figures not finite never qualify", curveOf("c", "k", 0,
			[3]float64{1, math.NaN(), 0}, [3]float64{2, 50, math.Inf(1)}, [3]float64{3, 200, 0.0001}), 0.001, true, 3},
		{"NaN objective", handChallenger(), math.NaN(), false, 0},
		{"empty curve", Curve{}, 0.001, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.curve.Cheapest(tc.maxUnserved)
			require.Equal(t, tc.wantOK, ok, "Cheapest(%v) of %+v", tc.maxUnserved, tc.curve.Points)
			if !ok {
				return
			}
			assert.Equal(t, tc.wantKnob, got.Knob)
			assert.LessOrEqual(t, got.UnservedFraction, tc.maxUnserved)
		})
	}
}

func TestRiskTuningHeadroom(t *testing.T) {
	r := RiskTuning{}
	r.Config.Policy.TargetPerPod, r.Settings.Pods.Capacity = 90, 100
	for _, tc := range []struct{ u, want float64 }{{0.9, 1}, {0.95, 1}, {0.45, 2}, {0.6, 1.5}} {
		assert.InDelta(t, tc.want, r.Headroom(tc.u), 1e-12, "utilisation %v", tc.u)
	}
}

func TestTuneRiskInvalid(t *testing.T) {
	good := RiskTuning{SLO: 0.001, Config: PredictiveConfig{Forecaster: QuantileForecaster{Quantile: 0.5}}}
	good.Config.Policy.TargetPerPod, good.Settings.Pods.Capacity = 90, 100
	tests := []struct {
		name string
		edit func(*RiskTuning)
		want string
	}{
		{"slo zero", func(r *RiskTuning) { r.SLO = 0 }, "tuning.slo: 0: must be in (0,1)"},
		{"slo one", func(r *RiskTuning) { r.SLO = 1 }, "tuning.slo: 1: must be in (0,1)"},
		{"slo NaN", func(r *RiskTuning) { r.SLO = math.NaN() }, "tuning.slo"},
		{"risk one", func(r *RiskTuning) { r.Risks = []float64{0.9, 1} }, "tuning.risks: must each be in (0,1)"},
		{"risk zero", func(r *RiskTuning) { r.Risks = []float64{0} }, "tuning.risks: must each be in (0,1)"},
		{"no forecaster", func(r *RiskTuning) { r.Config.Forecaster = nil }, "tuning.config.forecaster: must be set"},
		{"utilisation above the policy's", func(r *RiskTuning) { r.Utilisations = []float64{0.8, 0.95} }, "tuning.utilisations[1]: 0.95: must be in (0,0.9]"},
		{"utilisation zero", func(r *RiskTuning) { r.Utilisations = []float64{0} }, "tuning.utilisations[0]"},
		{"utilisation risk one", func(r *RiskTuning) { r.Utilisations, r.UtilisationRisk = []float64{0.5}, 1 }, "tuning.utilisationRisk: 1: must be in (0,1)"},
		{"utilisations without a capacity", func(r *RiskTuning) { r.Utilisations, r.Settings.Pods.Capacity = []float64{0.5}, 0 }, "tuning.settings.pods.capacity"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			tc.edit(&r)
			_, err := TuneRisk(context.Background(), r)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
