package hpacompat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	fakescale "k8s.io/client-go/scale/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/klog/v2"
	v2defaults "k8s.io/kubernetes/pkg/apis/autoscaling/v2"
	"k8s.io/kubernetes/pkg/controller/podautoscaler"
	metricsclient "k8s.io/kubernetes/pkg/controller/podautoscaler/metrics"
)

// The kube-controller-manager flags the controller runs with: their
// defaults.
const (
	// syncPeriod is --horizontal-pod-autoscaler-sync-period. The controller
	// passes it to NewHorizontalController as resyncPeriod; each reconcile
	// re-queues its HPA with that delay (processNextWorkItem,
	// NewDefaultHPARateLimiter), so syncs fall at 0, 15 s, 30 s...
	syncPeriod = 15 * time.Second
	// downscaleWindow is --horizontal-pod-autoscaler-downscale-stabilization:
	// the window of the nil-behavior path, and of a behavior whose scaleDown
	// leaves stabilizationWindowSeconds unset.
	downscaleWindow = 5 * time.Minute
	// tolerance is --horizontal-pod-autoscaler-tolerance.
	tolerance = 0.1
	// cpuInitialization and initialReadiness are
	// --horizontal-pod-autoscaler-cpu-initialization-period and
	// --horizontal-pod-autoscaler-initial-readiness-delay; external metrics
	// do not use them.
	cpuInitialization = 5 * time.Minute
	initialReadiness  = 30 * time.Second
)

// The objects of the harness: KEDA names the HPA keda-hpa-<ScaledObject>
// and its metric s<trigger index>-<name>.
const (
	namespace  = "default"
	deployment = "web"
	hpaName    = "keda-hpa-web"
	metricName = "s0-prescale"
)

var podLabels = map[string]string{"app": deployment}

// syncRecord is one reconcile of the HPA by the controller: its virtual time as
// an offset from the start, and the Deployment's replicas right after it.
type syncRecord struct {
	at       time.Duration
	replicas int32
}

// runController runs sc through Kubernetes' HPA controller in a synctest
// bubble and returns one sync per reconcile, in order. The bubble's clock
// starts at the scenario's t=0, with the Deployment and its pods; the HPA
// is created at sc.phase; the run stops 1 ns before sc.duration().
func runController(t *testing.T, sc scenario) []syncRecord {
	t.Helper()
	var syncs []syncRecord
	synctest.Test(t, func(t *testing.T) {
		syncs = driveController(t, sc)
	})
	return syncs
}

// driveController builds the clients, the informers and the controller
// inside the bubble, lets virtual time run to the end of the scenario, and
// stops everything it started before returning, as synctest requires: the
// controller first, then the informers (factory.Shutdown waits for their
// goroutines, which end with ctx); the event broadcaster ends with ctx.
func driveController(t *testing.T, sc scenario) []syncRecord {
	start := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	client := fake.NewClientset()
	target := &scaleTarget{client: client, replicas: sc.initial, start: start}
	require.NoError(t, target.reconcilePods(ctx, sc.initial))
	time.Sleep(sc.phase)
	hpa := newHPA(sc)
	_, err := client.AutoscalingV2().HorizontalPodAutoscalers(namespace).Create(ctx, hpa, metav1.CreateOptions{})
	require.NoError(t, err)

	// kube-controller-manager's factory resyncs every 12 to 24 hours
	// (--min-resync-period); the controller's handler asks for syncPeriod.
	factory := informers.NewSharedInformerFactory(client, 12*time.Hour)
	ctrl := podautoscaler.NewHorizontalController(ctx,
		client.CoreV1(), target.scales(), client.AutoscalingV2(), deploymentMapper(),
		&scenarioMetrics{sc: sc, start: start},
		factory.Autoscaling().V2().HorizontalPodAutoscalers(), factory.Core().V1().Pods(),
		syncPeriod, downscaleWindow, tolerance, cpuInitialization, initialReadiness)
	factory.Start(ctx.Done())
	// Synced caches let Run's own wait succeed at once, so the first sync
	// falls on the instant the HPA was created, as in a cluster.
	synced := factory.WaitForCacheSync(ctx.Done())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctrl.Run(ctx, 1)
	}()
	defer func() {
		cancel()
		<-done
		factory.Shutdown()
	}()
	for typ, ok := range synced {
		require.True(t, ok, "informer cache of %v", typ)
	}

	// Every sync before the end of the scenario runs before the clock
	// reaches its last nanosecond: synctest advances the clock only when
	// every goroutine of the bubble is blocked.
	time.Sleep(sc.duration() - time.Nanosecond)
	require.NoError(t, target.err())
	return target.history()
}

