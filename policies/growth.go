package policies

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// GrowthOptions says over which horizon LearnGrowth measures the growth of
// the demand, and how it treats calendar events.
type GrowthOptions struct {
	// Ahead is the time from the instant a live value describes to the
	// first instant that pods requested on seeing it can serve: the metric
	// lag plus the lead time (KEDA's poll, the HPA's sync, pod start-up and
	// warm-up). It must not be negative.
	Ahead time.Duration
	// Span is how long after Ahead the growth is measured: the growth of
	// a sample is the highest demand of the steps overlapping [t+Ahead,
	// t+Ahead+Span] over the demand at t (at least the next step).
	Span time.Duration
	// Anchors are the candidate anchor windows. The growth of a sample is
	// measured from the highest value of the last window (the live value
	// included) rather than from the live value alone, so that on a noisy
	// series a dip of one sample does not take pods away. LearnGrowth keeps
	// the candidate whose provisioning at the reference quantile costs
	// least on the history (see GrowthTable.Anchor); empty means the live
	// value alone. Decide must then be given the anchor over the same
	// window (Inputs.Anchor, see Recent).
	Anchors []time.Duration
	// Shift is how far an event may run early or late: the growth learned
	// at an offset from an event's start pools the offsets within ±Shift,
	// so that the pods are there whichever way the event moves.
	Shift time.Duration
	// Events are the calendar's occurrences, past ones to learn from and
	// future ones to apply; their affected window (lead and lag included),
	// widened by Ahead+Span before and Shift after, is where the event's
	// own growth applies instead of the hour's.
	Events []calendar.Occurrence
	// Cache, when set, keeps the anchor windows chosen, so that the refits
	// of one series within a day choose once (the choice is made on whole
	// days of history). It changes no result, only the time taken.
	Cache *AnchorCache
	// Location is the time zone of the workload's daily and weekly cycle,
	// in whose clock the growth's hours of the week are counted; nil means
	// UTC. Where the clocks change for summer time, a cycle that follows
	// them moves by an hour in UTC, and hours counted in UTC would mix the
	// morning's rise of the weeks before the change with the hour after it.
	Location *time.Location
}

// AnchorCache remembers the anchor windows LearnGrowth chose, keyed by
// everything the choice depends on: the whole days of history it was made
// on (their values, not only their times), the events marked there and the
// options. It keeps the last few choices. It is safe for concurrent use;
// share one between the refits of a series (the scaler keeps one per
// trigger, the simulator one per forecaster).
type AnchorCache struct {
	mu    sync.Mutex
	order []uint64
	m     map[uint64]int
}

// anchorCacheSize is how many choices an AnchorCache keeps: a few days of
// daily choices, for the refits of the few policies a frontier runs at
// different points of the trace.
const anchorCacheSize = 16

// NewAnchorCache returns an empty AnchorCache.
func NewAnchorCache() *AnchorCache { return &AnchorCache{m: map[uint64]int{}} }

func (c *AnchorCache) get(k uint64) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.m[k]
	return w, ok
}

func (c *AnchorCache) put(k uint64, w int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	if len(c.order) == anchorCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, k)
	c.m[k] = w
}

// choiceKey hashes what an anchor choice on y, with the events marked ev,
// depends on: y's grid and values, ev, and the options.
func (o GrowthOptions) choiceKey(y timeseries.Series, ev []int) uint64 {
	h := uint64(14695981039346656037) // FNV-1a over 64-bit words
	word := func(v uint64) { h = (h ^ v) * 1099511628211 }
	word(uint64(y.Start.UnixNano()))
	word(uint64(y.Step))
	word(uint64(y.Len()))
	word(uint64(o.Ahead))
	word(uint64(o.Span))
	word(uint64(o.Shift))
	for _, a := range o.Anchors {
		word(uint64(a))
	}
	for _, c := range o.location().String() {
		word(uint64(c))
	}
	for _, v := range y.Values {
		word(math.Float64bits(v))
	}
	for _, e := range ev {
		word(uint64(e))
	}
	return h
}

// Validate reports the first invalid field of o.
func (o GrowthOptions) Validate() error {
	switch {
	case o.Ahead < 0:
		return &FieldError{"growth.ahead", "must not be negative"}
	case o.Span < 0:
		return &FieldError{"growth.span", "must not be negative"}
	case o.Shift < 0:
		return &FieldError{"growth.shift", "must not be negative"}
	case slices.ContainsFunc(o.Anchors, func(d time.Duration) bool { return d < 0 }):
		return &FieldError{"growth.anchors", "must not be negative"}
	}
	return nil
}

// growthLevels are the probabilities at which a GrowthTable keeps each
// distribution; Ratio interpolates between them (in log growth).
var growthLevels = [...]float64{0.01, 0.1, 0.25, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999}

// quantiles is one distribution of log growth, kept at growthLevels.
type quantiles [len(growthLevels)]float32

