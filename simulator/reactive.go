package simulator

import (
	"fmt"
	"time"
)

// DefaultUtilisation is the target utilisation of the reactive policy: the
// HPA aims at pods each serving 70 % of their capacity.
const DefaultUtilisation = 0.7

// Reactive is plain KEDA + HPA on the live demand metric: one trigger (such
// as KEDA's prometheus scaler on a request rate) whose AverageValue target
// is Capacity × Utilisation per pod.
type Reactive struct {
	// Capacity is the demand one pod serves, in the demand's unit.
	Capacity float64
	// Utilisation is the target fraction of Capacity, in (0, 1].
	Utilisation float64
	// Activation is KEDA's activationThreshold: the trigger is active when
	// the metric exceeds it (default 0).
	Activation float64
}

// NewReactive returns the reactive policy for pods of the given capacity at
// DefaultUtilisation.
func NewReactive(capacity float64) Reactive {
	return Reactive{Capacity: capacity, Utilisation: DefaultUtilisation}
}

// Name returns "reactive".
func (Reactive) Name() string { return "reactive" }

// Metrics appends the observed demand with its per-pod target.
func (r Reactive) Metrics(_ time.Time, obs Observations, dst []Metric) []Metric {
	v := obs.Value()
	return append(dst, Metric{Value: v, Target: r.Capacity * r.Utilisation, Active: v > r.Activation})
}

// Validate checks a positive capacity and a utilisation in (0, 1].
func (r Reactive) Validate() error {
	if !(r.Capacity > 0) {
		return fieldErr("reactive.capacity", "must be positive")
	}
	if !(r.Utilisation > 0 && r.Utilisation <= 1) {
		return fieldErr("reactive.utilisation", "must be in (0,1]")
	}
	return nil
}

// CronWindow is a KEDA cron trigger: Replicas pods from Start to End (End
// exclusive), repeated every Every when Every is positive (24h for daily,
// 168h for weekly windows, in absolute time: no daylight-saving shifts).
type CronWindow struct {
	// Start and End bound the first occurrence, End exclusive.
	Start, End time.Time
	// Every repeats the window; zero means once.
	Every time.Duration
	// Replicas is the trigger's desiredReplicas, the floor in the window.
	Replicas int
}

// contains reports whether t falls in an occurrence of the window.
func (w CronWindow) contains(t time.Time) bool {
	d := t.Sub(w.Start)
	if d < 0 {
		return false
	}
	if w.Every > 0 {
		d %= w.Every
	}
	return d < w.End.Sub(w.Start)
}

// Cron is the reactive trigger plus fixed floors in calendar windows, as a
// ScaledObject holding a prometheus trigger and cron triggers. Each cron
// trigger reports Replicas inside its window and 0 outside against an
// AverageValue target of 1, as KEDA's cron scaler does, so the HPA's max
// over metrics makes the window a floor (KEDA docs, "Cron" scaler).
type Cron struct {
	// Reactive is the demand trigger.
	Reactive Reactive
	// Windows are the cron triggers.
	Windows []CronWindow
}

// Name returns "cron".
func (Cron) Name() string { return "cron" }

// Metrics appends the reactive metric and one metric per window.
func (c Cron) Metrics(now time.Time, obs Observations, dst []Metric) []Metric {
	dst = c.Reactive.Metrics(now, obs, dst)
	for _, w := range c.Windows {
		in := w.contains(now)
		v := 0.0
		if in {
			v = float64(w.Replicas)
		}
		dst = append(dst, Metric{Value: v, Target: 1, Active: in})
	}
	return dst
}

// Validate checks the reactive trigger and each window.
func (c Cron) Validate() error {
	if err := c.Reactive.Validate(); err != nil {
		return err
	}
	for i, w := range c.Windows {
		switch {
		case !w.End.After(w.Start):
			return fieldErr(fmt.Sprintf("cron.windows[%d].end", i), "must be after start")
		case w.Every < 0 || (w.Every > 0 && w.End.Sub(w.Start) > w.Every):
			return fieldErr(fmt.Sprintf("cron.windows[%d].every", i), "must be zero or at least end-start")
		case w.Replicas < 1:
			return fieldErr(fmt.Sprintf("cron.windows[%d].desiredReplicas", i), "must be positive")
		}
	}
	return nil
}
