package capacity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/prescale-dev/prescale/pkg/scalar"
)

// LoadConfig reads, strictly decodes and validates the planning file at
// path; a price book file it names is read relative to path's directory.
// Errors name the file and the field.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading planning file: %w", err)
	}
	c, err := ParseConfig(data, os.DirFS(filepath.Dir(path)))
	return c, withFile(err, path)
}

// ParseConfig strictly decodes and validates a planning file: unknown
// fields, duplicate keys and values of the wrong type are errors, and every
// problem found is reported (joined with errors.Join, each a *FieldError
// naming its field). A price book file is read from fsys; a nil fsys makes
// spec.priceBook.file an error.
func ParseConfig(data []byte, fsys fs.FS) (*Config, error) {
	var c Config
	if err := decodeStrict(data, &c); err != nil {
		return nil, err
	}
	if err := c.loadPriceBook(fsys); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// loadPriceBook merges the price book file, if any, under the inline prices.
func (c *Config) loadPriceBook(fsys fs.FS) error {
	pb := c.Spec.PriceBook
	if pb == nil || pb.File == "" {
		return nil
	}
	const field = "spec.priceBook.file"
	if fsys == nil {
		return &FieldError{Field: field, Err: fmt.Errorf("no directory to read %q from", pb.File)}
	}
	data, err := fs.ReadFile(fsys, filepath.ToSlash(filepath.Clean(pb.File)))
	if err != nil {
		return &FieldError{Field: field, Err: fmt.Errorf("reading price book: %w", err)}
	}
	var book PriceBookFile
	if err := decodeStrict(data, &book); err != nil {
		return withFile(err, pb.File)
	}
	if book.APIVersion != APIVersion || book.Kind != PriceBookKind {
		return &FieldError{File: pb.File, Err: fmt.Errorf("must be apiVersion %s, kind %s", APIVersion, PriceBookKind)}
	}
	merged := make(map[string]float64, len(book.Prices)+len(pb.Prices))
	for k, v := range book.Prices {
		merged[k] = v
	}
	for k, v := range pb.Prices {
		merged[k] = v
	}
	pb.Prices = merged
	return nil
}

// decodeStrict converts YAML to JSON (rejecting duplicate keys), checks the
// document's shape against v's type collecting every error with its path,
// and only then decodes into v. A plain scalar that YAML 1.1 reads as a
// boolean, number or null where v has a string is an error with its line
// (see package scalar): the conversion would silently turn it into "false".
func decodeStrict(data []byte, v any) error {
	j, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return &FieldError{Err: fmt.Errorf("parsing YAML: %w", err)}
	}
	misread, err := scalar.Check(data, reflect.TypeOf(v).Elem())
	if err != nil {
		return &FieldError{Err: err}
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return &FieldError{Err: fmt.Errorf("parsing YAML: %w", err)}
	}
	if doc == nil {
		return &FieldError{Err: fmt.Errorf("empty document")}
	}
	var errs fieldErrors
	for _, e := range misread {
		errs.errs = append(errs.errs, e)
	}
	checkShape(&errs, doc, reflect.TypeOf(v).Elem(), "")
	if err := errs.err(); err != nil {
		return err
	}
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		return &FieldError{Err: fmt.Errorf("decoding: %w", err)}
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// checkShape walks doc (a decoded JSON value) against the Go type t and
// records unknown fields and wrongly typed values under their paths.
func checkShape(errs *fieldErrors, doc any, t reflect.Type, path string) {
	if doc == nil {
		return
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		checkUnmarshaler(errs, doc, t, path)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkShape(errs, doc, t.Elem(), path)
	case reflect.Struct:
		checkStruct(errs, doc, t, path)
	case reflect.Slice:
		list, ok := doc.([]any)
		if !ok {
			errs.add(path, "must be a list")
			return
		}
		for i, e := range list {
			checkShape(errs, e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		m, ok := doc.(map[string]any)
		if !ok {
			errs.add(path, "must be a mapping")
			return
		}
		for _, k := range sortedKeys(m) {
			checkShape(errs, m[k], t.Elem(), fmt.Sprintf("%s[%s]", path, strconv.Quote(k)))
		}
	default:
		checkScalar(errs, doc, t, path)
	}
}

// checkUnmarshaler runs t's own UnmarshalJSON on doc and records its error.
func checkUnmarshaler(errs *fieldErrors, doc any, t reflect.Type, path string) {
	raw, err := json.Marshal(doc)
	if err != nil {
		errs.addErr(path, err)
		return
	}
	u := reflect.New(t).Interface().(json.Unmarshaler)
	if err := u.UnmarshalJSON(raw); err != nil {
		errs.addErr(path, err)
	}
}

// checkStruct checks a mapping against the json-tagged fields of t; field
// names match exactly (JSON's case-insensitive matching is not allowed).
func checkStruct(errs *fieldErrors, doc any, t reflect.Type, path string) {
	m, ok := doc.(map[string]any)
	if !ok {
		errs.add(path, "must be a mapping")
		return
	}
	fields := jsonFields(t)
	for _, k := range sortedKeys(m) {
		sub := joinPath(path, k)
		ft, ok := fields[k]
		if !ok {
			errs.add(sub, "unknown field (known: %s)", strings.Join(sortedKeys(fields), ", "))
			continue
		}
		checkShape(errs, m[k], ft, sub)
	}
}

// checkScalar checks a string, bool or number against t. Numbers and
// booleans are accepted for strings here: scalar.Check has reported the
// unquoted ones from the YAML text, with their lines.
func checkScalar(errs *fieldErrors, doc any, t reflect.Type, path string) {
	switch t.Kind() {
	case reflect.String:
		switch doc.(type) {
		case string, json.Number, bool:
			return
		}
		errs.add(path, "must be a string")
	case reflect.Bool:
		if _, ok := doc.(bool); !ok {
			errs.add(path, "must be true or false")
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := doc.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			errs.add(path, "must be a whole number")
		}
	case reflect.Float64, reflect.Float32:
		n, ok := doc.(json.Number)
		if _, err := n.Float64(); !ok || err != nil {
			errs.add(path, "must be a number")
		}
	}
}

// jsonFields maps the json names of t's exported fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// sortedKeys returns m's keys in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// joinPath appends a field name to a path.
func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// UnmarshalJSON accepts a Go duration string such as "1h" or "15m".
func (d *Duration) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("must be a duration string such as \"1h\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("must be a duration such as \"1h\" or \"15m\": %w", err)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }
