package cli

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // time zones in tests do not depend on the host

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
)

// tuneArgs returns simulate's arguments on the small NASA trace (two days
// after the burn-in, the launch and the day after) as prescale tune's: one
// day to tune on, one held out, forecasts every 3 hours.
func tuneArgs(extra ...string) []string {
	args := append([]string{"tune"}, simulateArgs("--startup", "5m", "--holdout", "1d", "--refit-interval", "3h")[1:]...)
	return append(args, extra...)
}

func TestTuneBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"slo zero", tuneArgs("--slo", "0"), "--slo: 0: use a target unserved fraction in (0,1)"},
		{"slo one", tuneArgs("--slo", "1"), "--slo: 1: use a target unserved fraction in (0,1)"},
		{"slo not a number", tuneArgs("--slo", "tight"), `invalid argument "tight" for "--slo"`},
		{"holdout zero", tuneArgs("--holdout", "0"), `--holdout: "0" is not a positive duration`},
		{"holdout not a duration", tuneArgs("--holdout", "a week"), `--holdout: "a week" is not a positive duration`},
		{"holdout leaves nothing to tune on", tuneArgs("--holdout", "2d"), "--holdout: 2d leaves nothing of the 2d simulated after --burn-in to tune on"},
		{"risk one", tuneArgs("--risks", "0.9,1"), "--risks: 1: use risk quantiles in (0,0.999]"},
		{"risk above the scaler's", tuneArgs("--risks", "0.9995"), "--risks: 0.9995: use risk quantiles in (0,0.999]"},
		{"risk zero", tuneArgs("--risks", "0"), "--risks: 0: use risk quantiles in (0,0.999]"},
		{"risk twice", tuneArgs("--risks", "0.9,0.95,0.9"), "--risks: 0.9 is listed twice"},
		{"utilisation above one", tuneArgs("--utilizations", "0.8,1.5"), "--utilizations: 1.5: use target utilisations in (0,1]"},
		{"utilisation twice", tuneArgs("--utilizations", "0.8,0.8"), "--utilizations: 0.8 is listed twice"},
		{"utilisation not a number", tuneArgs("--utilizations", "low"), `invalid argument "low" for "--utilizations"`},
		{"several start-ups", tuneArgs("--startup", "2m,5m"), "--startup: 3 delays: tune takes one"},
		{"reactive out of range", tuneArgs("--frontier-reactive", "0.5,1.2"), "--frontier-reactive: 1.2: use target utilisations in (0,1]"},
		{"output", tuneArgs("--output", "yaml"), `--output: unknown format "yaml"`},
		{"no capacity", []string{"tune", "--startup", "5m"}, "--capacity-per-pod: required"},
		{"a simulate-only flag", tuneArgs("--policies", "reactive"), "unknown flag: --policies"},
		{"the single risk", tuneArgs("--risk", "0.9"), "unknown flag: --risk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.args...)
			require.Error(t, err, "prescale %s", strings.Join(tc.args, " "))
			assert.Contains(t, err.Error(), tc.want, "prescale %s", strings.Join(tc.args, " "))
		})
	}
}

// tunePoint and tuneOutput are the parts of tune's JSON the tests read.
type tunePoint struct {
	Knob              float64  `json:"knob"`
	TargetUtilisation *float64 `json:"target_utilisation"`
	PodHours          float64  `json:"pod_hours"`
	UnservedFraction  float64  `json:"unserved_fraction"`
	MeetsSLO          bool     `json:"meets_slo"`
}

type tuneOutput struct {
	SLO   float64 `json:"slo"`
	Sweep []struct {
		Policy string      `json:"policy"`
		Points []tunePoint `json:"points"`
	} `json:"sweep"`
	Predictive *struct {
		Knob              float64    `json:"knob"`
		TargetUtilisation *float64   `json:"target_utilisation"`
		Tuning            tunePoint  `json:"tuning"`
		Holdout           *tunePoint `json:"holdout"`
	} `json:"predictive"`
	HoldoutMeetsSLO *bool             `json:"holdout_meets_slo"`
	Metadata        map[string]string `json:"metadata"`
}

func TestTuneChoosesTheCheapestMeetingTheSLO(t *testing.T) {
	const slo = 0.008
	out, err := run(t, tuneArgs("--slo", "0.008", "--output", "json")...)
	require.NoError(t, err)
	var got tuneOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	require.NotNil(t, got.Predictive, "no predictive choice at SLO %v:\n%s", slo, out)
	chosen := got.Predictive.Tuning
	assert.LessOrEqual(t, chosen.UnservedFraction, slo, "the choice misses the SLO on the tuning window")
	assert.True(t, chosen.MeetsSLO)
	for _, c := range got.Sweep {
		for _, p := range c.Points {
			assert.Equal(t, p.UnservedFraction <= slo, p.MeetsSLO, "%s@%v", c.Policy, p.Knob)
			if c.Policy == "predictive" && p.MeetsSLO {
				assert.GreaterOrEqual(t, p.PodHours, chosen.PodHours, "risk %v meets the SLO for fewer pod-hours than the choice %v", p.Knob, chosen.Knob)
			}
		}
	}
	held := got.Predictive.Holdout
	require.NotNil(t, held, "no re-check on the holdout:\n%s", out)
	assert.Equal(t, got.Predictive.Knob, held.Knob)
	assert.Positive(t, held.PodHours)
	assert.False(t, math.IsNaN(held.UnservedFraction))
	require.NotNil(t, got.HoldoutMeetsSLO)
	assert.Equal(t, held.UnservedFraction <= slo, *got.HoldoutMeetsSLO)
	assert.Equal(t, map[string]string{"risk": knobLabel(got.Predictive.Knob), "leadTime": "6m",
		"targetPerPod": "10", "hpaTolerance": "0.1", "eventShift": "15m", "calendar": "nasa-1995"}, got.Metadata)
}

// TestTuneSnippetParses reads the YAML the table ends with and parses it
// with the scaler's own metadata parser, so that the printed keys cannot
// drift from the scaler's.
func TestTuneSnippetParses(t *testing.T) {
	out, err := run(t, tuneArgs("--slo", "0.008")...)
	require.NoError(t, err)
	for _, want := range []string{"sweep on the tuning window", "choice: the fewest pod-hours meeting the SLO", "re-check on the holdout",
		"Predictive saves", "The holdout"} {
		assert.Contains(t, out, want)
	}
	md := triggerSnippet(t, out)
	for k, v := range triggerPlaceholders {
		md[k] = v
	}
	m, err := scaler.ParseMetadata(md)
	require.NoError(t, err, "the scaler refuses the printed metadata:\n%s", out)
	assert.Equal(t, 6*time.Minute, m.Policy.LeadTime)
	assert.Equal(t, 10.0, m.Policy.TargetPerPod)
	assert.Equal(t, 0.1, m.Policy.Tolerance)
	assert.Equal(t, 15*time.Minute, m.EventShift)
	assert.Equal(t, "nasa-1995", m.Calendar)
	assert.Contains(t, out, "predictive at risk "+knobLabel(m.Policy.Risk)+":", "the snippet's risk is not the choice")
}

