package cli

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/datasets"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// traceFlags are the flags that say where a trace is and how to read it,
// shared by the verbs that read one.
type traceFlags struct {
	path, format                 string
	timeCol, valueCol, seriesCol string
	tz, start, step, aggregate   string
	resample, resampleAgg        string
	calendar                     string
	limits                       timeseries.Limits
	prom                         promFlags

	fs *pflag.FlagSet // the flags as parsed, to tell given flags from defaults
}

// The embedded default: the NASA Kennedy Space Center per-minute trace and
// the calendar of its known events (datasets/README.md), read when --trace
// is not given.
const (
	defaultTracePath    = "nasa_http_1995/nasa_requests_per_minute_edt.csv.gz"
	defaultCalendarPath = "calendars/nasa-1995.yaml"
)

// readFlags are the flags that describe how to read a --trace file; giving
// one without --trace is a mistake, not a request for the default.
var readFlags = []string{"format", "time-col", "value-col", "series-col", "tz", "start", "step", "aggregate"}

// register adds the trace flags, and --calendar, to fs.
func (f *traceFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.path, "trace", "", "trace file to read (.gz files are decompressed); none: the bundled NASA trace and its calendar")
	fs.StringVar(&f.format, "format", "csv", "trace format: csv, lines (one value per line) or m4 (one series per row)")
	fs.StringVar(&f.timeCol, "time-col", timeseries.DefaultTimeCol, "csv column holding the timestamps")
	fs.StringVar(&f.valueCol, "value-col", timeseries.DefaultValueCol, "csv column holding the values")
	fs.StringVar(&f.seriesCol, "series-col", "", "csv column telling many series apart (one forecast each)")
	fs.StringVar(&f.tz, "tz", "UTC", "IANA time zone of csv timestamps without an offset, such as Europe/Paris")
	fs.StringVar(&f.start, "start", "", "instant of the first value, for the lines and m4 formats (RFC 3339 or YYYY-MM-DD[ HH:MM])")
	fs.StringVar(&f.step, "step", "", "grid step, such as 1m, 1h or 1d (inferred for csv when empty)")
	fs.StringVar(&f.aggregate, "aggregate", "", "how to combine csv rows falling in one step: sum, mean, max, min or last")
	fs.StringVar(&f.resample, "resample", "", "coarser step to resample the trace to, such as 5m or 1h")
	fs.StringVar(&f.resampleAgg, "resample-agg", "", "with --resample: sum for counts (requests), mean for gauges (CPU, replicas)")
	fs.StringVar(&f.calendar, "calendar", "", "calendar of known events (.yaml or .ics) whose effects to learn and apply")
	fs.Int64Var(&f.limits.MaxBytes, "max-trace-bytes", timeseries.DefaultMaxBytes, "most bytes read from the trace, after decompression")
	fs.IntVar(&f.limits.MaxLineBytes, "max-trace-line-bytes", timeseries.DefaultMaxLineBytes, "longest csv or m4 row, or lines value, in bytes")
	fs.Int64Var(&f.limits.MaxRows, "max-trace-rows", timeseries.DefaultMaxRows, "most observations read: csv rows, lines or m4 values")
	f.prom.register(fs)
	f.fs = fs
}

// useDefault reports whether to read the embedded default trace: no
// --trace and none of the flags that describe one.
func (f *traceFlags) useDefault() (bool, error) {
	if err := f.checkSource(); err != nil {
		return false, err
	}
	if f.path != "" || f.prom.address != "" {
		return false, nil
	}
	for _, name := range readFlags {
		if f.fs != nil && f.fs.Changed(name) {
			return false, fmt.Errorf("--trace: required with --%s: give the trace file to read, or neither to use the bundled NASA trace", name)
		}
	}
	return true, nil
}

// readDefault reads the embedded NASA per-minute trace.
func readDefault() ([]timeseries.Series, error) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		return nil, fmt.Errorf("bundled trace: %w", err)
	}
	fh, err := datasets.FS().Open(defaultTracePath)
	if err != nil {
		return nil, fmt.Errorf("bundled trace: %w", err)
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return nil, fmt.Errorf("bundled trace: %w", err)
	}
	return timeseries.Read(gz, defaultTracePath, timeseries.ReadOptions{
		TimeCol: "minute_start_edt", ValueCol: "count", Location: loc, Name: "nasa-requests-per-minute",
	})
}

