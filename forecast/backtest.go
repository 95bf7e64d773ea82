package forecast

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Baselines are the models every backtest reports, whatever else it is asked
// for: a method has to beat them to be worth its cost. "mstl" is the
// reference multi-seasonal decomposition with an ETS trend (see MSTL).
func Baselines() []string { return []string{"snaive", "holt-winters", "mstl"} }

// EventsSuffix marks, in a backtest, a model run with the calendar's events.
const EventsSuffix = "+events"

// BacktestOptions configures Backtest.
type BacktestOptions struct {
	// Horizon is the number of steps each fold forecasts; it must be positive.
	Horizon int
	// Folds is the number of rolling origins, n-Horizon, n-2*Horizon, ...,
	// for a series of n steps; zero means 3. Ignored when Origins is set.
	Folds int
	// Origins, when set, are the instants the folds forecast from (the first
	// forecast step), such as a few days before each past event; an origin
	// whose fold does not fit in a series is skipped for that series.
	Origins []time.Time
	// Models are the models to assess besides the Baselines, by NewModel name.
	Models []string
	// Level is the coverage of the prediction intervals; zero means
	// DefaultLevel.
	Level float64
	// Events are the calendar's occurrences. With events, each of Models is
	// reported twice: as itself and, with EventsSuffix, wrapped by WithEvents.
	// Errors restricted to the steps inside event windows are reported too.
	Events []calendar.Occurrence
	// Location is the clock of the series' daily and weekly cycle, as
	// Options.Location; nil means UTC.
	Location *time.Location
	// Period is MASE's seasonal period in steps; zero means the series'
	// primary period (24 for hourly data, as in M4; 7 for daily data).
	Period int
	// Workers is the number of series assessed at once; zero means
	// GOMAXPROCS.
	Workers int
	// Progress, when not nil, is called after each series with the number
	// of series done and the total, from the goroutine that called Backtest.
	Progress func(done, total int)
}

func (o BacktestOptions) withDefaults() BacktestOptions {
	if o.Folds == 0 {
		o.Folds = 3
	}
	if o.Level == 0 {
		o.Level = DefaultLevel
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Validate reports the first invalid field of o, after defaults.
func (o BacktestOptions) Validate() error {
	o = o.withDefaults()
	switch {
	case o.Horizon < 1:
		return fmt.Errorf("%w Horizon %d: want at least one step", ErrBadOption, o.Horizon)
	case o.Folds < 1:
		return fmt.Errorf("%w Folds %d: want at least one fold", ErrBadOption, o.Folds)
	case o.Period < 0:
		return fmt.Errorf("%w Period %d: want a positive number of steps, or 0 to derive it", ErrBadOption, o.Period)
	}
	for _, m := range o.Models {
		if _, err := NewModel(m); err != nil {
			return fmt.Errorf("%w Models: %w", ErrBadOption, err)
		}
	}
	if err := validateLevel(o.Level); err != nil {
		return err
	}
	return validateEvents(o.Events)
}

// backtestRun is one model variant of a backtest.
type backtestRun struct {
	label, model string
	events       bool
}

// backtestRuns lists the variants: the baselines, then each requested model
// (once, in order) and its event-aware twin when there is a calendar.
func backtestRuns(models []string, withEvents bool) []backtestRun {
	var runs []backtestRun
	seen := map[string]bool{}
	add := func(label, model string, events bool) {
		if !seen[label] {
			seen[label] = true
			runs = append(runs, backtestRun{label: label, model: model, events: events})
		}
	}
	for _, m := range Baselines() {
		add(m, m, false)
	}
	for _, m := range models {
		add(m, m, false)
		if withEvents {
			add(m+EventsSuffix, m, true)
		}
	}
	return runs
}

// Backtest assesses the models of opts on every series by rolling origin:
// each fold fits the history before its origin and forecasts the Horizon
// steps after it. It reports, per series and model, the M4 errors (sMAPE in
// percent, MASE), the coverage of the intervals and the same restricted to
// event windows, and their means per model over the series (M4 style).
// Series are assessed in parallel; the report's order is the input's. A
// model that cannot fit a series is reported as such, not as an error; the
// error is ctx's when it is cancelled.
func Backtest(ctx context.Context, series []timeseries.Series, opts BacktestOptions) (BacktestReport, error) {
	opts = opts.withDefaults()
	if err := opts.Validate(); err != nil {
		return BacktestReport{}, err
	}
	runs := backtestRuns(opts.Models, len(opts.Events) > 0)
	results := make([][]SeriesScore, len(series))
	err := forEachSeries(ctx, len(series), opts.Workers, opts.Progress, func(ctx context.Context, i int) error {
		var err error
		results[i], err = backtestSeries(ctx, series[i], runs, opts)
		return err
	})
	if err != nil {
		return BacktestReport{}, err
	}
	rep := BacktestReport{Horizon: opts.Horizon, Folds: opts.Folds, Level: opts.Level}
	if len(opts.Origins) > 0 {
		rep.Folds = len(opts.Origins)
	}
	for _, r := range results {
		rep.Series = append(rep.Series, r...)
	}
	for _, run := range runs {
		rep.Models = append(rep.Models, summarise(run.label, rep.Series))
	}
	return rep, nil
}

// forEachSeries calls do for 0..n-1 on a pool of workers, reporting
// progress from the calling goroutine, and returns the first error.
func forEachSeries(ctx context.Context, n, workers int, progress func(done, total int), do func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs, done := make(chan int), make(chan error)
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Go(func() {
			for i := range jobs {
				done <- do(ctx, i)
			}
		})
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()
	var first error
	count := 0
	for err := range done {
		count++
		if err != nil && first == nil {
			first = err
			cancel()
		}
		if progress != nil && first == nil {
			progress(count, n)
		}
	}
	if first == nil && count < n {
		first = ctx.Err()
	}
	return first
}

// foldOrigins returns the origins of y's folds, as step indices, latest
// first when derived from Folds, in the given order otherwise.
func foldOrigins(y timeseries.Series, opts BacktestOptions) []int {
	var out []int
	if len(opts.Origins) > 0 {
		for _, t := range opts.Origins {
			if o := ceilIndex(y, t); o >= 1 && o+opts.Horizon <= y.Len() {
				out = append(out, o)
			}
		}
		return slices.Compact(out)
	}
	for k := 1; k <= opts.Folds; k++ {
		if o := y.Len() - k*opts.Horizon; o >= 1 {
			out = append(out, o)
		}
	}
	return out
}
