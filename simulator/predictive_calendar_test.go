package simulator

import (
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
)

// calendarDemand is 100 steps of 1 minute at 10, with 80 at step 20, a
// missing step 30, 500 in steps 60 to 69 (the event itself) and 200 after.
func calendarDemand() timeseries.Series {
	y := timeseries.Series{Name: "d", Start: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Step: time.Minute}
	for i := range 100 {
		v := 10.0
		switch {
		case i == 20:
			v = 80
		case i == 30:
			v = math.NaN()
		case i >= 70:
			v = 200
		case i >= 60:
			v = 500
		}
		y.Values = append(y.Values, v)
	}
	return y
}

func TestEventFloors(t *testing.T) {
	y := calendarDemand()
	at := func(i int) time.Time { return y.Time(i) }
	launch := calendar.Occurrence{Name: "launch", Type: "launch", Start: at(60), End: at(70), Lead: 10 * time.Minute, Lag: 5 * time.Minute}
	sale := calendar.Occurrence{Name: "sale", Type: "sale", Start: at(60), End: at(70), Uplift: 3}
	early := calendar.Occurrence{Name: "early", Type: "launch", Start: at(0), End: at(5)}
	occ := []calendar.Occurrence{early, launch, sale}
	tests := []struct {
		name string
		opts FloorOptions
		want []policies.Floor
	}{
		{"peak before the window only", FloorOptions{Types: []string{"launch"}, TargetPerPod: 7},
			[]policies.Floor{{Event: "launch", Start: at(50), End: at(75), Replicas: 12}}}, // ceil(80/7)
		{"uplift multiplies the peak", FloorOptions{Types: []string{"sale"}, TargetPerPod: 10},
			[]policies.Floor{{Event: "sale", Start: at(60), End: at(70), Replicas: 24}}},
		{"fixed replicas for all types", FloorOptions{Replicas: 5},
			[]policies.Floor{{Event: "early", Start: at(0), End: at(5), Replicas: 5},
				{Event: "launch", Start: at(50), End: at(75), Replicas: 5}, {Event: "sale", Start: at(60), End: at(70), Replicas: 5}}},
		{"capped at max replicas", FloorOptions{Types: []string{"sale"}, TargetPerPod: 10, MaxReplicas: 20},
			[]policies.Floor{{Event: "sale", Start: at(60), End: at(70), Replicas: 20}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := EventFloors(y, occ, tc.opts)
			if len(got) != len(tc.want) {
				t.Fatalf("floors = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("floor %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestCronWindowsOpenALeadEarly(t *testing.T) {
	y := calendarDemand()
	floors := []policies.Floor{{Event: "a", Start: y.Time(50), End: y.Time(75), Replicas: 12}, {Event: "empty", Start: y.Time(5), End: y.Time(5), Replicas: 3}}
	got := CronWindows(floors, 4*time.Minute)
	want := CronWindow{Start: y.Time(46), End: y.Time(75), Replicas: 12}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("CronWindows = %+v, want [%+v] (the empty floor dropped)", got, want)
	}
	if err := (Cron{Reactive: NewReactive(10), Windows: got}).Validate(); err != nil {
		t.Errorf("cron of the windows: %v", err)
	}
}

func TestEventShifts(t *testing.T) {
	y := calendarDemand()
	at := func(i int) time.Time { return y.Time(i) }
	inside := calendar.Occurrence{Name: "in", Type: "launch", Start: at(60), End: at(70)}
	edge := calendar.Occurrence{Name: "edge", Type: "launch", Start: at(95), End: at(99)}
	other := calendar.Occurrence{Name: "other", Type: "sale", Start: at(10), End: at(12)}
	shifts, moved := EventShifts(y, []calendar.Occurrence{inside, edge, other}, []string{"launch"}, 10*time.Minute)
	if len(shifts) != 1 || shifts[0] != (Shift{From: at(60), To: at(70), By: 10 * time.Minute}) {
		t.Fatalf("shifts = %+v, want only the event with room to move", shifts)
	}
	if !moved[0].Start.Equal(at(70)) || !moved[1].Start.Equal(at(95)) || !moved[2].Start.Equal(at(10)) {
		t.Errorf("moved = %+v, want only the shifted event moved", moved)
	}
	out, _, err := WhatIf{Shifts: shifts}.Apply(y, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if out.Values[65] != 200 || out.Values[75] != 500 {
		t.Errorf("after the shift, steps 65 and 75 = %v, %v; want 200 (displaced) and 500 (the event)", out.Values[65], out.Values[75])
	}
}
