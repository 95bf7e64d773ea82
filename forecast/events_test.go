package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// phaseMeanModel is a test base model whose fit is the mean of the observed
// values at each phase of a period: it learns normal demand exactly when the
// event windows are masked, which isolates the wrapper's own logic.
type phaseMeanModel struct{ period int }

func (m phaseMeanModel) Name() string { return "phase-mean" }

func (m phaseMeanModel) Fit(_ context.Context, y timeseries.Series) (Fit, error) {
	if y.Len() < m.period {
		return nil, ErrShortHistory
	}
	means := make([]float64, m.period)
	counts := make([]float64, m.period)
	for i, v := range y.Values {
		if !math.IsNaN(v) {
			means[i%m.period] += v
			counts[i%m.period]++
		}
	}
	for p := range means {
		means[p] /= counts[p] // NaN for a never-observed phase
	}
	return phaseMeanFit{n: y.Len(), means: means}, nil
}

type phaseMeanFit struct {
	n     int
	means []float64
}

func (f phaseMeanFit) Forecast(h int) []float64 {
	out := make([]float64, h)
	for j := range out {
		out[j] = f.means[(f.n+j)%len(f.means)]
	}
	return out
}

func (f phaseMeanFit) InSample() []float64 {
	out := make([]float64, f.n)
	for i := range out {
		out[i] = f.means[i%len(f.means)]
	}
	return out
}

var mondayEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a Monday

// dailyShape is the normal demand of hour i: a daily cycle around level.
func dailyShape(i int, level float64) float64 {
	return level * (1 + 0.5*math.Sin(2*math.Pi*float64(i%24)/24))
}

// saleWeeks returns one "sale" occurrence per week, 10:00-14:00 with a 2h
// lead and a 3h lag, on a different weekday each week so that a weekly
// seasonal model cannot mistake it for the weekly pattern.
func saleWeeks(weeks int, uplift float64) []calendar.Occurrence {
	var occ []calendar.Occurrence
	for w := range weeks {
		day := 7*w + (2+3*w)%7
		start := mondayEpoch.Add(time.Duration(day)*24*time.Hour + 10*time.Hour)
		occ = append(occ, calendar.Occurrence{
			Name: "sale", Type: "sale", Start: start, End: start.Add(4 * time.Hour),
			Lead: 2 * time.Hour, Lag: 3 * time.Hour, Uplift: uplift,
		})
	}
	return occ
}

// saleMultiplier is the true effect of a sale on the step at offset i from
// the window start: 1.2 in the lead, 2 in the event, 1.3 in the lag.
func saleMultiplier(i int) float64 {
	switch {
	case i < 2:
		return 1.2
	case i < 6:
		return 2
	}
	return 1.3
}

// saleSeries is hourly demand over weeks with the sales' effect and
// multiplicative noise of relative size noise, seeded.
func saleSeries(weeks int, noise float64, seed uint64) (timeseries.Series, []calendar.Occurrence) {
	rng := rand.New(rand.NewPCG(seed, 1))
	y := timeseries.Series{Name: "shop", Start: mondayEpoch, Step: time.Hour, Values: make([]float64, weeks*168)}
	for i := range y.Values {
		y.Values[i] = dailyShape(i, 100) * (1 + noise*rng.NormFloat64())
	}
	occ := saleWeeks(weeks+1, 0)
	for _, s := range eventSpans(y.Start, y.Step, occ) {
		for i := max(s.from, 0); i < min(s.to, y.Len()); i++ {
			y.Values[i] *= saleMultiplier(i - s.from)
		}
	}
	return y, occ
}

func TestWithEventsLearnsProfile(t *testing.T) {
	y, occ := saleSeries(6, 0.02, 1)
	f, err := WithEvents(phaseMeanModel{24}, occ).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Forecast(168)
	next := eventSpans(y.Start, y.Step, occ)[6] // the occurrence in the horizon
	for j := range got {
		i := y.Len() + j
		want := dailyShape(i, 100)
		if i >= next.from && i < next.to {
			want *= saleMultiplier(i - next.from)
		}
		if math.Abs(got[j]/want-1) > 0.06 {
			t.Errorf("step %d: forecast %.1f, want %.1f ±6%%", j, got[j], want)
		}
	}
	eff := f.(effectReporter).EventEffects()
	if len(eff) != 1 || eff[0].Source != SourceLearned || eff[0].Occurrences != 6 || eff[0].Mode != EffectRatio {
		t.Fatalf("effects = %+v, want one learned ratio effect from 6 occurrences", eff)
	}
	if math.Abs(eff[0].MeanUplift-2) > 0.1 {
		t.Errorf("mean uplift = %.3f, want 2 ± 0.1", eff[0].MeanUplift)
	}
}

func TestWithEventsMasksWindows(t *testing.T) {
	y, occ := saleSeries(4, 0, 2)
	f, err := WithEvents(phaseMeanModel{24}, occ).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	base := f.(*eventFit).base.InSample()
	for i, v := range base {
		if want := dailyShape(i, 100); math.Abs(v-want) > 1e-9 {
			t.Fatalf("base in-sample at %d = %v, want the event-free %v: windows not masked", i, v, want)
		}
	}
}

