package inventory

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// NodeCounts counts the nodes per pool, zone and instance type, sorted by
// pool, zone and type; nodes missing any of the three labels are counted
// under empty names.
func (inv Inventory) NodeCounts() []capacity.NodeCount {
	at := map[capacity.NodeCount]int{}
	for _, n := range inv.Nodes {
		at[capacity.NodeCount{Pool: n.Pool, Zone: n.Zone, InstanceType: n.InstanceType}]++
	}
	out := make([]capacity.NodeCount, 0, len(at))
	for k, n := range at {
		k.Count = n
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b capacity.NodeCount) int {
		return cmp.Or(cmp.Compare(a.Pool, b.Pool), cmp.Compare(a.Zone, b.Zone), cmp.Compare(a.InstanceType, b.InstanceType))
	})
	return out
}

// Merge returns MergeWith's problem and notes with the default options:
// autoscaled workloads are planned within their autoscaler's range.
func Merge(p capacity.Problem, inv Inventory) (capacity.Problem, []string) {
	m, _ := MergeWith(p, inv, MergeOptions{}) // the zero options are valid
	return m.Problem, m.Notes
}

// MergeOptions says how MergeWith plans the workloads it reads.
type MergeOptions struct {
	// Autoscaled is the replicas to plan a workload an autoscaler scales
	// at; empty means AutoscaledClamped.
	Autoscaled Autoscaled
}

// Merged is what MergeWith returns.
type Merged struct {
	// Problem is the problem with the inventory folded in.
	Problem capacity.Problem
	// Inventory is the inventory given, its Deployments and StatefulSets
	// copied with the Planned replicas of those planned.
	Inventory Inventory
	// Notes say what was left out and which planned replicas are not
	// the source's.
	Notes []string
}

// MergeWith returns p with the inventory folded in, and notes on what it
// left out; neither p nor inv is modified.
//
//   - Current becomes today's nodes of p's pools, counted per pool, zone
//     and instance type, when any node belongs to a pool, zone and instance
//     type that p offers; nodes that do not are left out with a note (they
//     cannot be priced), and p's Current stays when none does.
//   - A workload named like a Deployment or StatefulSet ("namespace/name",
//     or "name" when one namespace only has it) takes its requests, unless
//     they are zero, and its PodDisruptionBudget's minAvailable when the
//     planning file sets none. A name found in several namespaces keeps
//     the planning file's requests and replicas, with a note.
//   - Every other Deployment and StatefulSet with replicas, whose business
//     line a pool of p serves, is added as a workload "namespace/name" at
//     its current replicas, maxSurge (none for a StatefulSet) and its
//     PodDisruptionBudget's minAvailable. Those without a business line,
//     or of a business line no pool serves, are left out with a note. One
//     scaled to zero stays out unless a ScaledObject scales it (an HPA
//     does not scale a workload from zero replicas).
//   - The replicas of a workload whose Deployment or StatefulSet an
//     autoscaler scales (see ReplicaRange) are kept within its range:
//     raised to its min where they fall below it, capped at its max where
//     they exceed it (the autoscaler cannot serve more), with a note; with
//     AutoscaledMax, they are its max throughout. Each planned live
//     workload's Planned records its replicas and where they came from.
//   - Each pool's overhead grows by one pod of every DaemonSet that runs
//     on its live nodes, or, for a pool without live nodes, of every
//     DaemonSet that runs on every node (see DaemonSet.EveryNode), with a
//     note per pool.
//
// An unknown opts.Autoscaled is an error.
func MergeWith(p capacity.Problem, inv Inventory, opts MergeOptions) (Merged, error) {
	at, err := ParseAutoscaled(string(opts.Autoscaled))
	if err != nil {
		return Merged{}, fmt.Errorf("autoscaled: %w", err)
	}
	var notes []string
	current, left := priceable(p.Pools, inv.NodeCounts())
	notes = append(notes, left...)
	if len(current) > 0 {
		p.Current = current
	} else if len(inv.Nodes) > 0 {
		notes = append(notes, "no live node belongs to a pool, zone and instance type of the planning file: keeping its current nodes")
	}
	var overhead []string
	p.Pools, overhead = daemonOverhead(p.Pools, inv)
	notes = append(notes, overhead...)
	all := inv.liveWorkloads()
	p.Workloads = slices.Clone(p.Workloads)
	matched := make([]bool, len(all))
	plans := plannedNotes{planned: make([]*PlannedReplicas, len(all))}
	index := deploymentIndex(all)
	for i := range p.Workloads {
		w := &p.Workloads[i]
		ks := index[w.Name]
		for _, k := range ks {
			matched[k] = true
		}
		if len(ks) > 1 {
			notes = append(notes, fmt.Sprintf("workload %q matches %s: keeping the planning file's requests (name it namespace/name)", w.Name, ids(all, ks)))
		}
		if len(ks) != 1 {
			continue
		}
		d := all[ks[0]]
		w.Replicas = plans.plan(ks[0], w.Name, w.Replicas, d.Autoscaling, at)
		if w.MinAvailable == (capacity.IntOrPercent{}) && d.PDB != nil {
			w.MinAvailable = d.minAvailable(w.Replicas.Peak())
		}
		if d.Requests.CPU == 0 && d.Requests.Memory == 0 {
			notes = append(notes, fmt.Sprintf("workload %q: %s %s/%s requests nothing: keeping the planning file's requests", w.Name, d.kind, d.Namespace, d.Name))
			continue
		}
		w.Requests = capacity.Resources{CPU: d.Requests.CPU, Memory: d.Requests.Memory}
	}
	added, left := extraWorkloads(p, all, matched, &plans, at)
	p.Workloads = append(p.Workloads, added...)
	notes = append(notes, plans.all()...)
	return Merged{Problem: p, Inventory: inv.withPlanned(plans.planned), Notes: append(notes, left...)}, nil
}

