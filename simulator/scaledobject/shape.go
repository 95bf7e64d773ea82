package scaledobject

import (
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// shape checks a YAML tree against the Go type it decodes into, as a
// strict decoder would, but collecting every problem with its path and
// line, and records the line of every key it meets.
type shape struct {
	lines map[string]int
	errs  *problems
}

// walk checks n against t at path; spec is set under spec, where fields
// without omitempty are required, as KEDA's CRD makes them.
func (s *shape) walk(n *yaml.Node, t reflect.Type, path string, spec bool) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && tag(n) == "!!null" {
		return // null leaves the zero value, as in JSON
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		s.unmarshal(n, t, path)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		s.walk(n, t.Elem(), path, spec)
	case reflect.Struct:
		s.object(n, t, path, spec)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			s.errs.invalid(path, "must be a list, not %s", kindName(n))
			return
		}
		for i, e := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			s.lines[p] = e.Line
			s.walk(e, t.Elem(), p, spec)
		}
	case reflect.Map:
		s.mapping(n, t, path, spec)
	case reflect.Interface:
	default:
		s.scalar(n, t, path)
	}
}

// pairs returns the key/value pairs of a mapping, merge keys (<<)
// expanded, reporting duplicate keys: sigs.k8s.io/yaml's strict mode
// rejects a key a merge also sets, so this does too.
func (s *shape) pairs(n *yaml.Node, path string) [][2]*yaml.Node {
	var out [][2]*yaml.Node
	seen := map[string]int{}
	var merges [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, [2]*yaml.Node{k, v})
			continue
		}
		if line, dup := seen[k.Value]; dup {
			s.errs.invalidLine(k.Line, join(path, k.Value), "duplicate key (first on line %d)", line)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, [2]*yaml.Node{k, v})
	}
	for _, mk := range merges {
		m := mk[1]
		if m.Kind == yaml.AliasNode {
			m = m.Alias
		}
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, src := range srcs {
			if src.Kind == yaml.AliasNode {
				src = src.Alias
			}
			if src.Kind != yaml.MappingNode {
				s.errs.invalid(path, "a merge key (<<) must merge mappings, not %s", kindName(src))
				continue
			}
			for _, kv := range s.pairs(src, path) {
				if line, dup := seen[kv[0].Value]; dup {
					s.errs.invalidLine(line, join(path, kv[0].Value), "set twice: also by the merge key (<<) on line %d", mk[0].Line)
					continue
				}
				seen[kv[0].Value] = kv[0].Line
				out = append(out, kv)
			}
		}
	}
	return out
}

// object checks a mapping against the struct t.
func (s *shape) object(n *yaml.Node, t reflect.Type, path string, spec bool) {
	if n.Kind != yaml.MappingNode {
		s.errs.invalid(path, "must be a mapping, not %s", kindName(n))
		return
	}
	fields := jsonFields(t)
	given := map[string]bool{}
	for _, kv := range s.pairs(n, path) {
		k, v := kv[0], kv[1]
		p := join(path, k.Value)
		s.lines[p] = k.Line
		f, ok := fields[k.Value]
		if !ok {
			s.errs.invalid(p, "unknown field%s", didYouMean(k.Value, slices.Sorted(maps.Keys(fields))))
			continue
		}
		given[k.Value] = true
		s.walk(v, f.typ, p, spec || p == "spec")
	}
	if !spec {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if fields[name].required && !given[name] {
			s.errs.invalid(join(path, name), "required")
		}
	}
}

// mapping checks a mapping against the map type t (string keys).
func (s *shape) mapping(n *yaml.Node, t reflect.Type, path string, spec bool) {
	if n.Kind != yaml.MappingNode {
		s.errs.invalid(path, "must be a mapping, not %s", kindName(n))
		return
	}
	for _, kv := range s.pairs(n, path) {
		k, v := kv[0], kv[1]
		p := key(path, k.Value)
		s.lines[p] = k.Line
		if k.Kind != yaml.ScalarNode || (tag(k) != "!!str" && t.Key().Kind() == reflect.String) {
			s.errs.invalid(p, "key must be a string, not %s: quote it", kindName(k))
			continue
		}
		s.walk(v, t.Elem(), p, spec)
	}
}

// jsonField is a field of a struct as encoding/json sees it.
type jsonField struct {
	typ      reflect.Type
	required bool
}

// jsonFields returns the fields of struct t by JSON name, embedded
// structs without a name inlined. A field without omitempty is required.
func jsonFields(t reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for i := range t.NumField() {
		f := t.Field(i)
		tagv, hasTag := f.Tag.Lookup("json")
		name, opts, _ := strings.Cut(tagv, ",")
		if name == "-" && opts == "" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if !hasTag || name == "" {
			name = f.Name
		}
		omit := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
		out[name] = jsonField{typ: f.Type, required: !omit}
	}
	return out
}

// join appends a struct field to a path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// key appends a map key to a path: .key when it reads as a name, else
// [key] as Kubernetes writes it.
func key(path, k string) string {
	if plainKey.MatchString(k) {
		return join(path, k)
	}
	return path + "[" + k + "]"
}
