package inventory

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	metricsclientset "k8s.io/metrics/pkg/client/clientset/versioned"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// DefaultBusinessLineLabel is the label naming a Deployment's business line.
const DefaultBusinessLineLabel = "prescale.dev/business-line"

// DefaultPoolLabels returns the node labels naming a node's pool, tried in
// order: Karpenter, GKE, EKS managed node groups, AKS.
func DefaultPoolLabels() []string {
	return []string{"karpenter.sh/nodepool", "cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup", "kubernetes.azure.com/agentpool"}
}

// DefaultZoneLabels returns the node labels naming a node's zone, the
// well-known label then its deprecated form.
func DefaultZoneLabels() []string {
	return []string{"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}
}

// DefaultInstanceTypeLabels returns the node labels naming a node's
// instance type, the well-known label then its deprecated form.
func DefaultInstanceTypeLabels() []string {
	return []string{"node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"}
}

// Options says what Read lists and how it reads labels. The zero value
// reads every namespace with the default labels.
type Options struct {
	// Namespace limits Deployments and their pods to one namespace; empty
	// means all namespaces. Nodes are always all listed.
	Namespace string
	// PoolLabels, ZoneLabels and InstanceTypeLabels are the node labels
	// tried in order for each; nil means the defaults.
	PoolLabels, ZoneLabels, InstanceTypeLabels []string
	// BusinessLineLabel is the label naming a Deployment's business line,
	// read on the Deployment and then on its pod template; empty means
	// DefaultBusinessLineLabel.
	BusinessLineLabel string
	// PageSize is the number of objects asked for per list request; zero
	// means 500.
	PageSize int64
	// Dynamic, when set, reads KEDA's ScaledObjects (keda.sh/v1alpha1)
	// for the replica ranges of the workloads they scale; nil reads the
	// HorizontalPodAutoscalers only.
	Dynamic dynamic.Interface
}

// withDefaults fills the defaults in one place.
func (o Options) withDefaults() Options {
	if o.PoolLabels == nil {
		o.PoolLabels = DefaultPoolLabels()
	}
	if o.ZoneLabels == nil {
		o.ZoneLabels = DefaultZoneLabels()
	}
	if o.InstanceTypeLabels == nil {
		o.InstanceTypeLabels = DefaultInstanceTypeLabels()
	}
	if o.BusinessLineLabel == "" {
		o.BusinessLineLabel = DefaultBusinessLineLabel
	}
	if o.PageSize <= 0 {
		o.PageSize = 500
	}
	return o
}

// Inventory is what a cluster runs.
type Inventory struct {
	// Nodes are the cluster's nodes, in the API's order.
	Nodes []Node
	// Deployments are the Deployments read, in the API's order.
	Deployments []Deployment
	// StatefulSets are the StatefulSets read, in the API's order.
	StatefulSets []StatefulSet
	// DaemonSets are the DaemonSets of every namespace, in the API's
	// order.
	DaemonSets []DaemonSet
	// Fit says whether today's nodes hold today's pods; nil when the pods
	// could not be listed (a warning says why).
	Fit *Fit
	// Warnings say what could not be read without making the inventory
	// useless, such as usage without the metrics API.
	Warnings []string
}

// Node is one node.
type Node struct {
	// Name is the node's name.
	Name string `json:"name"`
	// Pool, Zone and InstanceType come from the node's labels; empty when
	// none of the labels is set.
	Pool         string `json:"pool"`
	Zone         string `json:"zone"`
	InstanceType string `json:"instance_type"`
	// Allocatable is what the kubelet offers pods: CPU in cores, memory in
	// bytes, pod slots.
	Allocatable capacity.Resources `json:"allocatable"`
	// Unschedulable marks a cordoned node; it still runs and costs.
	Unschedulable bool `json:"unschedulable,omitempty"`
}

// Deployment is one Deployment and what its pods request and use.
type Deployment struct {
	// Namespace and Name identify the Deployment.
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// BusinessLine is the business line label's value, or empty.
	BusinessLine string `json:"business_line"`
	// Replicas is the desired replica count (spec.replicas, 1 when
	// unset); ReadyReplicas those ready now.
	Replicas      int `json:"replicas"`
	ReadyReplicas int `json:"ready_replicas"`
	// Requests are one pod's effective requests: CPU in cores, memory in
	// bytes, and Pods 1.
	Requests capacity.Resources `json:"requests"`
	// MaxSurge is the rolling update's maxSurge (Kubernetes' default 25%;
	// 0 with the Recreate strategy).
	MaxSurge capacity.IntOrPercent `json:"max_surge"`
	// Autoscaling is the replica range an autoscaler targeting the
	// Deployment keeps it in; nil when none does.
	Autoscaling *ReplicaRange `json:"autoscaling,omitempty"`
	// PDB is the PodDisruptionBudget selecting its pods; nil when none
	// does.
	PDB *PDB `json:"pdb,omitempty"`
	// Usage is what the pods use now; nil without the metrics API.
	Usage *Usage `json:"usage,omitempty"`
	// Planned is the replicas MergeWith planned the Deployment at and where
	// they came from; nil when it is not planned or not merged.
	Planned *PlannedReplicas `json:"planned,omitempty"`
}

// Usage is the resource usage of a Deployment's pods, summed.
type Usage struct {
	// Pods is the number of pods with metrics.
	Pods int `json:"pods"`
	// CPU is in cores, Memory in bytes (working set), summed over Pods.
	CPU    float64 `json:"cpu"`
	Memory int64   `json:"memory"`
}

// Read lists the cluster's nodes, Deployments, StatefulSets and
// DaemonSets through kube, the HorizontalPodAutoscalers and
// PodDisruptionBudgets that apply to the workloads, every pod to check
// that today's nodes hold them, and, when metrics is not nil, the pods'
// usage through the metrics API. What can fail without making the
// inventory useless (the metrics API, autoscalers, budgets, the pods of
// other namespaces) adds a warning; other errors are returned, naming what
// was being listed.
func Read(ctx context.Context, kube kubernetes.Interface, metrics metricsclientset.Interface, opts Options) (Inventory, error) {
	o := opts.withDefaults()
	var inv Inventory
	rawNodes, err := readNodes(ctx, kube, o)
	if err != nil {
		return Inventory{}, err
	}
	inv.Nodes = convertNodes(rawNodes, o)
	deps, err := listDeployments(ctx, kube, o)
	if err != nil {
		return Inventory{}, err
	}
	inv.Deployments = make([]Deployment, len(deps))
	for i, d := range deps {
		inv.Deployments[i] = deployment(d, o.BusinessLineLabel)
	}
	sets, err := listStatefulSets(ctx, kube, o)
	if err != nil {
		return Inventory{}, err
	}
	inv.StatefulSets = make([]StatefulSet, len(sets))
	for i, s := range sets {
		inv.StatefulSets[i] = statefulSet(s, o.BusinessLineLabel)
	}
	daemons, err := listDaemonSets(ctx, kube, o)
	if err != nil {
		return Inventory{}, err
	}
	inv.DaemonSets = make([]DaemonSet, len(daemons))
	for i, d := range daemons {
		inv.DaemonSets[i] = daemonSet(d, rawNodes, inv.Nodes)
	}
	pods, err := listPods(ctx, kube, metav1.NamespaceAll, o.PageSize)
	if err != nil {
		inv.Warnings = append(inv.Warnings, fmt.Sprintf("fit of today's pods not checked: %v", err))
	} else {
		inv.Fit = checkFit(inv.Nodes, pods)
	}
	ws := refs(&inv, deps, sets)
	warning, err := readAutoscalers(ctx, kube, o, ws)
	if warning != "" {
		inv.Warnings = append(inv.Warnings, warning)
	}
	if err != nil {
		inv.Warnings = append(inv.Warnings, fmt.Sprintf("replica ranges not read: %v", err))
	}
	notes, err := readPDBs(ctx, kube, o, ws)
	if err != nil {
		inv.Warnings = append(inv.Warnings, fmt.Sprintf("PodDisruptionBudgets not read: %v", err))
	}
	inv.Warnings = append(inv.Warnings, notes...)
	if metrics == nil {
		return inv, nil
	}
	warning, err = readUsage(ctx, kube, metrics, o, ws, pods)
	if err != nil {
		return Inventory{}, err
	}
	if warning != "" {
		inv.Warnings = append(inv.Warnings, warning)
	}
	return inv, nil
}

// listAll pages through a list call, limit objects at a time.
func listAll[T any](ctx context.Context, what string, limit int64, list func(context.Context, metav1.ListOptions) ([]T, string, error)) ([]T, error) {
	var out []T
	opts := metav1.ListOptions{Limit: limit}
	for {
		items, next, err := list(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", what, err)
		}
		out = append(out, items...)
		if next == "" {
			return out, nil
		}
		opts.Continue = next
	}
}
