package scaler

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// Validate reports every invalid field of c (after defaults), as
// *ConfigError values naming the field's path, joined.
func (c Config) Validate() error {
	v := &validator{}
	v.check(c.APIVersion == APIVersion, "apiVersion", "want %q, got %q", APIVersion, c.APIVersion)
	v.check(c.Kind == Kind, "kind", "want %q, got %q", Kind, c.Kind)
	v.address("grpc.address", c.GRPC.Address)
	v.address("http.address", c.HTTP.Address)
	if c.HTTP.HealthAddress != "" {
		v.address("http.healthAddress", c.HTTP.HealthAddress)
	}
	v.check(c.HTTP.TLS == "" || c.HTTP.TLS == HTTPTLSGRPC || c.HTTP.TLS == HTTPTLSNone, "http.tls", "want %q or %q, got %q", HTTPTLSGRPC, HTTPTLSNone, c.HTTP.TLS)
	v.check(c.httpTLS() != HTTPTLSGRPC || c.GRPC.TLS.CertFile != "", "http.tls", "%q needs grpc.tls.certFile and keyFile", HTTPTLSGRPC)
	v.tls(c.GRPC.TLS)
	v.duration("grpc.drainTimeout", c.GRPC.DrainTimeout, 0, 10*time.Minute)
	v.check(c.GRPC.MaxConcurrentStreams >= 1 && c.GRPC.MaxConcurrentStreams <= 100_000, "grpc.maxConcurrentStreams",
		"want 1 to 100000, got %d", c.GRPC.MaxConcurrentStreams)
	v.duration("store.retention", c.Store.Retention, 24*time.Hour, 3*366*24*time.Hour)
	v.check(c.Store.MaxBytes >= 64<<20 && c.Store.MaxBytes <= 1<<40, "store.maxBytes", "want 64 MiB to 1 TiB, got %d", c.Store.MaxBytes)
	v.duration("queryTimeout", c.QueryTimeout, 10*time.Millisecond, 30*time.Second)
	v.duration("idleAfter", c.IdleAfter, time.Minute, 30*24*time.Hour)
	v.check(c.RefitWorkers >= 1 && c.RefitWorkers <= 256, "refitWorkers", "want 1 to 256, got %d", c.RefitWorkers)
	v.check(c.Limits.MaxTriggers >= 1 && c.Limits.MaxTriggers <= 1_000_000, "limits.maxTriggers", "want 1 to 1000000, got %d", c.Limits.MaxTriggers)
	v.check(c.Limits.MaxTriggersPerNamespace >= 1 && c.Limits.MaxTriggersPerNamespace <= c.Limits.MaxTriggers,
		"limits.maxTriggersPerNamespace", "want 1 to limits.maxTriggers (%d), got %d", c.Limits.MaxTriggers, c.Limits.MaxTriggersPerNamespace)
	names := map[string]string{}
	for i, p := range c.Prometheus {
		v.prometheus(fmt.Sprintf("prometheus[%d]", i), p, names)
	}
	for i, r := range c.Replays {
		v.replay(fmt.Sprintf("replays[%d]", i), r, names)
	}
	v.check(len(names) > 0, "prometheus", "no metric source: configure a Prometheus server (or a replay)")
	calendars := map[string]string{}
	for i, cal := range c.Calendars {
		v.calendar(fmt.Sprintf("calendars[%d]", i), cal, calendars, c.Replays)
	}
	return errors.Join(v.errs...)
}

// validator collects *ConfigError values.
type validator struct{ errs []error }

// check records an error at field when ok is false.
func (v *validator) check(ok bool, field, format string, args ...any) {
	if !ok {
		v.errs = append(v.errs, &ConfigError{Field: field, Err: fmt.Errorf(format, args...)})
	}
}

func (v *validator) address(field, addr string) {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		if _, perr := strconv.ParseUint(port, 10, 16); perr != nil {
			err = fmt.Errorf("port %q is not a number up to 65535", port)
		}
	}
	v.check(err == nil, field, "%q is not host:port (such as :6000 or 127.0.0.1:6000): %v", addr, err)
}

func (v *validator) duration(field string, d Duration, min, max time.Duration) {
	v.check(time.Duration(d) >= min && time.Duration(d) <= max, field, "%s is not between %s and %s",
		FormatDuration(time.Duration(d)), FormatDuration(min), FormatDuration(max))
}

func (v *validator) tls(t TLSFiles) {
	v.check((t.CertFile == "") == (t.KeyFile == ""), "grpc.tls", "certFile and keyFile go together: set both or neither")
	v.check(t.ClientCAFile == "" || t.CertFile != "", "grpc.tls.clientCAFile", "mutual TLS needs the server's certFile and keyFile too")
}

// name checks a source or calendar name and that it is unique in seen.
func (v *validator) name(field, name string, seen map[string]string) {
	if _, err := parseName(name, false); err != nil {
		v.check(false, field+".name", "%q: %v", name, err)
		return
	}
	if prev, dup := seen[name]; dup {
		v.check(false, field+".name", "%q is already the name of %s", name, prev)
		return
	}
	seen[name] = field
}

func (v *validator) prometheus(field string, p PrometheusServer, names map[string]string) {
	v.name(field, p.Name, names)
	u, err := url.Parse(p.Address)
	ok := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	v.check(ok, field+".address", "%q is not an http or https URL with a host", p.Address)
	v.duration(field+".timeout", p.Timeout, 0, 10*time.Minute)
	creds := 0
	for _, set := range []bool{p.BearerTokenFile != "", p.Username != ""} {
		if set {
			creds++
		}
	}
	v.check(creds <= 1, field, "bearerTokenFile and username: set at most one")
	v.check(p.PasswordFile == "" || p.Username != "", field+".passwordFile", "set without username")
	v.check(p.CAFile == "" || (ok && u.Scheme == "https"), field+".caFile", "only meaningful for an https address")
	v.check(p.MaxResponseBytes >= 0 && p.MaxResponseBytes <= 1<<30, field+".maxResponseBytes", "want 0 (the default) to 1 GiB, got %d", p.MaxResponseBytes)
	v.tenancy(field+".tenancy", p.Tenancy)
}

func (v *validator) tenancy(field string, t TenancyConfig) {
	pol, err := tenancyPolicy(t)
	if err == nil {
		err = pol.Validate()
	}
	v.check(err == nil, field, "%v", err)
	for i, ns := range t.UnconfinedNamespaces {
		v.check(checkDNSLabel(ns) == nil, fmt.Sprintf("%s.unconfinedNamespaces[%d]", field, i), "%q is not a namespace name: %v", ns, checkDNSLabel(ns))
	}
}

func (v *validator) replay(field string, r ReplaySource, names map[string]string) {
	v.name(field, r.Name, names)
	v.check(r.Trace != "", field+".trace", "required: the trace file to replay")
	if r.TimeZone != "" {
		_, err := time.LoadLocation(r.TimeZone)
		v.check(err == nil, field+".timeZone", "unknown time zone %q: use an IANA name such as Europe/Paris", r.TimeZone)
	}
}

func (v *validator) calendar(field string, c CalendarFile, seen map[string]string, replays []ReplaySource) {
	v.name(field, c.Name, seen)
	v.check(c.Path != "", field+".path", "required: the calendar file (.yaml or .ics)")
	if c.Replay == "" {
		return
	}
	found := false
	for _, r := range replays {
		found = found || r.Name == c.Replay
	}
	v.check(found, field+".replay", "%q is not the name of a replay", c.Replay)
}
