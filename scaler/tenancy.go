package scaler

import (
	"fmt"

	"github.com/prescale-dev/prescale/pkg/tenancy"
)

// tenancyPolicy turns a source's tenancy configuration into its policy.
func tenancyPolicy(c TenancyConfig) (tenancy.Policy, error) {
	p := tenancy.Policy{Label: c.Label, Unconfined: c.UnconfinedNamespaces}
	for _, t := range c.Templates {
		if p.Templates == nil {
			p.Templates = map[string]string{}
		}
		if _, dup := p.Templates[t.Name]; dup {
			return tenancy.Policy{}, fmt.Errorf("template %q defined twice", t.Name)
		}
		p.Templates[t.Name] = t.Query
	}
	return p, nil
}

// resolveQuery returns the query the trigger asks for (its query, or its
// template expanded) and the query sent to its source: confined to the
// ScaledObject's namespace when the source has a tenancy policy.
func (s *Server) resolveQuery(id targetID, meta Metadata) (asked, sent string, err error) {
	pol, confined := s.opts.Tenancy[meta.Prometheus]
	if !confined {
		if meta.QueryTemplate != "" {
			return "", "", &MetadataError{Key: "queryTemplate", Value: meta.QueryTemplate,
				Err: fmt.Errorf("source %q has no query templates", meta.Prometheus)}
		}
		return meta.Query, meta.Query, nil
	}
	req := tenancy.Request{Text: meta.Query, Template: meta.QueryTemplate, Args: meta.TemplateArgs}
	asked, sent, err = pol.Resolve(id.namespace, req)
	if err != nil {
		key := "query"
		if meta.QueryTemplate != "" {
			key = "queryTemplate"
		}
		return "", "", &MetadataError{Key: key, Err: fmt.Errorf("cannot confine it to namespace %q: %w", id.namespace, err)}
	}
	return asked, sent, nil
}
