package scaler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/prescale-dev/prescale/pkg/field"
	"github.com/prescale-dev/prescale/policies"
)

// Sentinel errors of the scaler; callers test for them with errors.Is.
var (
	// ErrMetadata reports trigger metadata that prescale cannot use; it
	// reaches the caller inside *MetadataError values naming the key.
	ErrMetadata = errors.New("invalid trigger metadata")
	// ErrUnknownMetric reports a GetMetrics call for a metric name the
	// trigger does not answer to.
	ErrUnknownMetric = errors.New("unknown metric name")
	// ErrNoRef reports a request without a ScaledObject reference.
	ErrNoRef = errors.New("request has no ScaledObject reference")
	// ErrTooManyTriggers reports a new trigger over the scaler's limits
	// (limits.maxTriggers, limits.maxTriggersPerNamespace).
	ErrTooManyTriggers = errors.New("too many triggers")
	// ErrConfig reports an invalid scaler configuration; it reaches the
	// caller inside *ConfigError values naming the field.
	ErrConfig = errors.New("invalid scaler configuration")
)

// MetadataError reports one unusable metadata key. errors.Is(err,
// ErrMetadata) holds for it.
type MetadataError struct {
	// Key is the metadata key at fault.
	Key string
	// Value is the value given (or defaulted), empty when missing.
	Value string
	// Err says what is wrong.
	Err error
}

// Error returns `metadata key "K" (value "V"): reason`.
func (e *MetadataError) Error() string {
	key := truncate(e.Key, 80)
	if e.Value == "" {
		return fmt.Sprintf("metadata key %q: %v", key, e.Err)
	}
	return fmt.Sprintf("metadata key %q (value %q): %v", key, truncate(e.Value, 80), e.Err)
}

// Unwrap returns the cause.
func (e *MetadataError) Unwrap() error { return e.Err }

// Is reports whether target is ErrMetadata.
func (e *MetadataError) Is(target error) bool { return target == ErrMetadata }

// ConfigError reports one invalid field of a ScalerConfig. errors.Is(err,
// ErrConfig) holds for it.
type ConfigError struct {
	// File names the configuration file, or is empty.
	File string
	// Line and Column are the 1-based position of the value in File, or
	// 0 when unknown.
	Line, Column int
	// Field is the field's path, such as "prometheus[1].address".
	Field string
	// Err says what is wrong.
	Err error
}

// Error returns "file:line:column: field: reason", leaving out what is
// unknown.
func (e *ConfigError) Error() string {
	return (&field.Error{File: e.File, Line: e.Line, Column: e.Column, Field: e.Field, Err: e.Err}).Error()
}

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// Is reports whether target is ErrConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// grpcError maps a domain error to the gRPC status KEDA sees: bad metadata
// and unknown metric names are InvalidArgument (KEDA reports them on the
// ScaledObject), no safe value is Unavailable (KEDA's fallback applies),
// a cancelled or expired call keeps its code; anything else is Internal.
func grpcError(err error) error {
	var code codes.Code
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrMetadata), errors.Is(err, ErrUnknownMetric), errors.Is(err, ErrNoRef):
		code = codes.InvalidArgument
	case errors.Is(err, ErrTooManyTriggers):
		code = codes.ResourceExhausted
	case errors.Is(err, policies.ErrNoSafeValue):
		code = codes.Unavailable
	case errors.Is(err, context.Canceled):
		code = codes.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		code = codes.DeadlineExceeded
	default:
		code = codes.Internal
	}
	return status.Error(code, truncate(err.Error(), maxMessage))
}

// maxMessage bounds the message of a gRPC error, in bytes: messages echo
// names, keys and values the caller sent.
const maxMessage = 2048

// truncate returns s cut to at most n bytes on a rune boundary, ending in
// "..." when cut, with invalid UTF-8 replaced so that the result can be
// sent in a gRPC status.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\ufffd")
	if len(s) <= n {
		return s
	}
	cut := max(n-3, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
