package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// KeyInfo describes one key for housekeeping: how recently it was written
// and about how much it holds.
type KeyInfo struct {
	// Key is the key.
	Key string
	// Written is when a record of the key was last written, by this
	// Store's clock (Options.Now); zero when the store predates that
	// record and the key was not written since.
	Written time.Time
	// Bytes is the size of its records: the history as 8 bytes a step,
	// the model and the decision. Pages add about 1% to it.
	Bytes int64
	// History is the span of its history; zero without one.
	History time.Duration
}

// KeyInfos returns every key with its last write and size, reading only
// each key's small records (one short read transaction per key, so that
// writers are not held up). It stops early, returning ctx's error, when
// ctx is done.
func (s *Store) KeyInfos(ctx context.Context) ([]KeyInfo, error) {
	keys, err := s.Keys()
	if err != nil {
		return nil, err
	}
	out := make([]KeyInfo, 0, len(keys))
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		info := KeyInfo{Key: k}
		err := s.view(func(tx *bolt.Tx) error {
			kb, err := s.keyBucket(tx, k, false)
			if err != nil || kb == nil {
				return err
			}
			return s.describe(kb, &info)
		})
		if err != nil {
			return nil, fmt.Errorf("describing key %q: %w", k, err)
		}
		out = append(out, info)
	}
	return out, nil
}

// describe fills info from the records of bucket kb.
func (s *Store) describe(kb *bolt.Bucket, info *KeyInfo) error {
	if raw := kb.Get([]byte(recordWritten)); raw != nil {
		r := reader{b: raw}
		info.Written = r.time()
		if r.err != nil {
			return s.corrupt(fmt.Errorf("write time record: %w", r.err))
		}
	}
	h, found, err := s.readHeader(kb)
	if err != nil {
		return err
	}
	if found {
		info.Bytes = 8 * (h.end - h.first)
		info.History = time.Duration(h.end-h.first) * time.Duration(h.step)
	}
	info.Bytes += int64(len(kb.Get([]byte(recordModel))) + len(kb.Get([]byte(recordDecided))))
	return nil
}

// stamp records the time of a write of kb's key.
func (s *Store) stamp(kb *bolt.Bucket) error {
	return kb.Put([]byte(recordWritten), appendTime(nil, s.opts.Now()))
}

// TrimHistory drops the history of key older than keep before its end
// (at least one step is kept), freeing whole chunks. It returns an error
// wrapping ErrNotFound when key has no history.
func (s *Store) TrimHistory(key string, keep time.Duration) error {
	err := checkKey(key)
	if err == nil {
		err = s.update(func(tx *bolt.Tx) error {
			kb, err := s.keyBucket(tx, key, false)
			if err != nil {
				return err
			}
			if kb == nil {
				return ErrNotFound
			}
			h, found, err := s.readHeader(kb)
			if err != nil || !found {
				return notFoundIf(!found, err)
			}
			first := max(h.first, h.end-max(1, int64(keep)/h.step))
			if first == h.first {
				return nil
			}
			h.first = first
			if cb := kb.Bucket([]byte(bucketChunks)); cb != nil {
				if err := s.trimChunks(cb, first); err != nil {
					return err
				}
			}
			return kb.Put([]byte(recordHeader), h.encode())
		})
	}
	if err != nil {
		return fmt.Errorf("trimming history of %q: %w", key, err)
	}
	return nil
}

// notFoundIf returns ErrNotFound when missing holds, else err.
func notFoundIf(missing bool, err error) error {
	if missing {
		return ErrNotFound
	}
	return err
}