// options turns the flags into the readers' options, naming the flag at
// fault in any error.
func (f *traceFlags) options() (timeseries.ReadOptions, error) {
	o := timeseries.ReadOptions{
		Format: timeseries.Format(f.format), TimeCol: f.timeCol, ValueCol: f.valueCol,
		SeriesCol: f.seriesCol, Aggregate: timeseries.Aggregation(f.aggregate),
		Name: seriesName(f.path), Limits: f.limits,
	}
	if err := checkLimits(f.limits); err != nil {
		return o, err
	}
	switch o.Format {
	case timeseries.FormatCSV, timeseries.FormatLines, timeseries.FormatM4:
	default:
		return o, fmt.Errorf("--format: unknown format %q: use csv, lines or m4", f.format)
	}
	loc, err := time.LoadLocation(f.tz)
	if err != nil {
		return o, fmt.Errorf("--tz: unknown time zone %q: use an IANA name such as Europe/Paris, or UTC", f.tz)
	}
	o.Location = loc
	if f.step != "" {
		if o.Step, err = parseDuration(f.step); err != nil || o.Step <= 0 {
			return o, fmt.Errorf("--step: %q is not a positive duration: use one such as 1m, 1h or 1d", f.step)
		}
	}
	if f.start != "" {
		if o.Start, err = timeseries.ParseTime(f.start, loc); err != nil {
			return o, fmt.Errorf("--start: %w", err)
		}
	}
	if err := o.Validate(); err != nil {
		return o, readOptionError(err)
	}
	return o, nil
}

// readOptionError names the flag of a ReadOptions.Validate error, whose
// message starts with the field.
func readOptionError(err error) error {
	fields := map[string]string{
		"format": "--format", "step": "--step", "start": "--start", "aggregate": "--aggregate",
		"timeCol": "--time-col", "valueCol": "--value-col", "seriesCol": "--series-col",
	}
	field, rest, ok := strings.Cut(err.Error(), ": ")
	if flag, known := fields[field]; ok && known {
		return fmt.Errorf("%s: %s", flag, rest)
	}
	return err
}

// seriesName is the default name of a file's single series: its base name
// without the extensions, .gz included.
func seriesName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".gz")
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// bundled reports whether the trace is the embedded default: neither a
// --trace file nor --prometheus.
func (f *traceFlags) bundled() bool { return f.path == "" && f.prom.address == "" }

// read reads the trace, decompressing a .gz file, or from --prometheus, and
// resamples it if asked.
func (f *traceFlags) read(ctx context.Context) ([]timeseries.Series, error) {
	def, err := f.useDefault()
	if err != nil {
		return nil, err
	}
	if f.prom.address != "" {
		return f.readPrometheus(ctx)
	}
	if def {
		series, err := readDefault()
		if err != nil {
			return nil, err
		}
		return f.resampled(series)
	}
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, fmt.Errorf("--trace: %w", err)
	}
	defer fh.Close()
	var r io.Reader = fh
	if strings.HasSuffix(f.path, ".gz") {
		gz, err := gzip.NewReader(fh)
		if err != nil {
			return nil, fmt.Errorf("--trace: decompressing %q: %w", f.path, err)
		}
		defer gz.Close()
		r = gz
	}
	series, err := timeseries.Read(r, f.path, opts)
	if err != nil {
		return nil, fmt.Errorf("--trace: %w%s", err, limitHint(err))
	}
	return f.resampled(series)
}

// limitFlags name the flag of each read limit.
var limitFlags = map[string]string{
	timeseries.LimitBytes:     "--max-trace-bytes",
	timeseries.LimitLineBytes: "--max-trace-line-bytes",
	timeseries.LimitRows:      "--max-trace-rows",
}

// checkLimits reports a read limit flag that is not positive.
func checkLimits(l timeseries.Limits) error {
	for _, c := range []struct {
		limit string
		v     int64
	}{{timeseries.LimitBytes, l.MaxBytes}, {timeseries.LimitLineBytes, int64(l.MaxLineBytes)}, {timeseries.LimitRows, l.MaxRows}} {
		if c.v <= 0 {
			return fmt.Errorf("%s: %d is not positive", limitFlags[c.limit], c.v)
		}
	}
	return nil
}

