// Package kedacompat checks prescale's scaler against KEDA's own external
// scaler client (github.com/kedacore/keda/v2/pkg/scalers), in plaintext and
// over mutual TLS: the test builds the enclosing module's prescale command,
// runs `prescale serve` and polls it the way the KEDA operator does.
//
// It is a module of its own because KEDA's scalers package pulls in every
// cloud SDK KEDA supports (a build of several minutes and gigabytes), and
// because it needs the Prometheus client KEDA pins (v1.24), whose query API
// differs from the one prescale builds with (v1.25): the two cannot share a
// build, so the scaler runs as its own process, as it does in a cluster.
//
// It also runs the nested module apimirror (TestScaledObjectAPIMirror),
// which checks prescale's mirror of KEDA's ScaledObject API, the types and
// validations `prescale simulate --scaledobject` uses in place of KEDA's
// heavy API package, against that package, over every test and example
// ScaledObject and a table of edge cases.
//
// Run it with:
//
//	cd e2e/kedacompat && go test -vet=off ./...
package kedacompat
