// Package evidence keeps the figures README.md quotes in step with the
// commands that measure them.
//
// `make evidence` reruns every command whose output the README quotes
// (the simulator's frontiers, the tuning example, the M4 and Wikipedia
// backtests and the logs of the tests that score the forecasters) and
// writes the results to one directory. The README marks each quoted
// figure set as a block:
//
//	<!-- evidence:frontier -->
//	| trace | start-up | ...
//	<!-- /evidence:frontier -->
//
// Render builds every block's text from that directory, Check reports the
// blocks of a document that differ from it (a stale figure), and Update
// rewrites them. The text between the markers is generated: edit the
// renderer, not the README.
package evidence
