package simulator

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// settings overlays the scenario's settings on DefaultSettings.
func (sc scenario) settings() (Settings, error) {
	s := DefaultSettings()
	o := sc.Settings
	s.Pods.Capacity = sc.Policy.Capacity
	s.Timeline = true
	setInt(&s.InitialReplicas, o.InitialReplicas)
	if o.Pods.Startup != nil {
		s.Pods.Startup = Fixed(*o.Pods.Startup)
	}
	setDur(&s.Pods.Warmup, o.Pods.Warmup)
	setDur(&s.Metrics.Lag, o.Metrics.Lag)
	setDur(&s.Metrics.Window, o.Metrics.Window)
	setDur(&s.Queue.Timeout, o.Queue.Timeout)
	setDur(&s.KEDA.PollingInterval, o.KEDA.PollingInterval)
	setDur(&s.KEDA.CooldownPeriod, o.KEDA.CooldownPeriod)
	setInt(&s.KEDA.MinReplicaCount, o.KEDA.MinReplicaCount)
	setInt(&s.KEDA.MaxReplicaCount, o.KEDA.MaxReplicaCount)
	if o.KEDA.UseCachedMetrics != nil {
		s.KEDA.UseCachedMetrics = *o.KEDA.UseCachedMetrics
	}
	setDur(&s.HPA.SyncPeriod, o.HPA.SyncPeriod)
	if o.HPA.Tolerance != nil {
		s.HPA.Tolerance = *o.HPA.Tolerance
	}
	if b := o.HPA.Behavior; b != nil {
		def := DefaultBehavior()
		s.HPA.Behavior = &def
		if err := b.ScaleUp.apply(&def.ScaleUp); err != nil {
			return Settings{}, fmt.Errorf("hpa.behavior.scaleUp: %w", err)
		}
		if err := b.ScaleDown.apply(&def.ScaleDown); err != nil {
			return Settings{}, fmt.Errorf("hpa.behavior.scaleDown: %w", err)
		}
	}
	s.PinPhases = true
	return s, s.Validate()
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setDur(dst *time.Duration, v *dur) {
	if v != nil {
		*dst = time.Duration(*v)
	}
}

// apply overlays r on dst; nil r changes nothing.
func (r *rules) apply(dst *Rules) error {
	if r == nil {
		return nil
	}
	if r.Tolerance != nil {
		dst.Tolerance = r.Tolerance
	}
	if r.StabilizationWindowSeconds != nil {
		dst.StabilizationWindow = time.Duration(*r.StabilizationWindowSeconds) * time.Second
	}
	if r.SelectPolicy != nil {
		sel, ok := map[string]Select{"Max": SelectMax, "Min": SelectMin, "Disabled": SelectDisabled}[*r.SelectPolicy]
		if !ok {
			return fmt.Errorf("selectPolicy %q: must be Max, Min or Disabled", *r.SelectPolicy)
		}
		dst.Select = sel
	}
	if r.Policies != nil {
		dst.Policies = nil
		for _, p := range r.Policies {
			kind, ok := map[string]Kind{"Pods": PodsPolicy, "Percent": PercentPolicy}[p.Type]
			if !ok {
				return fmt.Errorf("policy type %q: must be Pods or Percent", p.Type)
			}
			dst.Policies = append(dst.Policies, RateLimit{Kind: kind, Value: p.Value, Period: time.Duration(p.PeriodSeconds) * time.Second})
		}
	}
	return nil
}

// job builds the scenario's job.
func (sc scenario) job() (Job, error) {
	y, err := sc.Demand.series()
	if err != nil {
		return Job{}, err
	}
	p, err := sc.Policy.build()
	if err != nil {
		return Job{}, err
	}
	s, err := sc.settings()
	if err != nil {
		return Job{}, err
	}
	return Job{Demand: y, Policy: p, Settings: s}, nil
}

// TestScenarios runs every testdata/scenarios/*.yaml file and checks the
// expected state at each listed instant. The expectations are derived by
// hand from the documented HPA and KEDA rules, in each file's comments.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := loadScenario(data)
			if err != nil {
				t.Fatalf("parsing %s: %v", f, err)
			}
			job, err := sc.job()
			if err != nil {
				t.Fatalf("building %s: %v", f, err)
			}
			res, err := Run(context.Background(), job)
			if err != nil {
				t.Fatalf("running %s: %v", f, err)
			}
			if len(sc.Expect) == 0 {
				t.Fatalf("%s expects nothing", f)
			}
			for _, e := range sc.Expect {
				checkExpectation(t, res, job, e)
			}
		})
	}
}

func checkExpectation(t *testing.T, res Result, job Job, e expectation) {
	t.Helper()
	at := time.Duration(e.At)
	i := job.Demand.Index(scenarioStart.Add(at))
	if at%job.Demand.Step != 0 || i < 0 || i >= len(res.Timeline) {
		t.Fatalf("expectation at %v: not a step of the trace", at)
	}
	p := res.Timeline[i]
	if e.Desired != nil && p.Desired != *e.Desired {
		t.Errorf("at %v: desired replicas = %d, want %d", at, p.Desired, *e.Desired)
	}
	if e.Ready != nil && p.Ready != *e.Ready {
		t.Errorf("at %v: ready replicas = %d, want %d", at, p.Ready, *e.Ready)
	}
	if e.Unserved != nil && !(math.Abs(p.Unserved-*e.Unserved) <= 1e-9) {
		t.Errorf("at %v: unserved fraction = %v, want %v", at, p.Unserved, *e.Unserved)
	}
}

// FuzzScenario checks that no scenario file, however malformed, panics the
// loader or the simulator.
func FuzzScenario(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "scenarios", "*.yaml"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := loadScenario(data)
		if err != nil {
			return
		}
		job, err := sc.job()
		if err != nil || job.Demand.Len() > 10000 {
			return
		}
		_, _ = Run(context.Background(), job)
	})
}
