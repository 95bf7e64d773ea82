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
	// Limits bound what callers can make the scaler hold.
	Limits LimitsConfig `json:"limits"`
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
	// MaxConcurrentStreams bounds the calls and StreamIsActive streams
	// open at once on one connection; a client waits for a free one.
	MaxConcurrentStreams int `json:"maxConcurrentStreams"`
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
	// TLS is "grpc" (serve the gRPC server's certificate and, with mutual
	// TLS, require the same client certificates) or "none" (plaintext).
	// Empty means "grpc" when grpc.tls is set, else "none".
	TLS HTTPTLS `json:"tls,omitempty"`
	// HealthAddress, when set, is a second listen address that serves
	// only /healthz, in plaintext: for the kubelet's probes when the HTTP
	// address requires client certificates.
	HealthAddress string `json:"healthAddress,omitempty"`
	// Debug serves /debug/decisions (what prescale explain reads: names,
	// queries and source errors of every trigger) when true.
	Debug bool `json:"debug,omitempty"`
	// Pprof serves net/http/pprof under /debug/pprof/ when true.
	Pprof bool `json:"pprof,omitempty"`
}

// HTTPTLS says how the HTTP server is secured.
type HTTPTLS string

// httpTLS returns the HTTP server's TLS mode: the configured one, or by
// default the gRPC server's.
func (c Config) httpTLS() HTTPTLS {
	switch {
	case c.HTTP.TLS != "":
		return c.HTTP.TLS
	case c.GRPC.TLS.CertFile != "":
		return HTTPTLSGRPC
	}
	return HTTPTLSNone
}

// The values of HTTPTLS.
const (
	// HTTPTLSGRPC serves HTTP with the gRPC server's TLS settings.
	HTTPTLSGRPC HTTPTLS = "grpc"
	// HTTPTLSNone serves HTTP in plaintext.
	HTTPTLSNone HTTPTLS = "none"
)

// LimitsConfig bounds the triggers the scaler holds (and so its memory and
// store): a new trigger over a limit is answered ResourceExhausted.
type LimitsConfig struct {
	// MaxTriggers bounds the triggers registered at once.
	MaxTriggers int `json:"maxTriggers"`
	// MaxTriggersPerNamespace bounds the triggers of one namespace.
	MaxTriggersPerNamespace int `json:"maxTriggersPerNamespace"`
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
	// MaxBytes is the store's size budget, bytes of data (free pages
	// aside): over it, keys no trigger uses are deleted, the least
	// recently written first, then the history of every trigger is cut
	// short. The file is compacted when a quarter of it is free, so the
	// volume needs about 2.5 times the budget.
	MaxBytes int64 `json:"maxBytes"`
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
	// MaxResponseBytes bounds the body of one answer; zero means
	// metricsource.DefaultMaxResponseBytes.
	MaxResponseBytes int64 `json:"maxResponseBytes,omitempty"`
	// Tenancy confines the triggers' queries to their ScaledObject's
	// namespace.
	Tenancy TenancyConfig `json:"tenancy,omitzero"`
}

// TenancyConfig says how the queries sent to one Prometheus server are
// confined: every selector of a trigger's query gets the matcher
// Label="<the ScaledObject's namespace>" (see package tenancy).
type TenancyConfig struct {
	// Label is the label that carries the namespace; empty means
	// "namespace".
	Label string `json:"label,omitempty"`
	// UnconfinedNamespaces lists the namespaces whose triggers' queries
	// are sent as written, for cluster-wide metrics that carry no namespace
	// label. Every other namespace stays confined.
	UnconfinedNamespaces []string `json:"unconfinedNamespaces,omitempty"`
	// Templates, when set, are the only queries the server accepts:
	// triggers name one with queryTemplate (and templateArgs).
	Templates []QueryTemplate `json:"templates,omitempty"`
}

// QueryTemplate is a named PromQL expression whose ${name} references are
// filled from a trigger's templateArgs.
type QueryTemplate struct {
	Name  string `json:"name"`
	Query string `json:"query"`
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
	// DefaultGRPCAddress and DefaultHTTPAddress are loopback: a scaler
	// reachable from other hosts is a choice its configuration states.
	DefaultGRPCAddress  = "127.0.0.1:6000"
	DefaultHTTPAddress  = "127.0.0.1:8080"
	DefaultDrainTimeout = 10 * time.Second
	// DefaultMaxConcurrentStreams bounds the calls and streams of one
	// connection.
	DefaultMaxConcurrentStreams = 1000
	DefaultRetention            = 5 * 7 * 24 * time.Hour
	DefaultQueryTimeout         = time.Second
	DefaultIdleAfter            = time.Hour
	DefaultRefitWorkers         = 2
	// DefaultMaxTriggers and DefaultMaxTriggersPerNamespace bound the
	// triggers held: about 2 GB of store at five weeks of one-minute
	// history.
	DefaultMaxTriggers             = 5000
	DefaultMaxTriggersPerNamespace = 500
	// APIVersion and Kind identify a ScalerConfig file.
	APIVersion = "prescale.dev/v1alpha1"
	Kind       = "ScalerConfig"
)

// DefaultStoreMaxBytes is the store's size budget (store.maxBytes): about
// twice DefaultMaxTriggers at five weeks of one-minute history.
const DefaultStoreMaxBytes int64 = 4 << 30

// withDefaults fills the zero fields of c: the one place defaults live.
func (c Config) withDefaults() Config {
	setIf(&c.GRPC.Address, "", DefaultGRPCAddress)
	setIf(&c.GRPC.DrainTimeout, 0, Duration(DefaultDrainTimeout))
	setIf(&c.GRPC.MaxConcurrentStreams, 0, DefaultMaxConcurrentStreams)
	setIf(&c.HTTP.Address, "", DefaultHTTPAddress)
	setIf(&c.Store.Retention, 0, Duration(DefaultRetention))
	setIf(&c.Store.MaxBytes, 0, DefaultStoreMaxBytes)
	setIf(&c.QueryTimeout, 0, Duration(DefaultQueryTimeout))
	setIf(&c.IdleAfter, 0, Duration(DefaultIdleAfter))
	setIf(&c.RefitWorkers, 0, DefaultRefitWorkers)
	setIf(&c.Limits.MaxTriggers, 0, DefaultMaxTriggers)
	setIf(&c.Limits.MaxTriggersPerNamespace, 0, DefaultMaxTriggersPerNamespace)
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
