package forecast

import (
	"context"
	"math"
	"sync"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// autoFolds holds the forecasts of Auto's backtest: forecasts[c][k] is
// candidate c's forecast of the h steps from origins[k], nil where it could
// not fit.
type autoFolds struct {
	h         int
	origins   []int
	forecasts [][][]float64
}

// origins returns the origins of the backtest of h-step folds in n steps,
// latest first. A fold whose history is shorter than its horizon is left
// out (but the latest is always kept): a model forecasting further than
// the history it saw says little of its fit on all of it, and on a long
// horizon such a fold (six days of history for ninety ahead) ranked the
// candidates by how they extrapolate from almost nothing.
func (a *Auto) origins(n, h int) []int {
	var out []int
	if a.Folds <= 0 {
		out = calibrationOrigins(n, h)
	} else {
		for o := n - h; o >= 1 && len(out) < a.Folds; o -= h {
			out = append(out, o)
		}
	}
	for len(out) > 1 && out[len(out)-1] < h {
		out = out[:len(out)-1]
	}
	return out
}

// qualified returns the number of folds whose history is at least as long
// as their horizon: the evidence the backtest gives (see Auto.origins).
func (f autoFolds) qualified() int {
	n := 0
	for _, o := range f.origins {
		if o >= f.h {
			n++
		}
	}
	return n
}

// backtest fits every candidate at every origin of y, concurrently.
func (a *Auto) backtest(ctx context.Context, y timeseries.Series) (autoFolds, error) {
	h := a.Horizon
	if h <= 0 {
		h = scalePeriod(y)
	}
	f := autoFolds{h: h, origins: a.origins(y.Len(), h), forecasts: make([][][]float64, len(a.Candidates))}
	var wg sync.WaitGroup
	for c, model := range a.Candidates {
		f.forecasts[c] = make([][]float64, len(f.origins))
		for k, o := range f.origins {
			wg.Go(func() {
				if fit, err := model.Fit(ctx, y.Slice(0, o)); err == nil {
					f.forecasts[c][k] = fit.Forecast(h)
				}
			})
		}
	}
	wg.Wait()
	return f, ctx.Err()
}

// combined returns the weighted mean of the candidates' forecasts at fold
// k, over those that fitted there; nil when none of weight did.
func (f autoFolds) combined(k int, weights []float64) []float64 {
	var fcs [][]float64
	var ws []float64
	for c, w := range weights {
		if fc := f.forecasts[c][k]; w > 0 && fc != nil {
			fcs, ws = append(fcs, fc), append(ws, w)
		}
	}
	if len(fcs) == 0 {
		return nil
	}
	return weightedMean(fcs, ws, f.h)
}

// scores returns each candidate's mean MASE over the folds of y. In a fold
// where some candidate fits, a candidate that does not scores +Inf; a
// candidate scored on no fold scores +Inf too.
func (f autoFolds) scores(y timeseries.Series, candidates []Model) []CandidateScore {
	m := scalePeriod(y)
	scores := make([]CandidateScore, len(candidates))
	for c, model := range candidates {
		scores[c].Model = model.Name()
	}
	for k, o := range f.origins {
		fitted := 0
		for c := range candidates {
			if f.forecasts[c][k] != nil {
				fitted++
			}
		}
		if fitted == 0 {
			continue
		}
		history, actual := y.Values[:o], y.Values[o:o+f.h]
		for c := range candidates {
			if fc := f.forecasts[c][k]; fc != nil {
				scores[c].MASE += foldMASE(history, actual, fc, m)
				scores[c].Folds++
			} else {
				scores[c].MASE = math.Inf(1)
			}
		}
	}
	for c := range scores {
		if scores[c].Folds > 0 && !math.IsInf(scores[c].MASE, 1) {
			scores[c].MASE /= float64(scores[c].Folds)
		} else {
			scores[c].MASE = math.Inf(1)
		}
	}
	return scores
}

// foldMASE is the MASE of forecast, or its mean absolute error when the
// history gives MASE no scale (a constant series), which ranks the candidates
// of one fold alike. It is +Inf when nothing could be scored.
func foldMASE(history, actual, forecast []float64, m int) float64 {
	if len(forecast) != len(actual) {
		return math.Inf(1)
	}
	if v := MASE(history, actual, forecast, m); !math.IsNaN(v) && !math.IsInf(v, 0) {
		return v
	}
	sum, n := 0.0, 0
	for i := range actual {
		if d := math.Abs(actual[i] - forecast[i]); !math.IsNaN(d) {
			sum, n = sum+d, n+1
		}
	}
	if n == 0 {
		return math.Inf(1)
	}
	return sum / float64(n)
}

// cmpScore orders scores ascending, NaN last.
func cmpScore(a, b float64) int {
	switch {
	case a < b || math.IsNaN(b) && !math.IsNaN(a):
		return -1
	case b < a || math.IsNaN(a) && !math.IsNaN(b):
		return 1
	}
	return 0
}
