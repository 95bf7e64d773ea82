package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/datasets"
	"github.com/prescale-dev/prescale/scaler"
)

// serveFlags are the flags of prescale serve; set ones override the file.
type serveFlags struct {
	config                       string
	grpcAddress, httpAddress     string
	store                        string
	tlsCert, tlsKey, tlsClientCA string
	refitWorkers                 int
	queryTimeout                 string
	pprof, debug                 bool
	httpTLS, healthAddress       string
	logLevel, logFormat          string
	kubeconfig                   string
}

func newServeCommand() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve [--config scaler.yaml]",
		Short: "Run the KEDA external scaler that serves replica targets ahead of the peaks",
		Long: `serve runs prescale's KEDA external scaler (gRPC): for each ScaledObject
trigger it answers max(live demand, forecast over the pods' lead time, event
floors), then the replica bounds and rate limits. Forecasts are refitted in
the background; history, forecasts and last answers are kept in a bbolt store
so that a restarted scaler answers at once.

Without --config it replays the bundled NASA HTTP trace of 1995 as the live
metric (source "nasa", calendar "nasa-1995"), mapped onto the wall clock's
time of week: real answers from the first minute, for a first try (see
deploy/examples/scaledobject-demo.yaml). Flags override the file's values.

Addresses default to loopback. The HTTP address serves /metrics and
/healthz, over the gRPC server's TLS when it has one (--http-tls none for
plaintext); /debug/decisions (read by prescale explain) only with --debug,
as it shows every trigger's names, queries and source errors. SIGTERM stops accepting calls, drains those in flight, writes
the last answers and closes the store.`,
		Example: `  prescale serve
  prescale serve --config deploy/examples/scaler-config.yaml --log-format json
  prescale serve --config scaler.yaml --tls-cert tls.crt --tls-key tls.key --tls-client-ca ca.crt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, &f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.config, "config", "", "scaler configuration file (kind ScalerConfig); default: replay the bundled NASA trace")
	fs.StringVar(&f.grpcAddress, "grpc-address", scaler.DefaultGRPCAddress, "gRPC listen address (grpc.address)")
	fs.StringVar(&f.httpAddress, "http-address", scaler.DefaultHTTPAddress, "HTTP listen address of /metrics and /debug (http.address)")
	fs.StringVar(&f.store, "store", "", "bbolt store file (store.path); default $XDG_STATE_HOME/prescale/store.db or ~/.local/state/prescale/store.db")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "PEM certificate of the gRPC server (grpc.tls.certFile)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "PEM key of the gRPC server (grpc.tls.keyFile)")
	fs.StringVar(&f.tlsClientCA, "tls-client-ca", "", "PEM CA that client certificates must chain to: mutual TLS (grpc.tls.clientCAFile)")
	fs.IntVar(&f.refitWorkers, "refit-workers", scaler.DefaultRefitWorkers, "forecasts fitted at once (refitWorkers)")
	fs.StringVar(&f.queryTimeout, "query-timeout", scaler.FormatDuration(scaler.DefaultQueryTimeout), "deadline of one live query (queryTimeout)")
	fs.BoolVar(&f.pprof, "pprof", false, "serve net/http/pprof under /debug/pprof/ (http.pprof)")
	fs.BoolVar(&f.debug, "debug", false, "serve /debug/decisions, read by prescale explain (http.debug)")
	fs.StringVar(&f.httpTLS, "http-tls", "", "TLS of the HTTP address: grpc (the gRPC server's, the default with --tls-cert) or none (http.tls)")
	fs.StringVar(&f.healthAddress, "health-address", "", "extra plaintext listen address serving only /healthz, for probes (http.healthAddress)")
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig of the cluster whose HorizontalPodAutoscalers the scaler reads the replicas from, for triggers with hpaTolerance; default: the pod's service account in a cluster, else none")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	return cmd
}

func runServe(cmd *cobra.Command, f *serveFlags) error {
	log, err := newLogger(cmd.ErrOrStderr(), f.logLevel, f.logFormat)
	if err != nil {
		return err
	}
	cfg, err := f.configuration(cmd.Flags())
	if err != nil {
		return err
	}
	if f.config == "" {
		log.Info("no --config: replaying the bundled NASA HTTP trace (1995) as source \"nasa\" with calendar \"nasa-1995\"")
	}
	replicas, err := replicaReader(cmd.Context(), f.kubeconfig, log)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	svc, err := scaler.Listen(cfg, scaler.Env{Logger: log, Registry: reg, Bundled: datasets.FS(), Replicas: replicas})
	if err != nil {
		return configError(f.config, err)
	}
	return svc.Serve(cmd.Context())
}

// configuration loads the file (or the default) and applies the flags the
// user set.
func (f *serveFlags) configuration(fs *pflag.FlagSet) (scaler.Config, error) {
	cfg := scaler.DefaultConfig()
	if f.config != "" {
		var err error
		if cfg, err = scaler.LoadConfig(f.config); err != nil {
			return cfg, fmt.Errorf("--config: %w", err)
		}
	}
	set := func(name string, apply func()) {
		if fs.Changed(name) {
			apply()
		}
	}
	set("grpc-address", func() { cfg.GRPC.Address = f.grpcAddress })
	set("http-address", func() { cfg.HTTP.Address = f.httpAddress })
	set("store", func() { cfg.Store.Path = f.store })
	set("tls-cert", func() { cfg.GRPC.TLS.CertFile = f.tlsCert })
	set("tls-key", func() { cfg.GRPC.TLS.KeyFile = f.tlsKey })
	set("tls-client-ca", func() { cfg.GRPC.TLS.ClientCAFile = f.tlsClientCA })
	set("refit-workers", func() { cfg.RefitWorkers = f.refitWorkers })
	set("pprof", func() { cfg.HTTP.Pprof = f.pprof })
	set("debug", func() { cfg.HTTP.Debug = f.debug })
	set("http-tls", func() { cfg.HTTP.TLS = scaler.HTTPTLS(f.httpTLS) })
	set("health-address", func() { cfg.HTTP.HealthAddress = f.healthAddress })
	if fs.Changed("query-timeout") {
		d, err := scaler.ParseDuration(f.queryTimeout)
		if err != nil {
			return cfg, fmt.Errorf("--query-timeout: %w", err)
		}
		cfg.QueryTimeout = scaler.Duration(d)
	}
	return cfg, nil
}

// configError names the configuration file in a validation error; an
// address already in use is no fault of the configuration's, and is said
// so, with the address.
func configError(file string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w: another process listens there: stop it or choose another address (--grpc-address, --http-address, --health-address)", err)
	}
	if file == "" {
		file = "the default configuration"
	}
	return fmt.Errorf("%s: %w", file, err)
}

// newLogger returns a slog logger writing to w in the given format.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q: use text or json", format)
}
