package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// compactSuffix names the file Compact writes next to the store before
// renaming it over the store.
const compactSuffix = ".compact"

// compactTxBytes is how much Compact copies in one write transaction.
const compactTxBytes = 64 << 20

// Usage is the size of a store file and how much of it bbolt holds free
// for reuse (deleted keys leave free pages; the file never shrinks by
// itself).
type Usage struct {
	// FileBytes is the size of the file, bytes.
	FileBytes int64
	// FreeBytes is the part of it in free pages, bytes.
	FreeBytes int64
}

// UsedBytes is the part of the file holding data, bytes.
func (u Usage) UsedBytes() int64 { return u.FileBytes - u.FreeBytes }

// Usage reports the size of the store file and its free pages.
func (s *Store) Usage() (Usage, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return Usage{}, fmt.Errorf("measuring store %q: %w", s.path, ErrClosed)
	}
	var u Usage
	err := s.db.View(func(tx *bolt.Tx) error {
		u.FileBytes = tx.Size()
		return nil
	})
	if err != nil {
		return Usage{}, fmt.Errorf("measuring store %q: %w", s.path, err)
	}
	u.FreeBytes = int64(s.db.Stats().FreeAlloc)
	return u, nil
}

// Compact rewrites the store into a file of only its live pages and puts
// that file in place of the old one, returning the usage before and
// after. It holds every other call on the Store for its duration (about
// the time to copy the data once).
//
// A process killed at any moment loses nothing: the copy is written to
// <path>.compact and synced, then renamed over the store (an atomic
// step), and the directory is synced; Open deletes a leftover
// <path>.compact, the store itself being intact. If the copy fails the
// store stays as it was; if the renamed file cannot be reopened the Store
// is closed and its methods return ErrClosed. ctx is checked before the
// copy starts.
func (s *Store) Compact(ctx context.Context) (before, after Usage, err error) {
	if before, err = s.Usage(); err != nil {
		return before, before, err
	}
	if err := ctx.Err(); err != nil {
		return before, before, err
	}
	if err := s.compact(); err != nil {
		return before, before, fmt.Errorf("compacting store %q: %w", s.path, err)
	}
	after, err = s.Usage()
	return before, after, err
}

// compact copies the store to <path>.compact and swaps the files.
func (s *Store) compact() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return ErrClosed
	}
	tmp := s.path + compactSuffix
	if err := s.copyTo(tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return s.swap(tmp)
}

// copyTo writes the live data of the store into a new bbolt file at tmp
// and syncs it. The caller holds s.mu.
func (s *Store) copyTo(tmp string) error {
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: true, Timeout: s.opts.LockTimeout})
	if err != nil {
		return err
	}
	err = bolt.Compact(dst, s.db, compactTxBytes)
	if err == nil {
		err = dst.Sync()
	}
	return errors.Join(err, dst.Close())
}

// swap closes the store, renames tmp over it, syncs the directory and
// reopens it. The caller holds s.mu. When the old file cannot be closed
// or the rename fails, the old file stays in use.
func (s *Store) swap(tmp string) error {
	if err := s.db.Close(); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	s.db = nil
	renameErr := os.Rename(tmp, s.path)
	if renameErr != nil {
		_ = os.Remove(tmp)
	} else if err := syncDir(filepath.Dir(s.path)); err != nil {
		renameErr = err
	}
	db, err := openDB(s.path, s.opts)
	if err != nil {
		return errors.Join(renameErr, fmt.Errorf("reopening: %w", err))
	}
	s.db = db
	return renameErr
}

// syncDir fsyncs a directory, making a rename in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// removeStale deletes a file left by a Compact killed before its rename:
// the store itself is intact.
func removeStale(path string) error {
	err := os.Remove(path + compactSuffix)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("opening store %q: removing an unfinished compaction: %w", path, err)
}
