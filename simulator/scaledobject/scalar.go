package scaledobject

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// yaml11Bool reports whether YAML 1.1 (read by sigs.k8s.io/yaml) takes
// the plain scalar v for a boolean where YAML 1.2 takes a string.
func yaml11Bool(v string) bool {
	switch v {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return true
	}
	return false
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// tag returns the resolved tag of a scalar: !!str, !!int, !!float,
// !!bool, !!null or !!timestamp, reading YAML 1.1 booleans as !!bool.
func tag(n *yaml.Node) string {
	t := n.ShortTag()
	const written = yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle | yaml.TaggedStyle
	if t == "!!str" && n.Kind == yaml.ScalarNode && n.Style&written == 0 {
		if yaml11Bool(n.Value) {
			return "!!bool"
		}
	}
	return t
}

// kindName names a node's kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch tag(n) {
	case "!!int":
		return "an integer"
	case "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "null"
	}
	return "a string"
}

// scalar checks a scalar against a string, bool or number type.
func (s *shape) scalar(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		s.errs.invalid(path, "must be %s, not %s", typeName(t), kindName(n))
		return
	}
	tg := tag(n)
	switch t.Kind() {
	case reflect.String:
		if tg != "!!str" && tg != "!!timestamp" {
			s.errs.invalid(path, "must be a string, not %s: quote it (%q)", kindName(n), n.Value)
		}
	case reflect.Bool:
		if tg != "!!bool" {
			s.errs.invalid(path, "must be true or false, not %s", kindName(n))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var v int64
		if tg != "!!int" || n.Decode(&v) != nil {
			s.errs.invalid(path, "must be an integer, not %s (%q)", kindName(n), n.Value)
		} else if v != int64(truncInt(v, t.Bits())) {
			s.errs.invalid(path, "%d does not fit in a %d-bit integer", v, t.Bits())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		var v uint64
		if tg != "!!int" || n.Decode(&v) != nil || (t.Bits() < 64 && v >= 1<<t.Bits()) {
			s.errs.invalid(path, "must be an integer of 0 or more that fits in %d bits, not %q", t.Bits(), n.Value)
		}
	case reflect.Float32, reflect.Float64:
		var v float64
		if (tg != "!!int" && tg != "!!float") || n.Decode(&v) != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			s.errs.invalid(path, "must be a finite number, not %s (%q)", kindName(n), n.Value)
		}
	default:
		s.errs.invalid(path, "cannot hold a value of Go type %s", t)
	}
}

// unmarshal checks a value whose type decodes itself from JSON (quantities,
// times) by decoding it.
func (s *shape) unmarshal(n *yaml.Node, t reflect.Type, path string) {
	var v any
	if err := n.Decode(&v); err != nil {
		s.errs.invalid(path, "%v", err)
		return
	}
	j, err := json.Marshal(jsonable(v))
	if err == nil {
		err = json.Unmarshal(j, reflect.New(t).Interface())
	}
	if err != nil {
		s.errs.invalid(path, "must be %s, not %q", typeName(t), n.Value)
	}
}

// jsonable converts what yaml.v3 decodes into something encoding/json
// marshals: maps with string keys.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
	}
	return v
}

func truncInt(v int64, bits int) int64 {
	shift := 64 - bits
	return v << shift >> shift
}

// typeName names a Go type for messages.
func typeName(t reflect.Type) string {
	switch t.String() {
	case "resource.Quantity":
		return "a quantity such as 0.05 or \"50m\""
	case "v1.Time":
		return "an RFC 3339 time"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	case reflect.Slice:
		return "a list"
	}
	return "an integer"
}
