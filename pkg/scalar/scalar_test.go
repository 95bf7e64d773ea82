package scalar

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/field"
)

// doc is a document type with every shape Check walks.
type doc struct {
	Name   string             `json:"name"`
	Lines  []string           `json:"lines"`
	Prices map[string]float64 `json:"prices"`
	Labels map[string]string  `json:"labels"`
	Ptr    *string            `json:"ptr,omitempty"`
	Count  int                `json:"count"`
	On     bool               `json:"on"`
	Nested []struct {
		Zone string `json:"zone"`
	} `json:"nested"`
	Inline
	Self selfDecoding `json:"self"`
}

// Inline is embedded without a json name: its fields are the parent's.
type Inline struct {
	Inlined string `json:"inlined"`
}

// selfDecoding decodes itself, so Check leaves it alone.
type selfDecoding string

func (s *selfDecoding) UnmarshalJSON([]byte) error { return nil }

func TestMisread(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"no", "a boolean"}, {"No", "a boolean"}, {"NO", "a boolean"}, {"nO", "a boolean"},
		{"off", "a boolean"}, {"On", "a boolean"}, {"y", "a boolean"}, {"N", "a boolean"},
		{"yes", "a boolean"}, {"TRUE", "a boolean"}, {"False", "a boolean"},
		{"~", "null"}, {"null", "null"}, {"NULL", "null"}, {"", "null"},
		{"12", "a number"}, {"-3", "a number"}, {"+7", "a number"}, {"1.10", "a number"},
		{"1e3", "a number"}, {".5", "a number"}, {"0x1F", "a number"}, {"0o17", "a number"},
		{"017", "a number"}, {"08", "a number"}, {"1_000", "a number"}, {"0b101", "a number"},
		{".inf", "a number"}, {"-.Inf", "a number"}, {".nan", "a number"},
		{"norway", ""}, {"m5.large", ""}, {"eu-west-1a", ""}, {"1.2.3", ""}, {"yes-please", ""},
		{"-", ""}, {"_", ""}, {"Inf", ""}, {"0x", ""}, {"2024-11-11", ""}, {"1:20", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, Misread(tt.in), "Misread(%q)", tt.in)
		})
	}
}

// render returns each error's message: "line L, column C: field: message".
func render(errs []*field.Error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestCheckMisread(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each error, in order
	}{
		{"quoted and plain strings pass", "name: \"no\"\nlines: ['off', web]\nlabels: {\"on\": x}\n", nil},
		{"boolean name", "name: no\n", []string{`line 1, column 7: name: must be a string, but YAML 1.1 reads no as a boolean: quote it ("no")`}},
		{"list items", "lines:\n- web\n- off\n- 'y'\n- n\n", []string{
			`line 3, column 3: lines[1]: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`,
			`line 5, column 3: lines[3]: must be a string, but YAML 1.1 reads n as a boolean: quote it ("n")`}},
		{"number", "name: 1.10\n", []string{`line 1, column 7: name: must be a string, but YAML 1.1 reads 1.10 as a number: quote it ("1.10")`}},
		{"null", "name: ~\n", []string{`line 1, column 7: name: must be a string, but YAML 1.1 reads ~ as null: quote it ("~")`}},
		{"empty", "name:\ncount: 1\n", []string{`line 1, column 6: name: must be a string, but the value is empty, which YAML reads as null: write "" or remove the key`}},
		{"map key", "prices:\n  yes: 0.1\n  m5: 0.2\n", []string{`line 2, column 3: prices["yes"]: key must be a string, but YAML 1.1 reads yes as a boolean: quote it ("yes")`}},
		{"map value", "labels: {team: on}\n", []string{`line 1, column 16: labels["team"]: must be a string, but YAML 1.1 reads on as a boolean: quote it ("on")`}},
		{"pointer", "ptr: off\n", []string{`line 1, column 6: ptr: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`}},
		{"nested", "nested:\n- zone: a\n- zone: 2\n", []string{`line 3, column 9: nested[1].zone: must be a string, but YAML 1.1 reads 2 as a number: quote it ("2")`}},
		{"inlined", "inlined: Y\n", []string{`line 1, column 10: inlined: must be a string, but YAML 1.1 reads Y as a boolean: quote it ("Y")`}},
		{"non-string fields are the decoder's", "count: no\non: yes\nself: off\n", nil},
		{"tagged string", "name: !!str no\n", nil},
		{"block scalar", "name: |\n  no\n", nil},
		{"alias", "lines: [&a off, *a]\n", []string{`line 1, column 9: lines[0]: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`}},
		{"merge into struct", "<<: {name: off}\n", []string{`line 1, column 12: name: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`}},
		{"wrong shapes are the decoder's", "name: [a]\nlines: x\nprices: 3\n", nil},
		{"empty document", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Check([]byte(tt.yaml), reflect.TypeFor[doc]())
			require.NoError(t, err)
			for _, e := range r.Errors {
				assert.ErrorIs(t, e, ErrNotString)
				var me *MisreadError
				assert.True(t, errors.As(e, &me), "%v is not a *MisreadError", e)
			}
			assert.Equal(t, tt.want, render(r.Errors), "Check(%q)", tt.yaml)
		})
	}
}

