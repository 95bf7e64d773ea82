package policies

import (
	"math"
	"slices"
)

// Level is how finely a GrowthTable splits the growth outside events by
// the time of day: per hour of the week, per hour of the day, or pooled.
type Level int

// The levels a GrowthTable reads the growth outside events at.
const (
	// LevelWeek reads the hour of the week, or the hour of the day where
	// the hour of the week has fewer than minBucketSamples samples, or all
	// hours pooled where that too is sparse.
	LevelWeek Level = iota
	// LevelDay reads the hour of the day (pooled where sparse).
	LevelDay
	// LevelPooled reads all hours pooled.
	LevelPooled
)

// String names the level as explain prints it.
func (l Level) String() string {
	switch l {
	case LevelWeek:
		return "hour of the week"
	case LevelDay:
		return "hour of the day"
	case LevelPooled:
		return "all hours pooled"
	}
	return "unknown level"
}

// sample is one growth sample outside events, as chooseLevel replays it.
type sample struct {
	bucket      int     // hour of the week
	v           float64 // log growth
	anchor, fut float64 // the anchor and the demand to come
	live        float64 // the live value
}

// Level choice: the last levelHoldout of the samples (in time) are held
// out, at least levelMinHoldout of them; the coarser level must beat the
// finer by levelMargin (relative, in shortfall at equal cost) to be
// chosen, so that an indifferent history keeps the finest.
const (
	levelHoldout    = 0.25
	levelMinHoldout = 1440
	levelMargin     = 0.03
)

// chooseLevel returns the level whose quantiles, learned on all but the
// last part of the samples, serve that part best: for each level it
// replays the targets a risk-based policy would serve there (the anchor
// times the level's quantile of growth, never below the live value) at
// selectionRisks, giving a held-out curve of cost (the sum of targets)
// against shortfall (the demand to come above them), and compares the
// curves' shortfalls at the finest level's costs (the mean of their
// logarithms). The finest level has the most to gain from the
// time of day and the most estimation noise at high quantiles, with about
// sixty correlated samples per hour of the week per week of per-minute
// history; which wins is the series' own answer. ss are in time order.
func chooseLevel(ss []sample) Level {
	hold := max(int(levelHoldout*float64(len(ss))), levelMinHoldout)
	if len(ss) < 2*hold {
		return LevelWeek
	}
	train, test := ss[:len(ss)-hold], ss[len(ss)-hold:]
	var t growthLevelsTable
	t.learn(train)
	curves := [3][2][len(selectionRisks)]float64{} // per level: cost, shortfall
	for l := range curves {
		for _, s := range test {
			for k := range selectionRisks {
				g := t.at(Level(l), s.bucket, k)
				if math.IsNaN(g) {
					continue
				}
				target := math.Max(s.anchor*math.Exp(g), s.live)
				curves[l][0][k] += target
				curves[l][1][k] += math.Max(s.fut-target, 0)
			}
		}
	}
	best, bestScore := LevelWeek, 0.0
	for l := LevelDay; l <= LevelPooled; l++ {
		score, n := 0.0, 0
		for k := range selectionRisks {
			fine := curves[LevelWeek][1][k]
			coarse, ok := shortfallAt(curves[l][0][:], curves[l][1][:], curves[LevelWeek][0][k])
			if !ok || !(fine > 0) || !(coarse > 0) {
				continue
			}
			score += math.Log(coarse / fine)
			n++
		}
		if n == 0 {
			continue
		}
		if score /= float64(n); score < math.Log(1-levelMargin) && score < bestScore {
			best, bestScore = l, score
		}
	}
	return best
}

// growthLevelsTable holds the growth quantiles at selectionRisks per hour
// of the week, per hour of the day and pooled, as a GrowthTable reads
// them, for chooseLevel.
type growthLevelsTable struct {
	week   [168][len(selectionRisks)]float64
	weekN  [168]int
	day    [24][len(selectionRisks)]float64
	dayN   [24]int
	pooled [len(selectionRisks)]float64
}

func (t *growthLevelsTable) learn(ss []sample) {
	var week [168][]float64
	var day [24][]float64
	all := make([]float64, 0, len(ss))
	for _, s := range ss {
		week[s.bucket] = append(week[s.bucket], s.v)
		day[s.bucket%24] = append(day[s.bucket%24], s.v)
		all = append(all, s.v)
	}
	fill := func(dst *[len(selectionRisks)]float64, vs []float64) {
		slices.Sort(vs)
		for k, p := range selectionRisks {
			dst[k] = math.NaN()
			if len(vs) > 0 {
				dst[k] = sortedQuantile(vs, p)
			}
		}
	}
	for b := range week {
		t.weekN[b] = len(week[b])
		fill(&t.week[b], week[b])
	}
	for h := range day {
		t.dayN[h] = len(day[h])
		fill(&t.day[h], day[h])
	}
	fill(&t.pooled, all)
}

// at returns the log growth at selectionRisks[k] for bucket, read at
// level l with GrowthTable.Ratio's fallbacks to coarser levels.
func (t *growthLevelsTable) at(l Level, bucket, k int) float64 {
	switch {
	case l == LevelWeek && t.weekN[bucket] >= minBucketSamples:
		return t.week[bucket][k]
	case l <= LevelDay && t.dayN[bucket%24] >= minBucketSamples:
		return t.day[bucket%24][k]
	}
	return t.pooled[k]
}
