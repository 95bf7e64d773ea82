package policies

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // time zones in tests do not depend on the host

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

var growthStart = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday

// eventSeries is a flat per-minute series of level 100 with Poisson-like
// noise of relative size noise, where each occurrence multiplies the
// demand by jump from its start to its end.
func eventSeries(days int, noise, jump float64, occ []calendar.Occurrence, seed uint64) timeseries.Series {
	r := rand.New(rand.NewPCG(seed, seed))
	n := days * 1440
	y := timeseries.Series{Name: "demand", Start: growthStart, Step: time.Minute, Values: make([]float64, n)}
	for i := range n {
		v := 100.0
		at := y.Time(i)
		for _, o := range occ {
			if !at.Before(o.Start) && at.Before(o.End) {
				v *= jump
			}
		}
		y.Values[i] = v * (1 + noise*r.NormFloat64())
	}
	return y
}

// dailyEvents returns one two-hour event of type "match" at 18:00 UTC on
// each of days.
func dailyEvents(days ...int) []calendar.Occurrence {
	var occ []calendar.Occurrence
	for _, d := range days {
		s := growthStart.Add(time.Duration(d)*24*time.Hour + 18*time.Hour)
		occ = append(occ, calendar.Occurrence{Name: "match", Type: "match", Start: s, End: s.Add(2 * time.Hour)})
	}
	return occ
}

func TestLearnGrowthLearnsEventJump(t *testing.T) {
	occ := dailyEvents(2, 5, 8, 11, 14)
	y := eventSeries(14, 0.01, 4, occ, 1)
	g, err := LearnGrowth(y, GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: 5 * time.Minute, Events: occ})
	require.NoError(t, err)
	assert.Equal(t, 4, g.EventTypes()["match"], "four past occurrences lie in the history")

	// Ten minutes before the fifth occurrence the learned growth foresees
	// the jump; an ordinary hour does not.
	next := occ[4].Start
	before := g.Ratio(next.Add(-6*time.Minute), 0.9)
	assert.Equal(t, "match", before.Event)
	assert.InDelta(t, 4, before.Ratio, 0.3, "the jump is learned from the past occurrences")
	quiet := g.Ratio(next.Add(-5*time.Hour), 0.9)
	assert.Empty(t, quiet.Event)
	assert.InDelta(t, 1, quiet.Ratio, 0.1)
	// Inside the event the demand stays up: no further growth.
	inside := g.Ratio(next.Add(30*time.Minute), 0.9)
	assert.InDelta(t, 1, inside.Ratio, 0.1)
}

func TestLearnGrowthBusinessUpliftUntilHistory(t *testing.T) {
	occ := dailyEvents(5)
	occ[0].Uplift = 3
	y := eventSeries(3, 0.01, 1, nil, 2) // history ends before the event
	g, err := LearnGrowth(y, GrowthOptions{Ahead: 6 * time.Minute, Events: occ})
	require.NoError(t, err)
	got := g.Ratio(occ[0].Start.Add(-3*time.Minute), 0.9)
	assert.Equal(t, 3.0, got.Ratio, "without a past occurrence the business uplift applies before the start")
	assert.Equal(t, "match", got.Event)
	assert.InDelta(t, 300, got.Floor, 5, "the floor is the baseline (100) times the uplift")
	during := g.Ratio(occ[0].Start.Add(30*time.Minute), 0.9)
	assert.Equal(t, 1.0, during.Ratio, "no growth on the live value once under way")
	assert.InDelta(t, 300, during.Floor, 5, "the floor holds until the end")
	after := g.Ratio(occ[0].End.Add(time.Minute), 0.9)
	assert.Zero(t, after.Floor)
}

