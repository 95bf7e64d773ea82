package simulator

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func loadTestConfig(maxReplicas int) LoadTestConfig {
	return LoadTestConfig{CapacityPerPod: 50, LatencyTarget: 200 * time.Millisecond, Utilisation: 0.7,
		MaxReplicas: maxReplicas, Horizon: 96, Quantile: 0.9, Forecast: forecast.Options{Model: "mseasonal"}}
}

func TestPlanLoadTest(t *testing.T) {
	y := syntheticDemand(14*96, 15*time.Minute, 1000, 12)
	tests := []struct {
		name        string
		maxReplicas int
		holds       bool
	}{
		{"room to spare", 200, true},
		{"ceiling too low", 20, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := PlanLoadTest(context.Background(), y, loadTestConfig(tc.maxReplicas))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Holds != tc.holds {
				t.Errorf("holds = %v, want %v: %s", rep.Holds, tc.holds, rep.Verdict())
			}
			wantReplicas := int(math.Ceil(rep.PeakDemand / 35))
			if rep.ReplicasAtPeak != wantReplicas || rep.ReplicaMargin != tc.maxReplicas-wantReplicas {
				t.Errorf("replicas at peak %d (margin %d), want %d (margin %d) for a peak of %v",
					rep.ReplicasAtPeak, rep.ReplicaMargin, wantReplicas, tc.maxReplicas-wantReplicas, rep.PeakDemand)
			}
			if want := float64(tc.maxReplicas)*50/rep.PeakDemand - 1; math.Abs(rep.CapacityMargin-want) > 1e-9 {
				t.Errorf("capacity margin %v, want %v", rep.CapacityMargin, want)
			}
			if rep.PeakDemand < rep.PeakPoint || rep.PeakAt.Before(y.End()) {
				t.Errorf("peak %v at %v (point %v): want the quantile above the point, after the history", rep.PeakDemand, rep.PeakAt, rep.PeakPoint)
			}
			if verdict := rep.Verdict(); strings.HasPrefix(verdict, "plan holds") != tc.holds {
				t.Errorf("verdict %q", verdict)
			}
		})
	}
	if _, err := PlanLoadTest(context.Background(), y, loadTestConfig(0)); err == nil {
		t.Error("maxReplicas 0: no error")
	}
}

// profileReport is a report whose forecast rises 10 per step of 5 minutes
// to a peak of 200 at step 20, then falls.
func profileReport() LoadTestReport {
	f := timeseries.Series{Start: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Step: 5 * time.Minute}
	for i := range 30 {
		f.Values = append(f.Values, 200-10*math.Abs(float64(i-20)))
	}
	return LoadTestReport{Config: loadTestConfig(10), Forecast: f, PeakAt: f.Time(20), PeakDemand: 200}
}

func TestProfile(t *testing.T) {
	rep := profileReport()
	p, err := rep.Profile(ProfileOptions{RateUnit: time.Second, Ramp: 30 * time.Minute, Step: 10 * time.Minute, Hold: 15 * time.Minute, Overload: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{{10 * time.Minute, 150}, {10 * time.Minute, 170}, {10 * time.Minute, 190},
		{10 * time.Minute, 220}, {15 * time.Minute, 220}, {10 * time.Minute, 0}}
	if p.StartRate != 140 || len(p.Stages) != len(want) {
		t.Fatalf("profile = %+v, want start 140 and stages %+v", p, want)
	}
	for i := range want {
		if math.Abs(p.Stages[i].Target-want[i].Target) > 1e-9 || p.Stages[i].Duration != want[i].Duration {
			t.Errorf("stage %d = %+v, want %+v", i, p.Stages[i], want[i])
		}
	}
	if p.VUs != 88 { // 220/s × 0.2 s × 2
		t.Errorf("VUs = %d, want 88", p.VUs)
	}
	// the point forecast gives the shape, scaled to the quantile's peak
	rep.Point = rep.Forecast.Clone()
	for i := range rep.Point.Values {
		rep.Point.Values[i] /= 4
	}
	q, err := rep.Profile(ProfileOptions{RateUnit: time.Second, Ramp: 30 * time.Minute, Step: 10 * time.Minute, Hold: 15 * time.Minute, Overload: 0.1})
	if err != nil || q.StartRate != p.StartRate || len(q.Stages) != len(p.Stages) || math.Abs(q.Stages[1].Target-170) > 1e-9 {
		t.Errorf("profile shaped by a point forecast a quarter as high = %+v, %v; want the same as %+v", q, err, p)
	}
	var fe *FieldError
	if _, err := rep.Profile(ProfileOptions{RateUnit: time.Second}); !errors.As(err, &fe) || fe.Field != "profile.step" {
		t.Errorf("profile without a step: %v, want a field error on profile.step", err)
	}
}

func TestWriteK6AndJMeter(t *testing.T) {
	p := Profile{RateUnit: time.Minute, StartRate: 60, VUs: 3,
		Stages: []Stage{{5 * time.Minute, 120.2}, {10 * time.Minute, 120.2}, {5 * time.Minute, 0}}}
	var k6 bytes.Buffer
	if err := WriteK6(&k6, p, "line one\nline two"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"// line one\n// line two\n", "executor: 'ramping-arrival-rate'", "timeUnit: '1m'",
		"startRate: 60,", "preAllocatedVUs: 3,", "{ duration: '5m', target: 121 },", "{ duration: '10m', target: 121 },", "{ duration: '5m', target: 0 },"} {
		if !strings.Contains(k6.String(), want) {
			t.Errorf("k6 script lacks %q:\n%s", want, k6.String())
		}
	}
	var jm bytes.Buffer
	if err := WriteJMeter(&jm, p); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&jm).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"start_rps", "end_rps", "duration_s"}, {"1", "2.0033", "300"}, {"2.0033", "2.0033", "600"}, {"2.0033", "0", "300"}}
	if len(rows) != len(want) {
		t.Fatalf("rows = %v, want %v", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d = %v, want %v", i, rows[i], want[i])
		}
	}
}
