package scalar

import (
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
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

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // "line field: message" of each error, in order
	}{
		{"quoted and plain strings pass", "name: \"no\"\nlines: ['off', web]\nlabels: {\"on\": x}\n", nil},
		{"boolean name", "name: no\n", []string{`line 1: name: must be a string, but YAML 1.1 reads no as a boolean: quote it ("no")`}},
		{"list items", "lines:\n- web\n- off\n- 'y'\n- n\n", []string{
			`line 3: lines[1]: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`,
			`line 5: lines[3]: must be a string, but YAML 1.1 reads n as a boolean: quote it ("n")`}},
		{"number", "name: 1.10\n", []string{`line 1: name: must be a string, but YAML 1.1 reads 1.10 as a number: quote it ("1.10")`}},
		{"null", "name: ~\n", []string{`line 1: name: must be a string, but YAML 1.1 reads ~ as null: quote it ("~")`}},
		{"empty", "name:\ncount: 1\n", []string{`line 1: name: must be a string, but the value is empty, which YAML reads as null: write "" or remove the key`}},
		{"map key", "prices:\n  yes: 0.1\n  m5: 0.2\n", []string{`line 2: prices["yes"]: key must be a string, but YAML 1.1 reads yes as a boolean: quote it ("yes")`}},
		{"map value", "labels: {team: on}\n", []string{`line 1: labels["team"]: must be a string, but YAML 1.1 reads on as a boolean: quote it ("on")`}},
		{"pointer", "ptr: off\n", []string{`line 1: ptr: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`}},
		{"nested", "nested:\n- zone: a\n- zone: 2\n", []string{`line 3: nested[1].zone: must be a string, but YAML 1.1 reads 2 as a number: quote it ("2")`}},
		{"inlined", "inlined: Y\n", []string{`line 1: inlined: must be a string, but YAML 1.1 reads Y as a boolean: quote it ("Y")`}},
		{"non-string fields are the decoder's", "count: no\non: yes\nself: off\nunknown: no\n", nil},
		{"tagged string", "name: !!str no\n", nil},
		{"block scalar", "name: |\n  no\n", nil},
		{"alias", "lines: [&a off, *a]\n", []string{`line 1: lines[0]: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`}},
		{"merge key", "base: &b {name: no}\nnested:\n- <<: *b\n  zone: x\n", nil},
		{"merge into struct", "<<: {name: off}\n", []string{`line 1: name: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`}},
		{"wrong shapes are the decoder's", "name: [a]\nlines: x\nprices: 3\n", nil},
		{"empty document", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, err := Check([]byte(tt.yaml), reflect.TypeFor[doc]())
			require.NoError(t, err)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
				assert.ErrorIs(t, e, ErrNotString)
				var me *MisreadError
				assert.True(t, errors.As(e, &me), "%v is not a *MisreadError", e)
			}
			assert.Equal(t, tt.want, got, "Check(%q)", tt.yaml)
		})
	}
}

func TestCheckSyntaxError(t *testing.T) {
	_, err := Check([]byte("name: [a\n"), reflect.TypeFor[doc]())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "parsing YAML")
}

// FuzzCheck checks that Check never panics and that every scalar it
// reports is plain, written where the document has it, and misread.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"name: no\n", "lines: [a, off, 3]\nprices: {yes: 1}\n", "nested: [{zone: ~}]\n",
		"a: &x [*x]\n", "<<: [{name: 1}, {inlined: n}]\n", "labels: {? [a] : b}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		errs, err := Check(data, reflect.TypeFor[doc]())
		if err != nil {
			return
		}
		var n yaml.Node
		require.NoError(t, yaml.Unmarshal(data, &n))
		for _, e := range errs {
			var me *MisreadError
			require.True(t, errors.As(e, &me))
			require.NotEmpty(t, Misread(me.Value), "reported %q, which is a string", me.Value)
			require.Positive(t, e.Line)
		}
	})
}