// priceable keeps the node counts whose pool, zone and instance type p's
// pools offer, and notes the others per pool.
func priceable(pools []capacity.Pool, counts []capacity.NodeCount) ([]capacity.NodeCount, []string) {
	var out []capacity.NodeCount
	skipped := map[string]int{}
	var order []string
	for _, c := range counts {
		if why := unpriced(pools, c); why != "" {
			if skipped[why] == 0 {
				order = append(order, why)
			}
			skipped[why] += c.Count
			continue
		}
		out = append(out, c)
	}
	var notes []string
	for _, why := range order {
		notes = append(notes, fmt.Sprintf("%d live nodes left out of the current cost: %s", skipped[why], why))
	}
	return out, notes
}

// unpriced says why a node count cannot be priced, or returns "".
func unpriced(pools []capacity.Pool, c capacity.NodeCount) string {
	if c.Pool == "" {
		return "no pool label"
	}
	i := slices.IndexFunc(pools, func(p capacity.Pool) bool { return p.Name == c.Pool })
	switch {
	case i < 0:
		return fmt.Sprintf("pool %q is not in the planning file", c.Pool)
	case !slices.Contains(pools[i].Zones, c.Zone):
		return fmt.Sprintf("pool %q has no zone %q", c.Pool, c.Zone)
	case !slices.ContainsFunc(pools[i].InstanceTypes, func(t capacity.InstanceType) bool { return t.Name == c.InstanceType }):
		return fmt.Sprintf("pool %q offers no instance type %q", c.Pool, c.InstanceType)
	}
	return ""
}

// deploymentIndex maps "namespace/name" and "name" to the workloads'
// indices; a name in several namespaces maps to all of them.
func deploymentIndex(deps []liveWorkload) map[string][]int {
	out := map[string][]int{}
	for i, d := range deps {
		id := d.Namespace + "/" + d.Name
		out[id] = append(out[id], i)
		if id != d.Name {
			out[d.Name] = append(out[d.Name], i)
		}
	}
	return out
}

// ids lists the workloads at indices ks, sorted: "Deployments ns/a,
// ns/b" when all are of one kind, else "Deployment ns/a, StatefulSet ns/b".
func ids(deps []liveWorkload, ks []int) string {
	names := make([]string, len(ks))
	kind := deps[ks[0]].kind
	for i, k := range ks {
		names[i] = deps[k].Namespace + "/" + deps[k].Name
		if deps[k].kind != kind {
			kind = ""
		}
	}
	if kind == "" {
		for i, k := range ks {
			names[i] = deps[k].kind + " " + names[i]
		}
	}
	slices.Sort(names)
	if kind != "" {
		return kind + "s " + strings.Join(names, ", ")
	}
	return strings.Join(names, ", ")
}

// extraWorkloads turns the unmatched workloads with replicas into
// workloads of the business lines p's pools serve, their replicas planned
// through plans, and notes the others.
func extraWorkloads(p capacity.Problem, deps []liveWorkload, matched []bool, plans *plannedNotes, at Autoscaled) ([]capacity.Workload, []string) {
	var out []capacity.Workload
	unlabeled := map[string]int{}
	unserved := map[string][]string{}
	var lines []string
	for i, d := range deps {
		if matched[i] {
			continue
		}
		r, pr := planReplicas(d.id(), capacity.FixedReplicas(d.Replicas), d.Autoscaling, at)
		if d.Replicas == 0 && (!scaledFromZero(d.Autoscaling) || pr.Peak == 0) {
			continue
		}
		switch {
		case d.BusinessLine == "":
			unlabeled[d.kind]++
		case !served(p.Pools, d.BusinessLine):
			if unserved[d.BusinessLine] == nil {
				lines = append(lines, d.BusinessLine)
			}
			unserved[d.BusinessLine] = append(unserved[d.BusinessLine], d.id())
		default:
			plans.record(i, pr)
			out = append(out, capacity.Workload{
				Name: d.id(), BusinessLine: d.BusinessLine, Replicas: r,
				Requests: capacity.Resources{CPU: d.Requests.CPU, Memory: d.Requests.Memory}, MaxSurge: d.MaxSurge,
				MinAvailable: d.minAvailable(pr.Peak),
			})
		}
	}
	var notes []string
	for _, kind := range []string{"Deployment", "StatefulSet"} {
		if n := unlabeled[kind]; n > 0 {
			notes = append(notes, fmt.Sprintf("%d %ss without a business line label left out", n, kind))
		}
	}
	for _, bl := range lines {
		notes = append(notes, fmt.Sprintf("business line %q has no pool in the planning file: left out %s", bl, listNames(unserved[bl])))
	}
	return out, notes
}

// served reports whether a pool serves business line bl.
func served(pools []capacity.Pool, bl string) bool {
	return slices.ContainsFunc(pools, func(p capacity.Pool) bool { return slices.Contains(p.BusinessLines, bl) })
}

// listNames lists up to five names, then how many more.
func listNames(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
}
