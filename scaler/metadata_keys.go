package scaler

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// MetadataKey documents one ScalerMetadata key prescale reads.
type MetadataKey struct {
	// Name is the key, as written in the ScaledObject's trigger metadata.
	Name string
	// Type describes the accepted values.
	Type string
	// Default is the value used when the key is absent; empty when the key
	// is required or absent means "none".
	Default string
	// Required is true for keys without a default.
	Required bool
	// Doc says what the key means.
	Doc string
}

// MetadataKeys returns the reference of the metadata keys, in the order
// ParseMetadata reads them.
func MetadataKeys() []MetadataKey {
	keys := metadataKeys()
	out := make([]MetadataKey, len(keys))
	for i, k := range keys {
		out[i] = MetadataKey{Name: k.name, Type: k.typ, Default: k.def, Required: k.required, Doc: k.doc}
	}
	return out
}

// metadataKey is a key with its default and its parser: the one place
// where defaults live.
type metadataKey struct {
	name, typ, def, doc string
	required            bool
	set                 func(m *Metadata, v string) error
}

// metadataKeys returns every key prescale reads.
func metadataKeys() []metadataKey {
	return []metadataKey{
		{name: "query", typ: "PromQL", required: true,
			doc: "expression giving the demand as one series (aggregate with sum by () if needed); required unless queryTemplate is set. The scaler confines it to the ScaledObject's namespace (see the source's tenancy)",
			set: func(m *Metadata, v string) (err error) { m.Query, err = parseQuery(v); return err }},
		{name: "queryTemplate", typ: "name",
			doc: "named query template of the source (its tenancy.templates) used instead of query",
			set: func(m *Metadata, v string) (err error) { m.QueryTemplate, err = parseName(v, true); return err }},
		{name: "templateArgs", typ: "name=value,...",
			doc: "arguments of queryTemplate, substituted for ${name} (values: letters, digits, . _ : -)",
			set: func(m *Metadata, v string) (err error) { m.TemplateArgs, err = parseTemplateArgs(v); return err }},
		{name: "prometheus", typ: "name",
			doc: "metric source from the scaler's configuration (a Prometheus server or a replay); default: the only one configured",
			set: func(m *Metadata, v string) (err error) { m.Prometheus, err = parseName(v, true); return err }},
		{name: "targetPerPod", typ: "number > 0, up to 1e12", required: true,
			doc: "demand one ready pod serves, in the query's unit; the HPA asks for ceil(value / targetPerPod) pods",
			set: func(m *Metadata, v string) (err error) {
				m.Policy.TargetPerPod, err = parseFloat(v, 0, false)
				return atMost(m.Policy.TargetPerPod, MaxTargetPerPod, err)
			}},
		{name: "hpaTolerance", typ: fmt.Sprintf("number in [0, %g]", policies.MaxTolerance), def: "0",
			doc: "the HPA's scale-up tolerance (0.1 unless the cluster or the ScaledObject's behavior changes it), which predictive mode works around (policies.Policy.Tolerance): with the running replicas read from the HPA (hpaName) a value the HPA would leave alone is raised just past it; with them unknown, the value is multiplied by 1 + hpaTolerance. Set it with targetPerPod at the pods' full capacity, as prescale tune prints; 0 leaves the tolerance to targetPerPod",
			set: func(m *Metadata, v string) (err error) {
				m.Policy.Tolerance, err = parseFloat(v, 0, true)
				if err == nil && m.Policy.Tolerance > policies.MaxTolerance {
					err = fmt.Errorf("%v: at most %g", m.Policy.Tolerance, policies.MaxTolerance)
				}
				return err
			}},
		{name: "hpaName", typ: "name",
			doc: "the HorizontalPodAutoscaler, in the ScaledObject's namespace, whose replicas hpaTolerance reads; default keda-hpa-<ScaledObject name>, the name KEDA gives it",
			set: func(m *Metadata, v string) (err error) { m.HPAName, err = parseName(v, true); return err }},
		{name: "activationValue", typ: "number >= 0, up to 1e18", def: "0",
			doc: "IsActive answers true when the served value is above it (KEDA's scale from and to zero)",
			set: func(m *Metadata, v string) (err error) {
				m.ActivationValue, err = parseFloat(v, 0, true)
				return atMost(m.ActivationValue, MaxServedValue, err)
			}},
		{name: "leadTime", typ: "duration", def: "5m",
			doc: "time a new pod needs to serve (start-up and warm-up): the forecast is read this far ahead",
			set: func(m *Metadata, v string) (err error) {
				m.Policy.LeadTime, err = parseDurationIn(v, 0, 24*time.Hour)
				return err
			}},
		{name: "model", typ: strings.Join(forecast.ModelNames(), "|"), def: "auto",
			doc: "forecasting model; auto chooses by backtest at each refit",
			set: func(m *Metadata, v string) (err error) {
				m.Model, err = parseEnum(v, forecast.ModelNames())
				return err
			}},
		{name: "quantile", typ: "0.5 to 0.99", def: "0.9",
			doc: "forecast quantile served: 0.5 is the point forecast, 0.9 the level the demand stays under 9 times in 10",
			set: func(m *Metadata, v string) (err error) { m.Quantile, err = parseQuantile(v); return err }},
		{name: "risk", typ: "0 to 0.999", def: "0.9",
			doc: "risk quantile of predictive mode: serves the recent demand times the q-quantile of its growth over the lead time, learned at each refit from the history (per hour of the week, of the day or pooled, as the held-out history chooses, and per calendar event type at each offset from its start, or from its end when its occurrences differ in length and line up better on their ends); 0 serves the forecast at quantile and the event floors instead",
			set: func(m *Metadata, v string) (err error) {
				m.Policy.Risk, err = parseFloat(v, 0, true)
				if err == nil && m.Policy.Risk > 0.999 {
					err = errors.New("must be at most 0.999")
				}
				return err
			}},
		{name: "slo", typ: "0 to 0.5", def: "0",
			doc: "target unserved fraction of the demand (0.001 is 0.1 %): the scaler tunes risk itself every retuneInterval, replaying its stored history through the simulator at each risk of prescale tune, then at each of tuneUtilizations, and keeping the cheapest point that meets it; 0 keeps risk as given",
			set: func(m *Metadata, v string) (err error) {
				m.SLO, err = parseFloat(v, 0, true)
				if err == nil && m.SLO > 0.5 {
					err = errors.New("must be at most 0.5")
				}
				return err
			}},
		{name: "retuneInterval", typ: "duration", def: "24h",
			doc: "how often the risk (and headroom) is tuned when slo is set",
			set: func(m *Metadata, v string) (err error) {
				m.RetuneInterval, err = parseDurationIn(v, time.Hour, 30*24*time.Hour)
				return err
			}},
		{name: "tuneUtilizations", typ: fmt.Sprintf("list of %g to %.3f, or none", minTuneUtilisation, simulator.DefaultPredictiveUtilisation),
			def: formatFloats(simulator.DefaultTuneUtilisations),
			doc: fmt.Sprintf("lower target utilisations the tuning also tries, at risk %g, for an slo the risks alone cannot meet: the one chosen is served as headroom on the decided value (the HPA's target, targetPerPod, stays the same); none tries the risks alone", simulator.DefaultUtilisationRisk),
			set: func(m *Metadata, v string) (err error) { m.TuneUtilisations, err = parseUtilisations(v); return err }},
		{name: "eventShift", typ: "duration", def: "15m",
			doc: "how early or late a calendar event may run: the growth learned around its start is pooled over this much either way",
			set: func(m *Metadata, v string) (err error) {
				m.EventShift, err = parseDurationIn(v, 0, 24*time.Hour)
				return err
			}},
		{name: "timeZone", typ: "IANA time zone", def: "UTC",
			doc: "time zone of the workload's daily and weekly cycle, such as Europe/Berlin: the growth's hours of the week are counted on its clock, and across a change to summer time the forecast is fitted on its wall clock, so that a morning rise that follows the clocks is still met at its hour (in UTC it moves by an hour, and the history before the change says it comes an hour later)",
			set: func(m *Metadata, v string) (err error) { m.TimeZone, err = parseTimeZone(v); return err }},
		{name: "calendar", typ: "name",
			doc: "calendar of known events from the scaler's configuration, learned by the forecast and used by eventFloors",
			set: func(m *Metadata, v string) (err error) { m.Calendar, err = parseName(v, true); return err }},
		{name: "businessLine", typ: "label",
			doc: "free label (letters, digits, . _ -) shown in logs and explanations",
			set: func(m *Metadata, v string) (err error) { m.BusinessLine, err = parseName(v, true); return err }},
		{name: "mode", typ: "predictive|reactive|shadow", def: "predictive",
			doc: "predictive serves the risk-based target (or, with risk 0, max(live, forecast, event floors)); reactive the live demand; shadow serves reactive and reports predictive",
			set: func(m *Metadata, v string) error {
				s, err := parseEnum(v, []string{string(policies.ModePredictive), string(policies.ModeReactive), string(policies.ModeShadow)})
				m.Policy.Mode = policies.Mode(s)
				return err
			}},
		{name: "minReplicas", typ: "integer >= 0", def: "0",
			doc: "floor of the served value, in replicas (minReplicas x targetPerPod)",
			set: func(m *Metadata, v string) (err error) { m.Policy.MinReplicas, err = parseCount(v, 0); return err }},
		{name: "maxReplicas", typ: "integer >= 0", def: "0",
			doc: "cap of the served value, in replicas; 0 means none",
			set: func(m *Metadata, v string) (err error) { m.Policy.MaxReplicas, err = parseCount(v, 0); return err }},
		{name: "maxScaleUpPerMinute", typ: "number >= 0, up to 1000", def: "0",
			doc: "limit on the rise above live demand, as a fraction of the last served value per minute (1 = may double each minute); 0 means none",
			set: func(m *Metadata, v string) (err error) {
				m.Policy.MaxScaleUpPerMinute, err = parseFloat(v, 0, true)
				return atMost(m.Policy.MaxScaleUpPerMinute, 1000, err)
			}},
		{name: "maxScaleDownPerMinute", typ: "0 to 1", def: "0",
			doc: "limit on the fall, as a fraction of the last served value per minute (0.1 = 10 % a minute); 0 means none",
			set: func(m *Metadata, v string) (err error) {
				m.Policy.MaxScaleDownPerMinute, err = parseFraction(v)
				return err
			}},
		{name: "eventFloors", typ: "type=replicas,...",
			doc: "minimum replicas while an event of the type is active (from lead before its start to lag after its end), e.g. double11=40,launch=10",
			set: func(m *Metadata, v string) (err error) { m.EventFloors, err = parseEventFloors(v); return err }},
		{name: "step", typ: "duration", def: "1m",
			doc: "resolution of the history and the forecast (whole seconds, 1s to 1h)",
			set: func(m *Metadata, v string) (err error) { m.Step, err = parseStep(v); return err }},
		{name: "historyWindow", typ: "duration", def: "4w",
			doc: "span of history the forecast is fitted on, backfilled from the source when a ScaledObject is first seen",
			set: func(m *Metadata, v string) (err error) {
				m.HistoryWindow, err = parseDurationIn(v, 24*time.Hour, 26*7*24*time.Hour)
				return err
			}},
		{name: "refitInterval", typ: "duration", def: "15m",
			doc: "how often the forecast is refitted in the background (history refreshed first)",
			set: func(m *Metadata, v string) (err error) {
				m.RefitInterval, err = parseDurationIn(v, time.Minute, 24*time.Hour)
				return err
			}},
	}
}

