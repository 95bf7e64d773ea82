package scaler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Config is the scaler's configuration file (apiVersion
// prescale.dev/v1alpha1, kind ScalerConfig). Zero fields take the defaults
// of ParseConfig; Validate checks the result.
type Config struct {
	// APIVersion must be "prescale.dev/v1alpha1".
	APIVersion string `json:"apiVersion"`
	// Kind must be "ScalerConfig".
	Kind string `json:"kind"`
	// GRPC is the KEDA-facing gRPC server.
	GRPC GRPCConfig `json:"grpc"`
	// HTTP serves /metrics, /debug/decisions and, if enabled, pprof.
	HTTP HTTPConfig `json:"http"`
	// Store is the bbolt state file.
	Store StoreConfig `json:"store"`
	// RefitWorkers is the number of forecasts fitted at once.
	RefitWorkers int `json:"refitWorkers"`
	// QueryTimeout bounds the live query of one GetMetrics call; the call's
	// own deadline, halved, bounds it further.
	QueryTimeout Duration `json:"queryTimeout"`
	// IdleAfter forgets a trigger KEDA has not asked about for this long
	// (its history stays in the store).
	IdleAfter Duration `json:"idleAfter"`
	// Prometheus lists the Prometheus servers triggers may name.
	Prometheus []PrometheusServer `json:"prometheus,omitempty"`
	// Replays lists recorded traces replayed as live sources, by name.
	Replays []ReplaySource `json:"replays,omitempty"`
	// Calendars lists the calendars triggers may name.
	Calendars []CalendarFile `json:"calendars,omitempty"`
}

// GRPCConfig configures the gRPC server KEDA calls.
type GRPCConfig struct {
	// Address is the listen address, host:port.
	Address string `json:"address"`
	// TLS enables TLS when CertFile is set.
	TLS TLSFiles `json:"tls"`
	// DrainTimeout bounds the graceful shutdown of in-flight calls.
	DrainTimeout Duration `json:"drainTimeout"`
}

// TLSFiles names the PEM files of the gRPC server's TLS. With ClientCAFile
// set, clients must present a certificate it signed (mutual TLS, KEDA's
// tlsClientCert and tlsClientKey). Files are re-read when they change.
type TLSFiles struct {
	CertFile     string `json:"certFile,omitempty"`
	KeyFile      string `json:"keyFile,omitempty"`
	ClientCAFile string `json:"clientCAFile,omitempty"`
}

// HTTPConfig configures the HTTP server of metrics and debugging.
type HTTPConfig struct {
	// Address is the listen address, host:port.
	Address string `json:"address"`
	// Pprof serves net/http/pprof under /debug/pprof/ when true.
	Pprof bool `json:"pprof,omitempty"`
}

// StoreConfig configures the state file.
type StoreConfig struct {
	// Path is the bbolt file; empty means DefaultStorePath.
	Path string `json:"path,omitempty"`
	// Retention is the span of history kept per trigger; it bounds the
	// triggers' historyWindow.
	Retention Duration `json:"retention"`
	// Fsync syncs every write to disk. Off by default: everything in the
	// store can be rebuilt from the metric source, and a corrupt file is
	// rebuilt at start-up.
	Fsync bool `json:"fsync,omitempty"`
}

// PrometheusServer is a named Prometheus-compatible query API.
type PrometheusServer struct {
	Name    string   `json:"name"`
	Address string   `json:"address"`
	Timeout Duration `json:"timeout,omitempty"`
	// BearerTokenFile is read on every request (rotated tokens work).
	BearerTokenFile string `json:"bearerTokenFile,omitempty"`
	// Username and PasswordFile give basic auth.
	Username     string `json:"username,omitempty"`
	PasswordFile string `json:"passwordFile,omitempty"`
	// CAFile holds the certificate authorities of an https address.
	CAFile string `json:"caFile,omitempty"`
}