// point is decoded by its own UnmarshalJSON; the shape tells Check to walk
// its mappings as pointFields and its lists as []pointFields.
type point struct{ X, Y int }

func (p *point) UnmarshalJSON([]byte) error { return nil }

type pointFields struct {
	X int `json:"x"`
	Y int `json:"y"`
}

type shaped struct {
	Point  point  `json:"point"`
	Points *point `json:"points"`
}

var pointShape = Shape{Type: reflect.TypeFor[point](), Mapping: reflect.TypeFor[pointFields](), List: reflect.TypeFor[[]pointFields]()}

func TestCheckUnknown(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		t       reflect.Type
		want    []string // each error, in order
		suggest []string // each error's suggestion
	}{
		{"close to a known field", "nmae: web\ncount: 1\n", reflect.TypeFor[doc](), []string{
			"line 1, column 1: nmae: unknown field: did you mean name?"}, []string{"name"}},
		{"case differs", "Count: 1\n", reflect.TypeFor[doc](), []string{
			"line 1, column 1: Count: unknown field: did you mean count?"}, []string{"count"}},
		{"none close", "colour: red\n", reflect.TypeFor[doc](), []string{
			"line 1, column 1: colour: unknown field (known: count, inlined, labels, lines, name, nested, on, prices, ptr, self)"}, []string{""}},
		{"nested in a list", "nested:\n- zone: a\n- zones: b\n  zonee: c\n", reflect.TypeFor[doc](), []string{
			"line 3, column 3: nested[1].zones: unknown field: did you mean zone?",
			"line 4, column 3: nested[1].zonee: unknown field: did you mean zone?"}, []string{"zone", "zone"}},
		{"in flow style", "nested: [{zone: a, zon: b}]\n", reflect.TypeFor[doc](), []string{
			"line 1, column 20: nested[0].zon: unknown field: did you mean zone?"}, []string{"zone"}},
		{"map keys are not fields", "prices: {anything: 1}\nlabels: {whatever: x}\n", reflect.TypeFor[doc](), nil, nil},
		{"unknown and misread together", "name: off\nnam: x\n", reflect.TypeFor[doc](), []string{
			`line 1, column 7: name: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`,
			"line 2, column 1: nam: unknown field: did you mean name?"}, []string{"name"}},
		{"from a merge", "templates: &b {zone: a, zome: b}\nnested:\n- <<: *b\n", reflect.TypeFor[doc](), []string{
			"line 1, column 1: templates: unknown field (known: count, inlined, labels, lines, name, nested, on, prices, ptr, self)",
			"line 1, column 25: nested[0].zome: unknown field: did you mean zone?"}, []string{"", "zone"}},
		{"an anchor walked once per type", "nested:\n- &z {zone: a, zonw: b}\n- *z\n", reflect.TypeFor[doc](), []string{
			"line 2, column 16: nested[0].zonw: unknown field: did you mean zone?"}, []string{"zone"}},
		{"self-decoding types are the decoder's", "self: {anything: 1}\n", reflect.TypeFor[doc](), nil, nil},
		{"a shape's mapping", "point: {x: 1, depth: 2}\n", reflect.TypeFor[shaped](), []string{
			"line 1, column 15: point.depth: unknown field (known: x, y)"}, []string{""}},
		{"a shape's list", "points:\n- {x: 1}\n- {y: 2, yy: 3}\n", reflect.TypeFor[shaped](), []string{
			"line 3, column 10: points[1].yy: unknown field: did you mean y?"}, []string{"y"}},
		{"a shape's scalar is the decoder's", "point: 3\n", reflect.TypeFor[shaped](), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Check([]byte(tt.yaml), tt.t, pointShape)
			require.NoError(t, err)
			assert.Equal(t, tt.want, render(r.Errors), "Check(%q)", tt.yaml)
			var got []string
			for _, e := range r.Errors {
				var ue *UnknownFieldError
				if errors.As(e, &ue) {
					assert.ErrorIs(t, e, ErrUnknownField)
					assert.NotErrorIs(t, e, ErrNotString)
					got = append(got, ue.Suggestion)
				}
			}
			assert.Equal(t, tt.suggest, got)
		})
	}
}

