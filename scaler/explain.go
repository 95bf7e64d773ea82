package scaler

import (
	"cmp"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/policies"
)

// Explanation is what a trigger last answered and why, as the HTTP debug
// endpoint /debug/decisions serves it and `prescale explain` prints it.
// Values are in the trigger's demand unit; unknown values are null.
type Explanation struct {
	ScaledObject string  `json:"scaledObject"`
	Metric       string  `json:"metric"`
	BusinessLine string  `json:"businessLine,omitempty"`
	MetricSource string  `json:"metricSource"`
	Calendar     string  `json:"calendar,omitempty"`
	Mode         string  `json:"mode"`
	TargetPerPod float64 `json:"targetPerPod"`
	LeadTime     string  `json:"leadTime"`
	Quantile     float64 `json:"quantile"`
	// Decided is false until the first decision since start-up or
	// registration (a decision restored from the store has no reasons).
	Decided bool      `json:"decided"`
	At      time.Time `json:"at,omitzero"`
	// Value is the served metric value; Replicas what the HPA derives.
	Value    float64 `json:"value"`
	Replicas int     `json:"replicas"`
	// DecidedBy is the policies.Source of the value (live, forecast,
	// event, hold-last or a clamp).
	DecidedBy    string    `json:"decidedBy,omitempty"`
	Live         *float64  `json:"live"`
	LiveError    string    `json:"liveError,omitempty"`
	ForecastPeak *float64  `json:"forecastPeak"`
	ForecastAt   time.Time `json:"forecastAt,omitzero"`
	Event        string    `json:"event,omitempty"`
	EventFloor   float64   `json:"eventFloor,omitempty"`
	// Predictive is the value predictive mode would serve (differs from
	// Value in shadow mode).
	Predictive *float64 `json:"predictive"`
	Degraded   bool     `json:"degraded"`
	// Reasons are policies.Decision.Reasons: each step from the raw
	// demand to the served value.
	Reasons []string `json:"reasons"`
	// Model, FittedAt and NextRefit describe the cached forecast.
	Model      string    `json:"model,omitempty"`
	FittedAt   time.Time `json:"fittedAt,omitzero"`
	NextRefit  time.Time `json:"nextRefit,omitzero"`
	RefitError string    `json:"refitError,omitempty"`
	// ForecastAPE is the last absolute percentage error (a ratio) of the
	// point forecast made a lead time earlier.
	ForecastAPE *float64 `json:"forecastAPE"`
	// Risk is the risk quantile in force (policies.Policy.Risk) of a
	// trigger whose predictive value is risk-based (predictive or shadow
	// mode, risk > 0); 0, and omitted, otherwise.
	Risk float64 `json:"risk,omitempty"`
	// Headroom is the headroom in force (policies.Policy.Headroom), above
	// 1 when the tuning chose a lower target utilisation; 0, and
	// omitted, otherwise.
	Headroom float64 `json:"headroom,omitempty"`
	// HPATolerance is the HPA tolerance predictive mode works around
	// (metadata hpaTolerance), HPAName the HorizontalPodAutoscaler whose
	// replicas it reads; 0 and empty, and omitted, without hpaTolerance.
	HPATolerance float64 `json:"hpaTolerance,omitempty"`
	HPAName      string  `json:"hpaName,omitempty"`
	// Tuning is the trigger's last risk tuning (slo set); Risk is then
	// the tuned risk, once one was chosen. Nil without slo or before the
	// first tuning.
	Tuning *Tuning `json:"tuning,omitempty"`
	// Growth is the growth table the risk-based value multiplies the
	// recent demand by, as learned at the last refit; nil without risk or
	// before the first table is learned.
	Growth *GrowthExplanation `json:"growth,omitempty"`
	// GrowthRatio is the growth the last decision applied to Anchor, and
	// GrowthSource where it was learned: "hour" for the time of day (at
	// the table's Level), else the calendar event's name. Both are omitted
	// when no growth applied (live demand unknown, no table yet, no risk).
	GrowthRatio  *float64 `json:"growthRatio,omitempty"`
	GrowthSource string   `json:"growthSource,omitempty"`
	// Anchor is the recent demand the growth multiplied: the highest live
	// value over the table's anchor window, in the demand's unit.
	Anchor *float64 `json:"anchor,omitempty"`
}

// GrowthExplanation describes a trigger's learned growth table
// (policies.GrowthTable).
type GrowthExplanation struct {
	// AnchorWindow is the anchor window chosen when learning ("0s": the
	// live value alone), as a duration such as 5m.
	AnchorWindow string `json:"anchorWindow"`
	// Level is how finely the growth outside events is split by the time
	// of day, as chosen on held-out history: "hour of the week", "hour of
	// the day" or "all hours pooled".
	Level string `json:"level"`
	// TimeZone is the clock the hours are counted on (metadata timeZone).
	TimeZone string `json:"timeZone"`
	// From and Until bound the history the table was learned on.
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
	// Samples is the number of growth samples learned from.
	Samples int `json:"samples"`
	// EventTypes are the calendar event types with a learned growth,
	// sorted by type; empty without a calendar or past occurrences.
	EventTypes []EventTypeGrowth `json:"eventTypes"`
}

