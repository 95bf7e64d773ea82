// Package metricsource reads demand from a monitoring system: the value of
// a query now (Instant) and its history on a regular grid (Range), both as
// exactly one series. Prometheus is the one source so far.
//
// A demand query must come down to a single series; aggregating several
// (sum by () (...)) is the query author's job, and a query that returns
// several is an error naming their count rather than a silent pick.
// Missing data stays missing: an empty result is ErrEmpty, and a NaN or
// infinite point is ErrNotFinite for an instant query and a missing (NaN)
// step in a range.
package metricsource
