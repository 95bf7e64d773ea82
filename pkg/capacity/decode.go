package capacity

import (
	"bytes"
	"encoding/json"
	"errors"
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

	"github.com/prescale-dev/prescale/pkg/field"
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
// naming its field and, where the file has it, its line and column; an
// unknown field suggests the known one it most likely means). A price book
// file is read from fsys; a nil fsys makes spec.priceBook.file an error.
func ParseConfig(data []byte, fsys fs.FS) (*Config, error) {
	var c Config
	report, err := decodeStrict(data, &c)
	if err != nil {
		return nil, err
	}
	if err := c.loadPriceBook(fsys); err != nil {
		return nil, locate(err, report)
	}
	if err := c.Validate(); err != nil {
		return nil, locate(err, report)
	}
	return &c, nil
}

// locate sets the line and column of every *FieldError in err (a join or
// a single error) that has none from its field's position in report.
func locate(err error, report *scalar.Report) error {
	list := joined(err)
	out := make([]error, len(list))
	for i, e := range list {
		var fe *FieldError
		if errors.As(e, &fe) && fe.File == "" {
			c := *fe
			out[i] = report.Locate(&c)
			continue
		}
		out[i] = e
	}
	return errors.Join(out...)
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
	if _, err := decodeStrict(data, &book); err != nil {
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
// document's shape against v's type collecting every error with its path
// and position, and only then decodes into v. Package scalar walks the
// YAML text: it reports every unknown key with its line and column and the
// closest known field, and every plain scalar that YAML 1.1 reads as a
// boolean, number or null where v has a string (the conversion would
// silently turn it into "false"); the decoded document is then checked for
// values of the wrong type, located by the positions scalar recorded. The
// report locates later errors about the decoded value.
func decodeStrict(data []byte, v any) (*scalar.Report, error) {
	j, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return nil, &FieldError{Err: fmt.Errorf("parsing YAML: %w", err)}
	}
	t := reflect.TypeOf(v).Elem()
	report, err := scalar.Check(data, t, shapes...)
	if err != nil {
		return nil, &FieldError{Err: err}
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, &FieldError{Err: fmt.Errorf("parsing YAML: %w", err)}
	}
	if doc == nil {
		return nil, &FieldError{Err: fmt.Errorf("empty document")}
	}
	errs := fieldErrors{report: report}
	for _, e := range report.Errors {
		errs.errs = append(errs.errs, e)
	}
	checkShape(&errs, doc, t, "")
	field.SortByPosition(errs.errs)
	if err := errs.err(); err != nil {
		return nil, err
	}
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		return nil, &FieldError{Err: fmt.Errorf("decoding: %w", err)}
	}
	return report, nil
}

// shapes tells package scalar how to walk the types that decode
// themselves: a list of replica points and a headroom mapping.
var shapes = []scalar.Shape{
	{Type: reflect.TypeFor[Replicas](), List: reflect.TypeFor[[]ReplicaPoint]()},
	{Type: reflect.TypeFor[HeadroomSpec](), Mapping: reflect.TypeFor[headroomFields]()},
}

// headroomFields are the keys a headroom mapping accepts, with both
// spellings of utilizationTarget (see HeadroomSpec.UnmarshalJSON).
type headroomFields struct {
	ZoneLoss          bool     `json:"zoneLoss"`
	UtilizationTarget *float64 `json:"utilizationTarget"`
	UtilisationTarget *float64 `json:"utilisationTarget"`
	RolloutSurge      *bool    `json:"rolloutSurge"`
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// checkShape walks doc (a decoded JSON value) against the Go type t and
// records wrongly typed values under their paths; unknown fields are
// package scalar's.
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

// checkUnmarshaler runs t's own UnmarshalJSON on doc and records its
// error, unless package scalar has reported a problem inside the value
// already (an unknown key, which UnmarshalJSON also rejects).
func checkUnmarshaler(errs *fieldErrors, doc any, t reflect.Type, path string) {
	if errs.reportedIn(path) {
		return
	}
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

// checkStruct checks the known fields of a mapping against the json-tagged
// fields of t; field names match exactly (JSON's case-insensitive matching
// is not allowed), and the others are reported by package scalar.
func checkStruct(errs *fieldErrors, doc any, t reflect.Type, path string) {
	m, ok := doc.(map[string]any)
	if !ok {
		errs.add(path, "must be a mapping")
		return
	}
	fields := jsonFields(t)
	for _, k := range sortedKeys(m) {
		if ft, ok := fields[k]; ok {
			checkShape(errs, m[k], ft, joinPath(path, k))
		}
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
