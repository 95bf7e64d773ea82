package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// VerifyKeys reads every record of every key, one short read transaction
// per key, turning a memory fault or panic on a damaged page into a
// *CorruptError. It is the check Open skips with Options.NoVerify, made
// to run while the store serves: no transaction stays open long enough to
// hold up a writer that must grow the file. It stops early, returning
// ctx's error, when ctx is done.
func (s *Store) VerifyKeys(ctx context.Context) error {
	var keys []string
	err := guard(func() (err error) {
		keys, err = s.Keys()
		return err
	})
	if err != nil {
		return &CorruptError{Path: s.path, Err: err}
	}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := guard(func() error {
			return s.view(func(tx *bolt.Tx) error {
				kb, err := s.keyBucket(tx, k, false)
				if err != nil || kb == nil {
					return err
				}
				var sum byte
				return touchBucket(kb, &sum)
			})
		})
		if err != nil {
			return &CorruptError{Path: s.path, Err: fmt.Errorf("key %q: %w", k, err)}
		}
	}
	return nil
}

// MoveAside renames the store file at path (closed) to a free name
// path.corrupt-<unix seconds>[-n], as OpenOrRebuild does with a corrupt
// file, and returns that name.
func MoveAside(path string, now time.Time) (string, error) {
	dst, err := moveAside(path, now)
	if err != nil {
		return "", fmt.Errorf("moving store %q aside: %w", path, err)
	}
	return dst, nil
}