// TestTuneChoosesAUtilisation asks for an SLO that no risk at the
// default utilisation meets on the small trace: tune chooses a point of
// --utilizations, re-checks it there and prints its targetPerPod.
func TestTuneChoosesAUtilisation(t *testing.T) {
	out, err := run(t, tuneArgs("--slo", "0.0003", "--output", "json")...)
	require.NoError(t, err)
	var got tuneOutput
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	require.NotNil(t, got.Predictive, "no predictive choice:\n%s", out)
	require.NotNil(t, got.Predictive.TargetUtilisation, "the choice has no target utilisation:\n%s", out)
	u := *got.Predictive.TargetUtilisation
	assert.Less(t, u, 0.9, "the choice is not one of --utilizations")
	assert.Equal(t, tuneHeadroomRisk, got.Predictive.Knob)
	assert.LessOrEqual(t, got.Predictive.Tuning.UnservedFraction, 0.0003)
	for _, c := range got.Sweep {
		for _, p := range c.Points {
			if c.Policy == "predictive" && p.MeetsSLO {
				assert.GreaterOrEqual(t, p.PodHours, got.Predictive.Tuning.PodHours, "a cheaper point meets the SLO")
			}
		}
	}
	require.NotNil(t, got.Predictive.Holdout)
	require.NotNil(t, got.Predictive.Holdout.TargetUtilisation)
	assert.Equal(t, u, *got.Predictive.Holdout.TargetUtilisation, "the holdout re-checks another point")
	assert.Equal(t, knobLabel(floorSignificant(10*u, 4)), got.Metadata["targetPerPod"])
}

func TestTuneNoRiskMeetsTheSLO(t *testing.T) {
	out, err := run(t, tuneArgs("--slo", "0.00001", "--risks", "0.5,0.9", "--output", "markdown")...)
	var exit ExitError
	require.True(t, errors.As(err, &exit), "error %v, want an ExitError", err)
	assert.Equal(t, 3, exit.Code)
	assert.Contains(t, err.Error(), "--slo: no point of --risks and --utilizations meets 0.001% unserved on the tuning window")
	assert.Contains(t, err.Error(), "try higher risks (--risks with values above 0.98, up to 0.999)")
	assert.Contains(t, err.Error(), "lower target utilisations (--utilizations below 0.4)")
	assert.Contains(t, err.Error(), "a longer lead time (--lead-margin above 1m")
	assert.Contains(t, out, "### prescale tune:")
	assert.Contains(t, out, "predictive: no point of --risks and --utilizations meets the SLO")
	assert.NotContains(t, out, "metadata:", "a snippet printed without a choice")
}

// curveFrom returns a curve of points given as knob, pod-hours, unserved.
func curveFrom(name, knob string, pts ...[3]float64) simulator.Curve {
	c := simulator.Curve{Name: name, Knob: knob}
	for _, p := range pts {
		c.Points = append(c.Points, simulator.CurvePoint{Knob: p[0], PodHours: p[1], UnservedFraction: p[2]})
	}
	return c
}

func TestTuneReportSentences(t *testing.T) {
	pred := curveFrom(predictiveCurve, predictiveKnobName, [3]float64{0.9, 100, 0.002}, [3]float64{0.95, 120, 0.0008}, [3]float64{0.99, 150, 0.0003})
	react := curveFrom(reactiveCurve, reactiveKnob, [3]float64{0.5, 200, 0.0009}, [3]float64{0.7, 150, 0.003})
	at := func(c simulator.Curve, i int) *simulator.CurvePoint { return &c.Points[i] }
	held := func(knob, podHours, unserved float64) *simulator.CurvePoint {
		return &simulator.CurvePoint{Knob: knob, PodHours: podHours, UnservedFraction: unserved}
	}
	tests := []struct {
		name      string
		report    tuneReport
		verdict   string
		saving    string
		misses    bool
		savedTune float64
	}{
		{"the holdout meets", tuneReport{slo: 0.001,
			predictive: tunePick{curve: pred, tuned: at(pred, 1), held: held(0.95, 30, 0.0006)},
			reactive:   tunePick{curve: react, tuned: at(react, 0), held: held(0.5, 40, 0.0002)}},
			"The holdout meets the SLO: risk 0.95 left 0.060% of its demand unserved, within 0.100%.",
			"Predictive saves 40.0% of the HPA's pod-hours on the tuning window, 25.0% on the holdout.", false, 0.4},
		{"the holdout misses", tuneReport{slo: 0.001,
			predictive: tunePick{curve: pred, tuned: at(pred, 1), held: held(0.95, 30, 0.0015)},
			reactive:   tunePick{curve: react, tuned: at(react, 0), held: held(0.5, 25, 0.0002)}},
			"The holdout MISSES the SLO: risk 0.95 left 0.150% of its demand unserved, above 0.100%; the tuning window's history did not foresee it. The next point up, risk 0.99, buys a margin.",
			"Predictive saves 40.0% of the HPA's pod-hours on the tuning window, -20.0% (it uses more) on the holdout.", true, 0.4},
		{"the top risk misses", tuneReport{slo: 0.0005,
			predictive: tunePick{curve: pred, tuned: at(pred, 2), held: held(0.99, 30, 0.0009)},
			reactive:   tunePick{curve: react}},
			"The holdout MISSES the SLO: risk 0.99 left 0.090% of its demand unserved, above 0.050%; the tuning window's history did not foresee it. Add a higher risk to --risks for a margin.",
			"The HPA meets the SLO at none of its target utilisations: at 0.5, its safest, it leaves 0.090% unserved for 200.0 pod-hours; predictive meets the SLO with 25.0% fewer pod-hours than that. The saving at the SLO is not measured.", true, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.verdict, tc.report.holdoutVerdict())
			assert.Equal(t, tc.saving, tc.report.savingSentence())
			assert.Equal(t, tc.misses, tc.report.holdoutMisses())
			v, ok := tc.report.saved(false)
			assert.Equal(t, !math.IsNaN(tc.savedTune), ok)
			if ok {
				assert.InDelta(t, tc.savedTune, v, 1e-12)
			}
		})
	}
}

