package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
	"sigs.k8s.io/yaml"
)

// scenarioStart is the instant every scenario trace starts at.
var scenarioStart = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// scenario is a declarative test case: a short demand trace, a policy, the
// settings that differ from DefaultSettings, and the expected state at
// given instants.
type scenario struct {
	Description string          `json:"description"`
	Demand      scenarioDemand  `json:"demand"`
	Policy      scenarioPolicy  `json:"policy"`
	Settings    scenarioSetting `json:"settings"`
	Expect      []expectation   `json:"expect"`
}

type scenarioDemand struct {
	Step   dur       `json:"step"`
	Values []float64 `json:"values"`
	// Length and Segments give a step function: each segment's value holds
	// from its offset until the next segment.
	Length   dur       `json:"length"`
	Segments []segment `json:"segments"`
}

type segment struct {
	From  dur     `json:"from"`
	Value float64 `json:"value"`
}

type scenarioPolicy struct {
	Name        string       `json:"name"`
	Capacity    float64      `json:"capacity"`
	Utilisation float64      `json:"utilisation"`
	Activation  float64      `json:"activation"`
	Windows     []cronWindow `json:"windows"`
}

type cronWindow struct {
	Start    dur `json:"start"`
	End      dur `json:"end"`
	Every    dur `json:"every"`
	Replicas int `json:"desiredReplicas"`
}

type scenarioSetting struct {
	InitialReplicas *int `json:"initialReplicas"`
	Pods            struct {
		Startup *dur `json:"startup"`
		Warmup  *dur `json:"warmup"`
	} `json:"pods"`
	Metrics struct {
		Lag    *dur `json:"lag"`
		Window *dur `json:"window"`
	} `json:"metrics"`
	Queue struct {
		Timeout *dur `json:"timeout"`
	} `json:"queue"`
	KEDA struct {
		PollingInterval  *dur  `json:"pollingInterval"`
		CooldownPeriod   *dur  `json:"cooldownPeriod"`
		MinReplicaCount  *int  `json:"minReplicaCount"`
		MaxReplicaCount  *int  `json:"maxReplicaCount"`
		UseCachedMetrics *bool `json:"useCachedMetrics"`
	} `json:"keda"`
	HPA struct {
		SyncPeriod *dur     `json:"syncPeriod"`
		Tolerance  *float64 `json:"tolerance"`
		// Behavior, when present (even empty), is spec.behavior over the
		// API server's defaults; absent, the HPA has none.
		Behavior *struct {
			ScaleUp   *rules `json:"scaleUp"`
			ScaleDown *rules `json:"scaleDown"`
		} `json:"behavior"`
	} `json:"hpa"`
}

type rules struct {
	Tolerance                  *float64 `json:"tolerance"`
	StabilizationWindowSeconds *int     `json:"stabilizationWindowSeconds"`
	SelectPolicy               *string  `json:"selectPolicy"`
	Policies                   []policy `json:"policies"`
}

type policy struct {
	Type          string `json:"type"`
	Value         int    `json:"value"`
	PeriodSeconds int    `json:"periodSeconds"`
}

type expectation struct {
	At       dur      `json:"at"`
	Desired  *int     `json:"desired"`
	Ready    *int     `json:"ready"`
	Unserved *float64 `json:"unserved"`
}

// dur is a time.Duration written as "15s" in YAML.
type dur time.Duration

func (d *dur) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"15s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	*d = dur(v)
	return err
}

// loadScenario parses a scenario file.
func loadScenario(data []byte) (scenario, error) {
	var sc scenario
	if err := yaml.UnmarshalStrict(data, &sc); err != nil {
		return scenario{}, err
	}
	return sc, nil
}

// series builds the demand trace.
func (d scenarioDemand) series() (timeseries.Series, error) {
	step := time.Duration(d.Step)
	if step <= 0 {
		return timeseries.Series{}, errors.New("demand.step: must be positive")
	}
	y := timeseries.Series{Name: "scenario", Start: scenarioStart, Step: step, Values: d.Values}
	if len(d.Segments) == 0 {
		return y, nil
	}
	n := int(time.Duration(d.Length) / step)
	if n <= 0 || n > 1e6 || len(d.Values) > 0 {
		return timeseries.Series{}, errors.New("demand: segments need a positive length and no values")
	}
	y.Values = make([]float64, n)
	for i := range y.Values {
		t := time.Duration(i) * step
		y.Values[i] = math.NaN()
		for _, s := range d.Segments {
			if time.Duration(s.From) <= t {
				y.Values[i] = s.Value
			}
		}
	}
	return y, nil
}

// build returns the scenario's policy.
func (p scenarioPolicy) build() (Policy, error) {
	util := p.Utilisation
	if util == 0 {
		util = DefaultUtilisation
	}
	r := Reactive{Capacity: p.Capacity, Utilisation: util, Activation: p.Activation}
	switch p.Name {
	case "reactive":
		return r, nil
	case "oracle":
		return Oracle{}, nil
	case "cron":
		c := Cron{Reactive: r}
		for _, w := range p.Windows {
			c.Windows = append(c.Windows, CronWindow{
				Start: scenarioStart.Add(time.Duration(w.Start)), End: scenarioStart.Add(time.Duration(w.End)),
				Every: time.Duration(w.Every), Replicas: w.Replicas,
			})
		}
		return c, nil
	}
	return nil, fmt.Errorf("policy.name %q: must be reactive, cron or oracle", p.Name)
}