// ReplaySource is a recorded trace (csv, optionally .gz) replayed as a
// live source; see Replay.
type ReplaySource struct {
	Name string `json:"name"`
	// Trace is the file; "bundled:" followed by a path reads the traces
	// shipped inside prescale, such as
	// "bundled:nasa_http_1995/nasa_requests_per_minute_edt.csv.gz".
	Trace       string `json:"trace"`
	TimeColumn  string `json:"timeColumn,omitempty"`
	ValueColumn string `json:"valueColumn,omitempty"`
	// TimeZone reads timestamps without offset and defines the trace's
	// time of week; empty means UTC.
	TimeZone string `json:"timeZone,omitempty"`
}

// CalendarFile is a named calendar file (.yaml or .ics).
type CalendarFile struct {
	Name string `json:"name"`
	// Path is the file; "bundled:" reads the calendars shipped inside
	// prescale, such as "bundled:calendars/nasa-1995.yaml".
	Path string `json:"path"`
	// Replay, when set, names a replay whose wall clock the calendar's
	// events are moved onto (a calendar of the trace's own dates).
	Replay string `json:"replay,omitempty"`
}

// Defaults applied by ParseConfig to zero fields.
const (
	DefaultGRPCAddress  = ":6000"
	DefaultHTTPAddress  = ":8080"
	DefaultDrainTimeout = 10 * time.Second
	DefaultRetention    = 5 * 7 * 24 * time.Hour
	DefaultQueryTimeout = time.Second
	DefaultIdleAfter    = time.Hour
	DefaultRefitWorkers = 2
	// APIVersion and Kind identify a ScalerConfig file.
	APIVersion = "prescale.dev/v1alpha1"
	Kind       = "ScalerConfig"
)

// withDefaults fills the zero fields of c: the one place defaults live.
func (c Config) withDefaults() Config {
	setIf(&c.GRPC.Address, "", DefaultGRPCAddress)
	setIf(&c.GRPC.DrainTimeout, 0, Duration(DefaultDrainTimeout))
	setIf(&c.HTTP.Address, "", DefaultHTTPAddress)
	setIf(&c.Store.Retention, 0, Duration(DefaultRetention))
	setIf(&c.QueryTimeout, 0, Duration(DefaultQueryTimeout))
	setIf(&c.IdleAfter, 0, Duration(DefaultIdleAfter))
	setIf(&c.RefitWorkers, 0, DefaultRefitWorkers)
	return c
}

// setIf sets *p to v when it equals zero.
func setIf[T comparable](p *T, zero, v T) {
	if *p == zero {
		*p = v
	}
}

// DefaultStorePath returns $XDG_STATE_HOME/prescale/store.db, or
// ~/.local/state/prescale/store.db when XDG_STATE_HOME is unset or relative.
func DefaultStorePath(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "prescale", "store.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New("no store path: set store.path, --store, XDG_STATE_HOME or HOME")
		}
		home = h
	}
	return filepath.Join(home, ".local", "state", "prescale", "store.db"), nil
}

// defaultConfigYAML is the configuration of a plain `prescale serve`: the
// bundled NASA trace replayed as the live metric, with its calendar.
const defaultConfigYAML = `apiVersion: prescale.dev/v1alpha1
kind: ScalerConfig
replays:
- name: nasa
  trace: bundled:nasa_http_1995/nasa_requests_per_minute_edt.csv.gz
  timeColumn: minute_start_edt
  valueColumn: count
  timeZone: America/New_York
calendars:
- name: nasa-1995
  path: bundled:calendars/nasa-1995.yaml
  replay: nasa
`

// DefaultConfig returns the configuration used when no file is given: the
// bundled NASA HTTP trace of July and August 1995 replayed as source
// "nasa" (see Replay), its calendar as "nasa-1995", and the defaults.
func DefaultConfig() Config {
	c, err := ParseConfig([]byte(defaultConfigYAML), "default configuration")
	if err != nil {
		panic(fmt.Sprintf("the default configuration does not parse: %v", err)) // a programmer error, caught by tests
	}
	return c
}