// minBucketSamples is the fewest samples an hour-of-week distribution
// needs to be used; sparser ones fall back to the hour of the day, then to
// all hours pooled. (200 was tried: it helped the spiky tweet trace by a
// few percent but hid a clean daily ramp in a week of 5-minute history and
// cost a third more unserved demand on the NASA trace.)
const minBucketSamples = 30

// GrowthTable is the distribution of the demand's growth over the time it
// takes new pods to serve, learned from the series' own history: how much
// higher than a live value the demand runs Ahead later (the highest over
// Span). It is kept per hour of the week, per hour of the day and pooled,
// read at the Level chosen on held-out history (falling back to a coarser
// level where the chosen one has too few samples), and per event type at
// each offset from the event's start, from the past occurrences of that
// type. It is what a
// risk-based policy multiplies the live demand by: the q-quantile of the
// growth is the pods that cover the demand to come with probability q.
//
// A GrowthTable is immutable once learned and safe for concurrent use.
type GrowthTable struct {
	// From and Until bound the history it was learned on.
	From, Until time.Time
	// Samples counts the growth samples learned from.
	Samples int
	// Anchor is the anchor window chosen among GrowthOptions.Anchors (0 for
	// the live value alone) and AnchorSteps the same in steps of the
	// history.
	Anchor      time.Duration
	AnchorSteps int
	// Level is how finely the growth outside events is split by the time
	// of day, chosen on held-out history (see chooseLevel).
	Level   Level
	step    time.Duration
	opts    GrowthOptions
	week    [168]quantiles // per hour of the week, on the Location's clock
	weekN   [168]int
	day     [24]quantiles // per hour of the day, on the same clock
	dayN    [24]int
	pooled  quantiles
	pooledN int
	events  map[string]*eventGrowth
	occ     []calendar.Occurrence // sorted by window start
	base    []float64             // per occurrence: log of its baseline (see baseline), NaN when unknown
}

// eventGrowth is one event type's growth and level: a model of the
// growth over the lead time from all its samples, and one of the level the
// demand to come reaches over the occurrence's baseline, from the samples
// whose occurrence has a known baseline (nil when too few do).
type eventGrowth struct {
	all   model
	level *model
	seen  int // occurrences learned from
}

// model is an event type's growth at each offset from its occurrences'
// starts and, when that aligns them better from their starts on (an event
// of varying length that peaks at its end), at each offset from their ends.
type model struct {
	start profile
	end   *profile // for instants from an occurrence's start on; nil when the start aligns them as well
}

// at returns the model's q-quantile of log growth for a sample at offsets
// off (from the start) and offEnd (from the end), during when at or after
// the start, and the samples behind it; exact limits the answer to an
// offset inside the profile read (else n is 0).
func (m *model) at(off, offEnd int, during bool, q float64, exact bool) (float64, int) {
	p, o := &m.start, off
	if m.end != nil && during {
		p, o = m.end, offEnd
	}
	if exact && (o < p.first || o >= p.first+len(p.at)) {
		return 0, 0
	}
	return p.quantile(o, q)
}

// loss returns the model's quantile loss at referenceRisk over ss.
func (m *model) loss(ss []evSample) float64 {
	loss := 0.0
	for _, s := range ss {
		q, _ := m.at(s.off, s.offEnd, s.during, referenceRisk, false)
		loss += pinball(s.v, q)
	}
	return loss
}

// pinball is the quantile loss at referenceRisk of the quantile q for the
// value v.
func pinball(v, q float64) float64 {
	if d := v - q; d >= 0 {
		return referenceRisk * d
	} else {
		return -(1 - referenceRisk) * d
	}
}

// fitModel learns a model from ss, each offset pooling the samples within
// shift steps; varying says the occurrences differ in length, when the
// alignment on their ends is tried for the samples from their starts on.
func fitModel(ss []evSample, shift int, varying bool) model {
	fromStart := func(s evSample) int { return s.off }
	fromEnd := func(s evSample) int { return s.offEnd }
	m := model{start: newProfile(ss, fromStart, shift)}
	if !varying {
		return m
	}
	var during []evSample
	for _, s := range ss {
		if s.during {
			during = append(during, s)
		}
	}
	if len(during) > 0 {
		end := newProfile(during, fromEnd, shift)
		if end.pinball(during, fromEnd) < m.start.pinball(during, fromStart)*(1-1e-9) {
			m.end = &end
		}
	}
	return m
}

// levelMinSamples is the fewest samples the level model must pool at an
// offset to set a floor there.
const levelMinSamples = 10

