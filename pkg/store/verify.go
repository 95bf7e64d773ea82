package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Constants of bbolt's on-disk format (version 2) that precheck reads.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaLen        = 64 // magic … txid (56 bytes), then the FNV-64a checksum
	noFreelist     = ^uint64(0)
)

// boltMeta is the part of a bbolt meta page that precheck needs.
type boltMeta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64 // high-water mark: pages in use
	txid     uint64
}

// parseMeta decodes the meta page at the start of b; ok is false when the
// magic, version or checksum do not match.
func parseMeta(b []byte) (m boltMeta, ok bool) {
	if len(b) < pageHeaderSize+metaLen {
		return m, false
	}
	p := b[pageHeaderSize : pageHeaderSize+metaLen]
	ne := binary.NativeEndian
	h := fnv.New64a()
	_, _ = h.Write(p[:56])
	if ne.Uint32(p[0:]) != boltMagic || ne.Uint32(p[4:]) != boltVersion || h.Sum64() != ne.Uint64(p[56:]) {
		return m, false
	}
	return boltMeta{
		pageSize: ne.Uint32(p[8:]), root: ne.Uint64(p[16:]), freelist: ne.Uint64(p[32:]),
		pgid: ne.Uint64(p[40:]), txid: ne.Uint64(p[48:]),
	}, true
}

// precheck inspects an existing file before bbolt maps it: bbolt trusts
// the meta page, and a truncated file would make it touch pages past the
// end of the file (a fatal SIGBUS). It reports whether the file exists and
// holds data.
func precheck(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("opening store %q: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("opening store %q: %w", path, err)
	}
	if info.IsDir() {
		return false, fmt.Errorf("opening store %q: is a directory", path)
	}
	if info.Size() == 0 {
		return false, nil
	}
	if err := checkMeta(f, info.Size()); err != nil {
		return true, &CorruptError{Path: path, Err: err}
	}
	return true, nil
}

// checkMeta finds the meta page bbolt would use and checks that the pages
// it references lie inside the file.
func checkMeta(f io.ReaderAt, size int64) error {
	buf := make([]byte, pageHeaderSize+metaLen)
	read := func(off int64) (boltMeta, bool) {
		if n, _ := f.ReadAt(buf, off); n < len(buf) {
			return boltMeta{}, false
		}
		return parseMeta(buf)
	}
	m0, ok0 := read(0)
	var m1 boltMeta
	ok1 := false
	for ps := int64(1024); ps <= 1<<16 && !ok1; ps <<= 1 {
		if !ok0 || int64(m0.pageSize) == ps {
			m1, ok1 = read(ps)
		}
	}
	m := m0
	switch {
	case !ok0 && !ok1:
		return errors.New("no valid bbolt meta page (not a bbolt file)")
	case !ok0 || (ok1 && m1.txid > m0.txid):
		m = m1
	}
	return m.fits(size)
}

// fits checks m against a file of size bytes.
func (m boltMeta) fits(size int64) error {
	ps := uint64(m.pageSize)
	switch {
	case ps < 512 || ps > 1<<16 || ps&(ps-1) != 0:
		return fmt.Errorf("meta page gives page size %d", ps)
	case m.pgid < 2 || m.root >= m.pgid || (m.freelist != noFreelist && m.freelist >= m.pgid):
		return fmt.Errorf("meta page references pages past its high-water mark %d", m.pgid)
	case m.pgid > uint64(size)/ps:
		return fmt.Errorf("file has %d bytes but its meta page references %d pages of %d bytes (truncated)",
			size, m.pgid, ps)
	}
	return nil
}

// verify reads every page reachable from the root (with memory faults
// turned into errors) and then runs bbolt's consistency check.
func (s *Store) verify() error {
	err := guard(func() error {
		return s.view(func(tx *bolt.Tx) error {
			var sum byte
			return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return touchBucket(b, &sum) })
		})
	})
	if err == nil {
		err = s.view(func(tx *bolt.Tx) error { return checkTx(tx) })
	}
	if err != nil {
		return &CorruptError{Path: s.path, Err: err}
	}
	return nil
}

// touchBucket reads every byte of every value in b and its sub-buckets.
func touchBucket(b *bolt.Bucket, sum *byte) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if sub := b.Bucket(k); sub != nil {
				if err := touchBucket(sub, sum); err != nil {
					return err
				}
			}
			continue
		}
		for _, x := range v {
			*sum ^= x
		}
	}
	return nil
}

// checkTx runs tx.Check and joins the first few problems it reports.
func checkTx(tx *bolt.Tx) error {
	var errs []error
	for err := range tx.Check() {
		if len(errs) < 5 {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
