package scaler

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/prescale-dev/prescale/pkg/store"
)

// Env are the process-level dependencies of a Service.
type Env struct {
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Registry receives the scaler's metrics and is served on /metrics;
	// nil means a new, empty registry.
	Registry *prometheus.Registry
	// Bundled resolves "bundled:" paths (prescale's datasets); nil means
	// none.
	Bundled fs.FS
	// Getenv reads the environment for the default store path; nil means
	// os.Getenv.
	Getenv func(string) string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Replicas reads the HPAs' replicas for triggers with hpaTolerance;
	// nil leaves them unknown.
	Replicas ReplicaReader
}

// Service is a running scaler process: the store, the Server, its gRPC
// server (ExternalScaler and the standard health service) and its HTTP
// server (/metrics, /debug/decisions, /healthz, optionally pprof).
type Service struct {
	cfg     Config
	log     *slog.Logger
	store   *store.Store
	server  *Server
	grpc    *grpc.Server
	health  *health.Server
	http    *http.Server
	healthz *http.Server // nil without http.healthAddress
	grpcLis net.Listener
	httpLis net.Listener
	hzLis   net.Listener
}

// Listen validates cfg, builds the sources and calendars, opens (or
// rebuilds) the store and binds both listeners. Nothing is served until
// Serve.
func Listen(cfg Config, env Env) (_ *Service, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if env.Logger == nil {
		env.Logger = slog.New(slog.DiscardHandler)
	}
	if env.Registry == nil {
		env.Registry = prometheus.NewRegistry()
	}
	svc := &Service{cfg: cfg, log: env.Logger}
	defer func() {
		if err != nil {
			svc.closeAll()
		}
	}()
	srcs, replays, err := sources(cfg, env.Bundled)
	if err != nil {
		return nil, err
	}
	cals, err := calendars(cfg, env.Bundled, replays)
	if err != nil {
		return nil, err
	}
	tens, err := tenancies(cfg)
	if err != nil {
		return nil, err
	}
	if svc.store, err = openStore(cfg.Store, env); err != nil {
		return nil, err
	}
	svc.server, err = New(Options{
		Sources: srcs, Tenancy: tens, Calendars: cals, Store: svc.store, Retention: time.Duration(cfg.Store.Retention),
		Logger: env.Logger, Registerer: env.Registry, Now: env.Now, QueryTimeout: time.Duration(cfg.QueryTimeout),
		IdleAfter: time.Duration(cfg.IdleAfter), RefitWorkers: cfg.RefitWorkers,
		MaxTriggers: cfg.Limits.MaxTriggers, MaxTriggersPerNamespace: cfg.Limits.MaxTriggersPerNamespace,
		StoreMaxBytes: cfg.Store.MaxBytes, Replicas: env.Replicas,
	})
	if err != nil {
		return nil, err
	}
	if err := svc.listen(env.Registry); err != nil {
		return nil, err
	}
	return svc, nil
}

// openStore opens the configured store, creating its directory, and
// rebuilds a corrupt file, saying so.
func openStore(c StoreConfig, env Env) (*store.Store, error) {
	p := c.Path
	if p == "" {
		getenv := env.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		var err error
		if p, err = DefaultStorePath(getenv); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, fmt.Errorf("store.path: %w", err)
	}
	// The full check of every page runs in the background (Serve): on a
	// large store it would hold the ports closed for a minute. Open still
	// checks the meta pages and the schema.
	st, info, err := store.OpenOrRebuild(p, store.Options{Retention: time.Duration(c.Retention), NoSync: !c.Fsync, NoVerify: true})
	if err != nil {
		return nil, fmt.Errorf("store.path: %w", err)
	}
	switch {
	case info.Rebuilt:
		env.Logger.Error("store file was corrupt: moved aside and started empty; forecasts are refitted and history backfilled from the metric sources",
			"path", p, "movedTo", info.MovedTo, "cause", info.Cause)
	case st.Created():
		env.Logger.Info("new store: history will be backfilled from the metric sources", "path", p)
	default:
		env.Logger.Info("store opened", "path", p)
	}
	return st, nil
}

// maxRequestBytes bounds one gRPC request: a trigger's metadata (a 16 KiB
// query and a few short keys) is far smaller.
const maxRequestBytes = 1 << 20

// listen builds the gRPC and HTTP servers and binds their addresses.
func (svc *Service) listen(reg *prometheus.Registry) error {
	tlsCfg, err := serverTLS(svc.cfg.GRPC.TLS)
	if err != nil {
		return err
	}
	opts := []grpc.ServerOption{
		grpc.ForceServerCodecV2(svc.server.codec),
		grpc.MaxConcurrentStreams(uint32(svc.cfg.GRPC.MaxConcurrentStreams)),
		grpc.MaxRecvMsgSize(maxRequestBytes),
		grpc.ChainUnaryInterceptor(svc.server.unaryInterceptor),
		grpc.ChainStreamInterceptor(svc.server.streamInterceptor),
	}
	if tlsCfg != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(tlsCfg)))
	}
	svc.grpc = grpc.NewServer(opts...)
	externalscaler.RegisterExternalScalerServer(svc.grpc, svc.server)
	svc.health = health.NewServer()
	healthpb.RegisterHealthServer(svc.grpc, svc.health)
	svc.http = newHTTPServer(svc.server.httpHandler(reg, svc.cfg.HTTP))
	if svc.grpcLis, err = net.Listen("tcp", svc.cfg.GRPC.Address); err != nil {
		return fmt.Errorf("grpc.address: %w", err)
	}
	if svc.httpLis, err = net.Listen("tcp", svc.cfg.HTTP.Address); err != nil {
		return fmt.Errorf("http.address: %w", err)
	}
	if svc.cfg.httpTLS() == HTTPTLSGRPC {
		svc.httpLis = tls.NewListener(svc.httpLis, tlsCfg)
	}
	if svc.cfg.HTTP.HealthAddress != "" {
		svc.healthz = newHTTPServer(healthzHandler())
		if svc.hzLis, err = net.Listen("tcp", svc.cfg.HTTP.HealthAddress); err != nil {
			return fmt.Errorf("http.healthAddress: %w", err)
		}
	}
	return nil
}