// fitLevel learns the level model of ss: at each offset, the distribution
// of the log of the demand to come over the occurrence's baseline, from
// the samples whose baseline is known; nil with fewer than
// minBucketSamples of them.
func fitLevel(ss []evSample, shift int, varying bool) *model {
	var lv []evSample
	for _, s := range ss {
		if !math.IsNaN(s.level) {
			s.v += s.level
			lv = append(lv, s)
		}
	}
	if len(lv) < minBucketSamples {
		return nil
	}
	m := fitModel(lv, shift, varying)
	return &m
}

// profile is a distribution of growth at each offset from an alignment
// point of the occurrences (their start or their end).
type profile struct {
	first int // offset, in steps, of at[0] from the alignment point
	at    []quantiles
	n     []int // samples pooled at each offset
}

// evSample is one growth sample of an event: its offsets from its
// occurrence's start and end, in steps, the log growth and the level the
// demand had reached.
type evSample struct {
	off, offEnd int
	v           float64
	during      bool    // at or after the occurrence's start
	level       float64 // log of the anchor over the occurrence's baseline, NaN when unknown
}

// newProfile returns the profile of samples ss, at the offsets off(s),
// each offset pooling the samples within shift steps.
func newProfile(ss []evSample, off func(evSample) int, shift int) profile {
	lo, hi := off(ss[0]), off(ss[0])
	for _, s := range ss {
		lo, hi = min(lo, off(s)), max(hi, off(s))
	}
	byOff := make([][]float64, hi-lo+1)
	for _, s := range ss {
		byOff[off(s)-lo] = append(byOff[off(s)-lo], s.v)
	}
	p := profile{first: lo, at: make([]quantiles, len(byOff)), n: make([]int, len(byOff))}
	var pool []float64
	for i := range byOff {
		pool = pool[:0]
		for k := max(i-shift, 0); k <= min(i+shift, len(byOff)-1); k++ {
			pool = append(pool, byOff[k]...)
		}
		p.n[i] = len(pool)
		p.at[i] = quantilesOf(pool)
	}
	return p
}

// quantile returns the profile's q-quantile of log growth at offset off
// (clamped to the profile's ends) and the samples behind it.
func (p *profile) quantile(off int, q float64) (float64, int) {
	i := min(max(off-p.first, 0), len(p.at)-1)
	return p.at[i].at(q), p.n[i]
}

// pinball returns the profile's quantile loss at referenceRisk over the
// samples ss, at the offsets off(s): the score by which LearnGrowth
// compares an event type's alignments (lower is better).
func (p *profile) pinball(ss []evSample, off func(evSample) int) float64 {
	loss := 0.0
	for _, s := range ss {
		q, _ := p.quantile(off(s), referenceRisk)
		loss += pinball(s.v, q)
	}
	return loss
}

// ErrNoGrowth is returned by LearnGrowth when the history holds no usable
// pair of values (positive now, known later).
var ErrNoGrowth = errors.New("no growth sample: the history needs positive values followed by known ones")

