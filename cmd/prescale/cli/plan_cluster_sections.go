package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
	"github.com/prescale-dev/prescale/pkg/report"
)

// planClusterRow is one Deployment's or StatefulSet's row of the cluster
// table.
func planClusterRow(name, bl string, replicas, ready int, req capacity.Resources, u *inventory.Usage, r *inventory.ReplicaRange, pdb *inventory.PDB) []string {
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
		strconv.FormatFloat(float64(req.Memory)*float64(replicas)/(1<<30), 'f', 2, 64), memUsed, rng, budget}
}

// planDaemonSetsSection lists the DaemonSets: one pod's requests, counted
// on every node they run on, and the pools and nodes they match.
func planDaemonSetsSection(c *planClusterInfo) planSection {
	t := &report.Table{Columns: []report.Column{
		{Title: "DaemonSet"}, {Title: "CPU per node", Numeric: true}, {Title: "memory per node GiB", Numeric: true},
		{Title: "nodes matched", Numeric: true}, {Title: "scheduled", Numeric: true}, {Title: "pools"}, {Title: "nodes"},
	}}
	for _, d := range c.inventory.DaemonSets {
		pools := strings.Join(d.Pools, ", ")
		if d.EveryNode {
			pools = "every node" + planClusterIn(pools)
		}
		t.Rows = append(t.Rows, []string{d.Namespace + "/" + d.Name, strconv.FormatFloat(d.Requests.CPU, 'f', 3, 64),
			strconv.FormatFloat(float64(d.Requests.Memory)/(1<<30), 'f', 2, 64), strconv.Itoa(len(d.Nodes)), strconv.Itoa(d.Scheduled),
			planClusterDash(pools), planClusterDash(planClusterNames(d.Nodes))})
	}
	text := []string{"A DaemonSet runs one pod on every node its node selector, required node affinity and tolerations admit (matched here against the live nodes' labels and taints); its requests are added to the overhead of each planned pool whose live nodes it runs on, or of a pool without live nodes when it runs on every node."}
	return planSection{title: "Cluster DaemonSets", text: text, table: t}
}

// planFitSection says whether today's nodes hold today's pods and names
// the nodes that do not.
func planFitSection(c *planClusterInfo) planSection {
	f := c.inventory.Fit
	if f == nil {
		return planSection{title: "Cluster fit", text: []string{"Not checked: the pods could not be listed (see the notes)."}}
	}
	var text []string
	switch {
	case f.Fits():
		text = append(text, fmt.Sprintf("Today's %d nodes hold today's %d pods: on every node the pods' requests, DaemonSet pods included, are within its allocatable CPU, memory and pod slots.", len(c.inventory.Nodes), f.Pods))
	case len(f.Misfits) > 0:
		names := make([]string, len(f.Misfits))
		for i, m := range f.Misfits {
			names[i] = m.Node
		}
		text = append(text, fmt.Sprintf("%d of %d nodes do not fit their pods (%s): the requests of the %d pods on the nodes, DaemonSet pods included, exceed their allocatable.",
			len(f.Misfits), len(c.inventory.Nodes), planClusterNames(names), f.Pods))
	default:
		text = append(text, fmt.Sprintf("Every node holds its pods (%d pods on %d nodes).", f.Pods, len(c.inventory.Nodes)))
	}
	if f.Pending > 0 {
		text = append(text, fmt.Sprintf("%d pods wait for a node: today's nodes do not hold them.", f.Pending))
	}
	if len(f.Misfits) == 0 {
		return planSection{title: "Cluster fit", text: text}
	}
	t := &report.Table{Columns: []report.Column{
		{Title: "node"}, {Title: "pool"}, {Title: "CPU requested", Numeric: true}, {Title: "CPU allocatable", Numeric: true},
		{Title: "memory requested GiB", Numeric: true}, {Title: "memory allocatable GiB", Numeric: true},
		{Title: "pods", Numeric: true}, {Title: "pod slots", Numeric: true}, {Title: "over"},
	}}
	for _, m := range f.Misfits {
		t.Rows = append(t.Rows, []string{m.Node, planClusterDash(m.Pool),
			strconv.FormatFloat(m.Requested.CPU, 'f', 3, 64), strconv.FormatFloat(m.Allocatable.CPU, 'f', 3, 64),
			strconv.FormatFloat(float64(m.Requested.Memory)/(1<<30), 'f', 2, 64), strconv.FormatFloat(float64(m.Allocatable.Memory)/(1<<30), 'f', 2, 64),
			strconv.Itoa(m.Requested.Pods), strconv.Itoa(m.Allocatable.Pods), strings.Join(m.Over, ", ")})
	}
	return planSection{title: "Cluster fit", text: text, table: t}
}

// planClusterNames lists up to five names, then how many more.
func planClusterNames(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
}

// planClusterIn appends " (in pools)" when pools is not empty.
func planClusterIn(pools string) string {
	if pools == "" {
		return ""
	}
	return " (in " + pools + ")"
}

// planClusterDash returns s, or "-" when empty.
func planClusterDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
