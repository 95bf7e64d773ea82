// Package scalar checks a YAML configuration file against the Go type it
// decodes into, reporting what a YAML-to-JSON conversion loses: where in
// the text each problem is.
//
// prescale's files are converted to JSON by sigs.k8s.io/yaml, which reads
// YAML 1.1 and keeps no positions: an unquoted business line named no
// becomes the boolean false, then the string "false", and two business
// lines named no and off merge into one; a misspelt key is only "unknown".
// Check walks the document as yaml.v3 nodes, which keep the text as
// written, its quoting style, its line and column, alongside the Go type
// the file decodes into (through its json tags), and reports with their
// field paths and positions every such scalar, telling the user to quote
// it, and every key the type has no field for, with the known field it
// most likely means ("did you mean minNodes?"). It also records the
// position of every value it meets, so that the errors a reader finds
// later on the decoded value (a string where a number is expected, a
// failed validation) can name the line and column of their field.
package scalar

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
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

// Pos is a position in a YAML document.
type Pos struct {
	// Line is 1-based; 0 means unknown.
	Line int
	// Column is 1-based, in bytes; 0 means unknown.
	Column int
}

// Shape tells Check how to walk a type that decodes itself (a
// json.Unmarshaler), which it otherwise leaves to the type's decoder: a
// mapping given for Type is walked as the struct Mapping, a list as the
// slice List. A nil Mapping or List leaves that form to the decoder.
type Shape struct {
	// Type is the self-decoding type, not a pointer to it.
	Type reflect.Type
	// Mapping is the struct a mapping of Type is checked against.
	Mapping reflect.Type
	// List is the slice type a list of Type is checked against.
	List reflect.Type
}

// Report is what Check finds in one document.
type Report struct {
	// Errors are the document's problems in document order: plain scalars
	// YAML 1.1 misreads (wrapping *MisreadError) and unknown keys
	// (wrapping *UnknownFieldError), each a *field.Error with the field's
	// path, line and column.
	Errors []*field.Error
	// pos maps the path of every value walked to its position.
	pos map[string]Pos
}

// Pos returns the position of the value at path ("spec.nodePools[1].name"),
// or of its closest enclosing value when Check did not meet it (a missing
// field, a map key YAML 1.1 spells differently), or the zero Pos. A nil
// Report knows no position.
func (r *Report) Pos(path string) Pos {
	if r == nil {
		return Pos{}
	}
	if p, ok := r.pos[path]; ok {
		return p
	}
	for _, prefix := range slices.Backward(prefixes(path)) {
		if p, ok := r.pos[prefix]; ok {
			return p
		}
	}
	return r.pos[""]
}

// Locate sets the line and column of e from its field path when e names a
// field and has no line yet, and returns e. A nil Report leaves e as it is.
func (r *Report) Locate(e *field.Error) *field.Error {
	if e.Line == 0 && e.Field != "" {
		p := r.Pos(e.Field)
		e.Line, e.Column = p.Line, p.Column
	}
	return e
}

// Check parses data as YAML and walks it alongside t, the Go type the
// document decodes into through its json tags. It reports every plain
// scalar that YAML 1.1 reads as a boolean, a number or null where t has a
// string (a string field, an element of a string list or a key or value of
// a map with string keys or values), and every key of a mapping whose
// struct has no field of that name, suggesting the closest known one. Types
// that decode themselves (json.Unmarshaler) are left to the decoder unless
// shapes says how to walk them. Values of the wrong kind are not reported:
// the decoder's errors name them, and Report.Pos locates them. Field paths
// read "spec.nodePools[1].businessLines[0]", map entries
// `prices["m5.large"]`. The error is yaml.v3's parse error, if any; an
// empty document has nothing to report.
func Check(data []byte, t reflect.Type, shapes ...Shape) (*Report, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parsing YAML: %w", err)
	}
	w := walker{
		report: &Report{pos: map[string]Pos{}},
		seen:   map[visit]bool{},
		shapes: map[reflect.Type]Shape{},
		fields: map[reflect.Type]structFields{},
	}
	for _, s := range shapes {
		w.shapes[s.Type] = s
	}
	if len(doc.Content) > 0 {
		w.walk(doc.Content[0], t, "")
	}
	return w.report, nil
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// visit is one node walked as one type.
type visit struct {
	n *yaml.Node
	t reflect.Type
}