// LearnGrowth learns the growth distribution of y. Only y is read: nothing
// after its end, so learning at an instant never looks ahead of it.
func LearnGrowth(y timeseries.Series, opts GrowthOptions) (*GrowthTable, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if y.Step <= 0 {
		return nil, fmt.Errorf("history step %v: must be positive", y.Step)
	}
	occ := slices.Clone(opts.Events)
	slices.SortFunc(occ, func(a, b calendar.Occurrence) int { return a.WindowStart().Compare(b.WindowStart()) })
	g := &GrowthTable{From: y.Start, Until: y.End(), step: y.Step, opts: opts, occ: occ, events: map[string]*eventGrowth{}}
	g.opts.Events = nil
	const nb = 168
	// The steps the pods asked for at step j serve in: from the one in
	// which they become ready to the one in which Ahead+Span ends.
	first := int(opts.Ahead / y.Step)
	last := ceilSteps(opts.Ahead+opts.Span, y.Step)
	shift := ceilSteps(opts.Shift, y.Step)
	n := y.Len()
	// What does not depend on the anchor: the demand to come, the event
	// (or -1) and the hour of each sample.
	fut := demandToCome(y.Values, first, last)
	ev := make([]int, n)
	hour := make([]int, n)
	weekHours(y, hour, opts.location())
	g.markEvents(y, ev)
	g.base = make([]float64, len(occ))
	for i, o := range occ {
		if g.base[i] = baseline(y, ev, o.Start); math.IsNaN(g.base[i]) {
			g.base[i] = baselineBefore(y, ev, o.WindowStart().Add(-(opts.Ahead + opts.Span + opts.Shift)))
		}
	}
	g.AnchorSteps = g.anchorSteps(y, fut, ev, hour, first, last)
	if g.AnchorSteps > 1 {
		g.Anchor = time.Duration(g.AnchorSteps) * y.Step
	}
	anchor := anchored(y.Values, g.AnchorSteps)
	hourly := make([][]float64, nb)
	var all []float64
	samples := make([]sample, 0, n) // outside events, in time order, for chooseLevel
	// Event samples: per type, per occurrence, per offset.
	perType := map[string][]evSample{}
	lengths := map[string]map[time.Duration]bool{}
	seen := map[string]map[int]bool{}
	for j := range n {
		now := anchor[j]
		if !(now > 0) || math.IsInf(now, 0) || math.IsNaN(fut[j]) {
			continue
		}
		v := math.Log(math.Max(fut[j], now*1e-3) / now)
		if i := ev[j]; i >= 0 {
			o := occ[i]
			at := y.Time(j)
			perType[o.Type] = append(perType[o.Type], evSample{off: int(at.Sub(o.Start) / y.Step),
				offEnd: int(at.Sub(o.End) / y.Step), v: v, during: !at.Before(o.Start), level: math.Log(now) - g.base[i]})
			if seen[o.Type] == nil {
				seen[o.Type], lengths[o.Type] = map[int]bool{}, map[time.Duration]bool{}
			}
			seen[o.Type][i] = true
			lengths[o.Type][o.End.Sub(o.Start)] = true
			continue
		}
		hourly[hour[j]] = append(hourly[hour[j]], v)
		all = append(all, v)
		samples = append(samples, sample{bucket: hour[j], v: v, anchor: now, fut: fut[j], live: y.Values[j]})
	}
	for t, ss := range perType {
		varying := len(lengths[t]) > 1
		e := &eventGrowth{all: fitModel(ss, shift, varying), level: fitLevel(ss, shift, varying), seen: len(seen[t])}
		g.events[t] = e
		g.Samples += len(ss)
	}
	if len(all) == 0 && len(perType) == 0 {
		return nil, ErrNoGrowth
	}
	g.Samples += len(all)
	g.pooledN = len(all)
	g.Level = chooseLevel(samples)
	for h := range 24 {
		var vs []float64
		for b := h; b < len(hourly); b += 24 {
			g.weekN[b] = len(hourly[b])
			if g.weekN[b] >= minBucketSamples {
				g.week[b] = quantilesOf(hourly[b])
			}
			g.dayN[h] += len(hourly[b])
			vs = append(vs, hourly[b]...)
		}
		if g.dayN[h] >= minBucketSamples {
			g.day[h] = quantilesOf(vs)
		}
	}
	g.pooled = quantilesOf(all)
	return g, nil
}

// referenceRisk is the risk at whose cost LearnGrowth compares the anchor
// windows; selectionRisks are the risks each candidate's in-sample curve of
// cost against shortfall is drawn at.
const referenceRisk = 0.9

var selectionRisks = [...]float64{0.7, 0.9, 0.97, 0.99}

// selectionStride thins the samples the anchor is chosen on: every third,
// enough for a choice among a handful of windows at a third of the cost.
const selectionStride = 3

// chooseAnchor returns the candidate anchor window, in steps, that serves
// the history outside events best: for each candidate it replays the
// targets a risk-based policy would serve (the anchor times the hour's
// quantile of growth, never below the live value) at several risks,
// giving an in-sample curve of cost (the sum of targets) against shortfall
// (the demand to come above the target), and keeps the candidate whose
// curve has the least shortfall at the cost the live value alone has at
// referenceRisk — the frontier comparison the simulator makes, without
// the controllers. (Scoring the targets as the HPA holds them for its
// scale-down window was tried: on the NASA trace it chose shorter anchors
// and did worse in the simulator, so the targets are scored as served.) On white noise a long anchor wins, where the live value
// tells as much the live value does (among equals the shortest is kept).
func (g *GrowthTable) chooseAnchor(y timeseries.Series, fut []float64, ev, hour []int) int {
	const nb = 168
	cands := []int{1}
	for _, d := range g.opts.Anchors {
		if w := ceilSteps(d, y.Step); w > 1 && !slices.Contains(cands, w) {
			cands = append(cands, w)
		}
	}
	if len(cands) == 1 {
		return 1
	}
	// The samples the choice is made on, every selectionStride-th outside
	// events with the demand to come known, and the log of that demand.
	var at []int
	var logFut []float64
	for j := 0; j < len(fut); j += selectionStride {
		if ev[j] < 0 && !math.IsNaN(fut[j]) {
			at = append(at, j)
			lf := math.NaN()
			if fut[j] > 0 {
				lf = math.Log(fut[j])
			}
			logFut = append(logFut, lf)
		}
	}
	type curve struct{ cost, short [len(selectionRisks)]float64 }
	curves := make([]curve, len(cands))
	// The candidates are independent: each is scored on its own goroutine,
	// into its own slot, so the choice does not depend on the schedule.
	var wg sync.WaitGroup
	for c, w := range cands {
		wg.Go(func() {
			raw := anchored(y.Values, w)
			// The anchor of the logs is the log of the anchor: one
			// logarithm per sample.
			logA := make([]float64, len(at))
			byHour := make([][]float64, nb)
			for i, j := range at {
				logA[i] = math.NaN()
				if a := raw[j]; a > 0 {
					logA[i] = math.Log(a)
					if !math.IsNaN(logFut[i]) {
						byHour[hour[j]] = append(byHour[hour[j]], math.Max(logFut[i]-logA[i], math.Log(1e-3)))
					}
				}
			}
			q := make([][len(selectionRisks)]float64, nb)
			levels(byHour, q)
			cv := &curves[c]
			for i, j := range at {
				live := y.Values[j]
				if math.IsNaN(logA[i]) || math.IsNaN(q[hour[j]][0]) || !(live >= 0) {
					continue
				}
				for k := range selectionRisks {
					t := math.Max(raw[j]*q[hour[j]][k], live)
					cv.cost[k] += t
					cv.short[k] += math.Max(fut[j]-t, 0)
				}
			}
		})
	}
	wg.Wait()
	ref := curves[0].cost[slices.Index(selectionRisks[:], referenceRisk)]
	best, bestShort := 0, math.Inf(1)
	for c := range cands {
		sh, ok := shortfallAt(curves[c].cost[:], curves[c].short[:], ref)
		if ok && sh < bestShort*(1-1e-9) {
			best, bestShort = c, sh
		}
	}
	return cands[best]
}

