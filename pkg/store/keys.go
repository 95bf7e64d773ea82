package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// MaxKeyLen is the longest key a Store accepts, in bytes.
const MaxKeyLen = bolt.MaxKeySize

// schemaVersion is the layout this build writes and reads (see doc.go).
const schemaVersion uint32 = 1

// Names of buckets and records (see doc.go).
const (
	bucketMeta    = "meta"
	recordSchema  = "schema"
	bucketSeries  = "series"
	recordHeader  = "h"
	bucketChunks  = "c"
	recordModel   = "m"
	recordDecided = "d"
	recordWritten = "w"
)

// initSchema checks the schema version of an existing store, or writes it
// into a new one.
func (s *Store) initSchema() error {
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		found, err = s.readSchema(tx)
		return err
	})
	if err != nil || found {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		mb, err := tx.CreateBucketIfNotExists([]byte(bucketMeta))
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists([]byte(bucketSeries)); err != nil {
			return err
		}
		return mb.Put([]byte(recordSchema), binary.LittleEndian.AppendUint32(nil, schemaVersion))
	})
}

// readSchema reports whether the store has a schema record and checks it.
func (s *Store) readSchema(tx *bolt.Tx) (bool, error) {
	mb := tx.Bucket([]byte(bucketMeta))
	if mb == nil {
		if k, _ := tx.Cursor().First(); k != nil {
			return false, s.corrupt(fmt.Errorf("bucket %q present but no %q bucket: not a prescale store", k, bucketMeta))
		}
		return false, nil
	}
	raw := mb.Get([]byte(recordSchema))
	if len(raw) != 4 || binary.LittleEndian.Uint32(raw) == 0 {
		return false, s.corrupt(fmt.Errorf("schema record %x is not a version", raw))
	}
	if v := binary.LittleEndian.Uint32(raw); v > schemaVersion {
		return false, fmt.Errorf("opening store %q: version %d, this build reads up to %d: %w",
			s.path, v, schemaVersion, ErrNewerSchema)
	}
	if tx.Bucket([]byte(bucketSeries)) == nil {
		return false, s.corrupt(fmt.Errorf("bucket %q missing", bucketSeries))
	}
	return true, nil
}

// corrupt wraps err in a *CorruptError naming the store file.
func (s *Store) corrupt(err error) error { return &CorruptError{Path: s.path, Err: err} }

// checkKey rejects keys bbolt cannot store.
func checkKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return fmt.Errorf("%w: length %d, want 1 to %d bytes", ErrInvalidKey, len(key), MaxKeyLen)
	}
	return nil
}

// keyBucket returns the bucket of key, creating it when create is set. It
// returns nil, nil for a key never written when create is not set.
func (s *Store) keyBucket(tx *bolt.Tx, key string, create bool) (*bolt.Bucket, error) {
	sb := tx.Bucket([]byte(bucketSeries))
	if sb == nil {
		return nil, s.corrupt(fmt.Errorf("bucket %q missing", bucketSeries))
	}
	if !create {
		return sb.Bucket([]byte(key)), nil
	}
	b, err := sb.CreateBucketIfNotExists([]byte(key))
	if errors.Is(err, berrors.ErrIncompatibleValue) {
		return nil, s.corrupt(fmt.Errorf("key %q holds a value, not a bucket", key))
	}
	return b, err
}

// Keys returns every key that holds any record, in byte order.
func (s *Store) Keys() ([]string, error) {
	var keys []string
	err := s.view(func(tx *bolt.Tx) error {
		sb := tx.Bucket([]byte(bucketSeries))
		if sb == nil {
			return s.corrupt(fmt.Errorf("bucket %q missing", bucketSeries))
		}
		return sb.ForEachBucket(func(k []byte) error {
			keys = append(keys, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	return keys, nil
}

// Delete removes key and all its records (history, model, decision). It
// returns an error wrapping ErrNotFound if the key holds nothing.
func (s *Store) Delete(key string) error {
	err := checkKey(key)
	if err == nil {
		err = s.update(func(tx *bolt.Tx) error {
			sb := tx.Bucket([]byte(bucketSeries))
			if sb == nil {
				return s.corrupt(fmt.Errorf("bucket %q missing", bucketSeries))
			}
			err := sb.DeleteBucket([]byte(key))
			if errors.Is(err, berrors.ErrBucketNotFound) {
				return ErrNotFound
			}
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("deleting %q: %w", key, err)
	}
	return nil
}
