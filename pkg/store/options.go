package store

import (
	"fmt"
	"time"
)

// Defaults applied by Open to zero Options fields.
const (
	// DefaultRetention is the span of history kept per key: five weeks.
	DefaultRetention = 5 * 7 * 24 * time.Hour
	// DefaultLockTimeout is how long Open waits for another process to
	// release the file lock.
	DefaultLockTimeout = 2 * time.Second
)

// Options tunes a Store. The zero value is valid and selects the defaults.
type Options struct {
	// Retention is the span of history kept per key; older steps are dropped
	// on append. Per key it is turned into a step count, Retention/step
	// (at least one step). Zero means DefaultRetention.
	Retention time.Duration
	// LockTimeout bounds the wait for the exclusive file lock. Zero means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// NoSync skips fsync on commit. A killed process still loses nothing
	// committed (the data is in the page cache), but a machine crash may.
	// Meant for tests and benchmarks.
	NoSync bool
	// NoVerify skips the full consistency check that Open runs on an
	// existing file (it reads every page once: about the cost of reading
	// the file).
	NoVerify bool
	// Now is the clock used to name a file moved aside by OpenOrRebuild.
	// Nil means time.Now.
	Now func() time.Time
}

// withDefaults returns o with zero fields replaced by their defaults.
func (o Options) withDefaults() Options {
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Validate reports a negative Retention or LockTimeout.
func (o Options) Validate() error {
	if o.Retention < 0 {
		return fmt.Errorf("retention %s is negative", o.Retention)
	}
	if o.LockTimeout < 0 {
		return fmt.Errorf("lock timeout %s is negative", o.LockTimeout)
	}
	return nil
}
