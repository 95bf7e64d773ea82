package chart

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const (
	dashboardFile = "../../deploy/grafana/prescale-scaler.json"
	metricsFile   = "../../scaler/metrics.go"
)

// definedMetrics reads the scaler's metric names from the source text of
// metrics.go (not by importing it) and returns the series names a query
// may use: the name itself for counters and gauges, and the _bucket, _sum
// and _count series for histograms.
func definedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile(metricsFile)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`prometheus\.New(Counter|Gauge|GaugeFunc|Histogram|Summary)(?:Vec)?\(prometheus\.\w+Opts\{\s*Name:\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"`)
	names := map[string]bool{}
	found := re.FindAllStringSubmatch(string(src), -1)
	for _, m := range found {
		switch m[1] {
		case "Histogram", "Summary":
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				names[m[2]+suffix] = true
			}
		default:
			names[m[2]] = true
		}
	}
	// Every Name field must have been read, so that a changed declaration
	// style cannot leave metrics out unnoticed.
	if want := regexp.MustCompile(`\bName:\s*"`).FindAllStringIndex(string(src), -1); len(found) != len(want) || len(found) == 0 {
		t.Fatalf("read %d metric declarations of %d Name fields in %s; update the regexp", len(found), len(want), metricsFile)
	}
	return names
}

var (
	promStrings  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	promMatchers = regexp.MustCompile(`\{[^}]*\}|\[[^\]]*\]`)
	promGrouping = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promNumbers  = regexp.MustCompile(`\b\d[0-9a-zA-Z_.]*`) // numbers and durations
	promIdent    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*\s*\(?`)
	promKeywords = []string{"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"}
)

// metricNames returns the metric names a PromQL expression selects: its
// identifiers once strings, label matchers, ranges, grouping clauses and
// numbers are removed, other than function names and keywords.
func metricNames(expr string) []string {
	s := promStrings.ReplaceAllString(expr, " ")
	s = promMatchers.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	s = promNumbers.ReplaceAllString(s, " ")
	var names []string
	for _, id := range promIdent.FindAllString(s, -1) {
		id = strings.TrimSpace(id)
		if strings.HasSuffix(id, "(") || slices.Contains(promKeywords, strings.ToLower(id)) {
			continue
		}
		names = append(names, id)
	}
	return names
}

func TestMetricNames(t *testing.T) {
	tests := []struct {
		name, expr string
		want       []string
	}{
		{"selector", `up{job="a"}`, []string{"up"}},
		{"quantile", `histogram_quantile(0.99, sum by (le, outcome) (rate(x_bucket{job=~"$job"}[$__rate_interval])))`, []string{"x_bucket"}},
		{"ratio", `sum(rate(a_total{d="true"}[5m])) / clamp_min(sum(rate(b_total[5m])), 1e-9)`, []string{"a_total", "b_total"}},
		{"binary keywords", `a > bool 0 and on (pod) b offset 5m`, []string{"a", "b"}},
		{"function spacing", `max by(pod) (rate (c[1m]))`, []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := metricNames(tt.expr); !slices.Equal(got, tt.want) {
				t.Errorf("metricNames(%q) = %q, want %q", tt.expr, got, tt.want)
			}
		})
	}
}

// dashboard is the part of Grafana's dashboard model the test reads.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	Title   string  `json:"title"`
	Type    string  `json:"type"`
	Panels  []panel `json:"panels"` // a collapsed row's panels
	Targets []struct {
		Expr  string `json:"expr"`
		RefID string `json:"refId"`
	} `json:"targets"`
}

// expressions returns every PromQL expression of the dashboard's panels,
// by panel title.
func (d dashboard) expressions() map[string][]string {
	out := map[string][]string{}
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				out[p.Title] = append(out[p.Title], tg.Expr)
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// labelValuesMetric is the metric of a Grafana label_values(metric, label) query.
var labelValuesMetric = regexp.MustCompile(`^label_values\(\s*([^,{]+?)\s*(?:\{[^}]*\})?\s*,`)

func TestDashboard(t *testing.T) {
	defined := definedMetrics(t)
	raw, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	if d.UID == "" || d.Title == "" {
		t.Errorf("dashboard uid %q, title %q: want both", d.UID, d.Title)
	}
	used := map[string]bool{}
	for title, exprs := range d.expressions() {
		for _, e := range exprs {
			names := metricNames(e)
			if len(names) == 0 {
				t.Errorf("panel %q: %q selects no metric", title, e)
			}
			for _, n := range names {
				used[n] = true
				if !defined[n] {
					t.Errorf("panel %q: %q uses %s, which %s does not define", title, e, n, metricsFile)
				}
			}
		}
	}
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		q, _ := v.Query.(map[string]any)
		m := labelValuesMetric.FindStringSubmatch(q["query"].(string))
		if m == nil || !defined[m[1]] {
			t.Errorf("variable %s: query %v does not use a metric of %s", v.Name, v.Query, metricsFile)
		}
	}
	t.Run("required panels", func(t *testing.T) {
		for _, want := range []string{
			"prescale_scaler_forecast_abs_percentage_error_bucket", // forecast against actual
			"prescale_scaler_decisions_total",                      // decisions by source
			"prescale_scaler_degraded_triggers",                    // degraded state
			"prescale_scaler_live_query_duration_seconds_bucket",   // query latency
			"prescale_scaler_refit_duration_seconds_bucket",        // refit duration
			"prescale_scaler_scaledobjects",                        // ScaledObjects registered
		} {
			if !used[want] {
				t.Errorf("no panel queries %s", want)
			}
		}
	})
}
