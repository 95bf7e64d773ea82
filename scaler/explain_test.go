package scaler

import (
	"cmp"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/calendar"
)

// promoCalendar holds a one-hour promotion at the daily ramp of
// dailyRamp on three days before beforeRamp and on its own day.
const promoCalendar = `apiVersion: prescale.dev/v1alpha1
kind: Calendar
metadata: {name: shop}
spec:
  timeZone: UTC
  events:
  - {name: promo 9, type: promo, start: 2025-03-09 12:00, end: 2025-03-09 13:00}
  - {name: promo 10, type: promo, start: 2025-03-10 12:00, end: 2025-03-10 13:00}
  - {name: promo 11, type: promo, start: 2025-03-11 12:00, end: 2025-03-11 13:00}
  - {name: promo 12, type: promo, start: 2025-03-12 12:00, end: 2025-03-12 13:00}
`

// TestExplainRiskKnobs explains a trigger after a refit and a decision:
// a risk-based one shows its risk, the growth table learned (anchor
// window, span of history, event types with their past occurrences) and
// the growth its last decision applied; the others show none of it.
func TestExplainRiskKnobs(t *testing.T) {
	cal, err := calendar.Parse([]byte(promoCalendar), "shop.yaml")
	require.NoError(t, err)
	tests := []struct {
		name       string
		md         map[string]string
		calendar   bool
		wantRisk   float64
		wantSource string
		wantTypes  []EventTypeGrowth
	}{
		{"predictive", fastMeta("risk", "0.95"), false, 0.95, "hour", []EventTypeGrowth{}},
		{"predictive on Berlin's clock", fastMeta("timeZone", "Europe/Berlin"), false, 0.9, "hour", []EventTypeGrowth{}},
		// Three past promotions, and the minutes before today's, which lie in
		// its influence window (lead time + step + event shift before it).
		{"predictive with a calendar", fastMeta("calendar", "shop"), true, 0.9, "promo 12", []EventTypeGrowth{{Type: "promo", Occurrences: 4}}},
		{"shadow", fastMeta("mode", "shadow", "risk", "0.8"), false, 0.8, "hour", []EventTypeGrowth{}},
		{"reactive", fastMeta("mode", "reactive"), false, 0, "", nil},
		{"risk 0: forecast and floors", fastMeta("risk", "0"), false, 0, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, beforeRamp, func(o *Options) {
				if tc.calendar {
					o.Calendars = map[string]Events{"shop": cal}
				}
			})
			c := grpcClient(t, e.srv)
			r := ref("checkout", tc.md)
			spec, err := c.GetMetricSpec(context.Background(), r)
			require.NoError(t, err)
			e.refit(t, r)
			_, _, err = kedaPoll(context.Background(), c, r, spec.MetricSpecs[0].MetricName)
			require.NoError(t, err)
			xs := e.srv.Explain("shop/checkout")
			require.Len(t, xs, 1)
			x := xs[0]
			require.True(t, x.Decided)
			assert.Equal(t, tc.wantRisk, x.Risk)
			if tc.wantRisk == 0 {
				assert.Nil(t, x.Growth)
				assert.Nil(t, x.GrowthRatio)
				assert.Nil(t, x.Anchor)
				assert.Empty(t, x.GrowthSource)
				b, err := json.Marshal(x)
				require.NoError(t, err)
				for _, key := range []string{`"risk"`, `"growth"`, `"growthRatio"`, `"growthSource"`, `"anchor"`} {
					assert.NotContains(t, string(b), key, "a trigger without risk")
				}
				return
			}
			require.NotNil(t, x.Growth, "no growth table explained")
			_, err = ParseDuration(x.Growth.AnchorWindow)
			require.NoError(t, err, "anchor window %q", x.Growth.AnchorWindow)
			assert.True(t, x.Growth.From.Before(x.Growth.Until), "learned from %v until %v", x.Growth.From, x.Growth.Until)
			assert.False(t, x.Growth.Until.After(beforeRamp.Add(5*time.Minute)), "learned until %v, after the step of now %v", x.Growth.Until, beforeRamp)
			assert.Positive(t, x.Growth.Samples)
			assert.Equal(t, cmp.Or(tc.md["timeZone"], "UTC"), x.Growth.TimeZone)
			assert.Equal(t, tc.wantTypes, x.Growth.EventTypes)
			require.NotNil(t, x.GrowthRatio, "no growth in the last decision")
			assert.Positive(t, *x.GrowthRatio)
			assert.Equal(t, tc.wantSource, x.GrowthSource)
			require.NotNil(t, x.Anchor)
			require.NotNil(t, x.Live)
			assert.GreaterOrEqual(t, *x.Anchor, *x.Live, "the anchor is at least the live demand")
			// Without clamps, the predictive value is the live demand or
			// the recent demand times the growth, whichever is higher.
			require.NotNil(t, x.Predictive)
			assert.InDelta(t, max(*x.Live, *x.Anchor**x.GrowthRatio), *x.Predictive, 1e-9,
				"predictive value, live %v, anchor %v, growth %v", *x.Live, *x.Anchor, *x.GrowthRatio)
		})
	}
}

// TestExplainGrowthJSON pins the JSON names of the risk knobs.
func TestExplainGrowthJSON(t *testing.T) {
	ratio, anchor := 1.25, 800.0
	from := time.Date(2025, 3, 5, 11, 50, 0, 0, time.UTC)
	x := Explanation{Risk: 0.95, GrowthRatio: &ratio, GrowthSource: "promo 12", Anchor: &anchor,
		Growth: &GrowthExplanation{AnchorWindow: "10m", Level: "hour of the day", TimeZone: "Europe/Berlin", From: from, Until: from.Add(7 * 24 * time.Hour), Samples: 2000,
			EventTypes: []EventTypeGrowth{{Type: "promo", Occurrences: 3}}}}
	b, err := json.Marshal(x)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, 0.95, got["risk"])
	assert.Equal(t, 1.25, got["growthRatio"])
	assert.Equal(t, "promo 12", got["growthSource"])
	assert.Equal(t, 800.0, got["anchor"])
	assert.Equal(t, map[string]any{"anchorWindow": "10m", "level": "hour of the day", "timeZone": "Europe/Berlin", "from": "2025-03-05T11:50:00Z", "until": "2025-03-12T11:50:00Z",
		"samples": 2000.0, "eventTypes": []any{map[string]any{"type": "promo", "occurrences": 3.0}}}, got["growth"])
}
