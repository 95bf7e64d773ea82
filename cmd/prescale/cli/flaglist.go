package cli

import (
	"strings"
)

// listFlag is a pflag.Value for a comma-separated list: the first Set
// replaces the default, later ones append, as pflag's slices do. An empty
// argument ("") sets an empty list when empty is set, and is parsed as one
// element otherwise.
type listFlag[T any] struct {
	dst     *[]T
	typ     string
	parse   func(string) (T, error)
	format  func([]T) string
	empty   bool
	changed bool
}

func (v *listFlag[T]) String() string { return "[" + v.format(*v.dst) + "]" }
func (v *listFlag[T]) Type() string   { return v.typ }

func (v *listFlag[T]) Set(s string) error {
	var out []T
	if !v.empty || strings.TrimSpace(s) != "" {
		for _, part := range strings.Split(s, ",") {
			x, err := v.parse(part)
			if err != nil {
				return err
			}
			out = append(out, x)
		}
	}
	if v.changed {
		*v.dst = append(*v.dst, out...)
	} else {
		*v.dst = out
	}
	v.changed = true
	return nil
}
