package cli

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/prescale-dev/prescale/forecast"
)

// forecastFlags are the flags of prescale forecast.
type forecastFlags struct {
	trace    traceFlags
	horizon  string
	model    string
	level    float64
	output   string
	timeZone string
}

func newForecastCommand() *cobra.Command {
	var f forecastFlags
	cmd := &cobra.Command{
		Use:   "forecast --trace FILE --horizon H",
		Short: "Forecast a trace, with prediction intervals and the effect of known events",
		Long: `forecast fits a model to each series of a trace and forecasts the horizon
that follows it, with prediction intervals calibrated on the history's own
errors. With --calendar, the effect of each event type is learned from its
past occurrences (or taken from the calendar's uplift when there is none) and
applied to the occurrences in the horizon.

The csv output has the columns series,timestamp,value,lower,upper, timestamps
in RFC 3339 UTC.`,
		Example: `  prescale forecast --trace requests.csv --horizon 48h
  prescale forecast --trace datasets/wikipedia_pageviews/example_wp_log_peyton_manning.csv \
      --time-col ds --value-col y --calendar datasets/calendars/wikipedia-peyton-manning.yaml \
      --horizon 30d --output table
  prescale forecast --trace datasets/nasa_http_1995/nasa_requests_per_minute_edt.csv.gz \
      --time-col minute_start_edt --value-col count --tz America/New_York \
      --resample 5m --resample-agg sum --calendar datasets/calendars/nasa-1995.yaml \
      --horizon 288 --model mseasonal --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runForecast(cmd, &f) },
	}
	f.trace.register(cmd.Flags())
	cmd.Flags().StringVar(&f.horizon, "horizon", "", "how far to forecast: a duration (48h, 7d) or a number of steps")
	cmd.Flags().StringVar(&f.model, "model", "auto", "model: "+strings.Join(forecast.ModelNames(), ", "))
	cmd.Flags().Float64Var(&f.level, "level", forecast.DefaultLevel, "coverage of the prediction intervals, between 0 and 1")
	cmd.Flags().StringVar(&f.output, "output", "csv", "output format: csv, json or table")
	cmd.Flags().StringVar(&f.timeZone, "time-zone", "UTC", timeZoneUsage)
	return cmd
}

// validate checks the flags that need no data.
func (f *forecastFlags) validate() error {
	if f.horizon == "" {
		return errors.New("--horizon: required: give a duration such as 48h or a number of steps")
	}
	if _, err := forecast.NewModel(f.model); err != nil {
		return fmt.Errorf("--model: %q is not a model: use one of %s", f.model, strings.Join(forecast.ModelNames(), ", "))
	}
	if !(f.level > 0 && f.level < 1) {
		return fmt.Errorf("--level: %v is not a coverage: use a value between 0 and 1, such as 0.9", f.level)
	}
	if _, err := timeZoneFlag("--time-zone", f.timeZone); err != nil {
		return err
	}
	switch f.output {
	case "csv", "json", "table":
		return nil
	}
	return fmt.Errorf("--output: unknown format %q: use csv, json or table", f.output)
}

func runForecast(cmd *cobra.Command, f *forecastFlags) error {
	if err := f.validate(); err != nil {
		return err
	}
	series, err := f.trace.read(cmd.Context())
	if err != nil {
		return err
	}
	horizons, err := horizonSteps(f.horizon, series)
	if err != nil {
		return err
	}
	events, err := f.trace.events(series, horizons)
	if err != nil {
		return err
	}
	loc, _ := timeZoneFlag("--time-zone", f.timeZone) // checked by validate
	opts := forecast.Options{Model: f.model, Level: f.level, Events: events, Location: loc}
	results, err := forecast.ForecastMany(cmd.Context(), series, horizons, opts, 0)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	switch f.output {
	case "json":
		return writeForecastJSON(w, results)
	case "table":
		return writeForecastTable(w, results)
	}
	return writeForecastCSV(w, results)
}

// writeForecastCSV writes the columns series,timestamp,value,lower,upper;
// a missing value is an empty cell.
func writeForecastCSV(w io.Writer, results []forecast.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"series", "timestamp", "value", "lower", "upper"}); err != nil {
		return err
	}
	for _, r := range results {
		for i := range r.Point {
			row := []string{r.Series, stamp(r.Time(i)), number(r.Point[i]), number(r.Lower[i]), number(r.Upper[i])}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// stamp formats t in RFC 3339, UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// number formats v with at most four decimals, "" for NaN.
func number(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// jsonNumber is a float that encodes NaN as null, rounded like number.
type jsonNumber float64

// MarshalJSON encodes n as a number, or null when it is not finite.
func (n jsonNumber) MarshalJSON() ([]byte, error) {
	if s := number(float64(n)); s != "" {
		return []byte(s), nil
	}
	return []byte("null"), nil
}

type forecastJSON struct {
	Series      string            `json:"series"`
	Model       string            `json:"model"`
	Calendar    bool              `json:"calendar"`
	Level       float64           `json:"level"`
	Step        string            `json:"step"`
	Calibration calibrationJSON   `json:"calibration"`
	Events      []eventEffectJSON `json:"events,omitempty"`
	Points      []pointJSON       `json:"points"`
}

type calibrationJSON struct {
	Method   string `json:"method"`
	Refits   int    `json:"refits"`
	Relative bool   `json:"relative"`
	Note     string `json:"note,omitempty"`
}

type eventEffectJSON struct {
	Type        string     `json:"type"`
	Source      string     `json:"source"`
	Occurrences int        `json:"occurrences"`
	Mode        string     `json:"mode"`
	MeanUplift  jsonNumber `json:"meanUplift"`
	Weight      jsonNumber `json:"weight"`
}

type pointJSON struct {
	Timestamp string     `json:"timestamp"`
	Value     jsonNumber `json:"value"`
	Lower     jsonNumber `json:"lower"`
	Upper     jsonNumber `json:"upper"`
}

func writeForecastJSON(w io.Writer, results []forecast.Result) error {
	out := make([]forecastJSON, 0, len(results))
	for _, r := range results {
		c := r.Calibration
		j := forecastJSON{
			Series: r.Series, Model: r.Model, Calendar: r.Calendar, Level: r.Level, Step: r.Step.String(),
			Calibration: calibrationJSON{Method: c.Method, Refits: c.Refits, Relative: c.Relative, Note: c.Note},
		}
		for _, e := range r.Events {
			j.Events = append(j.Events, eventEffectJSON{
				Type: e.Type, Source: string(e.Source), Occurrences: e.Occurrences, Mode: string(e.Mode),
				MeanUplift: jsonNumber(e.MeanUplift), Weight: jsonNumber(e.Weight),
			})
		}
		for i := range r.Point {
			j.Points = append(j.Points, pointJSON{stamp(r.Time(i)), jsonNumber(r.Point[i]), jsonNumber(r.Lower[i]), jsonNumber(r.Upper[i])})
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeForecastTable(w io.Writer, results []forecast.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for k, r := range results {
		if k > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "series %s: model %s, %s\n", r.Series, r.Model, describeCalibration(r))
		for _, e := range r.Events {
			fmt.Fprintf(tw, "  event %s: %s\n", e.Type, describeEffect(e))
		}
		fmt.Fprintf(tw, "timestamp\tvalue\tlower\tupper\t\n")
		for i := range r.Point {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", stamp(r.Time(i)), number(r.Point[i]), number(r.Lower[i]), number(r.Upper[i]))
		}
	}
	return tw.Flush()
}

func describeCalibration(r forecast.Result) string {
	c := r.Calibration
	s := fmt.Sprintf("%g%% intervals by %s", 100*r.Level, c.Method)
	if c.Refits > 0 {
		s += fmt.Sprintf(" (%d refits)", c.Refits)
	}
	if c.Note != "" {
		s += ": " + c.Note
	}
	return s
}

func describeEffect(e forecast.EventEffect) string {
	switch e.Source {
	case forecast.SourceLearned:
		if e.Mode == forecast.EffectRatio {
			return fmt.Sprintf("x%s learned from %d %s (weight %s)", number(e.MeanUplift), e.Occurrences,
				plural(e.Occurrences, "occurrence", "occurrences"), number(e.Weight))
		}
		return fmt.Sprintf("%+.4g learned from %d %s (weight %s)", e.MeanUplift, e.Occurrences,
			plural(e.Occurrences, "occurrence", "occurrences"), number(e.Weight))
	case forecast.SourceBusiness:
		return fmt.Sprintf("x%s from the calendar's uplift (no past occurrence)", number(e.MeanUplift))
	}
	return "no effect (no past occurrence, no uplift in the calendar)"
}
