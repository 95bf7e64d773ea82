// Package scalar finds the plain YAML scalars that a YAML 1.1 reader takes
// for a boolean, a number or null where a configuration file expects a
// string.
//
// prescale's files are converted to JSON by sigs.k8s.io/yaml, which reads
// YAML 1.1: an unquoted business line named no becomes the boolean false,
// then the string "false", and two business lines named no and off merge
// into one. Check walks the document as yaml.v3 nodes, which keep the text
// as written, its quoting style and its line, alongside the Go type the
// file decodes into, and reports every such scalar with its field path and
// line, telling the user to quote it.
package scalar

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/prescale-dev/prescale/pkg/field"
)

// ErrNotString reports a plain scalar that YAML 1.1 reads as a boolean, a
// number or null where a string is expected; errors.Is finds it in the
// errors Check returns.
var ErrNotString = errors.New("not a string")

// MisreadError is one scalar written where a string is expected that YAML
// 1.1 reads as another kind.
type MisreadError struct {
	// Value is the scalar as written.
	Value string
	// As names what YAML 1.1 reads it as: "a boolean", "a number" or
	// "null".
	As string
	// Key reports that the scalar is a mapping key.
	Key bool
}

// Error says what the value is read as and how to write it instead.
func (e *MisreadError) Error() string {
	what := "must be a string"
	if e.Key {
		what = "key must be a string"
	}
	if e.Value == "" {
		return fmt.Sprintf("%s, but the value is empty, which YAML reads as null: write \"\" or remove the key", what)
	}
	return fmt.Sprintf("%s, but YAML 1.1 reads %s as %s: quote it (%q)", what, e.Value, e.As, e.Value)
}

// Is reports whether target is ErrNotString.
func (e *MisreadError) Is(target error) bool { return target == ErrNotString }

// Check parses data as YAML and returns a *field.Error (wrapping a
// *MisreadError) for every plain scalar that YAML 1.1 reads as a boolean,
// a number or null where t, the Go type the document decodes into through
// its json tags, has a string: a string field, an element of a string list
// or a key or value of a map with string keys or values. Types that decode
// themselves (json.Unmarshaler) and unknown keys are left to the decoder.
// Field paths read "spec.nodePools[1].businessLines[0]", map entries
// `prices["m5.large"]`. The error is yaml.v3's parse error, if any; an
// empty document has nothing to report.
func Check(data []byte, t reflect.Type) ([]*field.Error, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parsing YAML: %w", err)
	}
	w := walker{seen: map[*yaml.Node]bool{}}
	if len(doc.Content) > 0 {
		w.walk(doc.Content[0], t, "")
	}
	return w.errs, nil
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// walker collects the errors of one document.
type walker struct {
	errs []*field.Error
	seen map[*yaml.Node]bool // anchored nodes already walked: reported once, no cycles
}

// walk checks node n against the Go type t at path.
func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil || w.seen[n.Alias] {
			return
		}
		n = n.Alias
	}
	if n.Anchor != "" {
		if w.seen[n] {
			return
		}
		w.seen[n] = true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		return
	}
	switch t.Kind() {
	case reflect.String:
		w.scalar(n, path, false)
	case reflect.Struct:
		if n.Kind == yaml.MappingNode {
			w.mapping(n, t, path)
		}
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.SequenceNode {
			for i, e := range n.Content {
				w.walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			w.entries(n, t, path)
		}
	}
}

// mapping checks the known keys of a mapping against struct t, following
// merge keys (<<) into the mappings they merge.
func (w *walker) mapping(n *yaml.Node, t reflect.Type, path string) {
	fields := jsonFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 {
			w.merge(v, t, path)
			continue
		}
		if ft, ok := fields[k.Value]; ok {
			w.walk(v, ft, join(path, k.Value))
		}
	}
}

// merge checks the mapping, or list of mappings, of a merge key.
func (w *walker) merge(v *yaml.Node, t reflect.Type, path string) {
	if v.Kind == yaml.SequenceNode {
		for _, e := range v.Content {
			w.walk(e, t, path)
		}
		return
	}
	w.walk(v, t, path)
}

// entries checks the keys (when t's keys are strings) and values of a map.
func (w *walker) entries(n *yaml.Node, t reflect.Type, path string) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		sub := path + "[" + strconv.Quote(k.Value) + "]"
		if t.Key().Kind() == reflect.String {
			w.scalar(k, sub, true)
		}
		w.walk(v, t.Elem(), sub)
	}
}

// scalar records n when it is a plain scalar YAML 1.1 reads as something
// other than a string.
func (w *walker) scalar(n *yaml.Node, path string, key bool) {
	if n.Kind != yaml.ScalarNode || n.Style != 0 {
		return
	}
	if as := Misread(n.Value); as != "" {
		w.errs = append(w.errs, &field.Error{Line: n.Line, Field: path,
			Err: &MisreadError{Value: n.Value, As: as, Key: key}})
	}
}

// yaml11Float is YAML 1.1's float syntax as sigs.k8s.io/yaml's reader
// resolves it (after dropping underscores), with the special values.
var yaml11Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$`)

// Misread returns what YAML 1.1 reads the plain (unquoted) scalar v as when
// it is not a string: "a boolean" for y, yes, n, no, on, off, true and
// false in any case; "null" for ~, null and the empty value; "a number"
// for integers (decimal, 0x, 0o, 0b, leading-zero octal, with underscores)
// and floats. It returns "" for a string.
func Misread(v string) string {
	switch strings.ToLower(v) {
	case "y", "yes", "n", "no", "on", "off", "true", "false":
		return "a boolean"
	case "", "~", "null":
		return "null"
	}
	plain := strings.ReplaceAll(v, "_", "")
	if plain == "" || plain == "+" || plain == "-" {
		return ""
	}
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return "a number"
	}
	if _, err := strconv.ParseUint(strings.TrimPrefix(plain, "+"), 0, 64); err == nil {
		return "a number"
	}
	if yaml11Float.MatchString(plain) {
		return "a number"
	}
	return ""
}

// jsonFields maps the json names of t's exported fields to their types,
// including the fields of embedded structs without a json name.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			out[name] = f.Type
		}
	}
	return out
}

// join appends a field name to a path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
