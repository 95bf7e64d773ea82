package scaledobject

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/prescale-dev/prescale/pkg/field"
	"github.com/prescale-dev/prescale/simulator/scaledobject/v1alpha1"
)

// The apiVersion and kind of a KEDA ScaledObject.
const (
	APIVersion = "keda.sh/v1alpha1"
	Kind       = "ScaledObject"
)

// Document is one ScaledObject decoded from a file, with the lines of its
// fields for error messages.
type Document struct {
	// Object is the ScaledObject, in v1alpha1's mirror of KEDA's API type.
	Object *v1alpha1.ScaledObject
	// File names the file in error messages; empty for none.
	File string
	// lines maps field paths ("spec.triggers[0].metadata.query") to the
	// 1-based line of their key; nil when unknown.
	lines map[string]int
}

// NewDocument wraps a ScaledObject built in code (not read from a file)
// for Map; its errors carry no line.
func NewDocument(so *v1alpha1.ScaledObject) *Document { return &Document{Object: so} }

// Line returns the line of the field at path, or of its closest enclosing
// field the file gives, or 0 when unknown.
func (d *Document) Line(path string) int {
	for p := path; p != ""; p = parent(p) {
		if l, ok := d.lines[p]; ok {
			return l
		}
	}
	return d.lines[""]
}

// parent strips the last element of a path: a.b[2] -> a.b, a.b -> a.
func parent(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// Load reads the file at path and decodes its ScaledObject as Decode does.
func Load(path, name string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading ScaledObject file: %w", err)
	}
	return Decode(data, path, name)
}

// manifest is one YAML document of a file.
type manifest struct {
	root                   *yaml.Node // the document's mapping
	apiVersion, kind, name string
}

// Decode reads a YAML file of one or more documents (file names it in
// errors) and strictly decodes its ScaledObject: the one called name, or,
// with name empty, the only one. Documents of other kinds are skipped.
// Errors are *field.Error values naming the file, line and field, joined,
// wrapping ErrInvalid; ErrNotFound and ErrAmbiguous report the choice.
func Decode(data []byte, file, name string) (*Document, error) {
	docs, err := manifests(data)
	if err != nil {
		return nil, &field.Error{File: file, Err: fmt.Errorf("parsing YAML: %w: %w", err, ErrInvalid)}
	}
	m, err := choose(docs, name)
	if err != nil {
		return nil, &field.Error{File: file, Err: err}
	}
	d := &Document{File: file, lines: map[string]int{"": m.root.Line}}
	p := &problems{doc: d}
	if m.apiVersion != APIVersion {
		p.invalid("apiVersion", "a ScaledObject must be %s, not %q", APIVersion, m.apiVersion)
	}
	sh := shape{lines: d.lines, errs: p}
	sh.walk(m.root, reflect.TypeFor[v1alpha1.ScaledObject](), "", false)
	if _, ok := d.lines["spec"]; !ok {
		p.invalid("spec", "required")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	so, err := strict(m.root)
	if err != nil {
		return nil, d.errorAt("", &problem{kind: ErrInvalid, cause: err})
	}
	d.Object = so
	return d, nil
}

// strict decodes a checked document with sigs.k8s.io/yaml's strict mode,
// as the Kubernetes tools do: the last word on what decodes.
func strict(root *yaml.Node) (*v1alpha1.ScaledObject, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("re-encoding the document: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("re-encoding the document: %w", err)
	}
	var so v1alpha1.ScaledObject
	if err := sigsyaml.UnmarshalStrict(buf.Bytes(), &so); err != nil {
		return nil, fmt.Errorf("decoding: %w", err)
	}
	return &so, nil
}

// manifests splits a YAML stream into its non-empty documents.
func manifests(data []byte) ([]manifest, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []manifest
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
			continue
		}
		m := manifest{root: root}
		if root.Kind == yaml.MappingNode {
			m.apiVersion = scalarAt(root, "apiVersion")
			m.kind = scalarAt(root, "kind")
			if md := valueAt(root, "metadata"); md != nil {
				m.name = scalarAt(md, "name")
			}
		}
		out = append(out, m)
	}
}

// choose picks the ScaledObject called name, or the only one.
func choose(docs []manifest, name string) (manifest, error) {
	var found []manifest
	var names []string
	for _, m := range docs {
		if m.kind != Kind {
			continue
		}
		names = append(names, fmt.Sprintf("%q (line %d)", m.name, m.root.Line))
		if name == "" || m.name == name {
			found = append(found, m)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(names) == 0:
		return manifest{}, fmt.Errorf("%w of kind %s in the file's %d documents", ErrNotFound, Kind, len(docs))
	case len(found) == 0:
		return manifest{}, fmt.Errorf("%w named %q: the file holds %s", ErrNotFound, name, strings.Join(names, ", "))
	case name == "":
		return manifest{}, fmt.Errorf("%w: the file holds %s", ErrAmbiguous, strings.Join(names, ", "))
	}
	return manifest{}, fmt.Errorf("%w: %d are named %q", ErrAmbiguous, len(found), name)
}

// valueAt returns the value of key in a mapping node, or nil.
func valueAt(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// scalarAt returns the scalar value of key in a mapping node, or "".
func scalarAt(m *yaml.Node, key string) string {
	if v := valueAt(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}
