package demo

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/datasets"
)

// runPage runs the demo and renders its page.
func runPage(t *testing.T) (Result, string) {
	t.Helper()
	res, err := Run(t.Context(), Options{Bundled: datasets.FS(), Startup: 5 * time.Minute, StoreDir: t.TempDir()})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, res))
	return res, b.String()
}

func TestDemoPage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo twice")
	}
	res, page := runPage(t)
	_, again := runPage(t)
	require.Equal(t, page, again, "two runs of the demo rendered different pages")

	t.Run("events named on every time chart", func(t *testing.T) {
		require.NotEmpty(t, res.Events, "no event in the window shown")
		charts := regexp.MustCompile(`(?s)<figure class="chart"><figcaption>[^<]*</figcaption>\s*<svg viewBox.*?</svg>`).FindAllString(page, -1)
		require.Len(t, charts, 4, "time charts")
		for _, c := range charts {
			for _, e := range res.Events {
				assert.Contains(t, c, fmt.Sprintf(`<g class="mark" data-name="%s">`, e.Name), "chart %.80s", c)
			}
			assert.Contains(t, c, `data-name="live scaler asked"`, "chart %.80s", c)
		}
	})
	t.Run("the story's figures are the report's", func(t *testing.T) {
		pred, _ := res.Find("predictive")
		reac, _ := res.Find("reactive")
		story := newStory(res).String()
		assert.Contains(t, page, "<p>"+htmlEscape(story)+"</p>")
		for _, want := range []string{
			fmt.Sprintf("it left %.3f %% of the requests unserved against the HPA's %.3f %%", 100*pred.UnservedFraction, 100*reac.UnservedFraction),
			fmt.Sprintf("%.1f pod-hours against the HPA's %.1f", pred.PodHours, reac.PodHours),
			fmt.Sprintf("its replicas cost $%.2f against the HPA's $%.2f", res.Nodes.Predictive.Cost, res.HPANodes.Predictive.Cost),
		} {
			assert.Contains(t, story, want)
		}
		e := res.Events[0]
		i := int(e.Start.Sub(pred.Timeline[0].Time) / time.Minute)
		assert.Contains(t, story, fmt.Sprintf("it had %d pods ready against the HPA's %d", pred.Timeline[i].Ready, reac.Timeline[i].Ready))
	})
	t.Run("cost against the HPA leads", func(t *testing.T) {
		hpa := strings.Index(page, "Node cost vs the HPA")
		static := strings.Index(page, "Node cost vs static peak")
		require.True(t, hpa >= 0 && static > hpa, "the HPA's cost at %d, static peak's at %d", hpa, static)
	})
	t.Run("the live card is the page's", func(t *testing.T) {
		assert.True(t, res.Live.At.Equal(res.Events[0].Start), "live asked at %s, want the event's start %s", res.Live.At, res.Events[0].Start)
		assert.InDelta(t, predictiveTargetPerPod(), res.Live.Target, 1e-9, "live target per pod")
		assert.NotContains(t, page, "127.0.0.1")
		assert.NotContains(t, page, time.Now().Format("2006-01-02"))
	})
	t.Run("the frontier chart is embedded", func(t *testing.T) {
		assert.Contains(t, page, "unserved demand against pod-hours over each policy's knob")
		require.Len(t, res.Frontier.Runs, 1)
		for _, name := range []string{"reactive", "predictive"} {
			c, ok := res.Frontier.Runs[0].Frontier.Curve(name)
			require.True(t, ok, name)
			_, ok = c.DefaultPoint()
			assert.True(t, ok, "%s has no default point", name)
		}
	})
	t.Run("terms explained", func(t *testing.T) {
		for _, term := range []string{"Unserved:", "Under-provisioned:", "Scale events:", "Pod-hours:"} {
			assert.Contains(t, page, term)
		}
	})
	assert.Contains(t, page, "<h1>prescale demo: the STS-70 launch, 1995-07-13 to 07-14</h1>")
}

// htmlEscape escapes text as the page does.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestLargestRise(t *testing.T) {
	tl := timeline([]int{5, 5, 6, 9, 9, 9, 7, 12, 12}, []float64{40, 40, 40, 40, 50, 60, 60, 100, 100})
	r := largestRise(tl, tl, 0, len(tl)-1)
	assert.Equal(t, 5, r.before, "before: the rise spans at most 15 minutes, so it starts at the first point")
	assert.Equal(t, 12, r.peak, "peak")
	assert.Equal(t, 10, r.need, "need")
	assert.Equal(t, rise{}, largestRise(tl, tl, 3, 3), "empty span")
}

func TestUnservedBetween(t *testing.T) {
	tl := timeline([]int{1, 1, 1}, []float64{10, 20, 30})
	tl[1].Unserved, tl[2].Unserved = 0.5, 1
	t0 := tl[0].Time
	assert.InDelta(t, 40, unservedBetween(tl, t0, t0.Add(3*time.Minute)), 1e-9)
	assert.InDelta(t, 10, unservedBetween(tl, t0, t0.Add(2*time.Minute)), 1e-9)
}