func TestReportPos(t *testing.T) {
	const text = "name: web\nnested:\n- zone: a\n- zone: b\nprices:\n  \"m5.large\": 1\n  \"a[1].b\": {}\nlines: &l [x]\ninlined: *l\n"
	r, err := Check([]byte(text), reflect.TypeFor[doc]())
	require.NoError(t, err)
	tests := []struct {
		path string
		want Pos
	}{
		{"", Pos{1, 1}},
		{"name", Pos{1, 7}},
		{"nested", Pos{3, 1}},
		{"nested[1]", Pos{4, 3}},
		{"nested[1].zone", Pos{4, 9}},
		{"nested[1].region", Pos{4, 3}},    // missing: its mapping
		{"nested[7].zone", Pos{3, 1}},      // no such element: the list
		{`prices["m5.large"]`, Pos{6, 15}}, // quoted key with a dot
		{`prices["a[1].b"].x`, Pos{7, 13}}, // quoted key with brackets
		{`prices["true"]`, Pos{6, 3}},      // spelt otherwise: the map
		{"lines[0]", Pos{8, 12}},           // the anchor's element
		{"inlined", Pos{9, 10}},            // an alias: where it is written
		{"count", Pos{1, 1}},               // absent: the document
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, r.Pos(tt.path), "Pos(%q)", tt.path)
	}
	assert.Equal(t, Pos{}, (*Report)(nil).Pos("name"))

	e := r.Locate(&field.Error{Field: "nested[0].zone", Err: errors.New("bad")})
	assert.Equal(t, "line 3, column 9: nested[0].zone: bad", e.Error())
	e = r.Locate(&field.Error{Line: 2, Field: "nested[0].zone", Err: errors.New("bad")})
	assert.Equal(t, 2, e.Line, "a line already set is kept")
}

func TestPrefixes(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"", nil},
		{"a", nil},
		{"a.b", []string{"a"}},
		{"a.b[2].c", []string{"a", "a.b", "a.b[2]"}},
		{`p["x.y"]`, []string{"p"}},
		{`p["x]y"].z`, []string{"p", `p["x]y"]`}},
		{`p["unterminated`, []string{"p"}},
		{"a[1", []string{"a"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, prefixes(tt.path), "prefixes(%q)", tt.path)
	}
}

func TestCheckSyntaxError(t *testing.T) {
	_, err := Check([]byte("name: [a\n"), reflect.TypeFor[doc]())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "parsing YAML")
}

// FuzzCheck checks that Check never panics, that every scalar it reports
// is plain and misread, that every unknown field is one the type lacks,
// with a suggestion among the known fields, and that every error and every
// position lies inside the document or at its end.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"name: no\n", "lines: [a, off, 3]\nprices: {yes: 1}\n", "nested: [{zone: ~}]\n",
		"a: &x [*x]\n", "<<: [{name: 1}, {inlined: n}]\n", "labels: {? [a] : b}\n", "nmae: x\nnested: [{zon: a}]\n",
		"nested: &n [{zone: a, <<: *n}]\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Check(data, reflect.TypeFor[doc]())
		if err != nil {
			return
		}
		// An upper bound of the lines: every byte or rune YAML may break a
		// line at counts once, and yaml.v3 places an implicit null one line
		// past the last break of a document such as "---".
		lines := 2 + bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r"))
		for _, r := range "\u0085\u2028\u2029" {
			lines += bytes.Count(data, []byte(string(r)))
		}
		for _, e := range r.Errors {
			require.Positive(t, e.Line)
			require.Positive(t, e.Column)
			require.LessOrEqual(t, e.Line, lines)
			var me *MisreadError
			var ue *UnknownFieldError
			switch {
			case errors.As(e, &me):
				require.NotEmpty(t, Misread(me.Value), "reported %q, which is a string", me.Value)
			case errors.As(e, &ue):
				require.NotContains(t, ue.Known, ue.Name)
				if ue.Suggestion != "" {
					require.Contains(t, ue.Known, ue.Suggestion)
				}
			default:
				t.Fatalf("unexpected error %v", e)
			}
		}
		for path, p := range r.pos {
			require.Positive(t, p.Line, "position of %q", path)
			require.LessOrEqual(t, p.Line, lines, "position of %q", path)
		}
	})
}
