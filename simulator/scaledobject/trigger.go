package scaledobject

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/prescale-dev/prescale/scaler"
	"github.com/prescale-dev/prescale/simulator"
	"github.com/prescale-dev/prescale/simulator/scaledobject/v1alpha1"
)

// Trigger is one of the ScaledObject's triggers as the simulator sees it:
// exactly one of Prescale, Prometheus and Cron is set.
type Trigger struct {
	// Index is the trigger's position in spec.triggers.
	Index int
	// Name is the trigger's name, empty when it has none.
	Name string
	// Type is the KEDA trigger type: external, prometheus or cron.
	Type string
	// MetricType is the HPA target type KEDA gives the trigger's metric
	// (metricType; AverageValue when unset).
	MetricType simulator.MetricType
	// UseCachedMetrics is the trigger's useCachedMetrics.
	UseCachedMetrics bool
	// Prescale is set for prescale's external scaler.
	Prescale *Prescale
	// Prometheus is set for KEDA's prometheus scaler.
	Prometheus *Prometheus
	// Cron is set for KEDA's cron scaler.
	Cron *Cron
}

// Prescale is a trigger of prescale's external scaler (type external with
// a scalerAddress).
type Prescale struct {
	// Metadata is the trigger metadata as scaler.ParseMetadata reads it,
	// the scaler's defaults filled: the policy (mode, targetPerPod,
	// leadTime, replica bounds, rate limits), activationValue, model,
	// quantile, eventFloors and the history and refit settings.
	Metadata scaler.Metadata
	// Stated lists, sorted, the prescale keys the manifest gives (the
	// others took the scaler's defaults); KEDA's own keys are left out.
	Stated []string
}

// States reports whether the manifest gives the metadata key k.
func (p *Prescale) States(k string) bool {
	_, ok := slices.BinarySearch(p.Stated, k)
	return ok
}

// Prometheus is a trigger of KEDA's prometheus scaler.
type Prometheus struct {
	// Query is the PromQL query.
	Query string
	// Threshold is the HPA target (per pod for AverageValue, the whole
	// metric for Value), in the query's unit.
	Threshold float64
	// ActivationThreshold is the value above which the trigger is active
	// (default 0).
	ActivationThreshold float64
}

// triggers parses every trigger, recording problems.
func triggers(p *problems, so *v1alpha1.ScaledObject) []Trigger {
	out := make([]Trigger, 0, len(so.Spec.Triggers))
	for i, st := range so.Spec.Triggers {
		path := fmt.Sprintf("spec.triggers[%d]", i)
		t := Trigger{Index: i, Name: st.Name, Type: st.Type, UseCachedMetrics: st.UseCachedMetrics}
		md := path + ".metadata"
		if st.Type != "cpu" && st.Type != "memory" {
			t.MetricType = metricType(p, path+".metricType", st.MetricType)
		}
		switch {
		case st.Type == "external" && st.Metadata["scalerAddress"] != "":
			t.Prescale = prescale(p, md, st.Metadata)
		case st.Type == "external":
			p.invalid(md+".scalerAddress", "required: KEDA's external scaler dials it")
		case st.Type == "prometheus":
			t.Prometheus = prometheus(p, md, st.Metadata)
		case st.Type == "cron":
			t.Cron = parseCron(p, md, st.Metadata)
			if t.MetricType == simulator.ValueMetric {
				p.unsupported(path+".metricType", "a cron trigger with a Value target (its pods would scale with the ready pods)")
			}
		default:
			p.unsupported(path+".type", "trigger type %q (the simulator models external (prescale), prometheus and cron triggers)", st.Type)
		}
		out = append(out, t)
	}
	return out
}

// metricType maps a trigger's metricType as KEDA's GetMetricTargetType
// and the HPA's validation accept it.
func metricType(p *problems, path string, t autoscalingv2.MetricTargetType) simulator.MetricType {
	switch t {
	case "", autoscalingv2.AverageValueMetricType:
	case autoscalingv2.ValueMetricType:
		return simulator.ValueMetric
	case autoscalingv2.UtilizationMetricType:
		p.invalid(path, "Utilization is for cpu and memory triggers: KEDA's external metrics take Value or AverageValue")
	default:
		p.invalid(path, "%q: use AverageValue or Value", t)
	}
	return simulator.AverageValueMetric
}

// prescale parses the metadata of a prescale trigger with the scaler's
// own parser.
func prescale(p *problems, path string, md map[string]string) *Prescale {
	known := map[string]bool{}
	var names []string
	for _, k := range scaler.MetadataKeys() {
		known[k.Name] = true
		names = append(names, k.Name)
	}
	out := &Prescale{}
	env := false
	for _, k := range slices.Sorted(maps.Keys(md)) {
		if known[k] {
			out.Stated = append(out.Stated, k)
		}
		if base, ok := strings.CutSuffix(k, "FromEnv"); ok && known[base] {
			p.unsupported(key(path, k), "reading %s from the workload's environment variable %q (write the value itself)", base, md[k])
			env = true
		}
	}
	slices.Sort(out.Stated)
	if env {
		return out
	}
	m, err := scaler.ParseMetadata(md)
	for _, e := range flatten(err) {
		var me *scaler.MetadataError
		if !errors.As(e, &me) {
			p.invalid(path, "%w", e)
			continue
		}
		if _, isKey := md[me.Key]; isKey && !known[me.Key] {
			p.invalid(key(path, me.Key), "unknown key of prescale's scaler%s", didYouMean(me.Key, names))
			continue
		}
		p.invalid(key(path, me.Key), "%w", me.Err)
	}
	out.Metadata = m
	return out
}

// flatten returns the errors joined in err, or nil.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// prometheus reads what the simulator needs of a prometheus trigger: its
// threshold and activationThreshold (KEDA parses both as float64).
func prometheus(p *problems, path string, md map[string]string) *Prometheus {
	out := &Prometheus{Query: md["query"]}
	for _, k := range []string{"serverAddress", "query"} {
		if strings.TrimSpace(md[k]) == "" {
			p.invalid(key(path, k), "required by KEDA's prometheus scaler")
		}
	}
	v, ok := md["threshold"]
	if !ok {
		p.invalid(key(path, "threshold"), "required: the HPA's target")
	} else if f, ok := finite(v); !ok || !(f > 0) {
		p.invalid(key(path, "threshold"), "%q: want a positive number", v)
	} else {
		out.Threshold = f
	}
	if v, ok := md["activationThreshold"]; ok {
		f, ok := finite(v)
		if !ok {
			p.invalid(key(path, "activationThreshold"), "%q: want a number", v)
		}
		out.ActivationThreshold = f
	}
	return out
}

// finite parses a finite number, as KEDA's strconv.ParseFloat does.
func finite(v string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}
