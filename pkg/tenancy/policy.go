package tenancy

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// ErrTemplate reports a query that does not follow the source's templates:
// a written query where only templates are accepted, an unknown template,
// or missing, unused or invalid arguments.
var ErrTemplate = errors.New("query template")

// Policy confines the queries of one metric source. The zero value
// confines every tenant's queries on DefaultLabel and accepts any query.
type Policy struct {
	// Label is the label that carries the tenant; empty means DefaultLabel.
	Label string
	// Unconfined lists the tenants whose queries are sent as written, for
	// cluster-wide metrics that carry no tenant label. Every other tenant
	// is confined.
	Unconfined []string
	// Templates, when not empty, are the only queries the source accepts,
	// by name. A template refers to its arguments as ${name}.
	Templates map[string]string
}

// Request is one trigger's query: Text as written, or the name of a
// Template of the source with its Args.
type Request struct {
	// Text is a PromQL expression; empty when Template is set.
	Text string
	// Template names one of Policy.Templates.
	Template string
	// Args are the template's arguments, by name.
	Args map[string]string
}

// Resolve returns the query of r as the tenant asked for it (Text, or the
// expanded template) and the query to send to the source: the same,
// confined to tenant by Enforce unless tenant is listed in Unconfined.
// Errors wrap ErrTemplate or one of Enforce's sentinels.
func (p Policy) Resolve(tenant string, r Request) (asked, sent string, err error) {
	asked = r.Text
	switch {
	case r.Template != "":
		if asked, err = p.expand(r.Template, r.Args); err != nil {
			return "", "", err
		}
	case len(p.Templates) > 0:
		return "", "", fmt.Errorf("%w: this source accepts only its named templates (%s)", ErrTemplate, p.templateNames())
	}
	if slices.Contains(p.Unconfined, tenant) {
		return asked, asked, nil
	}
	label := p.Label
	if label == "" {
		label = DefaultLabel
	}
	sent, err = Enforce(asked, label, tenant)
	return asked, sent, err
}

// templateArg matches a template's argument references.
var templateArg = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// maxArgLen bounds an argument's value, in bytes.
const maxArgLen = 253

// expand substitutes args into the named template. Argument values are
// restricted to letters, digits, '.', '_', ':' and '-', so that they
// cannot end the string literal or selector they are placed in.
func (p Policy) expand(name string, args map[string]string) (string, error) {
	tpl, ok := p.Templates[name]
	if !ok {
		return "", fmt.Errorf("%w %q: not a template of this source (%s)", ErrTemplate, excerpt(name), p.templateNames())
	}
	for _, k := range slices.Sorted(maps.Keys(args)) {
		if err := checkArg(args[k]); err != nil {
			return "", fmt.Errorf("%w %q: argument %q: %w", ErrTemplate, name, excerpt(k), err)
		}
	}
	used := map[string]bool{}
	var missing []string
	out := templateArg.ReplaceAllStringFunc(tpl, func(ref string) string {
		k := ref[2 : len(ref)-1]
		v, ok := args[k]
		if !ok {
			missing = append(missing, k)
			return ref
		}
		used[k] = true
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("%w %q: missing arguments %s", ErrTemplate, name, strings.Join(missing, ", "))
	}
	for _, k := range slices.Sorted(maps.Keys(args)) {
		if !used[k] {
			return "", fmt.Errorf("%w %q: unused argument %q", ErrTemplate, name, excerpt(k))
		}
	}
	return out, nil
}

// checkArg accepts 1 to maxArgLen letters, digits, '.', '_', ':' or '-'.
func checkArg(v string) error {
	if v == "" || len(v) > maxArgLen {
		return fmt.Errorf("want 1 to %d letters, digits, '.', '_', ':' or '-'", maxArgLen)
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._:-", r)) {
			return fmt.Errorf("character %q: want letters, digits, '.', '_', ':' or '-'", r)
		}
	}
	return nil
}

// templateNames lists the template names, sorted.
func (p Policy) templateNames() string {
	if len(p.Templates) == 0 {
		return "none"
	}
	return strings.Join(slices.Sorted(maps.Keys(p.Templates)), ", ")
}

// Validate checks the label name, the tenants and the templates'
// argument references.
func (p Policy) Validate() error {
	var errs []error
	if p.Label != "" && !isLabelName(p.Label) {
		errs = append(errs, fmt.Errorf("label %q is not a label name", p.Label))
	}
	for _, t := range p.Unconfined {
		if t == "" {
			errs = append(errs, errors.New("unconfined: empty tenant"))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Templates)) {
		if name == "" || strings.TrimSpace(p.Templates[name]) == "" {
			errs = append(errs, fmt.Errorf("template %q: empty name or query", name))
		}
	}
	return errors.Join(errs...)
}

// isLabelName reports whether s is a Prometheus label name.
func isLabelName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}