// demandToCome returns, for each index j, the highest known value of vs
// over the steps j+first to j+last (at least the next one), NaN when none
// is known: the demand the pods asked for at j serve.
func demandToCome(vs []float64, first, last int) []float64 {
	first, last = max(first, 1), max(last, 1)
	n := len(vs)
	// The highest over a window of last-first+1 values ending at j+last,
	// where the window lies within vs; the tail, cut by the end, directly.
	win := anchored(vs, last-first+1)
	fut := make([]float64, n)
	for j := range n {
		if j+last <= n-1 {
			fut[j] = win[j+last]
			continue
		}
		fut[j] = math.NaN()
		for k := j + first; k <= n-1; k++ {
			if v := vs[k]; !math.IsNaN(v) && !math.IsInf(v, 0) && (math.IsNaN(fut[j]) || v > fut[j]) {
				fut[j] = v
			}
		}
	}
	return fut
}

// location returns o.Location, UTC when nil.
func (o GrowthOptions) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// weekHours sets hour[j] to the hour of the week in loc of y's step j (see
// GrowthTable.bucket). It counts steps rather than converting each time,
// once per span of loc's offset (the whole series in UTC).
func weekHours(y timeseries.Series, hour []int, loc *time.Location) {
	const week = 7 * 24 * time.Hour
	for j := 0; j < len(hour); {
		lt := y.Time(j).In(loc)
		k := len(hour)
		if _, end := lt.ZoneBounds(); !end.IsZero() {
			k = min(k, max(j+1, int((end.Sub(y.Start)+y.Step-1)/y.Step)))
		}
		// The clock's offset into its week, which the steps advance alike
		// until the offset changes.
		h, m, sec := lt.Clock()
		off := time.Duration((int(lt.Weekday())+6)%7*24+h)*time.Hour + time.Duration(m)*time.Minute +
			time.Duration(sec)*time.Second + time.Duration(lt.Nanosecond())
		for ; j < k; j++ {
			hour[j] = int(off / time.Hour)
			if off += y.Step; off >= week {
				off %= week
			}
		}
	}
}

// baselineDays is how many days before an occurrence its baseline looks
// back over; baselineWidth the half-width of the window read on each.
const (
	baselineDays  = 7
	baselineWidth = 15 * time.Minute
)

// baseline returns the log of the demand an occurrence starting at t would
// meet without it: the median, over the last baselineDays days before t,
// of the mean known demand within baselineWidth of the same time of day,
// outside every event's influence window (ev). It is NaN when none of
// those days is known (LearnGrowth then falls back to baselineBefore). It
// reads y only, before t: the baseline of an occurrence to come is known
// before it starts.
func baseline(y timeseries.Series, ev []int, t time.Time) float64 {
	w := max(baselineWidth, y.Step)
	var means []float64
	for d := 1; d <= baselineDays; d++ {
		c := t.Add(-time.Duration(d) * 24 * time.Hour)
		lo, hi := max(y.Index(c.Add(-w)), 0), min(y.Index(c.Add(w)), y.Len()-1)
		if c.Add(w).Before(y.Start) || lo > hi {
			continue
		}
		sum, n := 0.0, 0
		for j := lo; j <= hi; j++ {
			if v := y.Values[j]; ev[j] < 0 && v > 0 && !math.IsInf(v, 0) {
				sum += v
				n++
			}
		}
		if n > 0 {
			means = append(means, sum/float64(n))
		}
	}
	if len(means) == 0 {
		return math.NaN()
	}
	slices.Sort(means)
	return math.Log(sortedQuantile(means, 0.5))
}