// walker collects the errors and positions of one document.
type walker struct {
	report *Report
	// seen holds the anchored nodes already walked as a type: an alias
	// walks its anchor once per type, so errors are reported once and
	// cycles end.
	seen   map[visit]bool
	shapes map[reflect.Type]Shape
	fields map[reflect.Type]structFields
}

// at records the position of the value at path, keeping the first one
// (a mapping's own, not that of a mapping merged into it).
func (w *walker) at(path string, n *yaml.Node) {
	if _, ok := w.report.pos[path]; !ok {
		w.report.pos[path] = Pos{Line: n.Line, Column: n.Column}
	}
}

// add records err about the node n at path.
func (w *walker) add(n *yaml.Node, path string, err error) {
	w.report.Errors = append(w.report.Errors, &field.Error{Line: n.Line, Column: n.Column, Field: path, Err: err})
}

// walk checks node n against the Go type t at path.
func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	w.at(path, n)
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return
		}
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Anchor != "" {
		v := visit{n, t}
		if w.seen[v] {
			return
		}
		w.seen[v] = true
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		s, ok := w.shapes[t]
		switch {
		case !ok:
		case n.Kind == yaml.MappingNode && s.Mapping != nil:
			w.mapping(n, s.Mapping, path)
		case n.Kind == yaml.SequenceNode && s.List != nil:
			w.sequence(n, s.List, path)
		}
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
			w.sequence(n, t, path)
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			w.entries(n, t, path)
		}
	}
}

// sequence checks the elements of a list against the slice or array t.
func (w *walker) sequence(n *yaml.Node, t reflect.Type, path string) {
	for i, e := range n.Content {
		w.walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
	}
}

// mapping checks the keys of a mapping against struct t, following merge
// keys (<<) into the mappings they merge.
func (w *walker) mapping(n *yaml.Node, t reflect.Type, path string) {
	fields := w.structFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 {
			w.merge(v, t, path)
			continue
		}
		if ft, ok := fields.types[k.Value]; ok {
			w.walk(v, ft, join(path, k.Value))
			continue
		}
		if k.Kind == yaml.ScalarNode {
			w.add(k, join(path, k.Value), unknownField(k.Value, fields.names))
		}
	}
}

// merge checks the mapping, or list of mappings, of a merge key. A list
// is walked once per type, as an anchored node is by walk: a list that
// merges itself ends.
func (w *walker) merge(v *yaml.Node, t reflect.Type, path string) {
	list := v
	if list.Kind == yaml.AliasNode && list.Alias != nil {
		list = list.Alias
	}
	if list.Kind != yaml.SequenceNode {
		w.walk(v, t, path)
		return
	}
	if list.Anchor != "" {
		if w.seen[visit{list, t}] {
			return
		}
		w.seen[visit{list, t}] = true
	}
	for _, e := range list.Content {
		w.walk(e, t, path)
	}
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
		w.add(n, path, &MisreadError{Value: n.Value, As: as, Key: key})
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

// structFields are the fields of a struct as encoding/json reads them.
type structFields struct {
	types map[string]reflect.Type // by json name
	names []string                // the json names, sorted
}

// structFields returns the fields of struct t, computed once per type.
func (w *walker) structFields(t reflect.Type) structFields {
	if f, ok := w.fields[t]; ok {
		return f
	}
	types := jsonFields(t)
	f := structFields{types: types, names: slices.Sorted(maps.Keys(types))}
	w.fields[t] = f
	return f
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
			maps.Copy(out, jsonFields(f.Type))
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
