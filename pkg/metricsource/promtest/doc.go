// Package promtest runs a real Prometheus server for tests: on a free
// loopback port, with a temporary data directory, ten-year retention, the
// remote-write receiver enabled and a 30-day out-of-order window, so that a
// test can load weeks of history in well under a second with Write.
//
// The server is the `prometheus` binary on the PATH (or /usr/bin/prometheus,
// where Debian's package installs it). Start skips the test when there is
// none, unless the environment variable PRESCALE_REQUIRE_PROMETHEUS is set
// (CI sets it), in which case the test fails.
package promtest
