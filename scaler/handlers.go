package scaler

import (
	"context"
	"net/http"
	"net/http/pprof"
	"path"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// unaryInterceptor counts calls by method and code, answers a request
// holding invalid UTF-8 InvalidArgument (see utf8Codec), and turns a panic
// in a handler into an Internal error (logged with its stack) instead of a
// crashed process.
func (s *Server) unaryInterceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (resp any, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in gRPC handler", "method", info.FullMethod, "panic", r, "stack", string(debug.Stack()))
			resp, err = nil, status.Error(codes.Internal, "internal error")
		}
		s.metrics.rpcs.WithLabelValues(path.Base(info.FullMethod), status.Code(err).String()).Inc()
	}()
	if err := s.codec.check(req); err != nil {
		return nil, err
	}
	return h(ctx, req)
}

// streamInterceptor is unaryInterceptor for streams.
func (s *Server) streamInterceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in gRPC stream handler", "method", info.FullMethod, "panic", r, "stack", string(debug.Stack()))
			err = status.Error(codes.Internal, "internal error")
		}
		s.metrics.rpcs.WithLabelValues(path.Base(info.FullMethod), status.Code(err).String()).Inc()
	}()
	return h(srv, &utf8Stream{ServerStream: ss, codec: s.codec})
}

// httpHandler serves /metrics from reg and /healthz; /debug/decisions when
// c.Debug is set, /debug/pprof/ when c.Pprof is.
func (s *Server) httpHandler(reg *prometheus.Registry, c HTTPConfig) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", healthz)
	if c.Debug {
		mux.Handle("/debug/decisions", s.DecisionsHandler())
	}
	if c.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// healthzHandler serves /healthz alone.
func healthzHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	return mux
}

// healthz answers "ok": the process serves HTTP.
func healthz(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) }
