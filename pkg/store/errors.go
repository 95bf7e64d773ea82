package store

import (
	"errors"
	"fmt"
)

// Sentinel errors of the store; callers test for them with errors.Is.
var (
	// ErrNotFound reports a key, history, model or decision that was never
	// written (or was deleted).
	ErrNotFound = errors.New("not found")
	// ErrCorrupt reports a store file that is not a readable prescale store.
	// It reaches the caller inside a *CorruptError naming the file.
	ErrCorrupt = errors.New("store file is corrupt")
	// ErrLocked reports a store file held open by another process (or by
	// another Store in this process) for longer than Options.LockTimeout.
	ErrLocked = errors.New("store file is locked by another process")
	// ErrNewerSchema reports a store written by a newer prescale whose
	// schema this build cannot read.
	ErrNewerSchema = errors.New("store schema is newer than this build supports")
	// ErrGrid reports an appended series whose step differs from the stored
	// history's or whose start is not a whole number of steps from it.
	ErrGrid = errors.New("series is not on the stored grid")
	// ErrClosed reports a Store used after Close, or after a failed
	// Compact could not reopen its file.
	ErrClosed = errors.New("store is closed")
	// ErrInvalidKey reports an empty key or one longer than MaxKeyLen.
	ErrInvalidKey = errors.New("invalid key")
)

// CorruptError reports a store file that cannot be read as a prescale
// store: not a bbolt file, truncated, failing bbolt's consistency check, or
// holding records that do not decode. errors.Is(err, ErrCorrupt) holds for
// it. OpenOrRebuild moves such a file aside.
type CorruptError struct {
	// Path is the store file.
	Path string
	// Err says what is wrong.
	Err error
}

// Error implements error.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("store %q is corrupt: %v", e.Path, e.Err)
}

// Unwrap returns the underlying cause.
func (e *CorruptError) Unwrap() error { return e.Err }

// Is reports whether target is ErrCorrupt.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }
