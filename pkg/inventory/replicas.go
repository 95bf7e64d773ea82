package inventory

import (
	"context"
	"fmt"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listersv2 "k8s.io/client-go/listers/autoscaling/v2"
)

// HPAReplicas reads the replica count a HorizontalPodAutoscaler works
// from, for a scaler that works around its tolerance: the desired replicas
// of its last sync, which it set on the scale target's spec and compares
// the next proposal with (the replicas currently running before its first
// sync). It reads from a watch of the cluster's autoscalers, so that the
// scaler's calls, several a minute per trigger, cost the API server
// nothing.
type HPAReplicas struct {
	lister listersv2.HorizontalPodAutoscalerLister
	stop   context.CancelFunc // ends the watch
}

// WatchHPAReplicas returns an HPAReplicas reading from a watch of every
// HorizontalPodAutoscaler of the cluster (autoscaling/v2, list and watch),
// kept until ctx ends. It waits for the first list, at most wait, and
// stops watching when that fails.
func WatchHPAReplicas(ctx context.Context, kube kubernetes.Interface, wait time.Duration) (*HPAReplicas, error) {
	wctx, stop := context.WithCancel(ctx)
	factory := informers.NewSharedInformerFactory(kube, 0)
	lister := factory.Autoscaling().V2().HorizontalPodAutoscalers().Lister()
	factory.Start(wctx.Done())
	sctx, cancel := context.WithTimeout(wctx, wait)
	defer cancel()
	for typ, ok := range factory.WaitForCacheSync(sctx.Done()) {
		if !ok {
			stop()
			factory.Shutdown()
			return nil, fmt.Errorf("listing %v: not done within %s (may the service account list and watch horizontalpodautoscalers?)", typ, wait)
		}
	}
	return &HPAReplicas{lister: lister, stop: stop}, nil
}

// Stop ends the watch before its context does; the HPAReplicas then
// answers from what it last saw.
func (r *HPAReplicas) Stop() { r.stop() }

// Replicas returns the replicas of the HorizontalPodAutoscaler name in
// namespace (autoscaling/v2), as the watch last saw them; it does no I/O.
func (r *HPAReplicas) Replicas(_ context.Context, namespace, name string) (int, error) {
	hpa, err := r.lister.HorizontalPodAutoscalers(namespace).Get(name)
	if err != nil {
		return 0, fmt.Errorf("horizontalpodautoscaler %s/%s: %w", namespace, name, err)
	}
	if n := hpa.Status.DesiredReplicas; n > 0 {
		return int(n), nil
	}
	return int(hpa.Status.CurrentReplicas), nil
}
