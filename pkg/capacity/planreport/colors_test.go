package planreport

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCategoryColors keeps one color per pool, zone and business line
// across the page's charts and tables, distinct within each kind.
func TestCategoryColors(t *testing.T) {
	r := resultOf(t, ecommerce, time.Time{})
	var b strings.Builder
	require.NoError(t, WriteHTML(&b, r))
	out := b.String()
	charts := chartColors(out)
	cc := newCategoryColors(r.Plan)
	tests := []struct {
		chart  string
		colors palette
		series int
	}{
		{"Nodes by pool", cc.pools, 3},
		{"Cost per hour by pool, against the static peak and today's nodes", cc.pools, 3},
		{"Cost over the horizon by pool", cc.pools, 3},
		{"Cost per hour by zone", cc.zones, 3},
		{"Cost per hour by business line", cc.lines, 4 + 4}, // over time, then the peak plan's bars
	}
	for _, tc := range tests {
		t.Run(tc.chart, func(t *testing.T) {
			got := charts[tc.chart]
			require.Len(t, got, tc.series)
			distinct := map[string]string{}
			for _, s := range got {
				assert.Equal(t, tc.colors[s.name], s.color, "series %s", s.name)
				if other, ok := distinct[s.color]; ok && other != s.name {
					t.Errorf("%s and %s share %s", other, s.name, s.color)
				}
				distinct[s.color] = s.name
			}
		})
	}
	for _, p := range r.Plan.Pools {
		assert.Contains(t, out, `<td><span class="swatch" style="background:`+cc.pools[p.Name]+`"></span>`+p.Name+`</td>`, "pool %s's swatch in the tables", p.Name)
	}
}

// seriesColor is a chart series' name and fill.
type seriesColor struct{ name, color string }

// chartColors returns the series of each chart of a page by the chart's
// title, charts of the same title together.
func chartColors(page string) map[string][]seriesColor {
	out := map[string][]seriesColor{}
	series := regexp.MustCompile(`class="series" data-name="([^"]*)"[^>]*? fill="(#[0-9A-Fa-f]+)"`)
	for _, fig := range strings.Split(page, `<figure class="chart"><figcaption>`)[1:] {
		title, body, _ := strings.Cut(fig, "</figcaption>")
		title = html.UnescapeString(title)
		for _, m := range series.FindAllStringSubmatch(body, -1) {
			out[title] = append(out[title], seriesColor{m[1], m[2]})
		}
	}
	return out
}
