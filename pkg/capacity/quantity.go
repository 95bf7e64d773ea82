package capacity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseQuantity parses a Kubernetes resource quantity such as "3920m",
// "15Gi", "0.5", "1e3" or "2k" and returns its value in base units (cores for
// CPU, bytes for memory).
//
// The accepted syntax is Kubernetes': an optional sign, a decimal number
// ("12", "1.5", ".5", "5.") and one optional suffix: a binary SI suffix (Ki,
// Mi, Gi, Ti, Pi, Ei: powers of 1024), a decimal SI suffix (n, u, m, k, M, G,
// T, P, E: powers of 1000) or a decimal exponent ("e3", "E-2"). Errors wrap
// ErrQuantitySyntax or ErrQuantityRange.
func ParseQuantity(s string) (float64, error) {
	num, suffix := splitQuantity(s)
	if !validDecimal(num) {
		return 0, fmt.Errorf("parsing quantity %q: %w", s, ErrQuantitySyntax)
	}
	exp10, shift, ok := quantitySuffix(suffix)
	if !ok {
		return 0, fmt.Errorf("parsing quantity %q: unknown suffix %q: %w", s, suffix, ErrQuantitySyntax)
	}
	v, err := strconv.ParseFloat(num+"e"+exp10, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("parsing quantity %q: %w", s, ErrQuantityRange)
	}
	v = math.Ldexp(v, shift)
	if math.IsInf(v, 0) {
		return 0, fmt.Errorf("parsing quantity %q: %w", s, ErrQuantityRange)
	}
	return v, nil
}

// splitQuantity splits s after its leading sign, digits and dots.
func splitQuantity(s string) (num, suffix string) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	return s[:i], s[i:]
}

// validDecimal reports whether s is an optionally signed decimal number with
// at least one digit and at most one dot.
func validDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	return digits > 0 && strings.Count(s, ".") <= 1 && digits+strings.Count(s, ".") == len(s)
}

// quantitySuffix returns the decimal exponent (as a string for ParseFloat)
// and the binary shift that suffix stands for.
func quantitySuffix(suffix string) (exp10 string, shift int, ok bool) {
	switch suffix {
	case "":
		return "0", 0, true
	case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei":
		return "0", 10 * (1 + strings.IndexByte("KMGTPE", suffix[0])), true
	case "n":
		return "-9", 0, true
	case "u":
		return "-6", 0, true
	case "m":
		return "-3", 0, true
	case "k":
		return "3", 0, true
	case "M", "G", "T", "P", "E":
		return strconv.Itoa(3 * (2 + strings.IndexByte("MGTPE", suffix[0]))), 0, true
	}
	if suffix[0] != 'e' && suffix[0] != 'E' {
		return "", 0, false
	}
	exp := suffix[1:]
	digits := strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
	if len(digits) == 0 || len(exp)-len(digits) > 1 || strings.Trim(digits, "0123456789") != "" {
		return "", 0, false
	}
	return exp, 0, true
}

// Quantity is a resource amount in base units (cores or bytes) that decodes
// from a Kubernetes quantity string ("3920m", "15Gi") or a plain number.
type Quantity float64

// UnmarshalJSON accepts a JSON number or a string in ParseQuantity's syntax.
func (q *Quantity) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		v, err := ParseQuantity(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		*q = Quantity(v)
		return nil
	}
	v, err := strconv.ParseFloat(string(data), 64)
	if err != nil {
		return fmt.Errorf("quantity must be a number or a string such as \"500m\" or \"2Gi\": %w", ErrQuantitySyntax)
	}
	*q = Quantity(v)
	return nil
}