// TestLearnedFloorHoldsLateEvent checks the learned floor on an
// occurrence starting 25 minutes late, past the shift the growth pools:
// at its planned start plus 20 minutes the demand has not risen and the
// growth learned at that offset (on occurrences under way) is flat, but
// the floor, the baseline times the level past occurrences reached, holds
// the event's pods; it scales with the occurrence's own baseline; a
// decision serves it whatever the live value, and says so.
func TestLearnedFloorHoldsLateEvent(t *testing.T) {
	occ := dailyEvents(2, 5, 8, 11, 14)
	y := eventSeries(14, 0.02, 4, occ, 7)
	opts := GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: 5 * time.Minute, Events: occ}
	g, err := LearnGrowth(y, opts)
	require.NoError(t, err)
	late := occ[4].Start.Add(20 * time.Minute)
	r := g.Ratio(late, 0.9)
	assert.Equal(t, "match", r.Event)
	assert.InDelta(t, 1, r.Ratio, 0.1, "the growth inside the event is flat")
	assert.InDelta(t, 400, r.Floor, 25, "baseline 100 x level 4")
	assert.Zero(t, g.Ratio(occ[4].Start.Add(-3*time.Hour), 0.9).Floor, "no floor outside the event's influence")

	// The same history at twice the level: twice the floor.
	y2 := y.Clone()
	for i := range y2.Values {
		y2.Values[i] *= 2
	}
	g2, err := LearnGrowth(y2, opts)
	require.NoError(t, err)
	assert.InDelta(t, 2*r.Floor, g2.Ratio(late, 0.9).Floor, 1e-6*r.Floor)

	p := Policy{Mode: ModePredictive, TargetPerPod: 10, LeadTime: 6 * time.Minute, MinReplicas: 1, MaxReplicas: 1000, Risk: 0.9}
	d, err := Decide(p, Inputs{Now: late, Live: Observation{Value: 100, At: late}, Forecast: Forecast{Growth: g}})
	require.NoError(t, err)
	assert.Equal(t, SourceEvent, d.Source)
	assert.InDelta(t, r.Floor, d.Value, 1e-9)
	assert.Contains(t, d.Reasons()[len(d.Reasons())-1], "the level its past occurrences reached")
	// Once the event runs, the floor does not cap it: a live value above
	// the floor is served.
	d, err = Decide(p, Inputs{Now: late, Live: Observation{Value: 900, At: late}, Forecast: Forecast{Growth: g}})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, d.Value, 900.0)
}

// TestLearnGrowthNoLookAhead checks that the table learned from a history
// does not change with what follows it.
func TestLearnGrowthNoLookAhead(t *testing.T) {
	occ := dailyEvents(2, 5, 8)
	a := eventSeries(7, 0.05, 3, occ, 3)
	b := a.Clone()
	for i := 6 * 1440; i < b.Len(); i++ {
		b.Values[i] *= 10 // a different future
	}
	ga, err := LearnGrowth(a.Slice(0, 6*1440), GrowthOptions{Ahead: 5 * time.Minute, Events: occ, Anchors: DefaultAnchors})
	require.NoError(t, err)
	gb, err := LearnGrowth(b.Slice(0, 6*1440), GrowthOptions{Ahead: 5 * time.Minute, Events: occ, Anchors: DefaultAnchors})
	require.NoError(t, err)
	for _, at := range []time.Time{occ[2].Start.Add(-5 * time.Minute), growthStart.Add(6*24*time.Hour + 3*time.Hour)} {
		assert.Equal(t, ga.Ratio(at, 0.95), gb.Ratio(at, 0.95))
	}
}

func TestLearnGrowthChoosesAnchor(t *testing.T) {
	tests := []struct {
		name   string
		noise  float64
		longer bool
	}{
		{"no noise: every anchor is as good, the shortest is kept", 0, false},
		{"noisy series: a longer anchor", 0.3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := eventSeries(7, tc.noise, 1, nil, 4)
			g, err := LearnGrowth(y, GrowthOptions{Ahead: 5 * time.Minute, Anchors: DefaultAnchors})
			require.NoError(t, err)
			if tc.longer {
				assert.Greater(t, g.AnchorSteps, 1)
			} else {
				assert.Equal(t, 1, g.AnchorSteps)
			}
		})
	}
}

func TestGrowthQuantilesMonotone(t *testing.T) {
	y := eventSeries(8, 0.2, 1, nil, 5)
	g, err := LearnGrowth(y, GrowthOptions{Ahead: 5 * time.Minute})
	require.NoError(t, err)
	at := growthStart.Add(9 * 24 * time.Hour)
	prev := 0.0
	for _, q := range []float64{0.05, 0.3, 0.5, 0.77, 0.9, 0.95, 0.99, 0.9999} {
		r := g.Ratio(at, q).Ratio
		assert.GreaterOrEqual(t, r, prev, "quantile %v", q)
		prev = r
	}
}

