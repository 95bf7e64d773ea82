package tenancy

import (
	"errors"
	"fmt"
	"slices"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Sentinel errors of the enforcer; callers test for them with errors.Is.
var (
	// ErrParse reports a query that Prometheus' parser rejects.
	ErrParse = errors.New("query does not parse")
	// ErrConflict reports a selector whose matcher on the tenant label
	// excludes the tenant: the query asks for another tenant's series.
	ErrConflict = errors.New("query selects another tenant's series")
	// ErrRelabel reports a function call that rewrites the tenant label of
	// its result (label_replace or label_join onto it).
	ErrRelabel = errors.New("query rewrites the tenant label")
	// ErrUnsupported reports a query construct the enforcer cannot confine,
	// such as info(), which reads series no selector names.
	ErrUnsupported = errors.New("query construct cannot be confined to a tenant")
	// ErrTenant reports an empty tenant or an invalid label name.
	ErrTenant = errors.New("invalid tenant")
)

// DefaultLabel is the label that carries the tenant when a Policy names
// none: kube-state-metrics and the Prometheus Operator's scrape configs
// put the Kubernetes namespace there.
const DefaultLabel = "namespace"

// Enforce parses query and returns it with label=tenant on every vector and
// matrix selector. Matchers the query already has on label must accept
// tenant (they are then replaced by the equality), else the error wraps
// ErrConflict. Calls that write label (label_replace, label_join) are
// ErrRelabel, info() is ErrUnsupported, a query that does not parse is
// ErrParse. Experimental PromQL functions and duration expressions are not
// accepted. The result is Prometheus' canonical printing of the query.
func Enforce(query, label, tenant string) (string, error) {
	if tenant == "" {
		return "", fmt.Errorf("%w: empty tenant", ErrTenant)
	}
	if !isLabelName(label) {
		return "", fmt.Errorf("%w: label name %q", ErrTenant, label)
	}
	expr, err := parser.NewParser(parser.Options{}).ParseExpr(query)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrParse, err)
	}
	want, err := labels.NewMatcher(labels.MatchEqual, label, tenant)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrTenant, err)
	}
	var walkErr error
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		if walkErr == nil {
			walkErr = confine(node, want)
		}
		return walkErr
	})
	if walkErr != nil {
		return "", walkErr
	}
	return expr.String(), nil
}

// confine enforces want on one node of the syntax tree.
func confine(node parser.Node, want *labels.Matcher) error {
	switch n := node.(type) {
	case *parser.VectorSelector:
		return confineSelector(n, want)
	case *parser.Call:
		return checkCall(n, want.Name)
	}
	return nil
}

// confineSelector replaces the selector's matchers on want's label by want,
// after checking that each accepts want's value.
func confineSelector(vs *parser.VectorSelector, want *labels.Matcher) error {
	for _, m := range vs.LabelMatchers {
		if m.Name == want.Name && !m.Matches(want.Value) {
			return fmt.Errorf("%w: selector %s has %s, which excludes %s", ErrConflict, excerpt(vs.String()), m, want)
		}
	}
	vs.LabelMatchers = slices.DeleteFunc(vs.LabelMatchers, func(m *labels.Matcher) bool { return m.Name == want.Name })
	vs.LabelMatchers = append(vs.LabelMatchers, want)
	return nil
}

// checkCall rejects the calls that defeat the enforcement.
func checkCall(c *parser.Call, label string) error {
	switch c.Func.Name {
	case "info":
		return fmt.Errorf("%w: info() reads series that no selector of the query names", ErrUnsupported)
	case "label_replace", "label_join":
		if len(c.Args) < 2 {
			return nil
		}
		s, ok := c.Args[1].(*parser.StringLiteral)
		switch {
		case !ok:
			return fmt.Errorf("%w: the label %s writes must be a plain string", ErrUnsupported, c.Func.Name)
		case s.Val == label:
			return fmt.Errorf("%w: %s writes the label %q", ErrRelabel, c.Func.Name, label)
		}
	}
	return nil
}

// maxExcerpt bounds the parts of a query quoted in errors, in bytes.
const maxExcerpt = 120

// excerpt returns s cut to maxExcerpt bytes (on a rune boundary), marked
// with "..." when cut.
func excerpt(s string) string {
	if len(s) <= maxExcerpt {
		return s
	}
	cut := maxExcerpt - 3
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
