package scaler

import (
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // time zones in tests do not depend on the host

	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// minimal is the smallest valid metadata.
func minimal() map[string]string {
	return map[string]string{"query": `sum(rate(http_requests_total{app="shop"}[2m]))`, "targetPerPod": "100"}
}

func with(kv ...string) map[string]string {
	md := minimal()
	for i := 0; i+1 < len(kv); i += 2 {
		md[kv[i]] = kv[i+1]
	}
	return md
}

func TestParseMetadataDefaults(t *testing.T) {
	m, err := ParseMetadata(minimal())
	if err != nil {
		t.Fatal(err)
	}
	want := Metadata{
		Query: `sum(rate(http_requests_total{app="shop"}[2m]))`,
		Policy: policies.Policy{
			Mode: policies.ModePredictive, TargetPerPod: 100, LeadTime: 5 * time.Minute, Risk: 0.9,
		},
		EventShift: 15 * time.Minute, TimeZone: time.UTC,
		Model: "auto", Quantile: 0.9, Step: time.Minute, HistoryWindow: 28 * 24 * time.Hour, RefitInterval: 15 * time.Minute,
		RetuneInterval: 24 * time.Hour, TuneUtilisations: simulator.DefaultTuneUtilisations,
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("defaults:\ngot  %+v\nwant %+v", m, want)
	}
	if got := m.HorizonSteps(); got != 36 {
		t.Errorf("HorizonSteps = %d, want 36 (5m + 2x15m at 1m, plus one)", got)
	}
	if got := m.Level(); got < 0.8-1e-12 || got > 0.8+1e-12 {
		t.Errorf("Level = %v, want 0.8", got)
	}
}

func TestParseMetadataGood(t *testing.T) {
	tests := []struct {
		name  string
		md    map[string]string
		check func(Metadata) bool
	}{
		{"event floors sorted", with("calendar", "shop", "eventFloors", "launch=10, double11=40"), func(m Metadata) bool {
			return reflect.DeepEqual(m.EventFloors, []EventFloor{{"double11", 40}, {"launch", 10}})
		}},
		{"tune utilisations sorted from the highest", with("tuneUtilizations", "0.5, 0.7,0.6"), func(m Metadata) bool {
			return reflect.DeepEqual(m.TuneUtilisations, []float64{0.7, 0.6, 0.5})
		}},
		{"tune utilisations none", with("tuneUtilizations", "none"), func(m Metadata) bool { return m.TuneUtilisations == nil }},
		{"time zone", with("timeZone", " Europe/Berlin "), func(m Metadata) bool { return m.TimeZone.String() == "Europe/Berlin" }},
		{"hpa tolerance and name", with("hpaTolerance", "0.1", "hpaName", "api-v2"), func(m Metadata) bool {
			return m.Policy.Tolerance == 0.1 && m.HPAName == "api-v2"
		}},
		{"KEDA keys tolerated", with("scalerAddress", "prescale.keda:6000", "enableTLS", "true", "unsafeSsl", "false",
			"caCert", "x", "tlsClientCert", "y", "tlsClientKey", "z", "tlsCertFile", "/f"), func(m Metadata) bool { return m.Query != "" }},
		{"FromEnv resolved by KEDA", map[string]string{"query": "up", "targetPerPodFromEnv": "250"}, func(m Metadata) bool {
			return m.Policy.TargetPerPod == 250
		}},
		{"weeks and days", with("historyWindow", "2w", "leadTime", "90s", "refitInterval", "1h"), func(m Metadata) bool {
			return m.HistoryWindow == 14*24*time.Hour && m.Policy.LeadTime == 90*time.Second && m.RefitInterval == time.Hour
		}},
		{"median quantile", with("quantile", "0.5"), func(m Metadata) bool { return m.Level() == 0 }},
		{"shadow mode bounds", with("mode", "shadow", "minReplicas", "2", "maxReplicas", "30", "maxScaleDownPerMinute", "0.1"),
			func(m Metadata) bool {
				return m.Policy.Mode == policies.ModeShadow && m.Policy.MinReplicas == 2 && m.Policy.MaxReplicas == 30
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMetadata(tt.md)
			if err != nil {
				t.Fatalf("ParseMetadata(%v): %v", tt.md, err)
			}
			if !tt.check(m) {
				t.Errorf("ParseMetadata(%v) = %+v", tt.md, m)
			}
		})
	}
}

func TestParseMetadataBad(t *testing.T) {
	tests := []struct {
		name string
		md   map[string]string
		keys []string // the keys the errors must name, in order
	}{
		{"missing required", map[string]string{}, []string{"query", "targetPerPod"}},
		{"unknown key", with("tagetPerPod", "3"), []string{"tagetPerPod"}},
		{"case typo suggests", with("leadtime", "3m"), []string{"leadtime"}},
		{"bad quantile", with("quantile", "0.995"), []string{"quantile"}},
		{"quantile not a number", with("quantile", "NaN"), []string{"quantile"}},
		{"bad mode", with("mode", "aggressive"), []string{"mode"}},
		{"risk of one", with("risk", "1"), []string{"risk"}},
		{"negative risk", with("risk", "-0.1"), []string{"risk"}},
		{"negative event shift", with("eventShift", "-5m"), []string{"eventShift"}},
		{"unknown time zone", with("timeZone", "Mars/Olympus_Mons"), []string{"timeZone"}},
		{"the host's time zone", with("timeZone", "Local"), []string{"timeZone"}},
		{"time zone as a path", with("timeZone", "../../etc/passwd"), []string{"timeZone"}},
		{"bad model", with("model", "prophet"), []string{"model"}},
		{"negative target", with("targetPerPod", "-1"), []string{"targetPerPod"}},
		{"duration without unit", with("leadTime", "300"), []string{"leadTime"}},
		{"step not whole seconds", with("step", "1500ms"), []string{"step"}},
		{"floors without calendar", with("eventFloors", "double11=40"), []string{"eventFloors"}},
		{"floors syntax", with("calendar", "c", "eventFloors", "double11:40"), []string{"eventFloors"}},
		{"floors duplicate", with("calendar", "c", "eventFloors", "a=1,a=2"), []string{"eventFloors"}},
		{"max below min", with("minReplicas", "5", "maxReplicas", "2"), []string{"maxReplicas"}},
		{"history too short", with("historyWindow", "12h"), []string{"historyWindow"}},
		{"history too many steps", with("step", "1s", "historyWindow", "4w"), []string{"historyWindow"}},
		{"prometheus is a name, not a URL", with("prometheus", "http://prom:9090"), []string{"prometheus"}},
		{"FromEnv and plain both", with("queryFromEnv", "up"), []string{"queryFromEnv"}},
		{"utilisation above the target's", with("tuneUtilizations", "0.8,0.95"), []string{"tuneUtilizations"}},
		{"utilisation below the bound", with("tuneUtilizations", "0.05"), []string{"tuneUtilizations"}},
		{"utilisation repeated", with("tuneUtilizations", "0.6,0.6"), []string{"tuneUtilizations"}},
		{"hpa tolerance negative", with("hpaTolerance", "-0.1"), []string{"hpaTolerance"}},
		{"hpa tolerance above the bound", with("hpaTolerance", "0.6"), []string{"hpaTolerance"}},
		{"hpa tolerance not a number", with("hpaTolerance", "ten"), []string{"hpaTolerance"}},
		{"hpa name with a slash", with("hpaName", "shop/api"), []string{"hpaName"}},
		{"utilisation not a number", with("tuneUtilizations", "0.6,"), []string{"tuneUtilizations"}},
		{"too many utilisations", with("tuneUtilizations", strings.Repeat("0.5,", 20)+"0.4"), []string{"tuneUtilizations"}},
		{"several at once, sorted", with("mode", "x", "activationValue", "-1", "step", "0s"), []string{"activationValue", "mode", "step"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMetadata(tt.md)
			if !errors.Is(err, ErrMetadata) {
				t.Fatalf("ParseMetadata(%v) = %v, want an ErrMetadata", tt.md, err)
			}
			var got []string
			for _, e := range unjoin(err) {
				var me *MetadataError
				if !errors.As(e, &me) {
					t.Fatalf("error %v is not a *MetadataError", e)
				}
				got = append(got, me.Key)
				if !strings.Contains(e.Error(), me.Key) {
					t.Errorf("message %q does not name key %s", e, me.Key)
				}
			}
			if !reflect.DeepEqual(got, tt.keys) {
				t.Errorf("errors name keys %v, want %v (%v)", got, tt.keys, err)
			}
		})
	}
}

// unjoin returns the errors joined in err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestMetricName(t *testing.T) {
	a, _ := ParseMetadata(minimal())
	b, _ := ParseMetadata(with("targetPerPod", "7", "leadTime", "10m"))
	c, _ := ParseMetadata(with("query", "sum(up)"))
	if a.MetricName() != b.MetricName() {
		t.Errorf("policy change altered the metric name: %s vs %s", a.MetricName(), b.MetricName())
	}
	if a.MetricName() == c.MetricName() {
		t.Errorf("different queries share metric name %s", a.MetricName())
	}
	if n := a.MetricName(); !strings.HasPrefix(n, "prescale-") || len(n) != len("prescale-")+8 {
		t.Errorf("metric name %q, want prescale- and 8 hex digits", n)
	}
}

