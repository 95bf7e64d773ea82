package forecast

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/stretchr/testify/require"
)

// traceMAE is a model's mean absolute error over the folds of a trace: over
// all steps, inside event windows and outside them.
type traceMAE struct{ all, in, out float64 }

// rollingMAE forecasts h steps from each origin with model (and the events,
// when given) and returns its MAE split by the events' windows.
func rollingMAE(t *testing.T, y timeseries.Series, origins []int, h int, model string, events []calendar.Occurrence, windows []eventSpan) traceMAE {
	t.Helper()
	var sum [3]float64
	var cnt [3]int
	for _, o := range origins {
		r, err := Forecast(context.Background(), y.Slice(0, o), h, Options{Model: model, Events: events})
		require.NoError(t, err, "%s from step %d", model, o)
		inside := inAnyWindow(windows, o, h)
		for k, p := range r.Point {
			a := y.Values[o+k]
			if math.IsNaN(a) {
				continue
			}
			d := math.Abs(a - p)
			part := 2
			if inside[k] {
				part = 1
			}
			sum[0], cnt[0] = sum[0]+d, cnt[0]+1
			sum[part], cnt[part] = sum[part]+d, cnt[part]+1
		}
	}
	mean := func(i int) float64 { return sum[i] / float64(max(cnt[i], 0)) }
	return traceMAE{mean(0), mean(1), mean(2)}
}

// sumSteps returns y aggregated by sums of k steps (NaN when all are).
func sumSteps(y timeseries.Series, k int) timeseries.Series {
	out := timeseries.Series{Name: y.Name, Start: y.Start, Step: y.Step * time.Duration(k)}
	for i := 0; i+k <= y.Len(); i += k {
		s, n := 0.0, 0
		for _, v := range y.Values[i : i+k] {
			if !math.IsNaN(v) {
				s, n = s+v, n+1
			}
		}
		if n == 0 {
			s = math.NaN()
		} else {
			s *= float64(k) / float64(n)
		}
		out.Values = append(out.Values, s)
	}
	return out
}

// TestTracesAgainstMSTL backtests prescale's models against the MSTL
// baseline on every shipped trace (Wikipedia at 28 and 90 days, NASA, ELB,
// the AAPL tweets and the GenAI QPS), by rolling origin, and checks that
// auto with the calendar is at least as accurate as mstl outside event
// windows and, where the calendar has a past occurrence to learn from,
// more accurate inside them. On the AAPL tweets auto is allowed 2% more
// error than mstl (a tie: measured 1.5% more in MAE, 2% more in MASE, a
// fifth less in sMAPE, BENCHMARKS.md); mseasonal, its prior, must beat
// mstl there.
func TestTracesAgainstMSTL(t *testing.T) {
	if testing.Short() {
		t.Skip("backtests of the shipped traces take tens of seconds")
	}
	wiki, wikiEvents := wikipediaEvents(t)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	nasa := sumSteps(readNASAMinutesIn(t, ny), 5)
	nasaCal, err := calendar.Load("../datasets/calendars/nasa-1995.yaml", calendar.LoadOptions{})
	require.NoError(t, err)
	nasaEvents := nasaCal.Occurrences(nasa.Start, nasa.End().AddDate(0, 0, 7))
	elb, err := timeseries.ReadFile("../datasets/nab/elb_request_count_8c0756.csv",
		timeseries.ReadOptions{Step: 5 * time.Minute, Aggregate: timeseries.AggMean})
	require.NoError(t, err)
	aapl, err := timeseries.ReadFile("../datasets/nab/Twitter_volume_AAPL.csv",
		timeseries.ReadOptions{Step: 5 * time.Minute, Aggregate: timeseries.AggMean})
	require.NoError(t, err)
	aaplCal, err := calendar.Load("../datasets/calendars/nab-tweets-aapl.yaml", calendar.LoadOptions{})
	require.NoError(t, err)
	aaplEvents := aaplCal.Occurrences(aapl[0].Start, aapl[0].End().AddDate(0, 0, 7))
	genai, err := timeseries.ReadFile("../datasets/alibaba_genai_2026/system_qps_per_minute.csv",
		timeseries.ReadOptions{TimeCol: "time_unix", ValueCol: "qps"})
	require.NoError(t, err)
	day := func(y timeseries.Series, d time.Time) int { return y.Index(d) }
	cases := []struct {
		name    string
		y       timeseries.Series
		h       int
		origins []int
		events  []calendar.Occurrence
		// insideWin says whether auto with the calendar beats mstl inside
		// the event windows: not on NASA, whose two windows are first
		// occurrences no history or uplift foretells, see BENCHMARKS.md.
		insideWin bool
		// within is the factor of mstl's error outside the windows that
		// auto with the calendar must stay within; 0 means 1.
		within float64
	}{
		{"wikipedia daily, 8 folds of 28 days", wiki, 28, originsBack(wiki.Len(), 28, 8), wikiEvents, true, 0},
		{"wikipedia daily, 8 one-shot folds of 90 days", wiki, 90, originsBack(wiki.Len(), 90, 8), wikiEvents, true, 0},
		{"nasa 5-min, 4 folds of 2 days", nasa, 576, []int{
			day(nasa, time.Date(1995, 7, 3, 0, 0, 0, 0, ny)), day(nasa, time.Date(1995, 7, 12, 0, 0, 0, 0, ny)),
			day(nasa, time.Date(1995, 8, 8, 0, 0, 0, 0, ny)), day(nasa, time.Date(1995, 8, 22, 0, 0, 0, 0, ny)),
		}, nasaEvents, false, 0},
		{"elb 5-min, no calendar, 4 folds of a day", elb[0], 288, originsBack(elb[0].Len(), 288, 4), nil, false, 0},
		{"aapl tweets 5-min, 8 folds of a day", aapl[0], 288, originsBack(aapl[0].Len(), 288, 8), aaplEvents, false, 1.02},
		{"genai qps per minute, no calendar, 6 folds of an hour", genai[0], 60, originsBack(genai[0].Len(), 60, 6), nil, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			windows := eventSpans(tc.y.Start, tc.y.Step, tc.events)
			res := map[string]traceMAE{}
			for _, m := range []string{"mstl", "mseasonal", "auto"} {
				res[m] = rollingMAE(t, tc.y, tc.origins, tc.h, m, nil, windows)
				res[m+EventsSuffix] = rollingMAE(t, tc.y, tc.origins, tc.h, m, tc.events, windows)
			}
			for _, m := range []string{"mstl", "mstl+events", "mseasonal", "mseasonal+events", "auto", "auto+events"} {
				t.Logf("%-17s MAE all %8.3f  in events %8.3f  outside %8.3f", m, res[m].all, res[m].in, res[m].out)
			}
			ref, got := res["mstl"], res["auto+events"]
			within := tc.within
			if within == 0 {
				within = 1
			}
			require.LessOrEqual(t, got.out, within*ref.out, "auto+events MAE outside events, mstl's %.3f", ref.out)
			require.Less(t, res["mseasonal"].out, ref.out, "mseasonal MAE outside events, mstl's")
			if tc.insideWin && !math.IsNaN(ref.in) {
				require.Less(t, got.in, ref.in, "auto+events MAE inside events, mstl's")
			}
		})
	}
}

// originsBack returns k origins h steps apart ending h steps before n.
func originsBack(n, h, k int) []int {
	var out []int
	for i := 1; i <= k && n-i*h >= 1; i++ {
		out = append(out, n-i*h)
	}
	return out
}
