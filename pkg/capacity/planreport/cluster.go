package planreport

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
	"github.com/prescale-dev/prescale/pkg/report"
)

// clusterSection lists what was read from the cluster: the notes, and each
// Deployment's and StatefulSet's requests against its usage, its autoscaler's
// replica range and its PodDisruptionBudget, checked by BelowPDB: the rows
// below their budget say so and are highlighted.
func clusterSection(c *Cluster, cc categoryColors) section {
	inv := c.Inventory
	text := []string{fmt.Sprintf("Read %d nodes, %d Deployments, %d StatefulSets and %d DaemonSets; the priced nodes of the planned pools are the current inventory.",
		len(inv.Nodes), len(inv.Deployments), len(inv.StatefulSets), len(inv.DaemonSets))}
	for _, n := range c.Notes {
		text = append(text, "Note: "+n+".")
	}
	text = append(text, "PDB check: below PDB when evicting one more ready pod would leave fewer than the PodDisruptionBudget keeps available, so that it allows no eviction and a node drain waits.")
	t := &report.Table{Columns: []report.Column{
		{Title: "workload"}, {Title: "business line", Colors: cc.lines}, {Title: "replicas", Numeric: true}, {Title: "ready", Numeric: true},
		{Title: "CPU requested", Numeric: true}, {Title: "CPU used", Numeric: true},
		{Title: "memory requested GiB", Numeric: true}, {Title: "memory used GiB", Numeric: true},
		{Title: "replica range"}, {Title: "PDB"}, {Title: "PDB check"},
	}}
	row := func(name, bl string, replicas, ready int, req capacity.Resources, u *inventory.Usage, r *inventory.ReplicaRange, pdb *inventory.PDB) {
		if BelowPDB(pdb, replicas, ready) {
			t.Highlight = append(t.Highlight, len(t.Rows))
		}
		t.Rows = append(t.Rows, clusterRow(name, bl, replicas, ready, req, u, r, pdb))
	}
	for _, d := range inv.Deployments {
		row(d.Namespace+"/"+d.Name, d.BusinessLine, d.Replicas, d.ReadyReplicas, d.Requests, d.Usage, d.Autoscaling, d.PDB)
	}
	for _, s := range inv.StatefulSets {
		row(s.Namespace+"/"+s.Name+" (StatefulSet)", s.BusinessLine, s.Replicas, s.ReadyReplicas, s.Requests, s.Usage, s.Autoscaling, s.PDB)
	}
	return section{title: "Cluster", text: text, table: t}
}

// clusterRow is one Deployment's or StatefulSet's row of the cluster
// table.
func clusterRow(name, bl string, replicas, ready int, req capacity.Resources, u *inventory.Usage, r *inventory.ReplicaRange, pdb *inventory.PDB) []string {
	cpuUsed, memUsed, rng, budget := "-", "-", "-", "-"
	if u != nil {
		cpuUsed, memUsed = strconv.FormatFloat(u.CPU, 'f', 3, 64), strconv.FormatFloat(float64(u.Memory)/(1<<30), 'f', 2, 64)
	}
	if r != nil {
		rng = fmt.Sprintf("%d-%d (%s)", r.Min, r.Max, r.Source)
	}
	if pdb != nil {
		budget = pdb.String()
	}
	return []string{name, bl, strconv.Itoa(replicas), strconv.Itoa(ready),
		strconv.FormatFloat(req.CPU*float64(replicas), 'f', 3, 64), cpuUsed,
		strconv.FormatFloat(float64(req.Memory)*float64(replicas)/(1<<30), 'f', 2, 64), memUsed, rng, budget,
		pdbCheck(pdb, replicas, ready)}
}

// BelowPDB reports whether a workload with replicas desired pods, ready of
// them ready, is below its PodDisruptionBudget pdb. The budget keeps
// min = pdb.MinAvailableOf(replicas) pods available (its minAvailable, or
// replicas less its maxUnavailable, percentages rounded up as the
// disruption controller rounds them), and the workload is below it when
// the budget keeps some pod and evicting one more ready pod would leave
// fewer than it keeps:
//
//	min > 0 && ready-1 < min
//
// Such a budget allows no voluntary disruption: a node drain, or any
// eviction of the workload's pods, waits until more pods are ready. A
// workload with exactly one eviction to spare (ready = min+1) is at its
// budget, not below it; one without a budget (pdb nil), or whose budget
// keeps no pod, never is.
func BelowPDB(pdb *inventory.PDB, replicas, ready int) bool {
	if pdb == nil {
		return false
	}
	keep := pdb.MinAvailableOf(replicas)
	return keep > 0 && ready-1 < keep
}

