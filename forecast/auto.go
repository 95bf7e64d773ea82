package forecast

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Auto combines models per series, weighted by their backtest error: each
// candidate's mean MASE over a rolling-origin backtest inside the history
// gives it a weight proportional to (best MASE / its MASE)^Exponent;
// candidates under 2% of the total are dropped, and the others are fitted on
// the whole history and their forecasts averaged with those weights. A
// candidate close to the best shares the forecast; one clearly worse gets
// nothing, so that a poor candidate cannot spoil a good one. Intervals are
// calibrated on the combination's own errors at the folds. Its Name is
// "auto".
//
// A backtest of few folds ranks the candidates by chance, which is the rule
// on long horizons (two or three folds of a quarter each in a year of
// history): with PriorFolds, the first candidate counts as that many folds
// of evidence before the backtest, and the weights are those of the folds
// mixed with it, F to PriorFolds, F the folds that saw at least as much
// history as they forecast. Without such a fold the first candidate is
// fitted alone.
type Auto struct {
	// Candidates are the models to choose from; on equal scores the earlier
	// one wins.
	Candidates []Model
	// Horizon is the number of steps each backtest fold forecasts. Zero means
	// one primary period (a day of sub-daily data, a week of daily data).
	Horizon int
	// Folds is the number of rolling origins, n-Horizon, n-2*Horizon, ...
	// Zero means those of interval calibration (3 to 8, more for shorter
	// histories), whose refits Forecast then takes from the backtest.
	Folds int
	// Exponent sharpens the weights: 0 means DefaultCombineExponent, a
	// negative value keeps only the best candidate (a selection, not a
	// combination).
	Exponent float64
	// PriorFolds is the evidence, counted in backtest folds, given to the
	// first candidate before the backtest (see Auto); 0 means none, the
	// backtest alone deciding.
	PriorFolds float64
}

// DefaultPriorFolds is the PriorFolds of NewAuto's default candidates.
const DefaultPriorFolds = 0.5

// CandidateScore is one candidate's result in Auto's backtest.
type CandidateScore struct {
	// Model is the candidate's name.
	Model string
	// MASE is its mean MASE over the folds; +Inf when it failed on one.
	MASE float64
	// Folds is the number of folds it was scored on.
	Folds int
}

// NewAuto returns an Auto choosing among candidates, without a prior. By
// default its candidates are multi-seasonal, the autoregression on
// multi-seasonal's deseasonalised series (SeasonalAR), Holt-Winters with a
// damped trend and seasonal naive, with multi-seasonal as the prior
// (DefaultPriorFolds); within one fit, the first two share their
// multi-seasonal fits. The trend is damped because an auto forecast may
// reach months ahead, where a straight trend runs away.
func NewAuto(candidates ...Model) *Auto {
	if len(candidates) > 0 {
		return &Auto{Candidates: candidates}
	}
	return &Auto{
		Candidates: []Model{
			NewMultiSeasonal(MultiSeasonalOptions{}),
			NewSeasonalAR(MultiSeasonalOptions{}),
			NewHoltWinters(HoltWintersOptions{Damped: true}),
			NewSeasonalNaive(0),
		},
		PriorFolds: DefaultPriorFolds,
	}
}

// Name returns "auto".
func (a *Auto) Name() string { return "auto" }

// chooses reports that Auto chooses a model at each fit.
func (a *Auto) chooses() bool { return true }

// Fit scores the candidates on y and fits their combination on all of y; if
// none of the weighted candidates fits, the others are tried one at a time,
// best first.
func (a *Auto) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	if len(a.Candidates) == 0 {
		return nil, errors.New("auto: no candidate model")
	}
	ctx = withFitCache(ctx)
	folds, err := a.backtest(ctx, y)
	if err != nil {
		return nil, err
	}
	scores := folds.scores(y, a.Candidates)
	exponent := a.Exponent
	if exponent == 0 {
		exponent = DefaultCombineExponent
	}
	weights := withPrior(combineWeights(scores, exponent), folds.qualified(), a.PriorFolds)
	if f, ok := a.fitCombination(ctx, y, weights, scores, folds); ok {
		return f, nil
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmpScore(scores[i].MASE, scores[j].MASE) })
	var lastErr error
	for _, i := range order {
		f, err := a.Candidates[i].Fit(ctx, y)
		if err == nil {
			single := make([]float64, len(scores))
			single[i] = 1
			return &AutoFit{Fit: f, chosen: a.Candidates[i], weights: single, scores: scores, folds: folds}, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		lastErr = err
	}
	return nil, fmt.Errorf("auto: no candidate fits series %q: %w", y.Name, lastErr)
}

