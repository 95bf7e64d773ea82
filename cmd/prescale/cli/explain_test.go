package cli

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/scaler"
)

// explainFixture is what a scaler serving two triggers answers.
func explainFixture() scaler.DecisionsResponse {
	at := time.Date(2026, 11, 10, 23, 56, 0, 0, time.UTC)
	f := func(v float64) *float64 { return &v }
	return scaler.DecisionsResponse{Decisions: []scaler.Explanation{
		{
			ScaledObject: "shop/checkout", Metric: "prescale-1a2b3c4d", BusinessLine: "retail", MetricSource: "main",
			Calendar: "shop", Mode: "predictive", TargetPerPod: 80, LeadTime: "4m", Quantile: 0.9,
			Decided: true, At: at, Value: 4800, Replicas: 60, DecidedBy: "event", Live: f(750),
			ForecastPeak: f(3100), ForecastAt: at.Add(4 * time.Minute), Event: "Singles' Day 2026", EventFloor: 4800,
			Predictive: f(4800), Model: "auto→mseasonal", FittedAt: at.Add(-6 * time.Minute), ForecastAPE: f(0.0734),
			Reasons: []string{"live demand 750", "forecast peak 3100 at 2026-11-11T00:00:00Z, within the lead time", `event "Singles' Day 2026" floor 4800`},
		},
		{
			ScaledObject: "shop/search", Metric: "prescale-99aa00bb", MetricSource: "main", Mode: "shadow",
			TargetPerPod: 150, LeadTime: "2m", Quantile: 0.5, Decided: true, At: at, Value: 300, Replicas: 2,
			DecidedBy: "min-replicas", LiveError: "querying prometheus:9090: connection refused", Degraded: true,
			Predictive: f(900), RefitError: "backfilling 4w of history: connection refused", Risk: 0.8,
			Tuning:  &scaler.Tuning{At: at.Add(-time.Hour), SLO: 0.001, Error: "history of 1d stored: tuning needs at least 2d"},
			Reasons: []string{"live demand unknown: holding last served value 120", "raised to minReplicas 2: 300"},
		},
		{
			ScaledObject: "shop/cart", Metric: "prescale-5e6f7a8b", MetricSource: "main", Calendar: "shop", Mode: "predictive",
			TargetPerPod: 50, LeadTime: "6m", Quantile: 0.9, Decided: true, At: at, Value: 1540.001, Replicas: 31, DecidedBy: "tolerance",
			Live: f(1100), ForecastPeak: f(1300), ForecastAt: at.Add(2 * time.Minute), Predictive: f(1540.001),
			Model: "mseasonal", FittedAt: at.Add(-6 * time.Minute), Risk: 0.95, HPATolerance: 0.1, HPAName: "keda-hpa-cart",
			Tuning: &scaler.Tuning{At: at.Add(-3 * time.Hour), SLO: 0.001, Risk: 0.95, ChosenAt: at.Add(-3 * time.Hour), Met: true,
				Unserved: 0.00062, PodHours: 5120.5, From: at.Add(-7*24*time.Hour - 3*time.Hour), Until: at.Add(-3 * time.Hour), Risks: 10},
			Growth: &scaler.GrowthExplanation{AnchorWindow: "5m", TimeZone: "Asia/Shanghai", From: at.Add(-28*24*time.Hour - 6*time.Minute), Until: at.Add(-6 * time.Minute),
				Samples: 40310, EventTypes: []scaler.EventTypeGrowth{{Type: "flash-sale", Occurrences: 3}, {Type: "singles-day", Occurrences: 1}, {Type: "match", Occurrences: 4, EndAligned: true}}},
			GrowthRatio: f(1.25), GrowthSource: "Singles' Day 2026", Anchor: f(1200),
			Reasons: []string{"live demand 1100", `recent demand 1200 x 1.25, the growth learned for event "Singles' Day 2026" over the lead time: 1500`,
				"raised past the HPA's tolerance over the 28 running replicas' target, so that it scales up: 1540"},
		},
		{
			ScaledObject: "shop/ads", Metric: "prescale-0c0d0e0f", MetricSource: "main", Mode: "predictive",
			TargetPerPod: 100, LeadTime: "10m", Quantile: 0.5, Decided: true, At: at, Value: 1818.2, Replicas: 19, DecidedBy: "headroom",
			Live: f(1000), Predictive: f(1818.2), Model: "snaive", FittedAt: at.Add(-6 * time.Minute), Risk: 0.98, Headroom: 1.8182,
			Tuning: &scaler.Tuning{At: at.Add(-2 * time.Hour), SLO: 0.0001, Risk: 0.98, ChosenAt: at.Add(-2 * time.Hour), Met: true,
				Utilisation: 0.5, Headroom: 1.8182, PodHours: 2072.4, From: at.Add(-84*time.Hour - 2*time.Hour), Until: at.Add(-2 * time.Hour),
				Risks: 10, Utilisations: 5},
			Growth:      &scaler.GrowthExplanation{AnchorWindow: "10m", From: at.Add(-7*24*time.Hour - 6*time.Minute), Until: at.Add(-6 * time.Minute), Samples: 2015},
			GrowthRatio: f(1), GrowthSource: "hour", Anchor: f(1000),
			Reasons: []string{"live demand 1000", "recent demand 1000 x 1, the growth learned for this hour over the lead time: 1000",
				"x1.82 headroom (a target utilisation 0.55 of the HPA's): 1818"},
		},
	}}
}

func TestExplainGolden(t *testing.T) {
	var gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.RawQuery
		_ = json.NewEncoder(w).Encode(explainFixture())
	}))
	defer srv.Close()
	out, err := run(t, "explain", "shop", "--addr", srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	if gotQuery != "scaledObject=shop" {
		t.Errorf("query %q, want scaledObject=shop", gotQuery)
	}
	golden(t, "explain_text", out)
	out, err = run(t, "explain", "--addr", srv.URL, "--output", "json")
	var back scaler.DecisionsResponse
	if err != nil || json.Unmarshal([]byte(out), &back) != nil || len(back.Decisions) != 4 {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if got, want := back.Decisions[2], explainFixture().Decisions[2]; !reflect.DeepEqual(got, want) {
		t.Errorf("json round trip of a risk-based trigger:\n got %+v\nwant %+v", got, want)
	}
}

func TestExplainErrors(t *testing.T) {
	notFound := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"decisions":[]}`))
	}))
	defer notFound.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer broken.Close()
	tests := []struct {
		name string
		args []string
		want string
		code int
	}{
		{"unknown ScaledObject", []string{"explain", "shop/nope", "--addr", notFound.URL}, `no trigger of "shop/nope"`, 3},
		{"server error", []string{"explain", "--addr", broken.URL}, "500", 0},
		{"bad address", []string{"explain", "--addr", "prescale:8080"}, "--addr", 0},
		{"bad output", []string{"explain", "--output", "yaml"}, "--output", 0},
		{"unreachable", []string{"explain", "--addr", "http://127.0.0.1:1", "--timeout", "2s"}, "asking the scaler", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("prescale %s: %v, want an error containing %q", strings.Join(tt.args, " "), err, tt.want)
			}
			var exit ExitError
			if got := errors.As(err, &exit); got != (tt.code != 0) || (got && exit.Code != tt.code) {
				t.Errorf("exit code error %v, want code %d", err, tt.code)
			}
		})
	}
}