// pdbCheck is the PDB check cell: "-" without a budget, "ok", or why the
// workload is below its budget.
func pdbCheck(pdb *inventory.PDB, replicas, ready int) string {
	switch {
	case pdb == nil:
		return "-"
	case BelowPDB(pdb, replicas, ready):
		return fmt.Sprintf("below PDB (%d ready, keeps %d)", ready, pdb.MinAvailableOf(replicas))
	}
	return "ok"
}

// daemonSetsSection lists the DaemonSets: one pod's requests, counted
// on every node they run on, and the pools and nodes they match.
func daemonSetsSection(c *Cluster) section {
	t := &report.Table{Columns: []report.Column{
		{Title: "DaemonSet"}, {Title: "CPU per node", Numeric: true}, {Title: "memory per node GiB", Numeric: true},
		{Title: "nodes matched", Numeric: true}, {Title: "scheduled", Numeric: true}, {Title: "pools"}, {Title: "nodes"},
	}}
	for _, d := range c.Inventory.DaemonSets {
		pools := strings.Join(d.Pools, ", ")
		if d.EveryNode {
			pools = "every node" + inPools(pools)
		}
		t.Rows = append(t.Rows, []string{d.Namespace + "/" + d.Name, strconv.FormatFloat(d.Requests.CPU, 'f', 3, 64),
			strconv.FormatFloat(float64(d.Requests.Memory)/(1<<30), 'f', 2, 64), strconv.Itoa(len(d.Nodes)), strconv.Itoa(d.Scheduled),
			dash(pools), dash(listNames(d.Nodes))})
	}
	text := []string{"A DaemonSet runs one pod on every node its node selector, required node affinity and tolerations admit (matched here against the live nodes' labels and taints); its requests are added to the overhead of each planned pool whose live nodes it runs on, or of a pool without live nodes when it runs on every node."}
	return section{title: "Cluster DaemonSets", text: text, table: t}
}

// fitSection says whether today's nodes hold today's pods and names
// the nodes that do not.
func fitSection(c *Cluster, cc categoryColors) section {
	f := c.Inventory.Fit
	if f == nil {
		return section{title: "Cluster fit", text: []string{"Not checked: the pods could not be listed (see the notes)."}}
	}
	var text []string
	switch {
	case f.Fits():
		text = append(text, fmt.Sprintf("Today's %d nodes hold today's %d pods: on every node the pods' requests, DaemonSet pods included, are within its allocatable CPU, memory and pod slots.", len(c.Inventory.Nodes), f.Pods))
	case len(f.Misfits) > 0:
		names := make([]string, len(f.Misfits))
		for i, m := range f.Misfits {
			names[i] = m.Node
		}
		text = append(text, fmt.Sprintf("%d of %d nodes do not fit their pods (%s): the requests of the %d pods on the nodes, DaemonSet pods included, exceed their allocatable.",
			len(f.Misfits), len(c.Inventory.Nodes), listNames(names), f.Pods))
	default:
		text = append(text, fmt.Sprintf("Every node holds its pods (%d pods on %d nodes).", f.Pods, len(c.Inventory.Nodes)))
	}
	if f.Pending > 0 {
		text = append(text, fmt.Sprintf("%d pods wait for a node: today's nodes do not hold them.", f.Pending))
	}
	if len(f.Misfits) == 0 {
		return section{title: "Cluster fit", text: text}
	}
	t := &report.Table{Columns: []report.Column{
		{Title: "node"}, {Title: "pool", Colors: cc.pools}, {Title: "CPU requested", Numeric: true}, {Title: "CPU allocatable", Numeric: true},
		{Title: "memory requested GiB", Numeric: true}, {Title: "memory allocatable GiB", Numeric: true},
		{Title: "pods", Numeric: true}, {Title: "pod slots", Numeric: true}, {Title: "over"},
	}}
	for _, m := range f.Misfits {
		t.Rows = append(t.Rows, []string{m.Node, dash(m.Pool),
			strconv.FormatFloat(m.Requested.CPU, 'f', 3, 64), strconv.FormatFloat(m.Allocatable.CPU, 'f', 3, 64),
			strconv.FormatFloat(float64(m.Requested.Memory)/(1<<30), 'f', 2, 64), strconv.FormatFloat(float64(m.Allocatable.Memory)/(1<<30), 'f', 2, 64),
			strconv.Itoa(m.Requested.Pods), strconv.Itoa(m.Allocatable.Pods), strings.Join(m.Over, ", ")})
	}
	return section{title: "Cluster fit", text: text, table: t}
}

// listNames lists up to five names, then how many more.
func listNames(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
}

// inPools appends " (in pools)" when pools is not empty.
func inPools(pools string) string {
	if pools == "" {
		return ""
	}
	return " (in " + pools + ")"
}

// dash returns s, or "-" when empty.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
