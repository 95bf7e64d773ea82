package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prescale-dev/prescale/pkg/inventory"
	"github.com/prescale-dev/prescale/scaler"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// hpaListTimeout bounds the first list of the HorizontalPodAutoscalers the
// scaler watches.
const hpaListTimeout = 10 * time.Second

// replicaReader returns the reader of the HPAs' replicas for triggers with
// hpaTolerance: from --kubeconfig when given, else from the pod's service
// account when the scaler runs in a cluster, else none (those triggers
// then take the tolerance as headroom, as they do when the watch cannot
// start in a cluster). It watches the cluster's autoscalers until ctx
// ends.
func replicaReader(ctx context.Context, kubeconfig string, log *slog.Logger) (scaler.ReplicaReader, error) {
	var cfg *rest.Config
	var err error
	switch {
	case kubeconfig != "":
		if cfg, err = clientcmd.BuildConfigFromFlags("", kubeconfig); err != nil {
			return nil, fmt.Errorf("--kubeconfig: %w", err)
		}
	default:
		if cfg, err = rest.InClusterConfig(); errors.Is(err, rest.ErrNotInCluster) {
			log.Info("not in a cluster and no --kubeconfig: triggers with hpaTolerance take it as headroom")
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("in-cluster configuration: %w", err)
		}
	}
	cfg.UserAgent = "prescale-scaler"
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("--kubeconfig: %w", err)
	}
	r, err := inventory.WatchHPAReplicas(ctx, kube, hpaListTimeout)
	switch {
	case err != nil && kubeconfig != "":
		return nil, fmt.Errorf("--kubeconfig: watching the HorizontalPodAutoscalers for hpaTolerance: %w", err)
	case err != nil:
		log.Warn("cannot watch the HorizontalPodAutoscalers: triggers with hpaTolerance take it as headroom", "err", err)
		return nil, nil
	}
	return r, nil
}