// baselineBefore returns the log of the mean known demand over the
// baselineWidth before t, outside every event's influence window (ev),
// NaN when none is known: the baseline of an occurrence whose time of day
// is never seen without an event (a daily show at a fixed hour), read just
// before its influence window t. Known only once the history reaches t.
func baselineBefore(y timeseries.Series, ev []int, t time.Time) float64 {
	w := max(baselineWidth, y.Step)
	lo, hi := max(y.Index(t.Add(-w)), 0), min(y.Index(t)-1, y.Len()-1)
	if !t.After(y.Start) {
		return math.NaN()
	}
	sum, n := 0.0, 0
	for j := lo; j <= hi; j++ {
		if v := y.Values[j]; ev[j] < 0 && v > 0 && !math.IsInf(v, 0) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Log(sum / float64(n))
}

// minChoiceDays is the fewest whole days of history the anchor is chosen
// on alone; a shorter history is chosen on whole.
const minChoiceDays = 7

// anchorSteps returns the anchor window, in steps: chosen (chooseAnchor)
// on the whole UTC days of y when it holds at least minChoiceDays of them,
// else on all of y. The whole days change once a day, so refits within a
// day find the choice in GrowthOptions.Cache when it is set.
func (g *GrowthTable) anchorSteps(y timeseries.Series, fut []float64, ev, hour []int, first, last int) int {
	lo, hi := 0, y.Len()
	day := 24 * time.Hour
	from, until := y.Start.Truncate(day), y.End().Truncate(day)
	if from.Before(y.Start) {
		from = from.Add(day)
	}
	if until.Sub(from) >= minChoiceDays*day && day%y.Step == 0 {
		lo, hi = y.Index(from), y.Index(until)
		if y.Time(lo).Before(from) {
			lo++
		}
	}
	part := y.Slice(lo, hi)
	partFut := fut[lo:hi]
	if hi < y.Len() {
		partFut = demandToCome(part.Values, first, last) // nothing after the last whole day
	}
	if g.opts.Cache == nil {
		return g.chooseAnchor(part, partFut, ev[lo:hi], hour[lo:hi])
	}
	k := g.opts.choiceKey(part, ev[lo:hi])
	if w, ok := g.opts.Cache.get(k); ok {
		return w
	}
	w := g.chooseAnchor(part, partFut, ev[lo:hi], hour[lo:hi])
	g.opts.Cache.put(k, w)
	return w
}

// levels sets q[b], for each hour of the week b, to the exponentials of
// the selectionRisks quantiles of the finest level with enough samples
// (the hour of the week, of the day, all hours pooled), as Ratio reads
// them; NaN without any sample. It sorts byHour's slices.
func levels(byHour [][]float64, q [][len(selectionRisks)]float64) {
	fill := func(dst *[len(selectionRisks)]float64, vs []float64) {
		for k, p := range selectionRisks {
			dst[k] = math.NaN()
			if len(vs) > 0 {
				dst[k] = math.Exp(sortedQuantile(vs, p))
			}
		}
	}
	// The coarser levels are built only when a finer one is too sparse.
	var daily [24]*[len(selectionRisks)]float64
	var pooled *[len(selectionRisks)]float64
	dayOf := func(h int) ([len(selectionRisks)]float64, bool) {
		if daily[h] == nil {
			var vs []float64
			for b := h; b < len(byHour); b += 24 {
				vs = append(vs, byHour[b]...)
			}
			daily[h] = new([len(selectionRisks)]float64)
			slices.Sort(vs)
			fill(daily[h], vs)
			if len(vs) < minBucketSamples {
				daily[h][0] = math.Inf(-1) // marks a day level too sparse
			}
		}
		return *daily[h], !math.IsInf(daily[h][0], -1)
	}
	pool := func() [len(selectionRisks)]float64 {
		if pooled == nil {
			var all []float64
			for _, vs := range byHour {
				all = append(all, vs...)
			}
			slices.Sort(all)
			pooled = new([len(selectionRisks)]float64)
			fill(pooled, all)
		}
		return *pooled
	}
	for b, vs := range byHour {
		if len(vs) >= minBucketSamples {
			slices.Sort(vs)
			fill(&q[b], vs)
			continue
		}
		if d, ok := dayOf(b % 24); ok {
			q[b] = d
			continue
		}
		q[b] = pool()
	}
}

// shortfallAt interpolates a curve of shortfall against cost (costs rising)
// at cost x, linearly in log(shortfall) where both ends are positive;
// ok is false outside the curve.
func shortfallAt(cost, short []float64, x float64) (float64, bool) {
	for k := 0; k+1 < len(cost); k++ {
		lo, hi := cost[k], cost[k+1]
		if x < lo || x > hi {
			continue
		}
		if hi == lo {
			return math.Min(short[k], short[k+1]), true
		}
		t := (x - lo) / (hi - lo)
		if short[k] > 0 && short[k+1] > 0 {
			return math.Exp(math.Log(short[k]) + t*(math.Log(short[k+1])-math.Log(short[k]))), true
		}
		return short[k] + t*(short[k+1]-short[k]), true
	}
	return 0, false
}

// sortedQuantile is the p-quantile of sorted vs, interpolated linearly.
func sortedQuantile(vs []float64, p float64) float64 {
	x := p * float64(len(vs)-1)
	lo := int(x)
	hi := min(lo+1, len(vs)-1)
	return vs[lo] + (x-float64(lo))*(vs[hi]-vs[lo])
}

// anchored returns, for each index, the highest known value of vs over the
// w values ending there (the value itself when w <= 1), NaN when none is
// known: the live value a risk-based decision is anchored on. It runs in
// time linear in len(vs), whatever w (a monotonic queue of candidates).
func anchored(vs []float64, w int) []float64 {
	out := make([]float64, len(vs))
	if w <= 1 {
		for i, v := range vs {
			out[i] = v
			if math.IsInf(v, 0) {
				out[i] = math.NaN()
			}
		}
		return out
	}
	q := make([]int, 0, w) // indices of known values, values decreasing
	head := 0
	for i, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			for len(q) > head && vs[q[len(q)-1]] <= v {
				q = q[:len(q)-1]
			}
			q = append(q, i)
		}
		for head < len(q) && q[head] <= i-w {
			head++
		}
		if head == len(q) {
			out[i] = math.NaN()
		} else {
			out[i] = vs[q[head]]
		}
		if head > 64 && 2*head > len(q) {
			q = append(q[:0], q[head:]...)
			head = 0
		}
	}
	return out
}