func TestWithEventsSources(t *testing.T) {
	y, _ := saleSeries(3, 0, 3)
	end := y.End()
	future := func(typ string, uplift float64) calendar.Occurrence {
		return calendar.Occurrence{Name: typ, Type: typ, Start: end.Add(5 * time.Hour), End: end.Add(7 * time.Hour), Uplift: uplift}
	}
	tests := []struct {
		name   string
		occ    calendar.Occurrence
		source EffectSource
		want   float64 // multiplier on the base at the event steps
	}{
		{"business uplift without history", future("launch", 3), SourceBusiness, 3},
		{"no uplift, no history", future("unknown", 0), SourceNone, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := WithEvents(phaseMeanModel{24}, []calendar.Occurrence{tc.occ}).Fit(context.Background(), y)
			if err != nil {
				t.Fatal(err)
			}
			got := f.Forecast(12)
			base := phaseMeanFit{n: y.Len(), means: f.(*eventFit).base.(phaseMeanFit).means}.Forecast(12)
			for j := range got {
				want := base[j]
				if j == 5 || j == 6 {
					want *= tc.want
				}
				if math.Abs(got[j]-want) > 1e-9 {
					t.Errorf("step %d: forecast %v, want %v", j, got[j], want)
				}
			}
			eff := f.(effectReporter).EventEffects()
			if len(eff) != 1 || eff[0].Source != tc.source || eff[0].MeanUplift != tc.want {
				t.Errorf("effects = %+v, want source %s, uplift %v", eff, tc.source, tc.want)
			}
		})
	}
}

func TestWithEventsDifferenceForNonPositive(t *testing.T) {
	y, occ := saleSeries(4, 0, 4)
	for i := range y.Values {
		y.Values[i] -= 150 // now partly negative: ratios are meaningless
	}
	f, err := WithEvents(phaseMeanModel{24}, occ).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	if eff := f.(effectReporter).EventEffects(); eff[0].Mode != EffectDifference {
		t.Errorf("mode = %s, want %s for a series with negative values", eff[0].Mode, EffectDifference)
	}
}

func TestShrinkWeight(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		m2, s2    float64
		want      float64
		tolerance float64
	}{
		{"no occurrence", 0, 1, 1, 0, 0},
		{"one occurrence", 1, 1, math.NaN(), 0.5, 0},
		{"consistent", 5, 1, 0, 1, 0},
		{"discordant pair", 2, 0.01, 1, 0.0196, 1e-3},
		{"nothing learned", 3, 0, 0, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := shrinkWeight(tc.n, tc.m2, tc.s2); math.Abs(got-tc.want) > tc.tolerance {
				t.Errorf("shrinkWeight(%d, %v, %v) = %v, want %v", tc.n, tc.m2, tc.s2, got, tc.want)
			}
		})
	}
}

// recentModel is a base model with in-sample values only over the last keep
// steps, like a model that fits a recent window of a long history.
type recentModel struct {
	phaseMeanModel
	keep int
}

func (m recentModel) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	f, err := m.phaseMeanModel.Fit(ctx, y)
	return recentFit{f.(phaseMeanFit), m.keep}, err
}

type recentFit struct {
	phaseMeanFit
	keep int
}

func (f recentFit) InSample() []float64 {
	v := f.phaseMeanFit.InSample()
	for i := range len(v) - f.keep {
		v[i] = math.NaN()
	}
	return v
}

func TestWithEventsLearnsWhereBaseHasNoInSample(t *testing.T) {
	y, occ := saleSeries(6, 0.02, 9)
	f, err := WithEvents(recentModel{phaseMeanModel{24}, 24 * 7}, occ).Fit(context.Background(), y)
	if err != nil {
		t.Fatal(err)
	}
	eff := f.(effectReporter).EventEffects()
	if len(eff) != 1 || eff[0].Occurrences != 6 || math.Abs(eff[0].MeanUplift-2) > 0.15 {
		t.Errorf("effects = %+v, want 6 occurrences learned with an uplift of 2 ± 0.15", eff)
	}
}

func TestSeasonalReference(t *testing.T) {
	nan := math.NaN()
	v := []float64{1, 2, 3, 10, 20, nan, 4, 5, 6, 40, 50, 60}
	tests := []struct {
		name    string
		i       int
		periods []int
		want    float64
	}{
		{"longest period with data", 5, []int{3, 6}, 60},
		{"shorter when the longest has none", 2, []int{3, 20}, 6},
		{"nothing", 0, []int{20}, nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := seasonalReference(v, tc.i, tc.periods)
			if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
				t.Errorf("seasonalReference(i=%d, %v) = %v, want %v", tc.i, tc.periods, got, tc.want)
			}
		})
	}
}

func TestPositiveSeries(t *testing.T) {
	nan := math.NaN()
	many := make([]float64, 200)
	for i := range many {
		many[i] = 5
	}
	twoZeros := append([]float64{0, 0}, many...)
	threeZeros := append([]float64{0, 0, 0}, many[:197]...)
	tests := []struct {
		name string
		v    []float64
		want bool
	}{
		{"positive", []float64{1, 2, nan, 3}, true},
		{"negative", []float64{1, -2, 3}, false},
		{"outage zeros under 1%", twoZeros, true},
		{"zeros over 1%", threeZeros, false},
		{"all missing", []float64{nan, nan}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := positiveSeries(tc.v); got != tc.want {
				t.Errorf("positiveSeries = %v, want %v", got, tc.want)
			}
		})
	}
}
