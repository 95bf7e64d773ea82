package cli

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
	"github.com/prescale-dev/prescale/simulator/scaledobject"
)

const nasaScaledObject = "testdata/simulate/scaledobject.yaml"

// loadFlags parses args as simulate's flags and runs the ScaledObject
// loading, as runSimulate does first.
func loadFlags(t *testing.T, args ...string) (*simulateFlags, error) {
	t.Helper()
	var f simulateFlags
	cmd := &cobra.Command{}
	f.register(cmd.Flags())
	require.NoError(t, cmd.ParseFlags(args))
	return &f, f.keda.load(cmd, &f)
}

// TestScaledObjectSettings checks what --scaledobject sets, and that flags
// given explicitly win.
func TestScaledObjectSettings(t *testing.T) {
	f, err := loadFlags(t, "--capacity-per-pod", "10", "--scaledobject", nasaScaledObject)
	require.NoError(t, err)
	s := f.settings()
	assert.Equal(t, 2, s.KEDA.MinReplicaCount)
	assert.Equal(t, 60, s.KEDA.MaxReplicaCount)
	assert.Equal(t, 15*time.Second, s.KEDA.PollingInterval)
	assert.Equal(t, &simulator.Fallback{FailureThreshold: 3, Replicas: 20}, s.KEDA.Fallback)
	require.NotNil(t, s.HPA.Behavior)
	assert.Equal(t, 2*time.Minute, s.HPA.Behavior.ScaleDown.StabilizationWindow)
	assert.False(t, s.PinPhases)
	assert.InDelta(t, 0.7, f.utilisation, 1e-12, "reactive target 7 of 10")
	assert.InDelta(t, 0.9, f.predictive.utilisation, 1e-12, "targetPerPod 9 of 10")
	assert.Equal(t, 0.8, f.predictive.quantile)
	assert.Equal(t, 6*time.Minute, f.keda.lead(time.Minute))
	assert.Equal(t, 2.0, f.keda.reactiveActivation())
	assert.True(t, f.keda.floors)
	require.Len(t, f.keda.crons, 1)
	require.NoError(t, s.Validate())

	sc := &scenario{f: f, capacity: f.capacity, settings: s}
	cfg := sc.withScaledObject(simulator.PredictiveConfig{Policy: policies.Policy{Mode: policies.ModePredictive, MinReplicas: 2, MaxReplicas: 60}})
	assert.Equal(t, policies.Policy{Mode: policies.ModePredictive, MaxScaleDownPerMinute: 0.2}, cfg.Policy,
		"the trigger's bounds (none) and rate limits replace the flags'")
	assert.Equal(t, 1.0, cfg.Activation)

	f, err = loadFlags(t, "--capacity-per-pod", "10", "--scaledobject", nasaScaledObject, "--max-replicas", "80",
		"--target-utilization", "0.5", "--quantile", "0.6", "--lead-margin", "2m", "--event-types", "launch",
		"--hpa-behavior", "none", "--pin-phases", "0s,10s")
	require.NoError(t, err)
	s = f.settings()
	assert.Equal(t, 80, s.KEDA.MaxReplicaCount)
	assert.Equal(t, 2, s.KEDA.MinReplicaCount)
	assert.Nil(t, s.HPA.Behavior, "--hpa-behavior none overrides the file's behavior")
	assert.True(t, s.PinPhases)
	assert.Equal(t, simulator.Phases{Sync: 0, Poll: 10 * time.Second}, s.Phases)
	assert.Equal(t, 0.5, f.utilisation)
	assert.Equal(t, 0.6, f.predictive.quantile)
	assert.Equal(t, time.Minute, f.keda.lead(time.Minute), "--lead-margin given: the start-up makes the lead time")
	assert.False(t, f.keda.floors, "--event-types given: the flags' floors")
}

// TestHPABehaviorFlag sets the behavior without a ScaledObject.
func TestHPABehaviorFlag(t *testing.T) {
	f, err := loadFlags(t, "--capacity-per-pod", "10")
	require.NoError(t, err)
	assert.Nil(t, f.settings().HPA.Behavior, "default: nil, as KEDA creates it")
	f, err = loadFlags(t, "--capacity-per-pod", "10", "--hpa-behavior", "default")
	require.NoError(t, err)
	want := simulator.DefaultBehavior()
	assert.Equal(t, &want, f.settings().HPA.Behavior)
}

func TestScaledObjectBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
		is   error
	}{
		{"name without file", []string{"--scaledobject-name", "x"}, "--scaledobject-name: only meaningful with --scaledobject", nil},
		{"bad behavior", []string{"--hpa-behavior", "fast"}, `--hpa-behavior: "fast": use none`, nil},
		{"bad phases", []string{"--pin-phases", "0s"}, `--pin-phases: "0s": give the first HPA sync's`, nil},
		{"negative phase", []string{"--pin-phases", "-1s,0s"}, "--pin-phases", nil},
		{"phase past the poll", []string{"--scaledobject", nasaScaledObject, "--capacity-per-pod", "10", "--pin-phases", "0s,20s"},
			`--pin-phases: "0s,20s": the first sync must come within the HPA's sync period (15s), the first poll within KEDA's polling interval (15s)`, nil},
		{"missing file", []string{"--scaledobject", "testdata/simulate/none.yaml"}, "--scaledobject: reading ScaledObject file", nil},
		{"no such name", []string{"--scaledobject", nasaScaledObject, "--scaledobject-name", "other"},
			`--scaledobject: testdata/simulate/scaledobject.yaml: no ScaledObject named "other"`, scaledobject.ErrNotFound},
		{"target above capacity", []string{"--capacity-per-pod", "8", "--scaledobject", nasaScaledObject},
			"testdata/simulate/scaledobject.yaml:35: spec.triggers[0].metadata.targetPerPod: 9 per pod is above --capacity-per-pod 8", nil},
		{"idle against min", []string{"--scaledobject", "../../../simulator/scaledobject/testdata/full.good.yaml", "--min-replicas", "0"},
			"--min-replicas: 0: the ScaledObject's idleReplicaCount 0 must stay below it", nil},
		{"invalid file", []string{"--scaledobject", "../../../simulator/scaledobject/testdata/unknown-field.bad.yaml"},
			"unknown-field.bad.yaml:8: spec.minReplicas: unknown field: did you mean minReplicaCount?", scaledobject.ErrInvalid},
		{"value target", []string{"--capacity-per-pod", "1", "--scaledobject", "../../../simulator/scaledobject/testdata/value-fallback.good.yaml"},
			"value-fallback.good.yaml:20: spec.triggers[0].metricType: Value", scaledobject.ErrNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadFlags(t, tt.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			if tt.is != nil {
				assert.True(t, errors.Is(err, tt.is), "%v is not %v", err, tt.is)
			}
		})
	}
}

// TestSimulateScaledObject runs the launch days through the ScaledObject's
// KEDA and HPA.
func TestSimulateScaledObject(t *testing.T) {
	args := simulateArgs("--burn-in", "8d", "--startup", "2m", "--policies", "reactive,cron,predictive,oracle",
		"--scaledobject", nasaScaledObject, "--output", "json", "--refit-interval", "3h")
	out, err := run(t, args...)
	require.NoError(t, err, "prescale %s", strings.Join(args, " "))
	var got struct {
		Parameters map[string]string `json:"parameters"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	params := got.Parameters
	assert.Equal(t, "2..60", params["replicas"])
	assert.Contains(t, params["scaledobject"], "demo/nasa-www from "+nasaScaledObject)
	assert.Contains(t, params["scaledobject"], "predictive from spec.triggers[0]")
	assert.Contains(t, params["scaledobject[0]"], "keda: replicas 2..60")
	assert.Equal(t, "lead time 6m (leadTime), floors from --event-types and --cron-replicas, mode predictive, activationValue 1",
		params["scaledobject.predictive"])

	again, err := run(t, args...)
	require.NoError(t, err)
	assert.Equal(t, out, again, "one seed, one result")

	// Without --event-types the trigger's eventFloors are the predictive
	// policy's floors.
	args = []string{"simulate", "--trace", nasaLaunchWeek, "--time-col", "minute_start_edt", "--value-col", "count",
		"--tz", "America/New_York", "--calendar", "../../../datasets/calendars/nasa-1995.yaml",
		"--capacity-per-pod", "10", "--burn-in", "7d", "--startup", "2m", "--policies", "predictive,oracle",
		"--scaledobject", nasaScaledObject, "--output", "json", "--refit-interval", "3h", "--pin-phases", "0s,0s"}
	out, err = run(t, args...)
	require.NoError(t, err, "prescale %s", strings.Join(args, " "))
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, "lead time 6m (leadTime), floors launch=30 (eventFloors), mode predictive, activationValue 1",
		got.Parameters["scaledobject.predictive"])
	assert.Equal(t, "first HPA sync at +0s, first KEDA poll at +0s", got.Parameters["pinned_phases"])
}

// TestScaledObjectCronWindows takes the cron policy's windows from the
// manifest's cron trigger, in its time zone.
func TestScaledObjectCronWindows(t *testing.T) {
	f, err := loadFlags(t, "--capacity-per-pod", "10", "--scaledobject", nasaScaledObject)
	require.NoError(t, err)
	start := time.Date(1995, 7, 13, 4, 0, 0, 0, time.UTC)
	sc := &scenario{f: f, demand: timeseries.Series{Start: start, Step: time.Minute, Values: make([]float64, 2880)}}
	ws, err := sc.cronWindows(time.Minute)
	require.NoError(t, err)
	nine := time.Date(1995, 7, 13, 13, 0, 0, 0, time.UTC) // 09:00 EDT
	assert.Equal(t, []simulator.CronWindow{{Start: nine, End: nine.Add(8 * time.Hour), Every: 24 * time.Hour, Replicas: 8}}, ws)
}
