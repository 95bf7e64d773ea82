package tenancy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPolicyResolve(t *testing.T) {
	templated := Policy{Templates: map[string]string{
		"rps": `sum(rate(http_requests_total{service="${service}"}[2m]))`,
	}}
	cases := []struct {
		name            string
		p               Policy
		tenant          string
		req             Request
		wantAsk, wantTo string
		err             error
	}{
		{name: "confined by default", tenant: "shop", req: Request{Text: "sum(x)"},
			wantAsk: "sum(x)", wantTo: `sum(x{namespace="shop"})`},
		{name: "configured label", p: Policy{Label: "tenant"}, tenant: "shop", req: Request{Text: "x"},
			wantAsk: "x", wantTo: `x{tenant="shop"}`},
		{name: "unconfined tenant", p: Policy{Unconfined: []string{"ingress"}}, tenant: "ingress",
			req: Request{Text: "sum(nginx_requests)"}, wantAsk: "sum(nginx_requests)", wantTo: "sum(nginx_requests)"},
		{name: "other tenants stay confined", p: Policy{Unconfined: []string{"ingress"}}, tenant: "shop",
			req: Request{Text: "x"}, wantAsk: "x", wantTo: `x{namespace="shop"}`},
		{name: "template", p: templated, tenant: "shop",
			req:     Request{Template: "rps", Args: map[string]string{"service": "checkout"}},
			wantAsk: `sum(rate(http_requests_total{service="checkout"}[2m]))`,
			wantTo:  `sum(rate(http_requests_total{namespace="shop",service="checkout"}[2m]))`},
		{name: "written query on a templated source", p: templated, tenant: "shop", req: Request{Text: "x"}, err: ErrTemplate},
		{name: "unknown template", p: templated, tenant: "shop", req: Request{Template: "cpu"}, err: ErrTemplate},
		{name: "missing argument", p: templated, tenant: "shop", req: Request{Template: "rps"}, err: ErrTemplate},
		{name: "unused argument", p: templated, tenant: "shop",
			req: Request{Template: "rps", Args: map[string]string{"service": "a", "x": "b"}}, err: ErrTemplate},
		{name: "argument breaking out of the string", p: templated, tenant: "shop",
			req: Request{Template: "rps", Args: map[string]string{"service": `a"}) or up{namespace="b`}}, err: ErrTemplate},
		{name: "conflict", tenant: "shop", req: Request{Text: `x{namespace="bank"}`}, err: ErrConflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ask, to, err := c.p.Resolve(c.tenant, c.req)
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.wantAsk, ask)
			assert.Equal(t, c.wantTo, to)
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	require.NoError(t, Policy{}.Validate())
	require.NoError(t, Policy{Label: "k8s_namespace", Unconfined: []string{"a"}, Templates: map[string]string{"t": "x"}}.Validate())
	assert.Error(t, Policy{Label: "1abc"}.Validate())
	assert.Error(t, Policy{Unconfined: []string{""}}.Validate())
	assert.Error(t, Policy{Templates: map[string]string{"t": " "}}.Validate())
}