func TestLearnGrowthErrors(t *testing.T) {
	_, err := LearnGrowth(timeseries.Series{Start: growthStart, Step: time.Minute, Values: []float64{math.NaN(), 0, 0}}, GrowthOptions{})
	require.ErrorIs(t, err, ErrNoGrowth)
	_, err = LearnGrowth(timeseries.Series{Start: growthStart, Step: time.Minute, Values: []float64{1, 2}}, GrowthOptions{Shift: -1})
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "growth.shift", fe.Field)
	for field, o := range map[string]GrowthOptions{
		"growth.ahead":   {Ahead: -1},
		"growth.span":    {Span: -1},
		"growth.anchors": {Anchors: []time.Duration{time.Minute, -time.Minute}},
	} {
		_, err := LearnGrowth(timeseries.Series{Start: growthStart, Step: time.Minute, Values: []float64{1, 2}}, o)
		require.ErrorAs(t, err, &fe, field)
		assert.Equal(t, field, fe.Field)
	}
	_, err = LearnGrowth(timeseries.Series{Start: growthStart, Values: []float64{1, 2}}, GrowthOptions{})
	require.ErrorContains(t, err, "history step")
}

func TestDecideRisk(t *testing.T) {
	occ := dailyEvents(2, 5, 8)
	y := eventSeries(8, 0.01, 4, occ, 6)
	g, err := LearnGrowth(y, GrowthOptions{Ahead: 6 * time.Minute, Events: occ})
	require.NoError(t, err)
	p := Policy{Mode: ModePredictive, TargetPerPod: 10, LeadTime: 5 * time.Minute, Risk: 0.9}
	now := occ[2].Start.Add(-6 * time.Minute)
	in := Inputs{Now: now, Live: Observation{Value: 100, At: now}, Forecast: Forecast{Growth: g},
		Floors: []Floor{{Event: "old floor", Start: now, End: now.Add(time.Hour), Replicas: 1000}}}
	d, err := Decide(p, in)
	require.NoError(t, err)
	assert.Equal(t, SourceRisk, d.Source)
	assert.InDelta(t, 400, d.Value, 40, "the learned jump, not the floor")
	assert.Equal(t, "match", d.GrowthEvent)
	assert.Contains(t, d.Reasons()[len(d.Reasons())-1], `event "match"`)

	t.Run("never below the live demand", func(t *testing.T) {
		in := in
		in.Now = growthStart.Add(7*24*time.Hour + 3*time.Hour)
		in.Live = Observation{Value: 100, At: in.Now}
		in.Anchor = 50 // below live: ignored
		d, err := Decide(p, in)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, d.Value, 100.0)
	})
	t.Run("anchor multiplies", func(t *testing.T) {
		in := in
		in.Now = growthStart.Add(7*24*time.Hour + 3*time.Hour)
		in.Live = Observation{Value: 100, At: in.Now}
		in.Anchor = 200
		d, err := Decide(p, in)
		require.NoError(t, err)
		assert.InDelta(t, 200*d.Growth, d.Value, 1e-9)
		assert.Equal(t, 200.0, d.Anchor)
	})
	t.Run("live unknown: forecast and floors as before", func(t *testing.T) {
		in := in
		in.Live = Observation{Value: math.NaN()}
		d, err := Decide(p, in)
		require.NoError(t, err)
		assert.Equal(t, SourceEvent, d.Source)
	})
	t.Run("risk zero keeps the forecast and floors", func(t *testing.T) {
		p := p
		p.Risk = 0
		d, err := Decide(p, in)
		require.NoError(t, err)
		assert.Equal(t, SourceEvent, d.Source)
	})
}

func TestRecent(t *testing.T) {
	r := NewRecent(10 * time.Minute)
	at := func(m int) time.Time { return growthStart.Add(time.Duration(m) * time.Minute) }
	for m, v := range []float64{5, 9, math.NaN(), 3, 4} {
		r.Add(at(m), Observation{Value: v, At: at(m)})
	}
	assert.Equal(t, 4.0, r.Max(at(4), time.Minute))
	assert.Equal(t, 9.0, r.Max(at(4), 4*time.Minute))
	assert.True(t, math.IsNaN(r.Max(at(30), time.Minute)))
	r.Add(at(30), Observation{Value: 1, At: at(30)})
	assert.Equal(t, 1.0, r.Max(at(30), time.Hour), "observations older than maxAge are dropped")

	// Over many observations (the kept window moves and is compacted), Max
	// is the highest of the observations within both the window and maxAge.
	rng := rand.New(rand.NewPCG(3, 3))
	r = NewRecent(45 * time.Minute)
	var all []Observation
	for s := range 2000 {
		now := growthStart.Add(time.Duration(30*s) * time.Second)
		o := Observation{Value: rng.Float64(), At: now.Add(-30 * time.Second)}
		if rng.IntN(20) == 0 {
			o.Value = math.NaN()
		}
		r.Add(now, o)
		all = append(all, o)
		for _, w := range []time.Duration{time.Minute, 10 * time.Minute, 2 * time.Hour} {
			want := math.NaN()
			for _, a := range all {
				if a.At.After(o.At.Add(-w)) && !a.At.Before(now.Add(-45*time.Minute)) && !math.IsNaN(a.Value) && (math.IsNaN(want) || a.Value > want) {
					want = a.Value
				}
			}
			got := r.Max(o.At, w)
			if math.IsNaN(want) {
				require.True(t, math.IsNaN(got), "step %d window %v", s, w)
				continue
			}
			require.Equal(t, want, got, "step %d window %v", s, w)
		}
	}
}