// fitCombination fits the candidates of positive weight on y; ok is false
// when there is none or none fits.
func (a *Auto) fitCombination(ctx context.Context, y timeseries.Series, weights []float64, scores []CandidateScore, folds autoFolds) (*AutoFit, bool) {
	c := newCombination(a.Candidates, weights)
	if len(c.models) == 0 {
		return nil, false
	}
	if len(c.models) == 1 {
		f, err := c.models[0].Fit(ctx, y)
		if err != nil {
			return nil, false
		}
		return &AutoFit{Fit: f, chosen: c.models[0], weights: weights, scores: scores, folds: folds}, true
	}
	f, err := c.Fit(ctx, y)
	if err != nil {
		return nil, false
	}
	cf := f.(combinedFit)
	if len(cf.fits) < len(c.models) {
		// Some candidates failed on the whole history: the combination is
		// no longer the one scored, so its fold errors are not reused.
		weights = nil
	}
	return &AutoFit{Fit: cf, chosen: c, weights: weights, scores: scores, folds: folds}, true
}

// AutoFit is Auto's fit: the fit of the chosen candidate or of the
// combination of candidates, with the weights.
type AutoFit struct {
	Fit
	chosen  Model     // a candidate or a combination
	weights []float64 // per candidate; nil when the fold errors are not the fit's
	scores  []CandidateScore
	folds   autoFolds
}

// EventEffects returns the chosen fit's event effects, nil without a calendar.
func (f *AutoFit) EventEffects() []EventEffect {
	if r, ok := f.Fit.(effectReporter); ok {
		return r.EventEffects()
	}
	return nil
}

// reusedErrors returns the errors of the chosen candidate or combination at
// the folds of the backtest when they are the refits interval calibration
// needs for h steps of y, the series the fit was made on, sparing those
// refits.
func (f *AutoFit) reusedErrors(y timeseries.Series, h int, clamp bool) (refitErrors, bool) {
	if f.weights == nil || f.folds.h != h || !slices.Equal(f.folds.origins, calibrationOrigins(y.Len(), h)) {
		return refitErrors{}, false
	}
	var r refitErrors
	shift := relShift(y.Values)
	for k, o := range f.folds.origins {
		if fc := f.folds.combined(k, f.weights); fc != nil {
			rel, abs := foldErrors(y.Values[o:o+h], fc, clamp, shift)
			r.rel, r.abs = append(r.rel, rel), append(r.abs, abs)
		}
	}
	return r, true
}

// Choice returns the name of the chosen candidate, or of the combination:
// the names of its candidates joined by "+", heaviest first.
func (f *AutoFit) Choice() string { return f.chosen.Name() }

// Scores returns every candidate's backtest score, in candidate order.
func (f *AutoFit) Scores() []CandidateScore { return slices.Clone(f.scores) }

// Weights returns every candidate's weight in the forecast, in candidate
// order, summing to 1; nil when some weighted candidate could not be fitted
// on the whole history (the forecast then renormalises over the others).
func (f *AutoFit) Weights() []float64 { return slices.Clone(f.weights) }

// resolved returns the chosen candidate and "auto→" its name.
func (f *AutoFit) resolved() (Model, string) {
	m, name := resolve(f.chosen, f.Fit)
	return m, "auto→" + name
}

// scalePeriod is the seasonal period, in steps, that MASE scales by and
// Auto's folds span: the steps in a day for sub-daily series (24 for hourly
// data, as in M4), a week for daily series, else the strongest detected
// period, or 1.
func scalePeriod(y timeseries.Series) int {
	const day = 24 * time.Hour
	switch {
	case y.Step > 0 && y.Step < day && day%y.Step == 0:
		return int(day / y.Step)
	case y.Step == day:
		return 7
	}
	if p := DetectPeriods(y, 1); len(p) > 0 && p[0] > 1 {
		return p[0]
	}
	return 1
}