// ceilSteps returns d in whole steps, rounded up.
func ceilSteps(d, step time.Duration) int { return int((d + step - 1) / step) }

// bucket returns the hour of the week in the table's time zone
// (GrowthOptions.Location), Monday 00:00 = 0; its remainder by 24 is the
// hour of the day.
func (g *GrowthTable) bucket(t time.Time) int { return weekHour(t.In(g.opts.location())) }

// weekHour returns the hour of the week of t on its own clock, Monday
// 00:00 = 0.
func weekHour(t time.Time) int { return (int(t.Weekday())+6)%7*24 + t.Hour() }

// markEvents sets ev[j] to the index of the occurrence whose influence
// window holds step j of y (see occurrenceAt), -1 outside them, in one
// pass over the occurrences.
func (g *GrowthTable) markEvents(y timeseries.Series, ev []int) {
	for j := range ev {
		ev[j] = -1
	}
	before := g.opts.Ahead + g.opts.Span + g.opts.Shift
	for i, o := range g.occ { // later occurrences overwrite earlier ones, as in occurrenceAt
		lo := max(y.Index(o.WindowStart().Add(-before)), 0)
		if o.WindowStart().Add(-before).Before(y.Start) {
			lo = 0
		} else if y.Time(lo).Before(o.WindowStart().Add(-before)) {
			lo++
		}
		end := o.WindowEnd().Add(g.opts.Shift)
		for j := lo; j < len(ev) && y.Time(j).Before(end); j++ {
			ev[j] = i
		}
	}
}

// occurrenceAt returns the index of the occurrence whose influence window
// holds t: its affected window widened by Ahead+Span before it (the pods
// for its first minutes are asked for then) and Shift after it. With
// overlapping windows the one starting last wins.
func (g *GrowthTable) occurrenceAt(t time.Time) (int, bool) {
	before := g.opts.Ahead + g.opts.Span + g.opts.Shift
	found := -1
	for i, o := range g.occ {
		if o.WindowStart().Add(-before).After(t) {
			break
		}
		if t.Before(o.WindowEnd().Add(g.opts.Shift)) {
			found = i
		}
	}
	return found, found >= 0
}

// quantilesOf returns the distribution of vs at growthLevels (NaN when vs
// is empty). It sorts vs.
func quantilesOf(vs []float64) quantiles {
	var q quantiles
	if len(vs) == 0 {
		for i := range q {
			q[i] = float32(math.NaN())
		}
		return q
	}
	slices.Sort(vs)
	for i, p := range growthLevels {
		q[i] = float32(sortedQuantile(vs, p))
	}
	return q
}

// at returns the q-quantile, interpolated between growthLevels and clamped
// to their ends.
func (q *quantiles) at(p float64) float64 {
	switch {
	case p <= growthLevels[0]:
		return float64(q[0])
	case p >= growthLevels[len(growthLevels)-1]:
		return float64(q[len(q)-1])
	}
	i := 1
	for growthLevels[i] < p {
		i++
	}
	w := (p - growthLevels[i-1]) / (growthLevels[i] - growthLevels[i-1])
	return float64(q[i-1]) + w*float64(q[i]-q[i-1])
}