// anchorAt is the plain reference for anchored: the highest known value
// among the last w of vs (the last one when w <= 1), NaN when none is.
func anchorAt(vs []float64, w int) float64 {
	best := math.NaN()
	for k := len(vs) - 1; k >= max(len(vs)-max(w, 1), 0); k-- {
		if v := vs[k]; !math.IsNaN(v) && !math.IsInf(v, 0) && (math.IsNaN(best) || v > best) {
			best = v
		}
	}
	return best
}

func TestAnchoredMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	vs := make([]float64, 500)
	for i := range vs {
		vs[i] = r.Float64() * 100
		if r.IntN(10) == 0 {
			vs[i] = math.NaN()
		}
	}
	for _, w := range []int{0, 1, 2, 7, 30} {
		got := anchored(vs, w)
		for i := range vs {
			want := anchorAt(vs[:i+1], w)
			if math.IsNaN(want) {
				assert.True(t, math.IsNaN(got[i]), "w %d i %d", w, i)
				continue
			}
			require.Equal(t, want, got[i], "w %d i %d", w, i)
		}
	}
}

func BenchmarkLearnGrowth(b *testing.B) {
	occ := dailyEvents(2, 5, 8, 11, 14, 17, 20, 23, 26)
	y := eventSeries(28, 0.05, 4, occ, 1)
	opts := GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: 15 * time.Minute, Anchors: DefaultAnchors, Events: occ}
	// choose: the anchor window chosen at every call, as at a series'
	// first refit of the day; cached: found in the AnchorCache, as at the
	// other refits of the day.
	b.Run("choose", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := LearnGrowth(y, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		o := opts
		o.Cache = NewAnchorCache()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := LearnGrowth(y, o); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestShortfallAt(t *testing.T) {
	cost, short := []float64{10, 20, 40}, []float64{100, 10, 0}
	tests := []struct {
		x    float64
		want float64
		ok   bool
	}{
		{10, 100, true},
		{15, math.Sqrt(1000), true}, // halfway in log(shortfall)
		{30, 5, true},               // linear where one end is zero
		{40, 0, true},
		{5, 0, false},
		{41, 0, false},
	}
	for _, tc := range tests {
		got, ok := shortfallAt(cost, short, tc.x)
		require.Equal(t, tc.ok, ok, "x %v", tc.x)
		if ok {
			assert.InDelta(t, tc.want, got, 1e-9, "x %v", tc.x)
		}
	}
}

func TestMarkEventsMatchesOccurrenceAt(t *testing.T) {
	occ := dailyEvents(1, 2, 4)
	occ[1].Lead, occ[1].Lag = time.Hour, 3*time.Hour // overlaps the next
	y := eventSeries(6, 0, 1, nil, 1)
	g := &GrowthTable{opts: GrowthOptions{Ahead: 7 * time.Minute, Span: time.Minute, Shift: 10 * time.Minute}, occ: occ}
	ev := make([]int, y.Len())
	g.markEvents(y, ev)
	for j := range ev {
		i, ok := g.occurrenceAt(y.Time(j))
		if !ok {
			i = -1
		}
		require.Equal(t, i, ev[j], "step %d (%v)", j, y.Time(j))
	}
}

func TestWeekHoursMatchesBucket(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	starts := []time.Time{growthStart, growthStart.Add(37*time.Minute + 3*time.Second), time.Date(2025, 3, 30, 1, 0, 0, 0, time.FixedZone("CET", 3600))}
	for _, loc := range []*time.Location{nil, berlin} {
		for _, st := range starts {
			for _, step := range []time.Duration{5 * time.Second, time.Minute, 7 * time.Minute, time.Hour} {
				y := timeseries.Series{Start: st, Step: step, Values: make([]float64, 30000)}
				h := make([]int, y.Len())
				g := &GrowthTable{opts: GrowthOptions{Location: loc}}
				weekHours(y, h, g.opts.location())
				for j := range h {
					require.Equal(t, g.bucket(y.Time(j)), h[j], "zone %v start %v step %v index %d", loc, st, step, j)
				}
			}
		}
	}
}

// TestWeekHoursFollowTheClock checks that the hours of the week are
// counted on the zone's clock across a change to summer time: Berlin's
// 07:00 is 06:00 UTC before 2025-03-30 and 05:00 UTC after, the same hour
// of its week both times.
func TestWeekHoursFollowTheClock(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	y := timeseries.Series{Start: time.Date(2025, 3, 27, 0, 0, 0, 0, time.UTC), Step: time.Hour, Values: make([]float64, 7*24)}
	utc, local := make([]int, y.Len()), make([]int, y.Len())
	weekHours(y, utc, time.UTC)
	weekHours(y, local, berlin)
	thursday := y.Index(time.Date(2025, 3, 27, 6, 0, 0, 0, time.UTC))
	monday := y.Index(time.Date(2025, 3, 31, 5, 0, 0, 0, time.UTC))
	assert.Equal(t, []int{3*24 + 7, 7}, []int{local[thursday], local[monday]}, "07:00 in Berlin")
	assert.Equal(t, []int{3*24 + 6, 5}, []int{utc[thursday], utc[monday]}, "in UTC")
}

func TestDemandToComeMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	vs := make([]float64, 500)
	for i := range vs {
		vs[i] = r.Float64()
		switch r.IntN(10) {
		case 0:
			vs[i] = math.NaN()
		case 1:
			vs[i] = math.Inf(1)
		}
	}
	for _, fl := range [][2]int{{0, 0}, {1, 1}, {5, 7}, {6, 12}, {490, 520}} {
		got := demandToCome(vs, fl[0], fl[1])
		for j := range vs {
			want := math.NaN()
			for k := j + max(fl[0], 1); k <= min(j+max(fl[1], 1), len(vs)-1); k++ {
				if v := vs[k]; !math.IsNaN(v) && !math.IsInf(v, 0) && (math.IsNaN(want) || v > want) {
					want = v
				}
			}
			if math.IsNaN(want) {
				require.True(t, math.IsNaN(got[j]), "first %d last %d j %d", fl[0], fl[1], j)
				continue
			}
			require.Equal(t, want, got[j], "first %d last %d j %d", fl[0], fl[1], j)
		}
	}
}

// TestAnchorCacheChangesNothing refits hourly over three days and checks
// that the tables learned with a shared AnchorCache are those learned
// without one, the anchor being chosen once per day of history.
func TestAnchorCacheChangesNothing(t *testing.T) {
	occ := dailyEvents(2, 4, 6, 8, 10, 12)
	y := eventSeries(14, 0.3, 3, occ, 5)
	cache := NewAnchorCache()
	opts := GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: 15 * time.Minute, Anchors: DefaultAnchors, Events: occ}
	cached := opts
	cached.Cache = cache
	for end := 8 * 1440; end <= 11*1440; end += 60 {
		h := y.Slice(end-8*1440, end) // a sliding window, as the refits read
		want, err := LearnGrowth(h, opts)
		require.NoError(t, err)
		got, err := LearnGrowth(h, cached)
		require.NoError(t, err)
		require.Equal(t, want.AnchorSteps, got.AnchorSteps, "end %d", end)
		require.Equal(t, want.week, got.week, "end %d", end)
		require.Equal(t, want.day, got.day, "end %d", end)
		require.Equal(t, want.pooled, got.pooled, "end %d", end)
		require.Equal(t, want.events, got.events, "end %d", end)
	}
	// 73 refits, 7 choices: the whole days of the window change as its
	// ends cross midnight (7 whole days between, 8 at midnight itself).
	assert.Len(t, cache.m, 7)
}

