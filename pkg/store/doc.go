// Package store keeps what prescale's scaler needs to answer at once after a
// restart: per ScaledObject trigger, the recent demand history, the last
// fitted forecasting model and the last served decision.
//
// A Store is one bbolt file. Every write is a single bbolt transaction, so a
// process killed mid-write loses nothing that was already committed, and a
// reader never sees half a write. A Store is safe for concurrent use by many
// goroutines; only one process may hold the file open at a time.
//
// History is kept on a regular grid fixed by the first append (its start and
// step). Values are stored as little-endian float64 chunks of 1,016 steps, so
// appending a few steps rewrites only the tail chunk. Missing steps are NaN,
// and runs of missing chunks cost nothing on disk.
//
// Layout of the file (schema version 1):
//
//	meta/schema           uint32 schema version
//	series/<key>/h        history header: grid origin, step, first and end step
//	series/<key>/c/<n>    history chunk n: up to 1,016 float64 values
//	series/<key>/m        fitted-model record
//	series/<key>/d        last served decision
//	series/<key>/w        when a record of the key was last written
//
// A store written before the w record existed reads as never written; the
// record is added by the next write of the key.
package store