// Growth is the growth a GrowthTable gives at one instant.
type Growth struct {
	// Ratio multiplies the live demand: the q-quantile of the demand to
	// come over the live value.
	Ratio float64
	// Event is the event whose learned growth (or business uplift) applies,
	// empty for the hour's growth.
	Event string
	// Samples is the number of samples the quantile was read from.
	Samples int
	// Floor is the event's floor, in demand units, 0 when none: the
	// occurrence's baseline (the demand usually seen at its start's time
	// of day on the days before it, outside events) times the q-quantile
	// of the level its past occurrences reached over theirs at the same
	// offset, or times its business uplift before the type has history.
	// Served whatever the live demand, it holds the pods of an event that
	// starts late, whose growth over the live value comes later than
	// learned.
	Floor float64
}

// Ratio returns the q-quantile growth for a live value describing the
// demand at t: the learned growth of the event whose influence window holds
// t at t's offset from its start (from its end when EndAligned), with the
// event's floor (see Growth.Floor); before an event whose type has no past
// occurrence, its business uplift (Occurrence.Uplift) when given, as the
// growth and, times the occurrence's baseline, as the floor until its end;
// else the growth of t's hour of the week, or with fewer than 30 samples
// there of its hour of the day, or of all hours pooled. q must be in
// (0, 1).
func (g *GrowthTable) Ratio(t time.Time, q float64) Growth {
	if i, ok := g.occurrenceAt(t); ok {
		o := g.occ[i]
		if e := g.events[o.Type]; e != nil {
			off, offEnd, during := int(t.Sub(o.Start)/g.step), int(t.Sub(o.End)/g.step), !t.Before(o.Start)
			if v, n := e.all.at(off, offEnd, during, q, false); n > 0 {
				r := Growth{Ratio: math.Exp(v), Event: o.Name, Samples: n}
				if e.level != nil && !math.IsNaN(g.base[i]) {
					if l, n := e.level.at(off, offEnd, during, q, true); n >= levelMinSamples {
						r.Floor = math.Exp(g.base[i] + l)
					}
				}
				return r
			}
		} else if o.Uplift > 1 && t.Before(o.End) {
			r := Growth{Ratio: 1, Event: o.Name}
			if t.Before(o.Start) {
				r.Ratio = o.Uplift
			}
			if !math.IsNaN(g.base[i]) {
				r.Floor = math.Exp(g.base[i]) * o.Uplift
			}
			return r
		}
	}
	b := g.bucket(t)
	switch {
	case g.Level == LevelWeek && g.weekN[b] >= minBucketSamples:
		return Growth{Ratio: math.Exp(g.week[b].at(q)), Samples: g.weekN[b]}
	case g.Level <= LevelDay && g.dayN[b%24] >= minBucketSamples:
		return Growth{Ratio: math.Exp(g.day[b%24].at(q)), Samples: g.dayN[b%24]}
	case g.pooledN == 0:
		return Growth{Ratio: 1}
	}
	return Growth{Ratio: math.Exp(g.pooled.at(q)), Samples: g.pooledN}
}

// EndAligned reports whether the growth of event type typ is read, from
// an occurrence's start on, at its offset from the occurrence's end (its
// past occurrences differ in length and line up better on their ends).
func (g *GrowthTable) EndAligned(typ string) bool {
	e := g.events[typ]
	return e != nil && e.all.end != nil
}

// Location returns the time zone on whose clock the table counts its hours
// of the week (GrowthOptions.Location, UTC by default).
func (g *GrowthTable) Location() *time.Location { return g.opts.location() }

// EventTypes returns, per event type learned, the number of past
// occurrences it was learned from.
func (g *GrowthTable) EventTypes() map[string]int {
	out := make(map[string]int, len(g.events))
	for t, e := range g.events {
		out[t] = e.seen
	}
	return out
}

// NewGrowthOptions returns the growth options of a risk-based policy p on
// a history of the given step, with events the calendar's occurrences and
// loc the time zone of the workload's cycle (nil: UTC): the growth over
// p.LeadTime, measured over one step, events pooled over ±shift, anchors
// among DefaultAnchors, with a new AnchorCache (keep the options, or their
// Cache, across the refits of a series). The scaler and the simulator both
// build their options here, so that they learn the same table from the
// same history.
func NewGrowthOptions(p Policy, step, shift time.Duration, events []calendar.Occurrence, loc *time.Location) GrowthOptions {
	return GrowthOptions{Ahead: p.LeadTime, Span: step, Shift: shift, Anchors: DefaultAnchors, Events: events, Cache: NewAnchorCache(), Location: loc}
}

// DefaultAnchors are the anchor windows LearnGrowth chooses among by
// default: from a few minutes, for noisy per-minute series, to half an
// hour; the live value alone is always a candidate.
var DefaultAnchors = []time.Duration{2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute}
