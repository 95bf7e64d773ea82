// Package hpacompat is a differential test of prescale's simulator against
// the HorizontalPodAutoscaler controller of Kubernetes itself
// (k8s.io/kubernetes/pkg/controller/podautoscaler at v1.37.2).
//
// Each scenario is one HPA as KEDA creates it for a ScaledObject with one
// trigger: autoscaling/v2, one External metric with an AverageValue or a
// Value target, minReplicas and maxReplicas, and spec.behavior either nil
// (KEDA without advanced.horizontalPodAutoscalerConfig.behavior) or set by
// the user and defaulted as the API server does. The metric follows a
// seeded random shape (steps, ramps, slow drifts, spikes shorter than the
// 300 s window, drops, plateaus on the tolerance's edge) for 10 to 20
// virtual minutes.
//
// The real controller runs unmodified inside a testing/synctest bubble,
// against client-go's fake clientsets, a fake scale client standing for the
// Deployment's scale subresource and a metrics client that returns the
// scenario's value at the current virtual time; its Deployment's replicas
// are recorded after every sync (every 15 s from the HPA's creation, at
// t=0 or, in a quarter of the scenarios, 5 s or 10 s later). The same
// scenario runs through simulator.Run with no metric lag, pods ready at
// once and the HPA sync pinned to the same instants. The test proves, over
// two hand-written and 100 generated scenarios, that the simulator's
// replica count equals the controller's after every sync: the
// simulator's HPA (tolerance, stabilization windows, rate-limit policies,
// selectPolicy, per-direction tolerance, the nil-behavior path and its
// scale-up cap, min/max clamps, Value targets over ready pods) is the
// Kubernetes algorithm, not an approximation of it.
//
// It is a module of its own because k8s.io/kubernetes is not meant to be
// imported: it needs a replace directive for every staging module, and its
// test binary takes minutes to build. Run it with:
//
//	cd e2e/hpacompat && go test ./...
package hpacompat