func TestMetadataKeysDocumented(t *testing.T) {
	for _, k := range MetadataKeys() {
		if k.Doc == "" || k.Type == "" {
			t.Errorf("key %s lacks a type or doc", k.Name)
		}
		if k.Required != (k.Default == "" && (k.Name == "query" || k.Name == "targetPerPod")) {
			t.Errorf("key %s: required %v with default %q", k.Name, k.Required, k.Default)
		}
	}
}

// FuzzParseMetadata checks that any metadata either parses into a policy
// that validates, with positive steps, or fails with *MetadataError values
// only, and that parsing is deterministic.
func FuzzParseMetadata(f *testing.F) {
	f.Add("query", "up", "targetPerPod", "100", "eventFloors", "a=1")
	f.Add("leadTime", "4w", "step", "1s", "historyWindow", "1d")
	f.Add("quantile", "0.99", "mode", "shadow", "minReplicas", "3")
	f.Add("targetPerPodFromEnv", "1e308", "maxScaleDownPerMinute", "1", "scalerAddress", "x:1")
	f.Add("tuneUtilizations", "0.8, 0.4,0.1", "slo", "0.001", "risk", "0.9")
	f.Add("tuneUtilizations", "none", "slo", "0.5", "retuneInterval", "1h")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3, v3 string) {
		md := map[string]string{"query": "up", "targetPerPod": "10", k1: v1, k2: v2, k3: v3}
		m, err := ParseMetadata(md)
		if err != nil {
			for _, e := range unjoin(err) {
				var me *MetadataError
				if _, given := md[""]; !errors.As(e, &me) || (me.Key == "" && !given) {
					t.Fatalf("error %v is not a *MetadataError naming a key", e)
				}
			}
			return
		}
		if verr := m.Policy.Validate(); verr != nil {
			t.Fatalf("accepted metadata %v gives an invalid policy: %v", md, verr)
		}
		if m.Step <= 0 || m.HistoryWindow < 24*m.Step || m.HorizonSteps() > MaxHorizonSteps || m.Quantile < 0.5 || m.Quantile > 0.99 {
			t.Fatalf("accepted metadata %v out of range: %+v", md, m)
		}
		for i, u := range m.TuneUtilisations {
			// Each one's headroom must make a valid policy, in the order tried.
			if h := simulator.DefaultPredictiveUtilisation / u; !(h >= 1 && h <= policies.MaxHeadroom) || (i > 0 && u >= m.TuneUtilisations[i-1]) {
				t.Fatalf("accepted tuneUtilizations %v of %v: headroom %v", m.TuneUtilisations, md, h)
			}
		}
		again, err := ParseMetadata(maps.Clone(md))
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("second parse of %v differs: %+v, %v", md, again, err)
		}
	})
}
