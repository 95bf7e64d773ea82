package simulator

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func minuteTrace(values ...float64) timeseries.Series {
	return timeseries.Series{Name: "t", Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Step: time.Minute, Values: values}
}

func TestOracleSchedule(t *testing.T) {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		demand     timeseries.Series
		startup    time.Duration
		zones      []ZoneLoss
		podMinutes float64
		events     int
		peak       int
	}{
		{
			// Need 1,0,1,0,0,0,1 with a 90 s start-up: the 60 s gap is
			// bridged (pod 0-3 min); the 180 s gap is not: a new pod is
			// created at 4.5 min, ready at 6 min, ends at 7 min.
			name: "bridges short gaps", demand: minuteTrace(100, 0, 100, 0, 0, 0, 100), startup: 90 * time.Second,
			podMinutes: 3 + 2.5, events: 2, peak: 1,
		},
		{
			// A level first needed 1 min in, within the 90 s start-up,
			// costs less kept from the start than started: free at 0.
			name: "early level kept from the start", demand: minuteTrace(100, 200, 200), startup: 90 * time.Second,
			podMinutes: 3 + 3, events: 0, peak: 2,
		},
		{
			// A level first needed at 3 min with a 60 s start-up is
			// created at 2 min.
			name: "late level pre-started", demand: minuteTrace(100, 100, 100, 200, 200), startup: time.Minute,
			podMinutes: 5 + 3, events: 1, peak: 2,
		},
		{
			// Two pods for 10 min; half are lost at 5 min: the replacement
			// was created at 4 min, so one extra minute is billed.
			name: "zone loss pre-started", demand: minuteTrace(200, 200, 200, 200, 200, 200, 200, 200, 200, 200), startup: time.Minute,
			zones:      []ZoneLoss{{At: start.Add(5 * time.Minute), Fraction: 0.5}},
			podMinutes: 21, events: 2, peak: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validSettings()
			s.Pods.Startup = Fixed(tc.startup)
			s.ZoneLosses = tc.zones
			res, err := Run(context.Background(), Job{Demand: tc.demand, Policy: Oracle{}, Settings: s})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.PodHours * 60; math.Abs(got-tc.podMinutes) > 1e-9 {
				t.Errorf("pod-minutes = %v, want %v", got, tc.podMinutes)
			}
			if res.ScaleEvents != tc.events || res.PeakReplicas != tc.peak {
				t.Errorf("scale events %d, peak %d; want %d, %d", res.ScaleEvents, res.PeakReplicas, tc.events, tc.peak)
			}
			if res.UnservedVolume != 0 || res.UnderProvisionedFraction != 0 {
				t.Errorf("oracle unserved %v, under-provisioned %v; want 0", res.UnservedVolume, res.UnderProvisionedFraction)
			}
		})
	}
}

func TestOracleRespectsMaxReplicas(t *testing.T) {
	s := validSettings()
	s.KEDA.MaxReplicaCount = 2
	s.Timeline = true
	res, err := Run(context.Background(), Job{Demand: minuteTrace(100, 400, math.NaN()), Policy: Oracle{}, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	// Step 1 needs 4 pods, 2 allowed: half of its 400×60 is unserved.
	if want := 200.0 * 60; math.Abs(res.UnservedVolume-want) > 1e-9 {
		t.Errorf("unserved = %v, want %v", res.UnservedVolume, want)
	}
	if want := 1.0 / 2; res.UnderProvisionedFraction != want {
		t.Errorf("under-provisioned fraction = %v, want %v (missing step not counted)", res.UnderProvisionedFraction, want)
	}
	if p := res.Timeline[2]; !math.IsNaN(p.Unserved) {
		t.Errorf("missing step unserved = %v, want NaN", p.Unserved)
	}
}

func TestRelative(t *testing.T) {
	oracle := Result{UnservedFraction: 0, PodHours: 10, Cost: 5, PeakReplicas: 4, ScaleEvents: 10}
	r := Result{UnservedFraction: 0.1, PodHours: 15, Cost: 7.5, PeakReplicas: 6, ScaleEvents: 5}
	got := r.Relative(oracle)
	want := Ratios{UnservedFraction: math.Inf(1), UnderProvisionedFraction: 1, PodHours: 1.5, Cost: 1.5, PeakReplicas: 1.5, ScaleEvents: 0.5}
	if got != want {
		t.Errorf("Relative = %+v, want %+v", got, want)
	}
}
