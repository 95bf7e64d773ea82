package simulator

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
)

func TestWhatIfShift(t *testing.T) {
	y := minuteTrace(0, 1, 2, 3, 4, 5, 6, 7)
	at := func(m int) time.Time { return y.Start.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name  string
		shift Shift
		want  []float64
	}{
		{"later", Shift{From: at(1), To: at(3), By: 2 * time.Minute}, []float64{0, 3, 4, 1, 2, 5, 6, 7}},
		{"earlier", Shift{From: at(5), To: at(7), By: -3 * time.Minute}, []float64{0, 1, 5, 6, 2, 3, 4, 7}},
		{"overlapping", Shift{From: at(0), To: at(3), By: time.Minute}, []float64{3, 0, 1, 2, 4, 5, 6, 7}},
		{"none", Shift{From: at(2), To: at(4)}, []float64{0, 1, 2, 3, 4, 5, 6, 7}},
		{"rounded to the grid", Shift{From: at(1).Add(20 * time.Second), To: at(2).Add(time.Second), By: 2 * time.Minute}, []float64{0, 3, 4, 1, 2, 5, 6, 7}},
		{"occurrence", ShiftOf(calendar.Occurrence{Start: at(2), End: at(3), Lead: time.Minute}, 2*time.Minute), []float64{0, 3, 4, 1, 2, 5, 6, 7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := WhatIf{Shifts: []Shift{tc.shift}}.Apply(y, validSettings())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out.Values, tc.want) {
				t.Errorf("shifted = %v, want %v", out.Values, tc.want)
			}
			if y.Values[1] != 1 {
				t.Error("Apply modified its input")
			}
		})
	}
}

func TestWhatIfErrors(t *testing.T) {
	y := minuteTrace(0, 1, 2, 3)
	at := func(m int) time.Time { return y.Start.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name string
		w    WhatIf
		want string
	}{
		{"negative scale", WhatIf{Scale: -1}, "whatIf.scale"},
		{"by off grid", WhatIf{Shifts: []Shift{{From: at(0), To: at(2), By: time.Second}}}, "whatIf.shifts[0]: by 1s: must be a whole number of 1m0s steps"},
		{"empty", WhatIf{Shifts: []Shift{{From: at(2), To: at(2), By: time.Minute}}}, "to must be after from"},
		{"leaves", WhatIf{Shifts: []Shift{{From: at(1), To: at(3), By: 2 * time.Minute}}}, "leaves the trace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := tc.w.Apply(y, validSettings()); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Apply = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestWhatIfScaleStartupZones(t *testing.T) {
	y := minuteTrace(1, 2, 3)
	s := validSettings()
	s.ZoneLosses = make([]ZoneLoss, 1, 4)
	s.ZoneLosses[0] = ZoneLoss{At: y.Start, Fraction: 0.5}
	loss := ZoneLoss{At: y.Start.Add(time.Minute), Fraction: 1}
	out, s2, err := WhatIf{Scale: 2, Startup: Fixed(5 * time.Minute), ZoneLosses: []ZoneLoss{loss}}.Apply(y, s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Values, []float64{2, 4, 6}) {
		t.Errorf("scaled = %v, want [2 4 6]", out.Values)
	}
	if s2.Pods.Startup != Fixed(5*time.Minute) || s.Pods.Startup == s2.Pods.Startup {
		t.Errorf("startup = %v (original %v), want 5m0s only in the copy", s2.Pods.Startup, s.Pods.Startup)
	}
	if len(s2.ZoneLosses) != 2 || s2.ZoneLosses[1] != loss {
		t.Errorf("zone losses = %v, want the original plus %v", s2.ZoneLosses, loss)
	}
	if s.ZoneLosses[:2][1] == loss {
		t.Error("Apply wrote into the original settings' zone-loss array")
	}
}

// TestZoneLossRecreatesPods checks that lost pods are re-created at once
// and serve again only after their start-up delay.
func TestZoneLossRecreatesPods(t *testing.T) {
	y := timeseries15s(40, func(int) float64 { return 700 })
	s := validSettings()
	s.Metrics.Lag = 0
	s.InitialReplicas = 10
	s.Timeline = true
	s.ZoneLosses = []ZoneLoss{{At: y.Time(20), Fraction: 0.3}}
	res, err := Run(context.Background(), Job{Demand: y, Policy: NewReactive(100), Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct{ step, desired, ready int }{{19, 10, 10}, {20, 10, 7}, {23, 10, 7}, {24, 10, 10}} {
		if p := res.Timeline[w.step]; p.Desired != w.desired || p.Ready != w.ready {
			t.Errorf("step %d: desired %d ready %d, want %d and %d", w.step, p.Desired, p.Ready, w.desired, w.ready)
		}
	}
	// The lost pods are billed until 5 min, their replacements from 5 min:
	// 10 pods for 10 min in all.
	if want := 10 * 10.0 / 60; math.Abs(res.PodHours-want) > 1e-12 {
		t.Errorf("pod-hours = %v, want %v", res.PodHours, want)
	}
	if res.ScaleEvents != 0 {
		t.Errorf("scale events = %d, want 0: a zone loss is not a rescale", res.ScaleEvents)
	}
}
