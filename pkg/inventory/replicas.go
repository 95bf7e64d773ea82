package inventory

import (
	"context"
	"fmt"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listersv2 "k8s.io/client-go/listers/autoscaling/v2"
)

// HPAReplicas reads the replica count a HorizontalPodAutoscaler works
// from, for a scaler that works around its tolerance: the desired replicas
// of its last sync, which it set on the scale target's spec and compares
// the next proposal with (the replicas currently running before its first
// sync). It reads from a watch of the cluster's autoscalers
// (WatchHPAReplicas), so that the scaler's calls, several a minute per
// trigger, cost the API server nothing; or, made with NewHPAReplicas, with
// one request per call.
type HPAReplicas struct {
	kube   kubernetes.Interface
	lister listersv2.HorizontalPodAutoscalerLister // nil: one GET per call
	stop   context.CancelFunc                      // ends the watch; nil without one
}

// NewHPAReplicas returns an HPAReplicas reading through kube, one request
// per call.
func NewHPAReplicas(kube kubernetes.Interface) *HPAReplicas { return &HPAReplicas{kube: kube} }

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
	return &HPAReplicas{kube: kube, lister: lister, stop: stop}, nil
}

// Stop ends a watch (WatchHPAReplicas) before its context does; the
// HPAReplicas then answers from what it last saw. It does nothing for one
// made with NewHPAReplicas.
func (r *HPAReplicas) Stop() {
	if r.stop != nil {
		r.stop()
	}
}

// Replicas returns the replicas of the HorizontalPodAutoscaler name in
// namespace (autoscaling/v2).
func (r *HPAReplicas) Replicas(ctx context.Context, namespace, name string) (int, error) {
	var hpa *autoscalingv2.HorizontalPodAutoscaler
	var err error
	if r.lister != nil {
		hpa, err = r.lister.HorizontalPodAutoscalers(namespace).Get(name)
	} else {
		hpa, err = r.kube.AutoscalingV2().HorizontalPodAutoscalers(namespace).Get(ctx, name, metav1.GetOptions{})
	}
	if err != nil {
		return 0, fmt.Errorf("horizontalpodautoscaler %s/%s: %w", namespace, name, err)
	}
	if n := hpa.Status.DesiredReplicas; n > 0 {
		return int(n), nil
	}
	return int(hpa.Status.CurrentReplicas), nil
}
