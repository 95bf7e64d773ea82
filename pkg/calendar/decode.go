package calendar

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/prescale-dev/prescale/pkg/field"
	"github.com/prescale-dev/prescale/pkg/scalar"
)

// Parse reads a YAML calendar (apiVersion prescale.dev/v1alpha1, kind
// Calendar) and expands it into a Calendar. file names the source in errors
// and may be empty. Unknown keys are errors. All problems found are returned
// together (errors.Join) as *FieldError values naming the field and, where
// the file has it, its line and column, such as
// "holidays.yaml:12:10: spec.events[3].end: must be after start"; an
// unknown key suggests the known field it most likely means.
func Parse(data []byte, file string) (*Calendar, error) {
	f, report, err := decodeFile(data, file)
	if err != nil {
		return nil, err
	}
	return f.build(file, report)
}

// decodeFile checks the YAML document against File, reporting every
// unknown key with its position and the closest known field, and every
// unquoted name YAML 1.1 reads as a boolean, number or null with its
// position (see package scalar), then every mistyped value with its path
// and position, then decodes it. The report locates later errors.
func decodeFile(data []byte, file string) (*File, *scalar.Report, error) {
	fe := &fieldErrors{file: file}
	doc, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		fe.wrap("", err)
		return nil, nil, fe.err()
	}
	report, err := scalar.Check(data, reflect.TypeFor[File](), yearlyShape)
	if err != nil {
		fe.wrap("", err)
		return nil, nil, fe.err()
	}
	fe.report = report
	for _, e := range report.Errors {
		e.File = file
		fe.errs = append(fe.errs, e)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		fe.wrap("", err)
		return nil, nil, fe.err()
	}
	if tree == nil {
		fe.add("", "empty calendar file")
		return nil, nil, fe.err()
	}
	checkShape(tree, reflect.TypeFor[File](), "", fe)
	field.SortByPosition(fe.errs)
	if err := fe.err(); err != nil {
		return nil, nil, err
	}
	var f File
	if err := yaml.UnmarshalStrict(data, &f); err != nil {
		fe.wrap("", err)
		return nil, nil, fe.err()
	}
	return &f, report, nil
}

// yearlyShape tells package scalar to check the keys of a yearly mapping
// against DateRule's fields.
var yearlyShape = scalar.Shape{Type: reflect.TypeFor[YearlySpec](), Mapping: reflect.TypeFor[DateRule]()}

// checkShape reports, with their paths, the values whose JSON kind does
// not fit t; unknown keys are package scalar's.
func checkShape(v any, t reflect.Type, path string, fe *fieldErrors) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return
	}
	if obj, ok := v.(map[string]any); ok && t.Kind() == reflect.Struct {
		checkObject(obj, t, path, fe)
		return
	}
	if u, ok := reflect.New(t).Interface().(json.Unmarshaler); ok {
		raw, _ := json.Marshal(v) // v came from JSON: it marshals.
		if err := u.UnmarshalJSON(raw); err != nil {
			fe.wrap(path, err)
		}
		return
	}
	if want := kindMismatch(v, t); want != "" {
		fe.add(path, "must be %s, got %s", want, jsonKind(v))
		return
	}
	if arr, ok := v.([]any); ok {
		for i, item := range arr {
			checkShape(item, t.Elem(), path+"["+strconv.Itoa(i)+"]", fe)
		}
	}
}

// checkObject checks the known keys of obj against the JSON fields of
// struct t.
func checkObject(obj map[string]any, t reflect.Type, path string, fe *fieldErrors) {
	fields := jsonFields(t)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		sub := k
		if path != "" {
			sub = path + "." + k
		}
		if ft, ok := fields[k]; ok {
			checkShape(obj[k], ft, sub, fe)
		}
	}
}

// jsonFields maps the JSON names of the fields of struct t, including those
// of embedded structs without a name, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type)
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			for k, v := range jsonFields(f.Type) {
				fields[k] = v
			}
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			fields[name] = f.Type
		}
	}
	return fields
}

// kindMismatch returns what t needs if v cannot decode into it, or "".
// Strings accept numbers and booleans, which the YAML decoder turns into
// strings: scalar.Check has reported the unquoted ones, such as "no"
// (Norway), which would silently become "false".
func kindMismatch(v any, t reflect.Type) string {
	var ok bool
	var want string
	switch t.Kind() {
	case reflect.Struct:
		_, ok = v.(map[string]any)
		want = "a mapping"
	case reflect.Slice:
		_, ok = v.([]any)
		want = "a list"
	case reflect.Bool:
		_, ok = v.(bool)
		want = "a boolean"
	case reflect.String:
		switch v.(type) {
		case string, json.Number, bool:
			ok = true
		}
		want = "a string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, isNum := v.(json.Number)
		_, err := n.Int64()
		ok = isNum && err == nil
		want = "an integer"
	case reflect.Float64:
		n, isNum := v.(json.Number)
		_, err := n.Float64()
		ok = isNum && err == nil
		want = "a number"
	default:
		ok = true
	}
	if ok {
		return ""
	}
	return want
}

// jsonKind names the JSON kind of v for error messages.
func jsonKind(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case bool:
		return "a boolean"
	case json.Number:
		return "number " + v.String()
	case string:
		return "string " + strconv.Quote(v)
	}
	return "null"
}