// deploymentMapper maps apps/v1 Deployment to its resource, the only
// scale target of the harness.
func deploymentMapper() meta.RESTMapper {
	m := meta.NewDefaultRESTMapper([]schema.GroupVersion{appsv1.SchemeGroupVersion})
	m.Add(appsv1.SchemeGroupVersion.WithKind("Deployment"), meta.RESTScopeNamespace)
	return m
}

// newHPA returns the HPA KEDA creates for sc, defaulted as the API server
// defaults it (the fake clientset does no defaulting): behavior is filled
// in only when it is set.
func newHPA(sc scenario) *autoscalingv2.HorizontalPodAutoscaler {
	minReplicas := sc.min
	mt := autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType,
		AverageValue: resource.NewMilliQuantity(sc.target, resource.DecimalSI)}
	if sc.kind == valueTarget {
		mt = autoscalingv2.MetricTarget{Type: autoscalingv2.ValueMetricType,
			Value: resource.NewMilliQuantity(sc.target, resource.DecimalSI)}
	}
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: hpaName, Namespace: namespace},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{
				APIVersion: "apps/v1", Kind: "Deployment", Name: deployment},
			MinReplicas: &minReplicas,
			MaxReplicas: sc.max,
			Metrics: []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ExternalMetricSourceType,
				External: &autoscalingv2.ExternalMetricSource{
					Metric: autoscalingv2.MetricIdentifier{Name: metricName,
						Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"scaledobject.keda.sh/name": deployment}}},
					Target: mt,
				},
			}},
			Behavior: sc.behavior.DeepCopy(),
		},
	}
	v2defaults.SetDefaults_HorizontalPodAutoscaler(hpa)
	return hpa
}

// scenarioMetrics is the external metrics API as KEDA serves it: the
// scenario's value at the current virtual time, in milli-units.
type scenarioMetrics struct {
	sc    scenario
	start time.Time
}

var errNotExternal = errors.New("the harness serves external metrics only")

// GetExternalMetric returns the scenario's value now.
func (m *scenarioMetrics) GetExternalMetric(name, _ string, _ labels.Selector) ([]int64, time.Time, error) {
	if name != metricName {
		return nil, time.Time{}, fmt.Errorf("external metric %q: not served", name)
	}
	now := time.Now()
	return []int64{m.sc.valueAt(now.Sub(m.start))}, now, nil
}

// GetResourceMetric fails: the HPA has no resource metric.
func (m *scenarioMetrics) GetResourceMetric(context.Context, corev1.ResourceName, string, labels.Selector, string) (metricsclient.PodMetricsInfo, time.Time, error) {
	return nil, time.Time{}, errNotExternal
}

// GetRawMetric fails: the HPA has no pods metric.
func (m *scenarioMetrics) GetRawMetric(string, string, labels.Selector, labels.Selector) (metricsclient.PodMetricsInfo, time.Time, error) {
	return nil, time.Time{}, errNotExternal
}

// GetObjectMetric fails: the HPA has no object metric.
func (m *scenarioMetrics) GetObjectMetric(string, string, *autoscalingv2.CrossVersionObjectReference, labels.Selector) (int64, time.Time, error) {
	return 0, time.Time{}, errNotExternal
}

