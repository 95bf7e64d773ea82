package inventory

import (
	"context"
	"fmt"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	metricsfake "k8s.io/metrics/pkg/client/clientset/versioned/fake"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// benchCluster returns a cluster of deployments Deployments of 5 pods
// each, in 10 namespaces, with metrics, on deployments/10 nodes.
func benchCluster(b *testing.B, deployments int) (*fake.Clientset, *metricsfake.Clientset) {
	b.Helper()
	var objs []runtime.Object
	for i := range deployments / 10 {
		objs = append(objs, node(fmt.Sprintf("n%d", i), map[string]string{"karpenter.sh/nodepool": "web"}, "8", "32Gi", 110))
	}
	metrics := metricsfake.NewSimpleClientset()
	gvr := schema.GroupVersionResource{Group: "metrics.k8s.io", Version: "v1beta1", Resource: "pods"}
	for i := range deployments {
		ns, name := fmt.Sprintf("ns%d", i%10), fmt.Sprintf("app%d", i)
		objs = append(objs, deploy(ns, name, ptr[int32](5), map[string]string{DefaultBusinessLineLabel: "web"}, requests("250m", "256Mi")))
		for k := range 5 {
			p := pod(ns, fmt.Sprintf("%s-%d", name, k), name)
			objs = append(objs, p)
			m := podMetrics(ns, p.Name, requests("100m", "128Mi"))
			if err := metrics.Tracker().Create(gvr, m, ns); err != nil {
				b.Fatal(err)
			}
		}
	}
	return fake.NewClientset(objs...), metrics
}

func BenchmarkRead(b *testing.B) {
	for _, n := range []int{100, 1000} {
		kube, metrics := benchCluster(b, n)
		b.Run(fmt.Sprintf("deployments=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				inv, err := Read(context.Background(), kube, metrics, Options{})
				if err != nil || len(inv.Deployments) != n || inv.Deployments[0].Usage.Pods != 5 {
					b.Fatalf("read %d deployments, err %v", len(inv.Deployments), err)
				}
			}
			b.ReportMetric(float64(n*5)*float64(b.N)/b.Elapsed().Seconds(), "pods/s")
		})
	}
}

func BenchmarkMerge(b *testing.B) {
	for _, n := range []int{100, 10000} {
		inv := Inventory{}
		p := shop()
		for i := range n {
			inv.Nodes = append(inv.Nodes, Node{Pool: "storefront", Zone: []string{"a", "b"}[i%2], InstanceType: "m6i.xlarge"})
			inv.Deployments = append(inv.Deployments, Deployment{Namespace: "shop", Name: fmt.Sprintf("app%d", i), BusinessLine: "storefront",
				Replicas: 3, Requests: capacity.Resources{CPU: 0.25, Memory: 256 << 20, Pods: 1}})
		}
		b.Run(fmt.Sprintf("deployments=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				merged, _ := Merge(p, inv)
				if len(merged.Workloads) != len(p.Workloads)+n {
					b.Fatalf("%d workloads", len(merged.Workloads))
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "deployments/s")
		})
	}
}