// newHTTPServer returns an HTTP server of h with bounded reads.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
}

// GRPCAddr returns the address the gRPC server listens on.
func (svc *Service) GRPCAddr() net.Addr { return svc.grpcLis.Addr() }

// HealthAddr returns the address of the /healthz-only server, nil without
// http.healthAddress.
func (svc *Service) HealthAddr() net.Addr {
	if svc.hzLis == nil {
		return nil
	}
	return svc.hzLis.Addr()
}

// HTTPAddr returns the address the HTTP server listens on.
func (svc *Service) HTTPAddr() net.Addr { return svc.httpLis.Addr() }

// Server returns the scaler the service runs.
func (svc *Service) Server() *Server { return svc.server }

// Serve serves until ctx is done, then shuts down gracefully: the health
// service reports NOT_SERVING, streams end, in-flight calls drain (up to
// grpc.drainTimeout), the HTTP server stops, the background work ends with
// a last write of the decisions, and the store is closed. It returns the
// error that stopped a server early, if any.
func (svc *Service) Serve(ctx context.Context) error {
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.server.Run(runCtx) })
	wg.Go(func() { svc.server.KeepStore(runCtx, svc.server.opts.Now()) })
	errc := make(chan error, 4)
	verifyCtx, stopVerify := context.WithCancel(ctx)
	defer stopVerify()
	go func() {
		if err := svc.store.VerifyKeys(verifyCtx); errors.Is(err, store.ErrCorrupt) {
			errc <- err
		}
	}()
	go func() { errc <- svc.grpc.Serve(svc.grpcLis) }()
	go func() { errc <- svc.http.Serve(svc.httpLis) }()
	if svc.healthz != nil {
		go func() { errc <- svc.healthz.Serve(svc.hzLis) }()
	}
	svc.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	svc.health.SetServingStatus("externalscaler.ExternalScaler", healthpb.HealthCheckResponse_SERVING)
	svc.log.Info("serving", "grpc", svc.GRPCAddr().String(), "http", svc.HTTPAddr().String(),
		"tls", svc.cfg.GRPC.TLS.CertFile != "", "mutualTLS", svc.cfg.GRPC.TLS.ClientCAFile != "",
		"httpTLS", string(svc.cfg.httpTLS()), "debug", svc.cfg.HTTP.Debug)
	var served error
	select {
	case <-ctx.Done():
	case served = <-errc:
		svc.log.Error("server stopped", "error", served)
	}
	svc.shutdown()
	stopRun()
	wg.Wait()
	if err := svc.store.Close(); err != nil {
		return err
	}
	if errors.Is(served, store.ErrCorrupt) {
		svc.moveAside()
	}
	svc.log.Info("stopped")
	if errors.Is(served, http.ErrServerClosed) || errors.Is(served, grpc.ErrServerStopped) {
		return nil
	}
	return served
}

// moveAside moves a store found corrupt while serving aside, so that the
// next start begins with an empty store (backfilled from the sources).
func (svc *Service) moveAside() {
	dst, err := store.MoveAside(svc.store.Path(), time.Now())
	if err != nil {
		svc.log.Error("store corrupt but not moved aside", "error", err)
		return
	}
	svc.log.Error("store file was corrupt: moved aside; restart to start with an empty store", "movedTo", dst)
}

// shutdown stops accepting calls and drains those in flight.
func (svc *Service) shutdown() {
	svc.log.Info("shutting down: draining calls", "timeout", time.Duration(svc.cfg.GRPC.DrainTimeout))
	svc.health.Shutdown()
	svc.server.stopStreams()
	done := make(chan struct{})
	go func() { svc.grpc.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Duration(svc.cfg.GRPC.DrainTimeout)):
		svc.log.Warn("drain timeout: closing the remaining calls")
		svc.grpc.Stop()
		<-done
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(svc.cfg.GRPC.DrainTimeout))
	defer cancel()
	_ = svc.http.Shutdown(ctx)
	if svc.healthz != nil {
		_ = svc.healthz.Shutdown(ctx)
	}
}

// closeAll releases what Listen acquired before failing.
func (svc *Service) closeAll() {
	for _, l := range []net.Listener{svc.grpcLis, svc.httpLis, svc.hzLis} {
		if l != nil {
			_ = l.Close()
		}
	}
	if svc.store != nil {
		_ = svc.store.Close()
	}
}
