package policies

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 10, 23, 50, 0, 0, time.UTC)

func basePolicy() Policy {
	return Policy{Mode: ModePredictive, TargetPerPod: 100, LeadTime: 5 * time.Minute, MinReplicas: 1, MaxReplicas: 50}
}

// ramp is a forecast starting at t0 with one value per minute.
func ramp(vals ...float64) Forecast {
	return Forecast{Start: t0, Step: time.Minute, Values: vals}
}

func TestDecide(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		policy   func(*Policy)
		in       Inputs
		want     float64
		replicas int
		source   Source
		degraded bool
	}{
		{
			name: "live above forecast",
			in:   Inputs{Now: t0, Live: Observation{900, t0}, Forecast: ramp(500, 600, 700)},
			want: 900, replicas: 9, source: SourceLive,
		},
		{
			name: "forecast peak inside lead time wins",
			in:   Inputs{Now: t0, Live: Observation{800, t0}, Forecast: ramp(800, 900, 1200, 2500, 3000, 3100, 9000)},
			want: 3100, replicas: 31, source: SourceForecast,
		},
		{
			name:   "forecast beyond lead time ignored",
			policy: func(p *Policy) { p.LeadTime = 2 * time.Minute },
			in:     Inputs{Now: t0, Live: Observation{800, t0}, Forecast: ramp(800, 900, 1200, 2500)},
			want:   1200, replicas: 12, source: SourceForecast,
		},
		{
			name: "forecast that ended before now is not used",
			in:   Inputs{Now: t0.Add(time.Hour), Live: Observation{300, t0.Add(time.Hour)}, Forecast: ramp(5000)},
			want: 300, replicas: 3, source: SourceLive,
		},
		{
			name: "event floor ahead within lead time",
			in: Inputs{Now: t0, Live: Observation{800, t0}, Forecast: ramp(800),
				Floors: []Floor{{Event: "double11", Start: t0.Add(4 * time.Minute), End: t0.Add(time.Hour), Replicas: 40}}},
			want: 4000, replicas: 40, source: SourceEvent,
		},
		{
			name: "event floor that ended is ignored",
			in: Inputs{Now: t0, Live: Observation{800, t0},
				Floors: []Floor{{Event: "old", Start: t0.Add(-2 * time.Hour), End: t0, Replicas: 40}}},
			want: 800, replicas: 8, source: SourceLive,
		},
		{
			name: "min replicas floor",
			in:   Inputs{Now: t0, Live: Observation{0, t0}},
			want: 100, replicas: 1, source: SourceMinReplicas,
		},
		{
			name: "max replicas cap applies even above live",
			in:   Inputs{Now: t0, Live: Observation{9000, t0}},
			want: 5000, replicas: 50, source: SourceMaxReplicas,
		},
		{
			name:   "reactive ignores forecast and events",
			policy: func(p *Policy) { p.Mode = ModeReactive },
			in:     Inputs{Now: t0, Live: Observation{800, t0}, Forecast: ramp(3000), Floors: []Floor{{Event: "e", Start: t0, End: t0.Add(time.Hour), Replicas: 40}}},
			want:   800, replicas: 8, source: SourceLive,
		},
		{
			name:   "shadow serves reactive",
			policy: func(p *Policy) { p.Mode = ModeShadow },
			in:     Inputs{Now: t0, Live: Observation{800, t0}, Forecast: ramp(3000)},
			want:   800, replicas: 8, source: SourceLive,
		},
		{
			name: "live unknown falls back to forecast",
			in:   Inputs{Now: t0, Live: Observation{nan, time.Time{}}, Forecast: ramp(1000, 1500), Previous: &Decision{At: t0.Add(-time.Minute), Value: 4000}},
			want: 1500, replicas: 15, source: SourceForecast, degraded: true,
		},
		{
			name: "stale live counts as unknown",
			in:   Inputs{Now: t0, Live: Observation{9000, t0.Add(-10 * time.Minute)}, StaleAfter: 2 * time.Minute, Forecast: ramp(1000)},
			want: 1000, replicas: 10, source: SourceForecast, degraded: true,
		},
		{
			name: "blind without forecast holds last value",
			in:   Inputs{Now: t0, Live: Observation{nan, time.Time{}}, Previous: &Decision{At: t0.Add(-time.Minute), Value: 2300}},
			want: 2300, replicas: 23, source: SourceHold, degraded: true,
		},
		{
			name:   "reactive blind holds last value even with forecast",
			policy: func(p *Policy) { p.Mode = ModeReactive },
			in:     Inputs{Now: t0, Live: Observation{math.Inf(1), t0}, Forecast: ramp(100), Previous: &Decision{At: t0.Add(-time.Minute), Value: 2300}},
			want:   2300, replicas: 23, source: SourceHold, degraded: true,
		},
		{
			name:   "scale-down limit holds value up",
			policy: func(p *Policy) { p.MaxScaleDownPerMinute = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{500, t0}, Previous: &Decision{At: t0.Add(-2 * time.Minute), Value: 2000}},
			want:   1600, replicas: 16, source: SourceScaleDownLimit,
		},
		{
			name:   "scale-up limit caps forecast excess",
			policy: func(p *Policy) { p.MaxScaleUpPerMinute = 0.5 },
			in:     Inputs{Now: t0, Live: Observation{1000, t0}, Forecast: ramp(4000), Previous: &Decision{At: t0.Add(-time.Minute), Value: 1000}},
			want:   1500, replicas: 15, source: SourceScaleUpLimit,
		},
		{
			name:   "scale-up limit never holds back live demand",
			policy: func(p *Policy) { p.MaxScaleUpPerMinute = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{3000, t0}, Previous: &Decision{At: t0.Add(-time.Minute), Value: 1000}},
			want:   3000, replicas: 30, source: SourceLive,
		},
		{
			name:   "headroom scales the live demand",
			policy: func(p *Policy) { p.Headroom = 1.25 },
			in:     Inputs{Now: t0, Live: Observation{800, t0}},
			want:   1000, replicas: 10, source: SourceHeadroom,
		},
		{
			name:   "headroom scales the forecast peak",
			policy: func(p *Policy) { p.Headroom = 1.5 },
			in:     Inputs{Now: t0, Live: Observation{800, t0}, Forecast: ramp(800, 1000)},
			want:   1500, replicas: 15, source: SourceHeadroom,
		},
		{
			name:   "headroom leaves a calendar floor in replicas alone",
			policy: func(p *Policy) { p.Headroom = 1.25 },
			in: Inputs{Now: t0, Live: Observation{800, t0},
				Floors: []Floor{{Event: "sale", Start: t0, End: t0.Add(time.Hour), Replicas: 12}}},
			want: 1200, replicas: 12, source: SourceEvent,
		},
		{
			name:   "headroom then the max replicas cap",
			policy: func(p *Policy) { p.Headroom = 2 },
			in:     Inputs{Now: t0, Live: Observation{3000, t0}},
			want:   5000, replicas: 50, source: SourceMaxReplicas,
		},
		{
			name:   "tolerance raises a value the HPA would ignore past its bound",
			policy: func(p *Policy) { p.Tolerance = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{1050, t0}, Replicas: 10},
			want:   1100.001, replicas: 12, source: SourceTolerance,
		},
		{
			name:   "tolerance leaves a value past the bound alone",
			policy: func(p *Policy) { p.Tolerance = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{1200, t0}, Replicas: 10},
			want:   1200, replicas: 12, source: SourceLive,
		},
		{
			name:   "tolerance leaves a value the running replicas serve alone",
			policy: func(p *Policy) { p.Tolerance = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{950, t0}, Replicas: 10},
			want:   950, replicas: 10, source: SourceLive,
		},
		{
			name:   "tolerance with the replicas unknown is headroom",
			policy: func(p *Policy) { p.Tolerance = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{1000, t0}},
			want:   1100, replicas: 11, source: SourceTolerance,
		},
		{
			name:   "tolerance then the max replicas cap",
			policy: func(p *Policy) { p.Tolerance = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{4950, t0}, Replicas: 48},
			want:   5000, replicas: 50, source: SourceMaxReplicas,
		},
		{
			name:   "a headroom past the tolerance turns it off",
			policy: func(p *Policy) { p.Tolerance = 0.1; p.Headroom = 1.25 },
			in:     Inputs{Now: t0, Live: Observation{840, t0}, Replicas: 10},
			want:   1050, replicas: 11, source: SourceHeadroom,
		},
		{
			name:   "the scale-up limit caps the tolerance's raise",
			policy: func(p *Policy) { p.Tolerance = 0.1; p.MaxScaleUpPerMinute = 0.02 },
			in:     Inputs{Now: t0, Live: Observation{1050, t0}, Replicas: 10, Previous: &Decision{At: t0.Add(-time.Minute), Value: 1000}},
			want:   1050, replicas: 11, source: SourceScaleUpLimit,
		},
		{
			name:   "reactive ignores tolerance",
			policy: func(p *Policy) { p.Mode = ModeReactive; p.Tolerance = 0.1 },
			in:     Inputs{Now: t0, Live: Observation{1050, t0}, Replicas: 10},
			want:   1050, replicas: 11, source: SourceLive,
		},
		{
			name:   "reactive ignores headroom",
			policy: func(p *Policy) { p.Mode = ModeReactive; p.Headroom = 2 },
			in:     Inputs{Now: t0, Live: Observation{800, t0}},
			want:   800, replicas: 8, source: SourceLive,
		},
		{
			name:   "headroom is not applied twice to a held value",
			policy: func(p *Policy) { p.Headroom = 2 },
			in:     Inputs{Now: t0, Live: Observation{nan, time.Time{}}, Previous: &Decision{At: t0.Add(-time.Minute), Value: 2300}},
			want:   2300, replicas: 23, source: SourceHold, degraded: true,
		},
		{
			name:   "negative live demand is zero",
			policy: func(p *Policy) { p.MinReplicas = 0 },
			in:     Inputs{Now: t0, Live: Observation{-5, t0}},
			want:   0, replicas: 0, source: SourceLive,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basePolicy()
			if tt.policy != nil {
				tt.policy(&p)
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("policy invalid: %v", err)
			}
			d, err := Decide(p, tt.in)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if math.Abs(d.Value-tt.want) > 1e-9 || d.Replicas != tt.replicas || d.Source != tt.source || d.Degraded != tt.degraded {
				t.Errorf("got value %v replicas %d source %s degraded %v, want %v %d %s %v\nreasons: %s",
					d.Value, d.Replicas, d.Source, d.Degraded, tt.want, tt.replicas, tt.source, tt.degraded, strings.Join(d.Reasons(), "; "))
			}
			if len(d.Reasons()) == 0 {
				t.Errorf("decision has no reasons")
			}
		})
	}
}

