package scaledobject_test

import (
	"fmt"

	"github.com/prescale-dev/prescale/simulator"
	"github.com/prescale-dev/prescale/simulator/scaledobject"
)

// Decode a ScaledObject and map it onto the simulator's default settings.
func ExampleDecode() {
	manifest := []byte(`apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: checkout, namespace: shop}
spec:
  scaleTargetRef: {name: checkout}
  minReplicaCount: 2
  triggers:
  - type: external
    metadata:
      scalerAddress: prescale.keda.svc:6000
      query: sum(rate(http_requests_total[2m]))
      targetPerPod: "80"
      leadTime: 4m
`)
	doc, err := scaledobject.Decode(manifest, "checkout.yaml", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := doc.Map(simulator.DefaultSettings())
	if err != nil {
		fmt.Println(err)
		return
	}
	k := r.Settings.KEDA
	fmt.Println(k.MinReplicaCount, k.MaxReplicaCount, k.PollingInterval, r.Settings.HPA.Behavior == nil)
	p := r.Triggers[0].Prescale.Metadata.Policy
	fmt.Println(p.TargetPerPod, p.LeadTime)

	_, err = scaledobject.Decode([]byte("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n  minReplicas: 2\n"), "typo.yaml", "")
	fmt.Println(err)
	// Output:
	// 2 100 30s true
	// 80 4m0s
	// typo.yaml:4: spec.minReplicas: unknown field: did you mean minReplicaCount?
	// typo.yaml:3: spec.scaleTargetRef: required
	// typo.yaml:3: spec.triggers: required
}
