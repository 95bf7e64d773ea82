package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Store is a prescale state file. Its methods are safe for concurrent use.
type Store struct {
	mu        sync.RWMutex // held shared by every transaction, exclusively while Compact swaps the file
	db        *bolt.DB     // nil once closed
	opts      Options
	path      string
	retention time.Duration
	created   bool
}

// RebuildInfo says what OpenOrRebuild did.
type RebuildInfo struct {
	// Rebuilt is true when a corrupt file was moved aside and an empty
	// store started in its place.
	Rebuilt bool
	// MovedTo is where the corrupt file now is: the store path followed by
	// ".corrupt-<unix seconds>" (and "-<n>" if that name was taken).
	MovedTo string
	// Cause is the *CorruptError that Open reported.
	Cause error
}

// Open opens the store at path, creating an empty one if the file does not
// exist (its directory must). It waits up to opts.LockTimeout for a file
// lock held elsewhere (then ErrLocked), returns a *CorruptError for a file
// that is not a readable prescale store, and an error wrapping
// ErrNewerSchema for a store written by a newer prescale.
func Open(path string, opts Options) (*Store, error) {
	o := opts.withDefaults()
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("opening store %q: %w", path, err)
	}
	if err := checkDir(path); err != nil {
		return nil, err
	}
	if err := removeStale(path); err != nil {
		return nil, err
	}
	existing, err := precheck(path)
	if err != nil {
		return nil, err
	}
	db, err := openDB(path, o)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, opts: o, path: path, retention: o.Retention, created: !existing}
	if existing && !o.NoVerify {
		err = s.verify()
	}
	if err == nil {
		err = s.initSchema()
	}
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// OpenOrRebuild opens the store at path like Open; if the file is corrupt
// it renames it aside (see RebuildInfo.MovedTo) and opens an empty store
// in its place, reporting that in the RebuildInfo. Other errors (locked
// file, newer schema, missing directory) are returned as they are.
func OpenOrRebuild(path string, opts Options) (*Store, RebuildInfo, error) {
	s, err := Open(path, opts)
	if err == nil || !errors.Is(err, ErrCorrupt) {
		return s, RebuildInfo{}, err
	}
	info := RebuildInfo{Cause: err}
	dst, merr := moveAside(path, opts.withDefaults().Now())
	if merr != nil {
		return nil, info, fmt.Errorf("rebuilding store %q: %w (after: %w)", path, merr, err)
	}
	info.Rebuilt, info.MovedTo = true, dst
	s, err = Open(path, opts)
	return s, info, err
}

// Close releases the file and its lock. The Store must not be used after.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	db := s.db
	s.db = nil
	if err := db.Close(); err != nil {
		return fmt.Errorf("closing store %q: %w", s.path, err)
	}
	return nil
}

// Created reports whether Open found no file (or an empty one) and started
// a new store, as after OpenOrRebuild moved a corrupt file aside: the
// caller then has no history and should backfill it.
func (s *Store) Created() bool { return s.created }

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// checkDir reports a missing parent directory clearly: bbolt would say only
// "no such file or directory".
func checkDir(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("opening store %q: directory %q does not exist: %w", path, dir, fs.ErrNotExist)
	case err != nil:
		return fmt.Errorf("opening store %q: %w", path, err)
	case !info.IsDir():
		return fmt.Errorf("opening store %q: %q is not a directory", path, dir)
	}
	return nil
}

// openDB opens the bbolt file, translating its errors. A page fault or a
// panic while bbolt reads a damaged file becomes a *CorruptError; the file
// (and with it the lock) is then closed.
func openDB(path string, o Options) (*bolt.DB, error) {
	var file *os.File
	bo := &bolt.Options{
		Timeout: o.LockTimeout,
		NoSync:  o.NoSync,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			file = f
			return f, err
		},
	}
	var db *bolt.DB
	err := guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, bo)
		return err
	})
	var pe *panicError
	switch {
	case err == nil:
		return db, nil
	case errors.As(err, &pe):
		if file != nil {
			_ = file.Close()
		}
		return nil, &CorruptError{Path: path, Err: err}
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("opening store %q: %w (waited %s)", path, ErrLocked, o.LockTimeout)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum):
		return nil, &CorruptError{Path: path, Err: err}
	}
	return nil, fmt.Errorf("opening store %q: %w", path, err)
}

// panicError is a panic (or memory fault) recovered while reading the file.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("reading pages: %v", e.value) }

// guard runs fn, turning a panic or a memory fault (a page of the mapped
// file that is not there) into a *panicError.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r}
		}
	}()
	return fn()
}

// moveAside renames path to a free name path.corrupt-<unix>[-n].
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + strconv.FormatInt(now.Unix(), 10)
	dst := base
	for n := 1; ; n++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = base + "-" + strconv.Itoa(n)
	}
	if err := os.Rename(path, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// view runs fn in a read transaction.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrClosed
	}
	return s.db.View(fn)
}

// update runs fn in a write transaction.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrClosed
	}
	return s.db.Update(fn)
}
