package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// promFlags say where to read a trace from a Prometheus-compatible query
// API instead of a file: the workload's own recent history, as the scaler
// reads it to fill its store.
type promFlags struct {
	address, query    string
	span, until       string
	tokenFile, caFile string
	timeout           time.Duration
}

// Defaults of the Prometheus trace source.
const (
	defaultPromSpan = "28d"
	defaultPromStep = "1m"
)

// register adds the Prometheus source's flags to fs.
func (p *promFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&p.address, "prometheus", "", "read the trace from this Prometheus-compatible query API (http[s]://host:port[/prefix]) instead of a file: --query over --range up to --until, at --step (default 1m)")
	fs.StringVar(&p.query, "query", "", "with --prometheus: the PromQL expression of the demand, one series (aggregate with sum() if needed)")
	fs.StringVar(&p.span, "range", defaultPromSpan, "with --prometheus: how much history to read, ending at --until")
	fs.StringVar(&p.until, "until", "", "with --prometheus: the end of the history read, RFC 3339 or YYYY-MM-DD[ HH:MM] in --tz (default: now)")
	fs.StringVar(&p.tokenFile, "prometheus-token-file", "", "with --prometheus: file holding a bearer token to send, read on every request")
	fs.StringVar(&p.caFile, "prometheus-ca-file", "", "with --prometheus: PEM file of the certificate authorities an https address is trusted by")
	fs.DurationVar(&p.timeout, "prometheus-timeout", metricsource.DefaultTimeout, "with --prometheus: the limit of each request (a long range is read in several)")
}

// promOnlyFlags are the flags that only apply with --prometheus.
var promOnlyFlags = []string{"query", "range", "until", "prometheus-token-file", "prometheus-ca-file", "prometheus-timeout"}

// fileOnlyFlags are the flags that only apply to a --trace file.
var fileOnlyFlags = []string{"format", "time-col", "value-col", "series-col", "start", "aggregate",
	"max-trace-bytes", "max-trace-line-bytes", "max-trace-rows"}

// checkSource reports flags that do not fit the trace's source: a file
// and --prometheus together, --prometheus without --query, a file's flags
// with --prometheus, or --prometheus' flags without it.
func (f *traceFlags) checkSource() error {
	changed := func(name string) bool { return f.fs != nil && f.fs.Changed(name) }
	if f.prom.address == "" {
		for _, name := range promOnlyFlags {
			if changed(name) {
				return fmt.Errorf("--%s: applies with --prometheus only", name)
			}
		}
		return nil
	}
	if f.path != "" {
		return fmt.Errorf("--prometheus: read the trace from --trace or from --prometheus, not both")
	}
	for _, name := range fileOnlyFlags {
		if changed(name) {
			return fmt.Errorf("--%s: applies to a --trace file, not to --prometheus", name)
		}
	}
	if f.prom.query == "" {
		return fmt.Errorf("--query: required with --prometheus: the PromQL expression of the demand")
	}
	return nil
}

// promRange returns the instants and step of the range to read: --range
// back from --until (now when unset), at --step (1m when unset), the end
// truncated to the step.
func (f *traceFlags) promRange() (start, end time.Time, step time.Duration, err error) {
	loc, err := time.LoadLocation(f.tz)
	if err != nil {
		return start, end, step, fmt.Errorf("--tz: unknown time zone %q: use an IANA name such as Europe/Paris, or UTC", f.tz)
	}
	stepFlag := f.step
	if stepFlag == "" {
		stepFlag = defaultPromStep
	}
	if step, err = parseDuration(stepFlag); err != nil || step <= 0 || step%time.Second != 0 {
		return start, end, step, fmt.Errorf("--step: %q is not a positive whole number of seconds: use one such as 1m or 5m", stepFlag)
	}
	span, err := parseDuration(f.prom.span)
	if err != nil || span < step {
		return start, end, step, fmt.Errorf("--range: %q is not a duration of at least one --step (%s), such as 7d or 28d", f.prom.span, stepFlag)
	}
	if n := span / step; n > metricsource.MaxRangeSteps {
		return start, end, step, fmt.Errorf("--range: %s at --step %s is %d steps, over %d: use a larger step", f.prom.span, stepFlag, n, metricsource.MaxRangeSteps)
	}
	now := time.Now()
	end = now
	if f.prom.until != "" {
		if end, err = timeseries.ParseTime(f.prom.until, loc); err != nil {
			return start, end, step, fmt.Errorf("--until: %w", err)
		}
		if end.After(now) {
			return start, end, step, fmt.Errorf("--until: %s is in the future: the history ends now at the latest", end.Format(time.RFC3339))
		}
	}
	end = end.Truncate(step)
	return end.Add(-span + step), end, step, nil
}

// readPrometheus reads the trace from --prometheus: --query evaluated over
// the range at every step, steps without a value missing.
func (f *traceFlags) readPrometheus(ctx context.Context) ([]timeseries.Series, error) {
	start, end, step, err := f.promRange()
	if err != nil {
		return nil, err
	}
	cfg := metricsource.PrometheusConfig{Address: f.prom.address, BearerTokenFile: f.prom.tokenFile, CAFile: f.prom.caFile, Timeout: f.prom.timeout}
	if f.prom.timeout <= 0 {
		return nil, fmt.Errorf("--prometheus-timeout: %s is not positive", f.prom.timeout)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("--prometheus: %w", err)
	}
	src, err := metricsource.NewPrometheus(cfg)
	if err != nil {
		return nil, fmt.Errorf("--prometheus: %w", err)
	}
	y, err := src.Range(ctx, f.prom.query, start, end, step)
	if err != nil {
		return nil, fmt.Errorf("--prometheus: %w", err)
	}
	y.Name = "prometheus"
	return f.resampled([]timeseries.Series{y})
}
