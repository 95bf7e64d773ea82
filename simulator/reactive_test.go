package simulator

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestReactiveMetrics(t *testing.T) {
	r := Reactive{Capacity: 100, Utilisation: 0.5, Activation: 10}
	tests := []struct {
		value  float64
		active bool
	}{{5, false}, {10, false}, {11, true}, {math.NaN(), false}}
	for _, tc := range tests {
		got := r.Metrics(time.Time{}, Observations{value: tc.value}, nil)
		if len(got) != 1 || got[0].Target != 50 || got[0].Active != tc.active {
			t.Errorf("value %v: Metrics = %+v, want target 50, active %v", tc.value, got, tc.active)
		}
	}
}

func TestCronWindows(t *testing.T) {
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	c := Cron{Reactive: NewReactive(100), Windows: []CronWindow{
		{Start: day.Add(8 * time.Hour), End: day.Add(18 * time.Hour), Every: 24 * time.Hour, Replicas: 12},
		{Start: day.Add(48 * time.Hour), End: day.Add(50 * time.Hour), Replicas: 30},
	}}
	tests := []struct {
		at   time.Duration
		want []float64
	}{
		{7 * time.Hour, []float64{0, 0}},
		{8 * time.Hour, []float64{12, 0}},
		{18 * time.Hour, []float64{0, 0}},
		{24*time.Hour + 9*time.Hour, []float64{12, 0}},
		{49 * time.Hour, []float64{0, 30}},
		{72*time.Hour + 49*time.Hour, []float64{0, 0}},
	}
	for _, tc := range tests {
		ms := c.Metrics(day.Add(tc.at), Observations{value: 1}, nil)
		if len(ms) != 3 || ms[1].Value != tc.want[0] || ms[2].Value != tc.want[1] {
			t.Errorf("at +%v: cron metrics = %+v, want %v", tc.at, ms, tc.want)
		}
		for i, m := range ms[1:] {
			if m.Active != (m.Value > 0) || m.Target != 1 {
				t.Errorf("at +%v: window %d = %+v, want active inside and target 1", tc.at, i, m)
			}
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		p    interface{ Validate() error }
		want string
	}{
		{"capacity", Reactive{Utilisation: 0.5}, "reactive.capacity"},
		{"utilisation", Reactive{Capacity: 1}, "reactive.utilisation"},
		{"window order", Cron{Reactive: NewReactive(1), Windows: []CronWindow{{Start: day, End: day, Replicas: 1}}}, "cron.windows[0].end"},
		{"every", Cron{Reactive: NewReactive(1), Windows: []CronWindow{{Start: day, End: day.Add(2 * time.Hour), Every: time.Hour, Replicas: 1}}}, "cron.windows[0].every"},
		{"replicas", Cron{Reactive: NewReactive(1), Windows: []CronWindow{{Start: day, End: day.Add(time.Hour)}}}, "cron.windows[0].desiredReplicas"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want an error naming %s", err, tc.want)
			}
		})
	}
	if err := (Cron{Reactive: NewReactive(1)}).Validate(); err != nil {
		t.Errorf("valid cron: %v", err)
	}
}