func parseQuery(v string) (string, error) {
	q := strings.TrimSpace(v)
	switch {
	case q == "":
		return "", errors.New("empty query")
	case len(q) > maxQueryLen:
		return "", fmt.Errorf("query of %d bytes, over %d", len(q), maxQueryLen)
	}
	return q, nil
}

// maxTemplateArgs bounds the arguments of a query template.
const maxTemplateArgs = 16

// parseTemplateArgs reads "name=value,name=value"; the values are checked
// against the template when the trigger is registered.
func parseTemplateArgs(v string) (map[string]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	out := map[string]string{}
	for item := range strings.SplitSeq(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("item %q: want name=value, such as service=checkout", truncate(item, 40))
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("argument %q given twice", truncate(k, 40))
		}
		out[k] = val
	}
	if len(out) > maxTemplateArgs {
		return nil, fmt.Errorf("%d arguments, over %d", len(out), maxTemplateArgs)
	}
	return out, nil
}

// parseName accepts letters, digits, '.', '_' and '-', up to maxNameLen
// bytes; empty when allowed.
func parseName(v string, emptyOK bool) (string, error) {
	if v == "" && emptyOK {
		return "", nil
	}
	if v == "" || len(v) > maxNameLen {
		return "", fmt.Errorf("want 1 to %d letters, digits, '.', '_' or '-'", maxNameLen)
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return "", fmt.Errorf("character %q: want letters, digits, '.', '_' or '-'", r)
		}
	}
	return v, nil
}

// parseUtilisations parses tuneUtilizations: "none", or comma-separated
// target utilisations in (0, simulator.DefaultPredictiveUtilisation], the
// utilisation targetPerPod stands for, without repeats; sorted from the
// highest.
func parseUtilisations(v string) ([]float64, error) {
	if strings.TrimSpace(v) == "none" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > maxTuneUtilisations {
		return nil, fmt.Errorf("%d values: at most %d", len(parts), maxTuneUtilisations)
	}
	out := make([]float64, 0, len(parts))
	for i, part := range parts {
		u, err := parseFloat(part, minTuneUtilisation, true)
		if err == nil && u > simulator.DefaultPredictiveUtilisation {
			err = fmt.Errorf("must be at most %.3f, the utilisation targetPerPod stands for (higher needs a higher targetPerPod)", simulator.DefaultPredictiveUtilisation)
		}
		if err == nil && slices.Contains(out, u) {
			err = errors.New("repeated")
		}
		if err != nil {
			return nil, fmt.Errorf("value %d (%q): %w", i+1, strings.TrimSpace(part), err)
		}
		out = append(out, u)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// formatFloats formats a list as its key takes it.
func formatFloats(vs []float64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// minTuneUtilisation is the lowest value of tuneUtilizations: its headroom,
// 0.909/0.1, stays within policies.MaxHeadroom.
const minTuneUtilisation = 0.1

// maxTuneUtilisations bounds the values of tuneUtilizations: each is one
// more replay per tuning.
const maxTuneUtilisations = 20

// parseFloat accepts a finite number above min (or equal when incl).
func parseFloat(v string, min float64, incl bool) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return 0, errors.New("not a finite number")
	case incl && f < min:
		return 0, fmt.Errorf("must be at least %g", min)
	case !incl && f <= min:
		return 0, fmt.Errorf("must be above %g", min)
	}
	return f, nil
}

// atMost returns err, or an error when v exceeds max.
func atMost(v, max float64, err error) error {
	if err == nil && v > max {
		return fmt.Errorf("must be at most %g", max)
	}
	return err
}

func parseQuantile(v string) (float64, error) {
	q, err := parseFloat(v, 0, true)
	if err == nil && (q < 0.5 || q > 0.99) {
		err = errors.New("must be between 0.5 and 0.99")
	}
	return q, err
}

func parseFraction(v string) (float64, error) {
	f, err := parseFloat(v, 0, true)
	if err == nil && f > 1 {
		err = errors.New("must be between 0 and 1")
	}
	return f, err
}

// parseCount accepts a decimal integer of at least min, up to a million.
func parseCount(v string, min int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	switch {
	case err != nil:
		return 0, errors.New("not an integer")
	case n < min || n > 1_000_000:
		return 0, fmt.Errorf("must be between %d and 1000000", min)
	}
	return n, nil
}

func parseEnum(v string, allowed []string) (string, error) {
	if slices.Contains(allowed, v) {
		return v, nil
	}
	return "", fmt.Errorf("want one of %s", strings.Join(allowed, ", "))
}

// parseTimeZone accepts an IANA time zone name, such as Europe/Berlin or
// UTC, up to maxNameLen bytes.
func parseTimeZone(v string) (*time.Location, error) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > maxNameLen || v == "Local" {
		return nil, fmt.Errorf("want an IANA time zone of 1 to %d bytes, such as Europe/Berlin (not Local, the host's)", maxNameLen)
	}
	loc, err := time.LoadLocation(v)
	if err != nil {
		return nil, fmt.Errorf("want an IANA time zone, such as Europe/Berlin or UTC: %w", err)
	}
	return loc, nil
}