// TestLearnGrowthAlignsOnEndsOfVaryingEvents learns an event type whose
// occurrences last from 90 minutes to 3 hours and peak in their last 20
// minutes (a match and its extra time): aligned on their starts the peaks
// smear; aligned on their ends they line up, so the growth before the peak
// of an occurrence of a length never seen is foreseen.
func TestLearnGrowthAlignsOnEndsOfVaryingEvents(t *testing.T) {
	minutes := []int{90, 150, 110, 180, 130, 100}
	var occ []calendar.Occurrence
	for d, m := range minutes {
		s := growthStart.Add(time.Duration(d+1)*24*time.Hour + 18*time.Hour)
		occ = append(occ, calendar.Occurrence{Name: "match", Type: "match", Start: s, End: s.Add(time.Duration(m) * time.Minute)})
	}
	y := timeseries.Series{Name: "demand", Start: growthStart, Step: time.Minute, Values: make([]float64, 8*1440)}
	r := rand.New(rand.NewPCG(11, 11))
	for i := range y.Values {
		at, v := y.Time(i), 100.0
		for _, o := range occ {
			switch {
			case !at.Before(o.End.Add(-20*time.Minute)) && at.Before(o.End):
				v = 600
			case !at.Before(o.Start) && at.Before(o.End):
				v = 200
			}
		}
		y.Values[i] = v * (1 + 0.01*r.NormFloat64())
	}
	last := occ[len(occ)-1]
	h := y.Slice(0, y.Index(last.Start.Add(-2*time.Hour))) // five past occurrences, none of 100 minutes
	g, err := LearnGrowth(h, GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: 5 * time.Minute, Events: occ})
	require.NoError(t, err)
	require.NotNil(t, g.events["match"].all.end, "the ends align the occurrences better than their starts")

	before := g.Ratio(last.End.Add(-26*time.Minute), 0.5)
	assert.Equal(t, "match", before.Event)
	assert.InDelta(t, 3, before.Ratio, 0.3, "the jump to the end's peak is foreseen")
	during := g.Ratio(last.End.Add(-60*time.Minute), 0.5)
	assert.InDelta(t, 1, during.Ratio, 0.1, "no rise an hour before the end")
	ahead := g.Ratio(last.Start.Add(-6*time.Minute), 0.5)
	assert.InDelta(t, 2, ahead.Ratio, 0.2, "the start's rise, aligned on the starts")

	// Occurrences of one length keep the start alignment.
	same := dailyEvents(2, 4, 6)
	g, err = LearnGrowth(eventSeries(8, 0.01, 3, same, 2), GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Events: same})
	require.NoError(t, err)
	assert.Nil(t, g.events["match"].all.end)
}

