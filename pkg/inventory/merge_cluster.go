package inventory

import (
	"fmt"
	"slices"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// liveWorkload is a Deployment, or a StatefulSet read as one, with its
// kind, for Merge.
type liveWorkload struct {
	Deployment
	kind string
}

// liveWorkloads returns the Deployments then the StatefulSets.
func (inv Inventory) liveWorkloads() []liveWorkload {
	out := make([]liveWorkload, 0, len(inv.Deployments)+len(inv.StatefulSets))
	for _, d := range inv.Deployments {
		out = append(out, liveWorkload{Deployment: d, kind: "Deployment"})
	}
	for _, s := range inv.StatefulSets {
		out = append(out, liveWorkload{kind: "StatefulSet", Deployment: Deployment{
			Namespace: s.Namespace, Name: s.Name, BusinessLine: s.BusinessLine, Replicas: s.Replicas, ReadyReplicas: s.ReadyReplicas,
			Requests: s.Requests, Autoscaling: s.Autoscaling, PDB: s.PDB, Usage: s.Usage,
		}})
	}
	return out
}

// id returns "namespace/name".
func (w liveWorkload) id() string { return w.Namespace + "/" + w.Name }

// minAvailable returns the workload's PodDisruptionBudget as a count of
// replicas pods, or zero without one.
func (w liveWorkload) minAvailable(replicas int) capacity.IntOrPercent {
	if w.PDB == nil {
		return capacity.IntOrPercent{}
	}
	if w.PDB.MinAvailable != nil {
		return *w.PDB.MinAvailable
	}
	return capacity.IntOrPercent{Value: w.PDB.MinAvailableOf(replicas)}
}

// daemonOverhead returns a copy of pools whose overhead includes one pod
// of each DaemonSet running on the pool's nodes, with a note per pool
// that grew. A pool with live nodes takes the DaemonSets matching any of
// them; one without takes those that run on every node.
func daemonOverhead(pools []capacity.Pool, inv Inventory) ([]capacity.Pool, []string) {
	if len(inv.DaemonSets) == 0 {
		return pools, nil
	}
	live := map[string]bool{}
	for _, n := range inv.Nodes {
		live[n.Pool] = true
	}
	out := slices.Clone(pools)
	var notes []string
	for i := range out {
		pool := &out[i]
		var add capacity.Resources
		var names []string
		for _, d := range inv.DaemonSets {
			if live[pool.Name] && !slices.Contains(d.Pools, pool.Name) || !live[pool.Name] && !d.EveryNode {
				continue
			}
			add.CPU += d.Requests.CPU
			add.Memory += d.Requests.Memory
			add.Pods++
			names = append(names, d.Namespace+"/"+d.Name)
		}
		if add.Pods == 0 {
			continue
		}
		pool.Overhead.CPU += add.CPU
		pool.Overhead.Memory += add.Memory
		pool.Overhead.Pods += add.Pods
		where := "its live nodes"
		if !live[pool.Name] {
			where = "every node (the pool has no live node)"
		}
		notes = append(notes, fmt.Sprintf("pool %q: %d DaemonSets on %s add %.3f cores, %.2f GiB and %d pods to each node's overhead (%s)",
			pool.Name, add.Pods, where, add.CPU, float64(add.Memory)/(1<<30), add.Pods, listNames(names)))
	}
	return out, notes
}
