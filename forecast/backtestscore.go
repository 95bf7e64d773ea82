package forecast

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// BacktestReport is the result of Backtest.
type BacktestReport struct {
	// Horizon is the number of steps per fold; Folds the folds per series
	// (at most: a short series may have fewer); Level the intervals' coverage.
	Horizon, Folds int
	Level          float64
	// Models summarises each model variant over the series, baselines first.
	Models []ModelSummary
	// Series holds one score per series and model variant, by series in
	// input order, then in the order of Models.
	Series []SeriesScore
}

// Scores are forecast errors over a set of steps; NaN when there is none.
type Scores struct {
	// SMAPE is the symmetric mean absolute percentage error, in percent (M4).
	SMAPE float64
	// MASE is the mean absolute error scaled by the in-sample error of the
	// seasonal naive forecast of the training part (M4).
	MASE float64
	// Coverage is the fraction of actual values inside the intervals, in [0, 1].
	Coverage float64
}

func nanScores() Scores { return Scores{math.NaN(), math.NaN(), math.NaN()} }

// SeriesScore is one model variant's backtest of one series.
type SeriesScore struct {
	// Series and Model name the series and the model variant.
	Series, Model string
	// Resolved is the model of the last fold, such as "auto→mseasonal".
	Resolved string
	// Folds is the number of folds scored.
	Folds int
	// Scores are the mean errors over the folds, each fold weighted by its
	// observed steps.
	Scores
	// EventSteps is the number of forecast steps inside event windows, over
	// all folds; Event their errors (NaN when EventSteps is zero).
	EventSteps int
	Event      Scores
	// OutsideSteps is the number of forecast steps outside every event
	// window, over all folds; Outside their errors (NaN when OutsideSteps
	// is zero). Without events every step is outside.
	OutsideSteps int
	Outside      Scores
	// FitTime is the mean wall time per fold to fit, forecast and calibrate
	// the intervals.
	FitTime time.Duration
	// Err says why the series could not be scored, empty when it was.
	Err string
}

// ModelSummary is one model variant's backtest over all series.
type ModelSummary struct {
	// Model names the variant.
	Model string
	// Series is the number of series scored; Failed the number not scored.
	Series, Failed int
	// Scores are the means of the series' scores (finite ones only).
	Scores
	// EventSeries is the number of series with steps inside event windows;
	// Event the means of their event-window scores.
	EventSeries int
	Event       Scores
	// OutsideSeries is the number of series with steps outside the event
	// windows; Outside the means of their scores there.
	OutsideSeries int
	Outside       Scores
	// FitTime is the mean of the series' FitTime.
	FitTime time.Duration
}

