package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	metricsclientset "k8s.io/metrics/pkg/client/clientset/versioned"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/inventory"
)

// planClusterFlags say which cluster to read and how to read its labels.
type planClusterFlags struct {
	kubeconfig, context, namespace string
	poolLabels, zoneLabels         []string
	typeLabels                     []string
	businessLineLabel              string
	autoscaledAt                   string // a value of inventory.AutoscaledValues

	cmd *cobra.Command // to tell given flags from defaults
}

// register adds the cluster flags to cmd.
func (f *planClusterFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig file of a cluster to read today's nodes and Deployments from")
	fs.StringVar(&f.context, "context", "", "with --kubeconfig: the context to use (default: the file's current context)")
	fs.StringVar(&f.namespace, "namespace", "", "with --kubeconfig: read the Deployments, StatefulSets, autoscalers and PodDisruptionBudgets of this namespace only (default: all; nodes, DaemonSets and the fit check cover every namespace)")
	fs.StringSliceVar(&f.poolLabels, "pool-label", nil, "node labels naming a node's pool, tried in order (default: "+strings.Join(inventory.DefaultPoolLabels(), ",")+")")
	fs.StringSliceVar(&f.zoneLabels, "zone-label", nil, "node labels naming a node's zone, tried in order (default: "+strings.Join(inventory.DefaultZoneLabels(), ",")+")")
	fs.StringSliceVar(&f.typeLabels, "instance-type-label", nil, "node labels naming a node's instance type, tried in order (default: "+strings.Join(inventory.DefaultInstanceTypeLabels(), ",")+")")
	fs.StringVar(&f.businessLineLabel, "business-line-label", inventory.DefaultBusinessLineLabel, "Deployment (or pod template) label naming its business line")
	fs.StringVar(&f.autoscaledAt, "autoscaled-at", string(inventory.AutoscaledClamped), "with --kubeconfig: plan the workloads an HPA or KEDA ScaledObject scales at "+
		"clamped (their planned or live replicas raised to its min and capped at its max, noted when they exceed it) "+
		"or max (its max throughout: the worst case it allows)")
	f.cmd = cmd
}

// validate checks --autoscaled-at's value, that the cluster flags come
// with --kubeconfig and that no label key is empty.
func (f *planClusterFlags) validate() error {
	if _, err := inventory.ParseAutoscaled(f.autoscaledAt); err != nil {
		return fmt.Errorf("--autoscaled-at: %w", err)
	}
	if f.kubeconfig == "" {
		for _, name := range []string{"context", "namespace", "pool-label", "zone-label", "instance-type-label", "business-line-label", "autoscaled-at"} {
			if f.cmd != nil && f.cmd.Flags().Changed(name) {
				return fmt.Errorf("--%s: only meaningful with --kubeconfig: give the cluster's kubeconfig file", name)
			}
		}
		return nil
	}
	for _, l := range []struct {
		name string
		keys []string
	}{{"pool-label", f.poolLabels}, {"zone-label", f.zoneLabels}, {"instance-type-label", f.typeLabels}, {"business-line-label", []string{f.businessLineLabel}}} {
		if slices.Contains(l.keys, "") || (len(l.keys) == 0 && f.cmd != nil && f.cmd.Flags().Changed(l.name)) {
			return fmt.Errorf("--%s: empty label key: give a label such as %s", l.name, planExampleLabel(l.name))
		}
	}
	return nil
}

// planExampleLabel returns a default label of the flag called name.
func planExampleLabel(name string) string {
	switch name {
	case "pool-label":
		return inventory.DefaultPoolLabels()[0]
	case "zone-label":
		return inventory.DefaultZoneLabels()[0]
	case "instance-type-label":
		return inventory.DefaultInstanceTypeLabels()[0]
	}
	return inventory.DefaultBusinessLineLabel
}

// restConfig loads the kubeconfig and the chosen context.
func (f *planClusterFlags) restConfig() (*rest.Config, error) {
	raw, err := clientcmd.LoadFromFile(f.kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("--kubeconfig: %w", err)
	}
	if f.context != "" && raw.Contexts[f.context] == nil {
		names := make([]string, 0, len(raw.Contexts))
		for n := range raw.Contexts {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("--context: no context %q in %s (contexts: %s)", f.context, f.kubeconfig, strings.Join(names, ", "))
	}
	cfg, err := clientcmd.NewNonInteractiveClientConfig(*raw, f.context, &clientcmd.ConfigOverrides{}, nil).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("--kubeconfig: %s: %w", f.kubeconfig, err)
	}
	cfg.UserAgent = "prescale-plan"
	return cfg, nil
}

// merge reads the cluster and merges its inventory into p (see
// mergeInventory).
func (f *planClusterFlags) merge(ctx context.Context, p capacity.Problem) (capacity.Problem, *planClusterInfo, error) {
	cfg, err := f.restConfig()
	if err != nil {
		return p, nil, err
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return p, nil, fmt.Errorf("--kubeconfig: %w", err)
	}
	metrics, err := metricsclientset.NewForConfig(cfg)
	if err != nil {
		return p, nil, fmt.Errorf("--kubeconfig: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return p, nil, fmt.Errorf("--kubeconfig: %w", err)
	}
	inv, err := inventory.Read(ctx, kube, metrics, inventory.Options{
		Namespace: f.namespace, PoolLabels: f.poolLabels, ZoneLabels: f.zoneLabels,
		InstanceTypeLabels: f.typeLabels, BusinessLineLabel: f.businessLineLabel, Dynamic: dyn,
	})
	if err != nil {
		return p, nil, fmt.Errorf("reading cluster %s: %w", cfg.Host, err)
	}
	return f.mergeInventory(p, inv)
}

// mergeInventory merges inv into p, planning the autoscaled workloads as
// --autoscaled-at says; the inventory returned records each planned
// workload's replicas and where they came from.
func (f *planClusterFlags) mergeInventory(p capacity.Problem, inv inventory.Inventory) (capacity.Problem, *planClusterInfo, error) {
	at, err := inventory.ParseAutoscaled(f.autoscaledAt)
	if err != nil {
		return p, nil, fmt.Errorf("--autoscaled-at: %w", err)
	}
	m, err := inventory.MergeWith(p, inv, inventory.MergeOptions{Autoscaled: at})
	if err != nil {
		return p, nil, err
	}
	return m.Problem, &planClusterInfo{inventory: m.Inventory, merged: m.Notes}, nil
}