// scaleTarget is the Deployment behind the fake scale subresource: its
// replicas, and as many Ready pods in the fake clientset, created ready at
// once and deleted newest first (a Value target counts them through the
// pod lister). It records every sync: the controller reads the scale once
// per reconcile.
type scaleTarget struct {
	client *fake.Clientset
	start  time.Time

	mu       sync.Mutex
	replicas int32
	pods     []string // names, oldest first
	created  int
	syncs    []syncRecord
	failure  error
}

// scales returns the fake scale client serving the Deployment's scale
// subresource: a get records a sync, an update sets the replicas (spec and
// status) and the pods.
func (d *scaleTarget) scales() *fakescale.FakeScaleClient {
	c := &fakescale.FakeScaleClient{}
	c.AddReactor("get", "deployments", func(a clienttesting.Action) (bool, runtime.Object, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.syncs = append(d.syncs, syncRecord{at: time.Since(d.start), replicas: d.replicas})
		return true, d.scale(), nil
	})
	c.AddReactor("update", "deployments", func(a clienttesting.Action) (bool, runtime.Object, error) {
		s := a.(clienttesting.UpdateAction).GetObject().(*autoscalingv1.Scale)
		d.mu.Lock()
		defer d.mu.Unlock()
		d.replicas = s.Spec.Replicas
		if n := len(d.syncs); n > 0 {
			d.syncs[n-1].replicas = s.Spec.Replicas
		}
		// A reactor gets no context; the fake clientset never blocks.
		if err := d.reconcilePodsLocked(context.Background(), s.Spec.Replicas); err != nil {
			d.failure = errors.Join(d.failure, err)
			return true, nil, err
		}
		return true, d.scale(), nil
	})
	return c
}

// scale returns the Deployment's scale subresource; d.mu is held.
func (d *scaleTarget) scale() *autoscalingv1.Scale {
	return &autoscalingv1.Scale{
		ObjectMeta: metav1.ObjectMeta{Name: deployment, Namespace: namespace},
		Spec:       autoscalingv1.ScaleSpec{Replicas: d.replicas},
		Status: autoscalingv1.ScaleStatus{Replicas: d.replicas,
			Selector: labels.SelectorFromSet(podLabels).String()},
	}
}

// reconcilePods creates or deletes pods until n are Ready.
func (d *scaleTarget) reconcilePods(ctx context.Context, n int32) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.reconcilePodsLocked(ctx, n)
}

func (d *scaleTarget) reconcilePodsLocked(ctx context.Context, n int32) error {
	pods := d.client.CoreV1().Pods(namespace)
	for int32(len(d.pods)) < n {
		d.created++
		p := readyPod(fmt.Sprintf("%s-%d", deployment, d.created), time.Now())
		if _, err := pods.Create(ctx, p, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating pod %s: %w", p.Name, err)
		}
		d.pods = append(d.pods, p.Name)
	}
	for int32(len(d.pods)) > n {
		name := d.pods[len(d.pods)-1]
		if err := pods.Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
			return fmt.Errorf("deleting pod %s: %w", name, err)
		}
		d.pods = d.pods[:len(d.pods)-1]
	}
	return nil
}

// readyPod returns a running pod of the Deployment that passed its
// readiness probe at start.
func readyPod(name string, start time.Time) *corev1.Pod {
	at := metav1.NewTime(start)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: podLabels},
		Status: corev1.PodStatus{
			Phase:     corev1.PodRunning,
			StartTime: &at,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue,
				LastTransitionTime: at}},
		},
	}
}

// history returns the syncs recorded.
func (d *scaleTarget) history() []syncRecord {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]syncRecord(nil), d.syncs...)
}

// err returns the failures of the fake clientset while scaling, if any.
func (d *scaleTarget) err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.failure
}

// TestMain sends klog's output nowhere before any bubble starts: the
// controller logs every sync, and a klog logger writing from inside a
// bubble deadlocks it against klog's flush daemon, which lives outside.
func TestMain(m *testing.M) {
	klog.SetLogger(logr.Discard())
	os.Exit(m.Run())
}
