// Package planreport renders a capacity plan as a report: the views
// prescale plan writes of a plan, a timeline of plans and what was read
// from a cluster.
//
// A Result holds what one planning run computed. The writers lay it out as
// the same sections, one per view: the cost of the strategies over the
// horizon and where the money goes, the cost per pool, zone and business
// line, the plan's nodes, where each workload's replicas went and what the
// loss of a zone leaves, the pods without a node, where forecast and
// simulated replicas came from, the cluster's workloads, DaemonSets and fit,
// and the steps of the timeline.
//
//   - WriteText writes aligned text tables under underlined titles.
//   - WriteMarkdown writes headings, paragraphs and pipe tables.
//   - WriteHTML writes one self-contained page (see package report) with
//     headline figures and charts before the tables; each pool, zone and
//     business line keeps one color of report's palette in every chart and
//     table of the page.
//   - WriteJSON writes the plan, the timeline, the sources and the cluster
//     as one JSON document, for other programs.
//
// Rows that break a PodDisruptionBudget are marked in every format: the
// workloads whose surviving replicas after a zone loss fall below their
// budget's minAvailable (the zone loss check), and the cluster's workloads
// whose budget forbids any eviction (see BelowPDB). The HTML page also
// shades them.
//
// Rendering is deterministic: the same Result gives the same bytes.
package planreport