// EventTypeGrowth is one event type of a growth table.
type EventTypeGrowth struct {
	// Type is the calendar event type, such as "launch".
	Type string `json:"type"`
	// Occurrences is the number of its past occurrences learned from.
	Occurrences int `json:"occurrences"`
	// EndAligned is true when, from an occurrence's start on, the growth
	// is read at the offset from its end (policies.GrowthTable.EndAligned).
	EndAligned bool `json:"endAligned,omitempty"`
}

// DecisionsResponse is the body of /debug/decisions.
type DecisionsResponse struct {
	Decisions []Explanation `json:"decisions"`
}

// Explain returns the explanations of the triggers of one ScaledObject
// ("namespace/name"), of one namespace ("namespace"), or of all (""),
// sorted by ScaledObject and metric.
func (s *Server) Explain(scaledObject string) []Explanation {
	ns, name, one := strings.Cut(scaledObject, "/")
	out := []Explanation{}
	for _, t := range s.all() {
		if scaledObject != "" && (t.id.namespace != ns || (one && t.id.name != name)) {
			continue
		}
		out = append(out, s.explain(t))
	}
	slices.SortFunc(out, func(a, b Explanation) int {
		return cmp.Or(cmp.Compare(a.ScaledObject, b.ScaledObject), cmp.Compare(a.Metric, b.Metric))
	})
	return out
}

// explain builds one trigger's Explanation.
func (s *Server) explain(t *target) Explanation {
	m := t.meta
	e := Explanation{
		ScaledObject: t.id.String(), Metric: t.metric, BusinessLine: m.BusinessLine, MetricSource: m.Prometheus,
		Calendar: m.Calendar, Mode: string(m.Policy.Mode), TargetPerPod: m.Policy.TargetPerPod,
		LeadTime: FormatDuration(m.Policy.LeadTime), Quantile: m.Quantile, Reasons: []string{},
		Degraded: t.degraded.Load(), NextRefit: time.Unix(0, t.nextRefit.Load()).UTC(),
	}
	snap := t.snap.Load()
	if snap.hasForecast() {
		e.Model, e.FittedAt = snap.model, snap.fittedAt.UTC()
	}
	riskBased := m.Policy.Mode != policies.ModeReactive && m.Policy.Risk > 0
	if tol := m.Policy.Tolerance; tol > 0 && m.Policy.Mode != policies.ModeReactive {
		e.HPATolerance, e.HPAName = tol, t.hpaName()
	}
	if riskBased {
		served := t.servedPolicy()
		e.Risk, e.Headroom = served.Risk, served.Headroom
		e.Tuning = t.tuned.Load()
		if snap != nil {
			e.Growth = explainGrowth(snap.forecast.Growth)
		}
	}
	if msg := t.refitErr.Load(); msg != nil {
		e.RefitError = *msg
	}
	t.mu.Lock()
	d, ok, liveErr, ape := t.last, t.hasLast, t.liveErr, t.apeValue
	t.mu.Unlock()
	e.ForecastAPE = finite(ape)
	if liveErr != nil {
		e.LiveError = liveErr.Error()
	}
	if !ok {
		return e
	}
	e.Decided = d.Source != ""
	e.At, e.Value, e.Replicas, e.DecidedBy = d.At.UTC(), d.Value, m.Policy.Replicas(d.Value), string(d.Source)
	e.Live, e.ForecastPeak, e.Predictive = finite(d.Live), finite(d.ForecastPeak), finite(d.Predictive)
	if !d.ForecastAt.IsZero() {
		e.ForecastAt = d.ForecastAt.UTC()
	}
	e.Event, e.EventFloor = d.Event, d.EventFloor
	e.Reasons = append(e.Reasons, d.Reasons()...)
	if riskBased && e.Decided && d.Growth > 0 && !math.IsInf(d.Growth, 0) {
		e.GrowthRatio, e.Anchor = finite(d.Growth), finite(d.Anchor)
		e.GrowthSource = cmp.Or(d.GrowthEvent, "hour")
	}
	return e
}

// explainGrowth describes g, nil for nil.
func explainGrowth(g *policies.GrowthTable) *GrowthExplanation {
	if g == nil {
		return nil
	}
	x := &GrowthExplanation{AnchorWindow: FormatDuration(g.Anchor), Level: g.Level.String(), TimeZone: g.Location().String(), From: g.From.UTC(), Until: g.Until.UTC(),
		Samples: g.Samples, EventTypes: []EventTypeGrowth{}}
	for typ, n := range g.EventTypes() {
		x.EventTypes = append(x.EventTypes, EventTypeGrowth{Type: typ, Occurrences: n, EndAligned: g.EndAligned(typ)})
	}
	slices.SortFunc(x.EventTypes, func(a, b EventTypeGrowth) int { return cmp.Compare(a.Type, b.Type) })
	return x
}

// finite returns &v, or nil for NaN and infinities.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// DecisionsHandler serves GET /debug/decisions[?scaledObject=ns/name] as a
// JSON DecisionsResponse; a named ScaledObject that has no trigger
// registered is 404.
func (s *Server) DecisionsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		so := r.URL.Query().Get("scaledObject")
		resp := DecisionsResponse{Decisions: s.Explain(so)}
		w.Header().Set("Content-Type", "application/json")
		if so != "" && len(resp.Decisions) == 0 {
			w.WriteHeader(http.StatusNotFound)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(resp)
	})
}