// backtestSeries scores every run on y.
func backtestSeries(ctx context.Context, y timeseries.Series, runs []backtestRun, opts BacktestOptions) ([]SeriesScore, error) {
	origins := foldOrigins(y, opts)
	m := opts.Period
	if m == 0 {
		m = scalePeriod(y)
	}
	spans := eventSpans(y.Start, y.Step, opts.Events)
	out := make([]SeriesScore, len(runs))
	for r, run := range runs {
		out[r] = SeriesScore{Series: y.Name, Model: run.label, Scores: nanScores(), Event: nanScores(), Outside: nanScores()}
		if len(origins) == 0 {
			out[r].Err = fmt.Sprintf("history of %d steps too short for a fold of %d", y.Len(), opts.Horizon)
			continue
		}
		if err := scoreRun(ctx, y, run, origins, m, spans, opts, &out[r]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scoreRun scores one run over the folds at origins into s; it returns only
// ctx's error, recording the model's own failures in s.
func scoreRun(ctx context.Context, y timeseries.Series, run backtestRun, origins []int, m int, spans []eventSpan, opts BacktestOptions, s *SeriesScore) error {
	var all, ev, out scoreSum
	var elapsed time.Duration
	for _, o := range origins {
		model, err := modelFor(run.model, opts.Horizon)
		if err != nil {
			return err
		}
		events := opts.Events
		if !run.events {
			events = nil
		}
		train, test := y.Slice(0, o), y.Values[o:o+opts.Horizon]
		start := time.Now()
		p, err := predictIn(ctx, model, train, opts.Horizon, opts.Level, events, opts.Location)
		elapsed += time.Since(start)
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			s.Err = err.Error()
			return nil
		}
		s.Resolved = p.model
		all.add(train.Values, test, p, nil, m)
		inside := inAnyWindow(spans, o, opts.Horizon)
		ev.add(train.Values, test, p, inside, m)
		outside := make([]bool, len(inside))
		for i, in := range inside {
			outside[i] = !in
		}
		out.add(train.Values, test, p, outside, m)
	}
	s.Folds = len(origins)
	s.FitTime = elapsed / time.Duration(len(origins))
	s.Scores = all.mean()
	s.EventSteps, s.Event = ev.steps, ev.mean()
	s.OutsideSteps, s.Outside = out.steps, out.mean()
	return nil
}

// scoreSum accumulates fold scores, each weighted by its number of steps.
type scoreSum struct {
	smape, mase, cover weighted
	steps              int
}

type weighted struct{ sum, w float64 }

func (a *weighted) add(v float64, w int) {
	if !math.IsNaN(v) && !math.IsInf(v, 0) && w > 0 {
		a.sum, a.w = a.sum+v*float64(w), a.w+float64(w)
	}
}

func (a weighted) mean() float64 {
	if a.w == 0 {
		return math.NaN()
	}
	return a.sum / a.w
}

// add scores the steps of one fold selected by keep (all when nil).
func (s *scoreSum) add(history, actual []float64, p prediction, keep []bool, m int) {
	a, f, lo, hi := actual, p.point, p.lower, p.upper
	if keep != nil {
		a, f, lo, hi = nil, nil, nil, nil
		for i, k := range keep {
			if k {
				a, f = append(a, actual[i]), append(f, p.point[i])
				lo, hi = append(lo, p.lower[i]), append(hi, p.upper[i])
			}
		}
	}
	n := 0
	for _, v := range a {
		if !math.IsNaN(v) {
			n++
		}
	}
	if n == 0 {
		return
	}
	s.steps += n
	s.smape.add(SMAPE(a, f), n)
	s.mase.add(MASE(history, a, f, m), n)
	s.cover.add(Coverage(a, lo, hi), n)
}

func (s scoreSum) mean() Scores {
	return Scores{SMAPE: s.smape.mean(), MASE: s.mase.mean(), Coverage: s.cover.mean()}
}

// summarise averages the scores of model over the series that have them.
func summarise(model string, series []SeriesScore) ModelSummary {
	sum := ModelSummary{Model: model}
	var all, ev, out [3]weighted
	var fit time.Duration
	for _, s := range series {
		if s.Model != model {
			continue
		}
		if s.Err != "" {
			sum.Failed++
			continue
		}
		sum.Series++
		fit += s.FitTime
		all[0].add(s.SMAPE, 1)
		all[1].add(s.MASE, 1)
		all[2].add(s.Coverage, 1)
		if s.EventSteps > 0 {
			sum.EventSeries++
			ev[0].add(s.Event.SMAPE, 1)
			ev[1].add(s.Event.MASE, 1)
			ev[2].add(s.Event.Coverage, 1)
		}
		if s.OutsideSteps > 0 {
			sum.OutsideSeries++
			out[0].add(s.Outside.SMAPE, 1)
			out[1].add(s.Outside.MASE, 1)
			out[2].add(s.Outside.Coverage, 1)
		}
	}
	sum.Scores = Scores{all[0].mean(), all[1].mean(), all[2].mean()}
	sum.Event = Scores{ev[0].mean(), ev[1].mean(), ev[2].mean()}
	sum.Outside = Scores{out[0].mean(), out[1].mean(), out[2].mean()}
	if sum.Series > 0 {
		sum.FitTime = fit / time.Duration(sum.Series)
	}
	return sum
}
