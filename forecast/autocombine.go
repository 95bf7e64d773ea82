package forecast

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// DefaultCombineExponent is the default of Auto.Exponent.
const DefaultCombineExponent = 8

// minCombineWeight is the smallest normalised weight a candidate keeps in
// Auto's combination; lighter ones are dropped (and not fitted), the others
// renormalised.
const minCombineWeight = 0.02

// combineWeights returns the weight of each candidate, proportional to
// (best/MASE)^exponent where best is the lowest finite MASE, normalised to
// sum 1, with weights under minCombineWeight set to zero; a non-positive
// exponent gives all the weight to the best. All are zero when no candidate
// has a finite score.
func combineWeights(scores []CandidateScore, exponent float64) []float64 {
	w := make([]float64, len(scores))
	best := -1
	for c, s := range scores {
		if !math.IsInf(s.MASE, 0) && !math.IsNaN(s.MASE) && (best < 0 || s.MASE < scores[best].MASE) {
			best = c
		}
	}
	if best < 0 {
		return w
	}
	if exponent <= 0 || scores[best].MASE <= 0 {
		w[best] = 1
		return w
	}
	for c, s := range scores {
		if !math.IsInf(s.MASE, 0) && !math.IsNaN(s.MASE) {
			w[c] = math.Pow(scores[best].MASE/s.MASE, exponent)
		}
	}
	normalise(w, minCombineWeight)
	return w
}

// withPrior mixes the backtest's weights w, from folds folds, with all the
// weight on the first candidate, counted as prior folds: w·folds/(folds +
// prior), plus prior/(folds + prior) on the first; the result normalised
// as combineWeights' is. A non-positive prior leaves w as it is.
func withPrior(w []float64, folds int, prior float64) []float64 {
	if prior <= 0 || len(w) == 0 {
		return w
	}
	f := float64(folds)
	for i := range w {
		w[i] *= f / (f + prior)
	}
	w[0] += prior / (f + prior)
	normalise(w, minCombineWeight)
	return w
}

// normalise scales w to sum 1, then zeroes the weights under floor and
// scales the rest to sum 1 again.
func normalise(w []float64, floor float64) {
	for pass := 0; pass < 2; pass++ {
		sum := 0.0
		for _, x := range w {
			sum += x
		}
		if sum <= 0 {
			return
		}
		for i := range w {
			w[i] /= sum
			if pass == 0 && w[i] < floor {
				w[i] = 0
			}
		}
	}
}

// combination is a weighted mean of models' forecasts, the model Auto
// resolves to when it keeps more than one candidate. Its Name joins the
// candidates' names with "+", heaviest first.
type combination struct {
	models  []Model
	weights []float64
}

// newCombination returns the combination of the models with a positive
// weight, heaviest first.
func newCombination(models []Model, weights []float64) combination {
	var c combination
	order := make([]int, 0, len(models))
	for i, w := range weights {
		if w > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmpScore(weights[j], weights[i]) })
	for _, i := range order {
		c.models, c.weights = append(c.models, models[i]), append(c.weights, weights[i])
	}
	return c
}

// Name returns the candidates' names joined by "+", heaviest first.
func (c combination) Name() string {
	names := make([]string, len(c.models))
	for i, m := range c.models {
		names[i] = m.Name()
	}
	return strings.Join(names, "+")
}

// Fit fits every model concurrently, sharing their common work (see
// fitCache); a model that fails is left out and the others' weights
// renormalised. It fails only when none fits.
func (c combination) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	ctx = withFitCache(ctx)
	fits, errs := make([]Fit, len(c.models)), make([]error, len(c.models))
	var wg sync.WaitGroup
	for i, m := range c.models {
		wg.Go(func() { fits[i], errs[i] = m.Fit(ctx, y) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out combinedFit
	for i, f := range fits {
		if errs[i] == nil {
			out.fits, out.weights = append(out.fits, f), append(out.weights, c.weights[i])
		}
	}
	if len(out.fits) == 0 {
		return nil, fmt.Errorf("fitting %s to %q: %w", c.Name(), y.Name, errs[0])
	}
	normalise(out.weights, 0)
	return out, nil
}

// combinedFit is a fitted combination.
type combinedFit struct {
	fits    []Fit
	weights []float64 // summing to 1
}

// Forecast returns the weighted mean of the fits' forecasts.
func (f combinedFit) Forecast(h int) []float64 {
	fcs := make([][]float64, len(f.fits))
	for i, fit := range f.fits {
		fcs[i] = fit.Forecast(h)
	}
	return weightedMean(fcs, f.weights, h)
}

// InSample returns the weighted mean of the fits' in-sample values, over
// those that have one at each step.
func (f combinedFit) InSample() []float64 {
	ins := make([][]float64, len(f.fits))
	n := 0
	for i, fit := range f.fits {
		ins[i] = fit.InSample()
		n = max(n, len(ins[i]))
	}
	return weightedMean(ins, f.weights, n)
}

// weightedMean returns, for each of n steps, the mean of the non-NaN values
// of xs (nil or short ones count as missing) weighted by w, NaN where none
// has one.
func weightedMean(xs [][]float64, w []float64, n int) []float64 {
	out := make([]float64, n)
	for k := range out {
		sum, tot := 0.0, 0.0
		for i, x := range xs {
			if k < len(x) && !math.IsNaN(x[k]) && w[i] > 0 {
				sum, tot = sum+w[i]*x[k], tot+w[i]
			}
		}
		out[k] = math.NaN()
		if tot > 0 {
			out[k] = sum / tot
		}
	}
	return out
}
