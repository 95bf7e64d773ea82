package scaler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/metricsource"
	"github.com/prescale-dev/prescale/pkg/tenancy"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// bundledPrefix marks a path inside the files shipped with prescale.
const bundledPrefix = "bundled:"

// sources builds the configured metric sources, by name, and the replays
// among them.
func sources(c Config, bundled fs.FS) (map[string]Source, map[string]*Replay, error) {
	out := map[string]Source{}
	replays := map[string]*Replay{}
	for i, p := range c.Prometheus {
		src, err := prometheusSource(p)
		if err != nil {
			return nil, nil, &ConfigError{Field: fmt.Sprintf("prometheus[%d]", i), Err: err}
		}
		out[p.Name] = src
	}
	for i, r := range c.Replays {
		rp, err := replaySource(r, bundled)
		if err != nil {
			return nil, nil, &ConfigError{Field: fmt.Sprintf("replays[%d]", i), Err: err}
		}
		out[r.Name], replays[r.Name] = rp, rp
	}
	return out, replays, nil
}

// tenancies returns the tenancy policy of every configured Prometheus
// server, by name.
func tenancies(c Config) (map[string]tenancy.Policy, error) {
	out := map[string]tenancy.Policy{}
	for i, p := range c.Prometheus {
		pol, err := tenancyPolicy(p.Tenancy)
		if err != nil {
			return nil, &ConfigError{Field: fmt.Sprintf("prometheus[%d].tenancy", i), Err: err}
		}
		out[p.Name] = pol
	}
	return out, nil
}

// prometheusSource builds a Prometheus client, reading the password file.
func prometheusSource(p PrometheusServer) (*metricsource.Prometheus, error) {
	pc := metricsource.PrometheusConfig{
		Address: p.Address, Timeout: time.Duration(p.Timeout), BearerTokenFile: p.BearerTokenFile,
		Username: p.Username, CAFile: p.CAFile, MaxResponseBytes: p.MaxResponseBytes,
	}
	if p.PasswordFile != "" {
		pw, err := os.ReadFile(p.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("passwordFile: %w", err)
		}
		pc.Password = strings.TrimSpace(string(pw))
	}
	return metricsource.NewPrometheus(pc)
}

// replaySource reads a trace and builds its Replay.
func replaySource(r ReplaySource, bundled fs.FS) (*Replay, error) {
	loc := time.UTC
	if r.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(r.TimeZone); err != nil {
			return nil, fmt.Errorf("timeZone: %w", err)
		}
	}
	data, err := readFile(r.Trace, bundled)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	var rd io.Reader = bytes.NewReader(data)
	if strings.HasSuffix(r.Trace, ".gz") {
		gz, err := gzip.NewReader(rd)
		if err != nil {
			return nil, fmt.Errorf("trace %q: %w", r.Trace, err)
		}
		defer gz.Close()
		rd = gz
	}
	series, err := timeseries.Read(rd, r.Trace, timeseries.ReadOptions{TimeCol: r.TimeColumn, ValueCol: r.ValueColumn, Location: loc, Name: r.Name})
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	if len(series) != 1 {
		return nil, fmt.Errorf("trace %q holds %d series, want one", r.Trace, len(series))
	}
	return NewReplay(series[0], loc)
}

// calendars loads the configured calendars, by name, moving those of a
// replay onto its wall clock.
func calendars(c Config, bundled fs.FS, replays map[string]*Replay) (map[string]Events, error) {
	out := map[string]Events{}
	for i, cf := range c.Calendars {
		cal, err := loadCalendar(cf.Path, bundled)
		if err != nil {
			return nil, &ConfigError{Field: fmt.Sprintf("calendars[%d].path", i), Err: err}
		}
		out[cf.Name] = cal
		if cf.Replay != "" {
			out[cf.Name] = replays[cf.Replay].Events(cal)
		}
	}
	return out, nil
}

// loadCalendar reads a calendar file, bundled or on disk.
func loadCalendar(p string, bundled fs.FS) (*calendar.Calendar, error) {
	if !strings.HasPrefix(p, bundledPrefix) {
		return calendar.Load(p, calendar.LoadOptions{})
	}
	data, err := readFile(p, bundled)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(filepath.Ext(p), ".ics") {
		return calendar.ParseICS(bytes.NewReader(data), p, calendar.ICSOptions{})
	}
	return calendar.Parse(data, p)
}

// readFile reads a file on disk, or inside bundled for a "bundled:" path.
func readFile(p string, bundled fs.FS) ([]byte, error) {
	name, ok := strings.CutPrefix(p, bundledPrefix)
	if !ok {
		return os.ReadFile(p)
	}
	if bundled == nil {
		return nil, fmt.Errorf("%q: no bundled files in this build", p)
	}
	return fs.ReadFile(bundled, path.Clean(name))
}
