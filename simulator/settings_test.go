package simulator

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func validSettings() Settings {
	s := DefaultSettings()
	s.Pods.Capacity = 100
	return s
}

func TestDefaultSettingsValid(t *testing.T) {
	if err := validSettings().Validate(); err != nil {
		t.Fatalf("DefaultSettings with a capacity: Validate() = %v, want nil", err)
	}
	if err := DefaultSettings().Validate(); err == nil || !strings.Contains(err.Error(), "pods.capacity") {
		t.Fatalf("DefaultSettings without capacity: Validate() = %v, want a pods.capacity error", err)
	}
}

func TestDefaultsMatchKubernetesAndKEDA(t *testing.T) {
	s := DefaultSettings()
	h := DefaultBehavior()
	checks := []struct {
		name      string
		got, want any
	}{
		{"hpa sync period", s.HPA.SyncPeriod, 15 * time.Second},
		{"hpa tolerance", s.HPA.Tolerance, 0.1},
		{"hpa downscale stabilization", s.HPA.DownscaleStabilization, 300 * time.Second},
		{"no behavior, as KEDA creates the HPA", s.HPA.Behavior == nil, true},
		{"timer phases drawn", s.PinPhases, false},
		{"scale-up window", h.ScaleUp.StabilizationWindow, time.Duration(0)},
		{"scale-down window", h.ScaleDown.StabilizationWindow, 300 * time.Second},
		{"scale-up policies", len(h.ScaleUp.Policies), 2},
		{"scale-up percent", h.ScaleUp.Policies[0], RateLimit{PercentPolicy, 100, 15 * time.Second}},
		{"scale-up pods", h.ScaleUp.Policies[1], RateLimit{PodsPolicy, 4, 15 * time.Second}},
		{"scale-down percent", h.ScaleDown.Policies[0], RateLimit{PercentPolicy, 100, 15 * time.Second}},
		{"keda polling", s.KEDA.PollingInterval, 30 * time.Second},
		{"keda cooldown", s.KEDA.CooldownPeriod, 300 * time.Second},
		{"keda min", s.KEDA.MinReplicaCount, 0},
		{"keda max", s.KEDA.MaxReplicaCount, 100},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// DefaultBehavior must not share slices between calls.
	a, b := DefaultBehavior(), DefaultBehavior()
	a.ScaleUp.Policies[0].Value = 1
	if b.ScaleUp.Policies[0].Value != 100 {
		t.Error("DefaultBehavior calls share their policy slices")
	}
}

func TestValidateNamesField(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Settings)
		field string
	}{
		{"tolerance one", func(s *Settings) { s.HPA.Tolerance = 1 }, "hpa.tolerance: must be in [0,1)"},
		{"tolerance negative", func(s *Settings) { s.HPA.Tolerance = -0.1 }, "hpa.tolerance"},
		{"sync period", func(s *Settings) { s.HPA.SyncPeriod = 0 }, "hpa.syncPeriod"},
		{"up window", func(s *Settings) { s.HPA.Behavior.ScaleUp.StabilizationWindow = -time.Second }, "hpa.behavior.scaleUp.stabilizationWindow"},
		{"select", func(s *Settings) { s.HPA.Behavior.ScaleDown.Select = 7 }, "hpa.behavior.scaleDown.selectPolicy"},
		{"no policies", func(s *Settings) { s.HPA.Behavior.ScaleDown.Policies = nil }, "hpa.behavior.scaleDown.policies"},
		{"policy value", func(s *Settings) { s.HPA.Behavior.ScaleUp.Policies[1].Value = 0 }, "hpa.behavior.scaleUp.policies[1].value"},
		{"policy period", func(s *Settings) { s.HPA.Behavior.ScaleUp.Policies[0].Period = time.Hour }, "hpa.behavior.scaleUp.policies[0].periodSeconds"},
		{"policy type", func(s *Settings) { s.HPA.Behavior.ScaleUp.Policies[0].Kind = 9 }, "hpa.behavior.scaleUp.policies[0].type"},
		{"up tolerance", func(s *Settings) { s.HPA.Behavior.ScaleUp.Tolerance = new(1.5) }, "hpa.behavior.scaleUp.tolerance"},
		{"downscale stabilization", func(s *Settings) { s.HPA.DownscaleStabilization = -time.Second }, "hpa.downscaleStabilization"},
		{"sync phase", func(s *Settings) { s.PinPhases, s.Phases.Sync = true, 15*time.Second }, "phases.sync"},
		{"poll phase", func(s *Settings) { s.PinPhases, s.Phases.Poll = true, -time.Second }, "phases.poll"},
		{"idle", func(s *Settings) { s.KEDA.IdleReplicaCount = new(0) }, "keda.idleReplicaCount"},
		{"initial cooldown", func(s *Settings) { s.KEDA.InitialCooldownPeriod = -1 }, "keda.initialCooldownPeriod"},
		{"fallback threshold", func(s *Settings) { s.KEDA.Fallback = &Fallback{FailureThreshold: -1} }, "keda.fallback.failureThreshold"},
		{"fallback behavior", func(s *Settings) { s.KEDA.Fallback = &Fallback{Behavior: "sometimes"} }, "keda.fallback.behavior"},
		{"capacity", func(s *Settings) { s.Pods.Capacity = -1 }, "pods.capacity"},
		{"startup nil", func(s *Settings) { s.Pods.Startup = nil }, "pods.startup: must be set"},
		{"startup bad", func(s *Settings) { s.Pods.Startup = Uniform{Min: 2, Max: 1} }, "pods.startup"},
		{"warmup", func(s *Settings) { s.Pods.Warmup = -1 }, "pods.warmup"},
		{"price", func(s *Settings) { s.Pods.PricePerHour = -1 }, "pods.pricePerHour"},
		{"polling", func(s *Settings) { s.KEDA.PollingInterval = 0 }, "keda.pollingInterval"},
		{"cooldown", func(s *Settings) { s.KEDA.CooldownPeriod = -1 }, "keda.cooldownPeriod"},
		{"min", func(s *Settings) { s.KEDA.MinReplicaCount = -1 }, "keda.minReplicaCount"},
		{"max below min", func(s *Settings) { s.KEDA.MinReplicaCount = 5; s.KEDA.MaxReplicaCount = 4 }, "keda.maxReplicaCount"},
		{"lag", func(s *Settings) { s.Metrics.Lag = -1 }, "metrics.lag"},
		{"window", func(s *Settings) { s.Metrics.Window = -1 }, "metrics.window"},
		{"queue", func(s *Settings) { s.Queue.Timeout = -1 }, "queue.timeout"},
		{"initial", func(s *Settings) { s.InitialReplicas = 101 }, "initialReplicas"},
		{"zone fraction", func(s *Settings) { s.ZoneLosses = []ZoneLoss{{Fraction: 1.5}} }, "zoneLosses[0].fraction"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validSettings()
			b := DefaultBehavior()
			s.HPA.Behavior = &b
			tc.edit(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.field)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false", err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || !strings.HasPrefix(tc.field, fe.Field) {
				t.Errorf("errors.As FieldError = %v, want field %q", fe, tc.field)
			}
		})
	}
}

func TestValidateReportsAll(t *testing.T) {
	s := validSettings()
	s.HPA.Tolerance = 2
	s.KEDA.PollingInterval = 0
	err := s.Validate()
	for _, f := range []string{"hpa.tolerance", "keda.pollingInterval"} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("Validate() = %v, want it to name %s", err, f)
		}
	}
}

func TestSelectAndKindStrings(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{SelectMax.String(), "Max"}, {SelectMin.String(), "Min"}, {SelectDisabled.String(), "Disabled"},
		{Select(9).String(), "Select(9)"}, {PodsPolicy.String(), "Pods"}, {PercentPolicy.String(), "Percent"},
		{Kind(5).String(), "Kind(5)"},
	} {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
}