// limitHint names the flag that raises the read limit err reports, if it
// reports one.
func limitHint(err error) string {
	var le *timeseries.LimitError
	if !errors.As(err, &le) {
		return ""
	}
	return fmt.Sprintf(" (%s %d; raise it if the trace is right)", limitFlags[le.Limit], le.Max)
}

// resampled applies --resample and --resample-agg.
func (f *traceFlags) resampled(series []timeseries.Series) ([]timeseries.Series, error) {
	if f.resample == "" {
		if f.resampleAgg != "" {
			return nil, errors.New("--resample-agg: only meaningful with --resample: give both or neither")
		}
		return series, nil
	}
	step, err := parseDuration(f.resample)
	if err != nil || step <= 0 {
		return nil, fmt.Errorf("--resample: %q is not a positive duration: use one such as 5m or 1h", f.resample)
	}
	agg := timeseries.Aggregation(f.resampleAgg)
	if agg != timeseries.AggSum && agg != timeseries.AggMean {
		return nil, fmt.Errorf("--resample-agg: %q: use sum for counts (requests) or mean for gauges (CPU)", f.resampleAgg)
	}
	for i, s := range series {
		if series[i], err = timeseries.Resample(s, step, agg); err != nil {
			return nil, fmt.Errorf("--resample: %w", err)
		}
	}
	return series, nil
}

// events loads the calendar, if any, and expands it over the series and
// the horizon that follows them.
func (f *traceFlags) events(series []timeseries.Series, horizon []int) ([]calendar.Occurrence, error) {
	cal, err := f.loadCalendar()
	if err != nil || cal == nil {
		return nil, err
	}
	from, to := series[0].Start, series[0].End()
	for i, s := range series {
		from = minTime(from, s.Start)
		to = maxTime(to, s.Time(s.Len()+horizon[i]))
	}
	return cal.Occurrences(from, to), nil
}

// loadCalendar loads --calendar; with the embedded default trace and no
// --calendar, the trace's own embedded calendar. It returns nil for none.
func (f *traceFlags) loadCalendar() (*calendar.Calendar, error) {
	if f.calendar != "" {
		cal, err := calendar.Load(f.calendar, calendar.LoadOptions{})
		if err != nil {
			return nil, fmt.Errorf("--calendar: %w", err)
		}
		return cal, nil
	}
	if !f.bundled() {
		return nil, nil
	}
	data, err := fs.ReadFile(datasets.FS(), defaultCalendarPath)
	if err != nil {
		return nil, fmt.Errorf("bundled calendar: %w", err)
	}
	cal, err := calendar.Parse(data, defaultCalendarPath)
	if err != nil {
		return nil, fmt.Errorf("bundled calendar: %w", err)
	}
	return cal, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// maxDays is the longest duration in days a time.Duration holds, about 292
// years.
const maxDays = float64(math.MaxInt64 / int64(24*time.Hour))

// parseDuration is time.ParseDuration that also accepts days, such as 7d or
// 1d12h.
func parseDuration(s string) (time.Duration, error) {
	days, rest, ok := strings.Cut(s, "d")
	if !ok {
		return time.ParseDuration(s)
	}
	n, err := strconv.ParseFloat(days, 64)
	if err != nil || !(n >= 0 && n <= maxDays) {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	d := time.Duration(n * float64(24*time.Hour))
	if rest == "" {
		return d, nil
	}
	r, err := time.ParseDuration(rest)
	if err != nil || r < 0 || r > math.MaxInt64-d {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	return d + r, nil
}

// horizonSteps turns --horizon, a duration or a number of steps, into steps
// of each series.
func horizonSteps(flag string, series []timeseries.Series) ([]int, error) {
	out := make([]int, len(series))
	if n, err := strconv.Atoi(flag); err == nil {
		if n < 1 {
			return nil, fmt.Errorf("--horizon: %d steps: give at least one step, or a duration such as 48h", n)
		}
		for i := range out {
			out[i] = n
		}
		return out, nil
	}
	d, err := parseDuration(flag)
	if err != nil {
		return nil, fmt.Errorf("--horizon: %q is neither a duration nor a number of steps: use one such as 48h, 7d or 96", flag)
	}
	for i, s := range series {
		if d < s.Step || d%s.Step != 0 {
			return nil, fmt.Errorf("--horizon: %s is not a whole, positive number of steps of %s (series %q): use a multiple of the step", flag, s.Step, s.Name)
		}
		out[i] = int(d / s.Step)
	}
	return out, nil
}
