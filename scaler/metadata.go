package scaler

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/suggest"
	"github.com/prescale-dev/prescale/policies"
)

// Metadata is the ScalerMetadata of one prescale trigger, parsed and
// validated by ParseMetadata. Demand is in the query's unit (for example
// requests/s) throughout.
type Metadata struct {
	// Query is the PromQL expression giving the demand, one series, as
	// the trigger wrote it (or as its template expands); the scaler sends
	// it confined to the ScaledObject's namespace.
	Query string
	// QueryTemplate names a query template of the source, used instead
	// of Query; TemplateArgs are its arguments.
	QueryTemplate string
	TemplateArgs  map[string]string
	// Prometheus names the metric source, a Prometheus server (or replay) of
	// the scaler's configuration; empty means the only one configured.
	Prometheus string
	// Policy is the decision policy: mode, target per pod, lead time,
	// replica bounds and rate limits.
	Policy policies.Policy
	// HPAName is the HorizontalPodAutoscaler whose replicas a policy with
	// a Tolerance reads (Options.Replicas); empty means KEDA's name for
	// it, keda-hpa-<ScaledObject name>.
	HPAName string
	// ActivationValue is the served value above which IsActive answers true.
	ActivationValue float64
	// Model is the forecasting model, a forecast.ModelNames() name.
	Model string
	// Quantile is the forecast quantile served, in [0.5, 0.99]: 0.5 is the
	// point forecast, higher values the upper bound of the interval at level
	// 2*Quantile-1.
	Quantile float64
	// EventShift is how early or late an event may run, for the growth
	// learned around event starts (policies.GrowthOptions.Shift).
	EventShift time.Duration
	// TimeZone is the clock of the workload's daily and weekly cycle, on
	// which the growth's hours of the week are counted
	// (policies.GrowthOptions.Location); UTC by default.
	TimeZone *time.Location
	// Calendar names a calendar of the scaler's configuration; empty means
	// none.
	Calendar string
	// BusinessLine labels the trigger in logs and explanations.
	BusinessLine string
	// EventFloors are minimum replicas per calendar event type, sorted by
	// type, applied while an occurrence's affected window is active.
	EventFloors []EventFloor
	// Step is the resolution of the history and of the forecast.
	Step time.Duration
	// HistoryWindow is the span of history the forecast is fitted on.
	HistoryWindow time.Duration
	// RefitInterval is how often the forecast is refitted in the background.
	RefitInterval time.Duration
	// SLO, when positive, is the most unserved demand allowed, as a
	// fraction of the demand: the scaler then tunes the risk itself, every
	// RetuneInterval, by replaying its stored history (see Tuning); Risk is
	// served until the first tuning. Zero turns tuning off.
	SLO float64
	// RetuneInterval is how often the risk is tuned when SLO is set.
	RetuneInterval time.Duration
	// TuneUtilisations are the lower target utilisations the tuning also
	// tries, at simulator.DefaultUtilisationRisk, for an SLO the risks
	// alone cannot meet; each in (0, simulator.DefaultPredictiveUtilisation],
	// sorted from the highest. The one chosen is served as the policy's
	// headroom (policies.Policy.Headroom): targetPerPod, the target the
	// HPA holds, stays. Empty means the risks alone.
	TuneUtilisations []float64
}

// EventFloor is the minimum replica count while an event of Type is active.
type EventFloor struct {
	// Type is a calendar occurrence type, such as "double11".
	Type string
	// Replicas is the floor, in replicas.
	Replicas int
}

// Limits on metadata values, for the keys whose natural range is open.
const (
	// MaxHistorySteps bounds HistoryWindow/Step: 12 weeks of one-minute
	// steps. Larger histories need a larger step.
	MaxHistorySteps = 12 * 7 * 1440
	// MaxHorizonSteps bounds the forecast horizon, LeadTime plus twice the
	// RefitInterval, in steps.
	MaxHorizonSteps = 10_000
	// MaxTargetPerPod bounds targetPerPod: with at most a million
	// replicas, every served value stays under MaxServedValue.
	MaxTargetPerPod = 1e12
	// MaxServedValue bounds the values served to KEDA, in the demand's
	// unit: well inside int64 (KEDA's TargetSize and MetricValue) and
	// exact as a float64 integer up to 2^53 replicas' worth.
	MaxServedValue = 1e18
	// maxQueryLen bounds the query, in bytes.
	maxQueryLen = 16 << 10
	// maxNameLen bounds names and business lines, in bytes.
	maxNameLen = 63
)

// ParseMetadata parses the ScalerMetadata of a prescale trigger. Keys KEDA
// itself reads (scalerAddress, enableTLS, unsafeSsl and the TLS auth
// parameters) are ignored; a key <k>FromEnv, as KEDA passes it resolved, is
// read as k. Missing keys take their defaults (see MetadataKeys). Every
// unknown key and bad value is reported, as *MetadataError values joined
// in key order; errors.Is(err, ErrMetadata) holds for the result.
func ParseMetadata(md map[string]string) (Metadata, error) {
	vals, errs := canonicalKeys(md)
	var m Metadata
	for _, k := range metadataKeys() {
		v, given := vals[k.name]
		if !given {
			if k.required {
				if k.name != "query" || vals["queryTemplate"] == "" {
					errs = append(errs, &MetadataError{Key: k.name, Err: errors.New("required")})
				}
				continue
			}
			v = k.def
		}
		if err := k.set(&m, v); err != nil {
			errs = append(errs, &MetadataError{Key: k.name, Value: v, Err: err})
		}
	}
	if len(errs) == 0 {
		errs = m.crossCheck()
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b error) int { return cmp.Compare(errorKey(a), errorKey(b)) })
		return Metadata{}, errors.Join(errs...)
	}
	return m, nil
}

