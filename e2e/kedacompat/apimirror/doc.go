// Package apimirror checks prescale's mirror of KEDA's ScaledObject API
// (github.com/prescale-dev/prescale/simulator/scaledobject/v1alpha1)
// against KEDA's own package (github.com/kedacore/keda/v2/apis/keda/v1alpha1,
// v2.21): the types have the same shape (Go names, JSON names and tags,
// field types), every ScaledObject under simulator/scaledobject/testdata and
// deploy/examples and a table of tricky cases decode alike (or fail alike)
// into both, marshal to the same JSON, and KEDA's validations
// (CheckReplicaCountBoundsAreValid, ValidateTriggers, CheckFallbackValid)
// and helpers agree with the mirror's, message for message.
//
// It is a module of its own: the enclosing kedacompat module builds KEDA's
// scalers with the Prometheus client KEDA pins, which cannot share a build
// with prescale's (see ../doc.go). The kedacompat suite runs it (see
// TestScaledObjectAPIMirror); by hand:
//
//	cd e2e/kedacompat/apimirror && go test ./...
package apimirror
