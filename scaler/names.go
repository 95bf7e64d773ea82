package scaler

import (
	"errors"
	"fmt"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
)

// Kubernetes' limits on the names a ScaledObjectRef carries.
const (
	// maxNamespaceLen is the longest namespace: a DNS-1123 label.
	maxNamespaceLen = 63
	// maxObjectNameLen is the longest ScaledObject name: a DNS-1123
	// subdomain.
	maxObjectNameLen = 253
)

// checkRef checks the namespace and name of ref against Kubernetes' rules,
// so that no request makes a store key or a log line longer than these.
func checkRef(ref *externalscaler.ScaledObjectRef) error {
	if ref == nil || ref.Name == "" {
		return ErrNoRef
	}
	if err := checkDNSLabel(ref.Namespace); err != nil {
		return &RefError{Field: "namespace", Value: ref.Namespace, Err: err}
	}
	if err := checkDNSSubdomain(ref.Name); err != nil {
		return &RefError{Field: "name", Value: ref.Name, Err: err}
	}
	return nil
}

// RefError reports a ScaledObjectRef whose namespace or name Kubernetes
// would not accept. errors.Is(err, ErrNoRef) holds for it.
type RefError struct {
	// Field is "namespace" or "name".
	Field string
	// Value is the value given.
	Value string
	// Err says what is wrong.
	Err error
}

// Error returns `scaledObjectRef.F "V": reason`, the value truncated.
func (e *RefError) Error() string {
	return fmt.Sprintf("scaledObjectRef.%s %q: %v", e.Field, truncate(e.Value, 80), e.Err)
}

// Unwrap returns the cause.
func (e *RefError) Unwrap() error { return e.Err }

// Is reports whether target is ErrNoRef.
func (e *RefError) Is(target error) bool { return target == ErrNoRef }

// checkDNSLabel accepts a DNS-1123 label: 1 to 63 lower-case letters,
// digits and '-', starting and ending with a letter or digit.
func checkDNSLabel(s string) error {
	switch {
	case s == "":
		return errors.New("empty")
	case len(s) > maxNamespaceLen:
		return fmt.Errorf("%d bytes, over %d", len(s), maxNamespaceLen)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (c != '-' || i == 0 || i == len(s)-1) {
			return errors.New("want lower-case letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label)")
		}
	}
	return nil
}

// checkDNSSubdomain accepts a DNS-1123 subdomain: up to 253 bytes of
// DNS-1123 labels joined by '.'.
func checkDNSSubdomain(s string) error {
	if len(s) > maxObjectNameLen {
		return fmt.Errorf("%d bytes, over %d", len(s), maxObjectNameLen)
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			continue
		}
		if i-start > maxNamespaceLen {
			return fmt.Errorf("a part of %d bytes, over %d", i-start, maxNamespaceLen)
		}
		if err := checkDNSLabel(s[start:i]); err != nil {
			return errors.New("want lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit (DNS-1123 subdomain)")
		}
		start = i + 1
	}
	return nil
}
