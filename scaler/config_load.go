package scaler

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/prescale-dev/prescale/pkg/scalar"
)

// LoadConfig reads and parses the configuration file at path (see
// ParseConfig). It does not validate: apply flag overrides, then call
// Validate.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading scaler configuration: %w", err)
	}
	return ParseConfig(data, path)
}

// ParseConfig decodes a ScalerConfig strictly, reporting every unknown or
// duplicate key (an unknown one with the known field it most likely
// means), every value of the wrong type, and every unquoted name YAML 1.1
// reads as a boolean, number or null (see package scalar), with its path,
// line and column (as *ConfigError values joined), then fills the
// defaults. file names the source in errors.
func ParseConfig(data []byte, file string) (Config, error) {
	doc, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return Config{}, &ConfigError{File: file, Field: "(document)", Err: err}
	}
	var tree any
	if err := json.Unmarshal(doc, &tree); err != nil || tree == nil {
		return Config{}, &ConfigError{File: file, Field: "(document)", Err: errors.New("empty or not a mapping")}
	}
	report, err := scalar.Check(data, reflect.TypeFor[Config]())
	if err != nil {
		return Config{}, &ConfigError{File: file, Field: "(document)", Err: err}
	}
	var errs []error
	for _, e := range report.Errors {
		errs = append(errs, &ConfigError{File: file, Line: e.Line, Column: e.Column, Field: e.Field, Err: e.Err})
	}
	checkFields(tree, reflect.TypeFor[Config](), "", &errs)
	errs = firstPerField(errs)
	for _, err := range errs {
		var ce *ConfigError
		if errors.As(err, &ce) && ce.Line == 0 {
			ce.File = file
			p := report.Pos(ce.Field)
			ce.Line, ce.Column = p.Line, p.Column
		}
	}
	if len(errs) == 0 {
		var c Config
		if err := yaml.UnmarshalStrict(data, &c); err != nil {
			return Config{}, &ConfigError{File: file, Field: "(document)", Err: err}
		}
		return c.withDefaults(), nil
	}
	return Config{}, errors.Join(errs...)
}

// firstPerField keeps the first error of each field: a misread scalar is
// also a value of the wrong type to checkFields.
func firstPerField(errs []error) []error {
	seen := map[string]bool{}
	out := errs[:0]
	for _, err := range errs {
		var ce *ConfigError
		if errors.As(err, &ce) {
			if seen[ce.Field] {
				continue
			}
			seen[ce.Field] = true
		}
		out = append(out, err)
	}
	return out
}

// checkFields reports, with their paths, the values that do not decode
// into their field's type; unknown keys are package scalar's.
func checkFields(v any, t reflect.Type, path string, errs *[]error) {
	list, isList := v.([]any)
	obj, isObj := v.(map[string]any)
	switch {
	case v == nil:
	case t.Kind() == reflect.Slice && isList:
		for i, item := range list {
			checkFields(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs)
		}
	case t.Kind() == reflect.Struct && isObj:
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if ft, ok := fields[k]; ok {
				checkFields(obj[k], ft, joinPath(path, k), errs)
			}
		}
	default:
		raw, _ := json.Marshal(v) // v came from JSON: it marshals.
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			*errs = append(*errs, &ConfigError{Field: path, Err: leafError(err)})
		}
	}
}

// leafError shortens encoding/json's type errors to what the user needs.
func leafError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		article := "a"
		if te.Value != "" && strings.ContainsRune("aeiou", rune(te.Value[0])) {
			article = "an"
		}
		return fmt.Errorf("%s %s does not fit: want %s", article, te.Value, kindName(te.Type))
	}
	return err
}

// kindName names a Go type the way a YAML user reads it.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	}
	return t.String()
}

// jsonFields maps the JSON names of t's fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