// canonicalKeys maps md onto prescale's key names: KEDA's keys dropped,
// <k>FromEnv read as k, unknown keys and duplicates reported.
func canonicalKeys(md map[string]string) (map[string]string, []error) {
	known := map[string]bool{}
	for _, k := range metadataKeys() {
		known[k.name] = true
	}
	out := make(map[string]string, len(md))
	var errs []error
	for k, v := range md {
		name := k
		if base, ok := strings.CutSuffix(k, "FromEnv"); ok && known[base] {
			name = base
			if _, dup := md[base]; dup {
				errs = append(errs, &MetadataError{Key: k, Value: v, Err: fmt.Errorf("both %s and %s are set: keep one", base, k)})
				continue
			}
		}
		switch {
		case known[name]:
			out[name] = v
		case isKEDAKey(k):
		default:
			errs = append(errs, &MetadataError{Key: k, Value: v, Err: unknownKey(k, known)})
		}
	}
	return out, errs
}

// isKEDAKey reports whether k is a trigger key KEDA's external scaler reads
// itself and passes on in ScalerMetadata.
func isKEDAKey(k string) bool {
	switch k {
	case "scalerAddress", "enableTLS", "unsafeSsl", "caCert", "tlsClientCert", "tlsClientKey", "tlsCertFile":
		return true
	}
	return false
}

// unknownKey explains an unknown key, suggesting the known one closest to
// it (suggest.Closest).
func unknownKey(k string, known map[string]bool) error {
	if name, ok := suggest.Closest(k, slices.Sorted(maps.Keys(known))); ok {
		return fmt.Errorf("unknown key: did you mean %s?", name)
	}
	return errors.New("unknown key: see the metadata reference for the keys prescale reads")
}

// errorKey returns the key a *MetadataError names, for sorting.
func errorKey(err error) string {
	var me *MetadataError
	if errors.As(err, &me) {
		return me.Key
	}
	return ""
}

// crossCheck validates what no single key can: the policy as a whole and
// the relations between keys.
func (m *Metadata) crossCheck() []error {
	var errs []error
	if err := m.Policy.Validate(); err != nil {
		var fe *policies.FieldError
		key := "mode"
		if errors.As(err, &fe) {
			key = fe.Field
		}
		errs = append(errs, &MetadataError{Key: key, Err: err})
	}
	if m.Query != "" && m.QueryTemplate != "" {
		errs = append(errs, &MetadataError{Key: "queryTemplate", Value: m.QueryTemplate, Err: errors.New("set query or queryTemplate, not both")})
	}
	if len(m.TemplateArgs) > 0 && m.QueryTemplate == "" {
		errs = append(errs, &MetadataError{Key: "templateArgs", Err: errors.New("needs a queryTemplate")})
	}
	if m.SLO > 0 && (m.Policy.Risk == 0 || m.Policy.Mode == policies.ModeReactive) {
		errs = append(errs, &MetadataError{Key: "slo", Value: strconv.FormatFloat(m.SLO, 'g', -1, 64),
			Err: errors.New("tunes the risk of a risk-based policy: needs risk > 0 and mode predictive or shadow")})
	}
	if len(m.EventFloors) > 0 && m.Calendar == "" {
		errs = append(errs, &MetadataError{Key: "eventFloors", Err: errors.New("needs a calendar: set the calendar key")})
	}
	if n := m.HistoryWindow / m.Step; n > MaxHistorySteps {
		errs = append(errs, &MetadataError{Key: "historyWindow", Value: FormatDuration(m.HistoryWindow),
			Err: fmt.Errorf("%d steps of %s exceed %d: use a larger step", n, FormatDuration(m.Step), MaxHistorySteps)})
	}
	if h := m.HorizonSteps(); h > MaxHorizonSteps {
		errs = append(errs, &MetadataError{Key: "refitInterval", Value: FormatDuration(m.RefitInterval),
			Err: fmt.Errorf("leadTime plus twice refitInterval is %d steps of %s, over %d", h, FormatDuration(m.Step), MaxHorizonSteps)})
	}
	return errs
}

// HorizonSteps is the number of steps each forecast covers: the lead time
// plus two refit intervals (so that one late refit still leaves a forecast
// over the lead time), plus one.
func (m Metadata) HorizonSteps() int {
	span := m.Policy.LeadTime + 2*m.RefitInterval
	return int((span+m.Step-1)/m.Step) + 1
}

// MetricName is the metric name the trigger answers to: "prescale-" and a
// hash of the source, query and step, so that triggers measuring different
// demand differ and a ScaledObject whose policy changes keeps its history.
func (m Metadata) MetricName() string {
	h := fnv.New32a()
	for _, s := range []string{m.Prometheus, m.Query, m.Step.String()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "prescale-" + strconv.FormatUint(uint64(h.Sum32())|1<<32, 16)[1:]
}

// Level is the coverage of the forecast interval whose upper bound is the
// served quantile; zero for the median (the point forecast is served).
func (m Metadata) Level() float64 {
	if m.Quantile <= 0.5 {
		return 0
	}
	return 2*m.Quantile - 1
}