func TestDecideShadowReportsPredictive(t *testing.T) {
	p := basePolicy()
	p.Mode = ModeShadow
	d, err := Decide(p, Inputs{Now: t0, Live: Observation{800, t0}, Forecast: ramp(3000)})
	if err != nil {
		t.Fatal(err)
	}
	if d.Value != 800 || d.Predictive != 3000 {
		t.Fatalf("shadow: got value %v predictive %v, want 800 and 3000", d.Value, d.Predictive)
	}
	r := d.Reasons()
	if want := "shadow: predictive would serve 3000 (forecast)"; r[len(r)-1] != want {
		t.Fatalf("shadow reasons %q, want last %q", r, want)
	}
}

func TestDecideNoSafeValue(t *testing.T) {
	_, err := Decide(basePolicy(), Inputs{Now: t0, Live: Observation{math.NaN(), time.Time{}}})
	if !errors.Is(err, ErrNoSafeValue) {
		t.Fatalf("got %v, want ErrNoSafeValue", err)
	}
}

// TestDecidePure checks that a decision depends only on its inputs: the
// same inputs twice give the same decision, and the inputs are not changed.
func TestDecidePure(t *testing.T) {
	p := basePolicy()
	f := ramp(100, 2000, 300)
	in := Inputs{Now: t0, Live: Observation{700, t0}, Forecast: f}
	a, err := Decide(p, in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Decide(p, in)
	if a.Value != b.Value || a.Source != b.Source || strings.Join(a.Reasons(), "|") != strings.Join(b.Reasons(), "|") {
		t.Fatalf("two calls differ: %+v vs %+v", a, b)
	}
	if f.Values[1] != 2000 {
		t.Fatal("Decide changed its forecast input")
	}
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Policy)
		field string
	}{
		{"bad mode", func(p *Policy) { p.Mode = "eager" }, "mode"},
		{"zero target", func(p *Policy) { p.TargetPerPod = 0 }, "targetPerPod"},
		{"nan target", func(p *Policy) { p.TargetPerPod = math.NaN() }, "targetPerPod"},
		{"negative lead", func(p *Policy) { p.LeadTime = -time.Second }, "leadTime"},
		{"negative min", func(p *Policy) { p.MinReplicas = -1 }, "minReplicas"},
		{"max below min", func(p *Policy) { p.MinReplicas = 5; p.MaxReplicas = 2 }, "maxReplicas"},
		{"negative up", func(p *Policy) { p.MaxScaleUpPerMinute = -1 }, "maxScaleUpPerMinute"},
		{"down above one", func(p *Policy) { p.MaxScaleDownPerMinute = 1.5 }, "maxScaleDownPerMinute"},
		{"headroom below one", func(p *Policy) { p.Headroom = 0.8 }, "headroom"},
		{"headroom above the bound", func(p *Policy) { p.Headroom = MaxHeadroom + 1 }, "headroom"},
		{"headroom not a number", func(p *Policy) { p.Headroom = math.NaN() }, "headroom"},
		{"tolerance negative", func(p *Policy) { p.Tolerance = -0.1 }, "tolerance"},
		{"tolerance above the bound", func(p *Policy) { p.Tolerance = MaxTolerance + 0.1 }, "tolerance"},
		{"tolerance not a number", func(p *Policy) { p.Tolerance = math.NaN() }, "tolerance"},
		{"risk of one", func(p *Policy) { p.Risk = 1 }, "risk"},
		{"nan risk", func(p *Policy) { p.Risk = math.NaN() }, "risk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basePolicy()
			tt.edit(&p)
			err := p.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("got %v, want a FieldError on %s", err, tt.field)
			}
		})
	}
	if err := basePolicy().Validate(); err != nil {
		t.Fatalf("valid policy rejected: %v", err)
	}
}

func BenchmarkDecide(b *testing.B) {
	p := basePolicy()
	vals := make([]float64, 120)
	for i := range vals {
		vals[i] = 1000 + 10*float64(i)
	}
	in := Inputs{Now: t0.Add(30 * time.Minute), Live: Observation{1200, t0.Add(30 * time.Minute)}, Forecast: ramp(vals...),
		Floors: []Floor{{Event: "double11", Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour), Replicas: 40}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(p, in); err != nil {
			b.Fatal(err)
		}
	}
}