// parseDurationIn accepts a ParseDuration string in [min, max].
func parseDurationIn(v string, min, max time.Duration) (time.Duration, error) {
	d, err := ParseDuration(strings.TrimSpace(v))
	switch {
	case err != nil:
		return 0, err
	case d < min || d > max:
		return 0, fmt.Errorf("must be between %s and %s", FormatDuration(min), FormatDuration(max))
	}
	return d, nil
}

func parseStep(v string) (time.Duration, error) {
	d, err := parseDurationIn(v, time.Second, time.Hour)
	if err == nil && d%time.Second != 0 {
		err = errors.New("must be a whole number of seconds")
	}
	return d, err
}

// parseEventFloors reads "type=replicas,type=replicas", sorted by type.
func parseEventFloors(v string) ([]EventFloor, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []EventFloor
	for item := range strings.SplitSeq(v, ",") {
		typ, n, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return nil, fmt.Errorf("item %q: want type=replicas, such as double11=40", item)
		}
		typ = strings.TrimSpace(typ)
		if typ == "" {
			return nil, fmt.Errorf("item %q: empty event type", item)
		}
		r, err := parseCount(n, 1)
		if err != nil {
			return nil, fmt.Errorf("item %q: replicas %w", item, err)
		}
		out = append(out, EventFloor{Type: typ, Replicas: r})
	}
	slices.SortFunc(out, func(a, b EventFloor) int { return strings.Compare(a.Type, b.Type) })
	for i := 1; i < len(out); i++ {
		if out[i].Type == out[i-1].Type {
			return nil, fmt.Errorf("event type %q given twice", out[i].Type)
		}
	}
	return out, nil
}
