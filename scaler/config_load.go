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
// duplicate key, and every unquoted name YAML 1.1 reads as a boolean,
// number or null (see package scalar), with its path (as *ConfigError
// values joined), then fills the defaults. file names the source in
// errors.
func ParseConfig(data []byte, file string) (Config, error) {
	doc, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", file, &ConfigError{Field: "(document)", Err: err})
	}
	var tree any
	if err := json.Unmarshal(doc, &tree); err != nil || tree == nil {
		return Config{}, fmt.Errorf("%s: %w", file, &ConfigError{Field: "(document)", Err: errors.New("empty or not a mapping")})
	}
	errs, err := misreadScalars(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", file, &ConfigError{Field: "(document)", Err: err})
	}
	checkFields(tree, reflect.TypeFor[Config](), "", &errs)
	errs = firstPerField(errs)
	if len(errs) == 0 {
		var c Config
		if err := yaml.UnmarshalStrict(data, &c); err != nil {
			errs = append(errs, &ConfigError{Field: "(document)", Err: err})
		} else {
			return c.withDefaults(), nil
		}
	}
	return Config{}, fmt.Errorf("%s: %w", file, errors.Join(errs...))
}

// misreadScalars reports the unquoted names YAML 1.1 reads as booleans,
// numbers or null, with their lines.
func misreadScalars(data []byte) ([]error, error) {
	misread, err := scalar.Check(data, reflect.TypeFor[Config]())
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, e := range misread {
		errs = append(errs, &ConfigError{Field: e.Field, Err: fmt.Errorf("line %d: %w", e.Line, e.Err)})
	}
	return errs, nil
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

// checkFields reports, with their paths, the keys of v that t has no
// field for and the values that do not decode into their field's type.
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
			p := joinPath(path, k)
			ft, ok := fields[k]
			if !ok {
				*errs = append(*errs, &ConfigError{Field: p, Err: errors.New("unknown field")})
				continue
			}
			checkFields(obj[k], ft, p, errs)
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
		return fmt.Errorf("a %s does not fit: want %s", te.Value, kindName(te.Type))
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
