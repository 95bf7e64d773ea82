// Package tenancy confines PromQL queries to one tenant's series, the way
// prom-label-proxy and Thanos do: a query is parsed with Prometheus' own
// parser, every vector and matrix selector gets the tenant's label matcher
// (namespace="team-a", say), a selector that asks for another tenant is
// rejected, and the query is printed back for the metric source.
//
// A Policy says how one metric source is confined: the label that carries
// the tenant, the tenants allowed to query it as written (cluster-wide
// metrics), and optionally the named query templates that are the only
// queries it accepts.
package tenancy
