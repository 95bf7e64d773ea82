package scaler

import (
	"cmp"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
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
	if snap := t.snap.Load(); snap.hasForecast() {
		e.Model, e.FittedAt = snap.model, snap.fittedAt.UTC()
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
	return e
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