// TestLearnedFloorDailyEvent checks the baseline of an event held every
// day at the same hour, whose time of day is never seen without it: the
// floor is then read over the quarter hour before the occurrence's
// influence window, once the history reaches it.
func TestLearnedFloorDailyEvent(t *testing.T) {
	days := make([]int, 14)
	for d := range days {
		days[d] = d
	}
	occ := dailyEvents(days...)
	full := eventSeries(14, 0.02, 4, occ, 9)
	// Influence windows from 22 minutes before each start: the quarter
	// hour around 18:00 is never free of events.
	opts := GrowthOptions{Ahead: 6 * time.Minute, Span: time.Minute, Shift: 15 * time.Minute, Events: occ}
	next := occ[12]
	late := next.Start.Add(20 * time.Minute)

	before := full.Slice(0, full.Index(next.Start.Add(-40*time.Minute)))
	g, err := LearnGrowth(before, opts)
	require.NoError(t, err)
	assert.Zero(t, g.Ratio(late, 0.9).Floor, "the quarter hour before the window is not in the history yet")

	reached := full.Slice(0, full.Index(next.Start.Add(-22*time.Minute)))
	g, err = LearnGrowth(reached, opts)
	require.NoError(t, err)
	assert.InDelta(t, 400, g.Ratio(late, 0.9).Floor, 25, "baseline 100 x level 4")
}

// BenchmarkWeekHours counts the hours of the week of four weeks of
// minutes, in UTC and across Berlin's change to summer time.
func BenchmarkWeekHours(b *testing.B) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(b, err)
	y := timeseries.Series{Start: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), Step: time.Minute, Values: make([]float64, 28*1440)}
	h := make([]int, y.Len())
	for _, loc := range []*time.Location{time.UTC, berlin} {
		b.Run("zone="+loc.String(), func(b *testing.B) {
			for b.Loop() {
				weekHours(y, h, loc)
			}
		})
	}
}
