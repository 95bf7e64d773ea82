package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// backtestFlags are the flags of prescale backtest.
type backtestFlags struct {
	trace    traceFlags
	horizon  string
	folds    int
	models   []string
	origins  []string
	level    float64
	period   int
	output   string
	progress bool
	timeZone string
}

func newBacktestCommand() *cobra.Command {
	var f backtestFlags
	cmd := &cobra.Command{
		Use:   "backtest --trace FILE --horizon H",
		Short: "Measure forecast accuracy by rolling origin against seasonal-naive and Holt-Winters baselines",
		Long: `backtest cuts each series of a trace at a few origins before its end, fits
each model to the history before the origin and scores its forecast of the
horizon after it: sMAPE and MASE as in the M4 competition, and the coverage of
the prediction intervals. The baselines snaive and holt-winters are always
included. With --calendar, every requested model is also run with the events
("+events") and the errors inside event windows are reported separately.`,
		Example: `  prescale backtest --trace datasets/m4_hourly/Hourly-train.csv.gz --format m4 \
      --start 2000-01-01 --step 1h --horizon 48 --folds 1 --models mseasonal --output markdown
  prescale backtest --trace datasets/wikipedia_pageviews/example_wp_log_peyton_manning.csv \
      --time-col ds --value-col y --calendar datasets/calendars/wikipedia-peyton-manning.yaml \
      --horizon 21d --origins 2014-01-01,2015-01-01 --models mseasonal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBacktest(cmd, &f) },
	}
	fs := cmd.Flags()
	f.trace.register(fs)
	fs.StringVar(&f.horizon, "horizon", "", "steps each fold forecasts: a duration (48h, 7d) or a number of steps")
	fs.IntVar(&f.folds, "folds", 3, "rolling origins per series, each one horizon before the previous")
	fs.StringSliceVar(&f.models, "models", []string{"auto"}, "models to assess besides the baselines: "+strings.Join(forecast.ModelNames(), ", "))
	fs.StringSliceVar(&f.origins, "origins", nil, "explicit fold origins (first forecast instants, comma-separated) instead of --folds")
	fs.Float64Var(&f.level, "level", forecast.DefaultLevel, "coverage of the prediction intervals, between 0 and 1")
	fs.IntVar(&f.period, "period", 0, "seasonal period of MASE in steps (default: a day of sub-daily data, a week of daily data)")
	fs.StringVar(&f.output, "output", "table", "output format: table, markdown or json")
	fs.BoolVar(&f.progress, "progress", false, "show a progress bar on stderr (default: when stderr is a terminal)")
	fs.StringVar(&f.timeZone, "time-zone", "UTC", timeZoneUsage)
	return cmd
}

// validate checks the flags that need no data.
func (f *backtestFlags) validate() error {
	if f.horizon == "" {
		return errors.New("--horizon: required: give a duration such as 48h or a number of steps")
	}
	if f.folds < 1 {
		return fmt.Errorf("--folds: %d: use at least 1", f.folds)
	}
	if _, err := timeZoneFlag("--time-zone", f.timeZone); err != nil {
		return err
	}
	for _, m := range f.models {
		if _, err := forecast.NewModel(m); err != nil {
			return fmt.Errorf("--models: %q is not a model: use some of %s", m, strings.Join(forecast.ModelNames(), ", "))
		}
	}
	if !(f.level > 0 && f.level < 1) {
		return fmt.Errorf("--level: %v is not a coverage: use a value between 0 and 1, such as 0.9", f.level)
	}
	if f.period < 0 {
		return fmt.Errorf("--period: %d: use a positive number of steps, or 0 for the default", f.period)
	}
	switch f.output {
	case "table", "markdown", "json":
		return nil
	}
	return fmt.Errorf("--output: unknown format %q: use table, markdown or json", f.output)
}

func runBacktest(cmd *cobra.Command, f *backtestFlags) error {
	if err := f.validate(); err != nil {
		return err
	}
	series, err := f.trace.read(cmd.Context())
	if err != nil {
		return err
	}
	opts, err := f.backtestOptions(series)
	if err != nil {
		return err
	}
	if wantProgress(cmd, f.progress) {
		bar := progressbar.NewOptions(len(series), progressbar.OptionSetWriter(cmd.ErrOrStderr()),
			progressbar.OptionSetDescription("backtest"), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("series"), progressbar.OptionClearOnFinish())
		opts.Progress = func(done, _ int) { _ = bar.Set(done) }
		defer bar.Finish()
	}
	rep, err := forecast.Backtest(cmd.Context(), series, opts)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	switch f.output {
	case "json":
		return writeBacktestJSON(w, rep)
	case "markdown":
		return writeBacktestMarkdown(w, rep)
	}
	return writeBacktestTable(w, rep)
}

// backtestOptions builds the domain options from the flags and the data.
func (f *backtestFlags) backtestOptions(series []timeseries.Series) (forecast.BacktestOptions, error) {
	horizons, err := horizonSteps(f.horizon, series)
	if err != nil {
		return forecast.BacktestOptions{}, err
	}
	if slices.Min(horizons) != slices.Max(horizons) {
		return forecast.BacktestOptions{}, errors.New("--horizon: the series have different steps: give a number of steps, or --resample them to one step")
	}
	events, err := f.trace.events(series, horizons)
	if err != nil {
		return forecast.BacktestOptions{}, err
	}
	zone, _ := timeZoneFlag("--time-zone", f.timeZone) // checked by validate
	opts := forecast.BacktestOptions{
		Horizon: horizons[0], Folds: f.folds, Models: f.models, Level: f.level,
		Events: events, Period: f.period, Location: zone,
	}
	loc, _ := time.LoadLocation(f.trace.tz) // checked when reading the trace
	for _, s := range f.origins {
		t, err := timeseries.ParseTime(s, loc)
		if err != nil {
			return opts, fmt.Errorf("--origins: %q: %w", s, err)
		}
		opts.Origins = append(opts.Origins, t)
	}
	return opts, nil
}

type backtestJSON struct {
	Horizon int                `json:"horizon"`
	Folds   int                `json:"folds"`
	Level   float64            `json:"level"`
	Models  []modelSummaryJSON `json:"models"`
	Series  []seriesScoreJSON  `json:"series"`
}

type scoresJSON struct {
	SMAPE    scoreNumber `json:"smape"`
	MASE     scoreNumber `json:"mase"`
	Coverage scoreNumber `json:"coverage"`
}

// scoreNumber is an accuracy score, encoded at full precision (so that a
// reader rounding it gets what the table prints) or null when not finite.
type scoreNumber float64

// MarshalJSON encodes n as a number, or null when it is not finite.
func (n scoreNumber) MarshalJSON() ([]byte, error) {
	v := float64(n)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

type modelSummaryJSON struct {
	Model       string     `json:"model"`
	Series      int        `json:"series"`
	Failed      int        `json:"failed"`
	Scores      scoresJSON `json:"scores"`
	EventSeries int        `json:"eventSeries"`
	Event       scoresJSON `json:"event"`
	// OutsideSeries and Outside score the steps outside every event
	// window (all steps without a calendar).
	OutsideSeries int        `json:"outsideSeries"`
	Outside       scoresJSON `json:"outside"`
	FitSeconds    jsonNumber `json:"fitSecondsPerFold"`
}

type seriesScoreJSON struct {
	Series       string     `json:"series"`
	Model        string     `json:"model"`
	Resolved     string     `json:"resolved,omitempty"`
	Folds        int        `json:"folds"`
	Scores       scoresJSON `json:"scores"`
	EventSteps   int        `json:"eventSteps"`
	Event        scoresJSON `json:"event"`
	OutsideSteps int        `json:"outsideSteps"`
	Outside      scoresJSON `json:"outside"`
	FitSeconds   jsonNumber `json:"fitSecondsPerFold"`
	Error        string     `json:"error,omitempty"`
}

func scoresOf(s forecast.Scores) scoresJSON {
	return scoresJSON{scoreNumber(s.SMAPE), scoreNumber(s.MASE), scoreNumber(s.Coverage)}
}

func writeBacktestJSON(w io.Writer, rep forecast.BacktestReport) error {
	out := backtestJSON{Horizon: rep.Horizon, Folds: rep.Folds, Level: rep.Level}
	for _, m := range rep.Models {
		out.Models = append(out.Models, modelSummaryJSON{
			Model: m.Model, Series: m.Series, Failed: m.Failed, Scores: scoresOf(m.Scores),
			EventSeries: m.EventSeries, Event: scoresOf(m.Event), OutsideSeries: m.OutsideSeries, Outside: scoresOf(m.Outside),
			FitSeconds: jsonNumber(m.FitTime.Seconds()),
		})
	}
	for _, s := range rep.Series {
		out.Series = append(out.Series, seriesScoreJSON{
			Series: s.Series, Model: s.Model, Resolved: s.Resolved, Folds: s.Folds, Scores: scoresOf(s.Scores),
			EventSteps: s.EventSteps, Event: scoresOf(s.Event), OutsideSteps: s.OutsideSteps, Outside: scoresOf(s.Outside),
			FitSeconds: jsonNumber(s.FitTime.Seconds()), Error: s.Err,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// summaryRows returns the header and one row per model of the summary;
// the columns outside the event windows only when a series has steps
// inside them (without, they repeat the first columns).
func summaryRows(rep forecast.BacktestReport) [][]string {
	events := slices.ContainsFunc(rep.Models, func(m forecast.ModelSummary) bool { return m.EventSeries > 0 })
	head := []string{"model", "series", "failed", "sMAPE %", "MASE", "coverage", "event sMAPE %", "event MASE", "event coverage"}
	if events {
		head = append(head, "outside sMAPE %", "outside MASE")
	}
	rows := [][]string{append(head, "fit ms/fold")}
	for _, m := range rep.Models {
		row := []string{m.Model, fmt.Sprint(m.Series), fmt.Sprint(m.Failed),
			fixed(m.SMAPE, 3), fixed(m.MASE, 3), fixed(m.Coverage, 3),
			fixed(m.Event.SMAPE, 3), fixed(m.Event.MASE, 3), fixed(m.Event.Coverage, 3)}
		if events {
			row = append(row, fixed(m.Outside.SMAPE, 3), fixed(m.Outside.MASE, 3))
		}
		rows = append(rows, append(row, fixed(float64(m.FitTime.Microseconds())/1000, 1)))
	}
	return rows
}

// fixed formats v with prec decimals, "-" when it is not finite.
func fixed(v float64, prec int) string {
	if number(v) == "" {
		return "-"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

func backtestTitle(rep forecast.BacktestReport) string {
	return fmt.Sprintf("backtest: horizon %d steps, %d folds, %g%% intervals", rep.Horizon, rep.Folds, 100*rep.Level)
}

func writeBacktestTable(w io.Writer, rep forecast.BacktestReport) error {
	fmt.Fprintln(w, backtestTitle(rep))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range summaryRows(rep) {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

func writeBacktestMarkdown(w io.Writer, rep forecast.BacktestReport) error {
	rows := summaryRows(rep)
	fmt.Fprintf(w, "%s\n\n", backtestTitle(rep))
	fmt.Fprintf(w, "| %s |\n", strings.Join(rows[0], " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(rows[0])))
	for _, row := range rows[1:] {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	_, err := fmt.Fprintln(w)
	return err
}