func TestFloorSignificant(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{10 / 1.1, 9.09}, {7, 7}, {10 * 0.7, 7}, {123456, 123400}, {0.012345, 0.01234}, {0, 0},
	}
	for _, tc := range tests {
		assert.InDelta(t, tc.want, floorSignificant(tc.in, 4), 1e-12, "floorSignificant(%v, 4)", tc.in)
	}
}

// triggerSnippet returns the metadata of the trigger snippet tune's output
// ends with.
func triggerSnippet(t *testing.T, out string) map[string]string {
	t.Helper()
	i := strings.Index(out, "# prescale trigger")
	require.GreaterOrEqual(t, i, 0, "no trigger snippet:\n%s", out)
	var snippet struct {
		Metadata map[string]string `json:"metadata"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(out[i:]), &snippet), out[i:])
	return snippet.Metadata
}

// TestTuneWithoutTolerance tunes a predictive policy that leaves the
// HPA's tolerance to its target utilisation, 1/1.1: the printed trigger
// has no hpaTolerance and that share of the capacity as targetPerPod.
func TestTuneWithoutTolerance(t *testing.T) {
	out, err := run(t, tuneArgs("--slo", "0.008", "--predictive-tolerance", "0", "--predictive-utilization", "0.90909")...)
	require.NoError(t, err)
	md := triggerSnippet(t, out)
	assert.NotContains(t, md, "hpaTolerance")
	for k, v := range triggerPlaceholders {
		md[k] = v
	}
	m, err := scaler.ParseMetadata(md)
	require.NoError(t, err, "the scaler refuses the printed metadata:\n%s", out)
	assert.Zero(t, m.Policy.Tolerance)
	assert.Equal(t, 9.09, m.Policy.TargetPerPod)
}

// TestTuneTimeZone checks that tune counts the growth's hours on
// --time-zone's clock, says so, and prints the scaler's timeZone key.
func TestTuneTimeZone(t *testing.T) {
	out, err := run(t, tuneArgs("--slo", "0.008", "--time-zone", "Europe/Berlin")...)
	require.NoError(t, err)
	assert.Contains(t, out, "per hour of the week in Europe/Berlin")
	md := triggerSnippet(t, out)
	assert.Equal(t, "Europe/Berlin", md["timeZone"])
	for k, v := range triggerPlaceholders {
		md[k] = v
	}
	m, err := scaler.ParseMetadata(md)
	require.NoError(t, err, "the scaler refuses the printed metadata:\n%s", out)
	assert.Equal(t, "Europe/Berlin", m.TimeZone.String())
}
