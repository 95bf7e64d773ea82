package store

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// writeStore creates a store at path holding a few keys of history, big
// enough to span many pages, and returns the bytes its pages use (the file
// may be longer).
func writeStore(t *testing.T, path string) int64 {
	t.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for k := range 4 {
		key := "ns/app/" + string(rune('0'+k))
		if err := s.AppendHistory(key, series(0, ramp(float64(k), 20000)...)); err != nil {
			t.Fatal(err)
		}
		if err := s.PutModel(key, ModelRecord{Name: "m", Blob: make([]byte, 3000)}); err != nil {
			t.Fatal(err)
		}
	}
	var used int64
	_ = s.db.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return used
}

func TestOpenCorrupt(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	cases := []struct {
		name  string
		spoil func(t *testing.T, path string, size int64)
	}{
		{"random bytes", func(t *testing.T, path string, _ int64) { writeFile(t, path, random) }},
		{"text file", func(t *testing.T, path string, _ int64) { writeFile(t, path, []byte("hello\n")) }},
		{"truncated to 100 bytes", func(t *testing.T, path string, _ int64) { truncate(t, path, 100) }},
		{"truncated to one page", func(t *testing.T, path string, _ int64) { truncate(t, path, 4096) }},
		{"truncated to half", func(t *testing.T, path string, size int64) { truncate(t, path, size/2) }},
		{"truncated mid page", func(t *testing.T, path string, size int64) { truncate(t, path, size-1000) }},
		{"garbled data pages", func(t *testing.T, path string, size int64) { overwrite(t, path, 4*4096, random) }},
		{"garbled meta pages", func(t *testing.T, path string, _ int64) { overwrite(t, path, 0, random[:8192]) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			tc.spoil(t, path, writeStore(t, path))
			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a corrupt file")
			}
			var ce *CorruptError
			if !errors.Is(err, ErrCorrupt) || !errors.As(err, &ce) || ce.Path != path {
				t.Fatalf("Open = %v, want a *CorruptError naming %s", err, path)
			}
			t.Logf("Open: %v", err)
			s, info, err := OpenOrRebuild(path, Options{Now: func() time.Time { return time.Unix(1700000000, 0) }})
			if err != nil {
				t.Fatalf("OpenOrRebuild: %v", err)
			}
			defer s.Close()
			if !info.Rebuilt || info.MovedTo != path+".corrupt-1700000000" || !errors.Is(info.Cause, ErrCorrupt) {
				t.Errorf("RebuildInfo = %+v", info)
			}
			if _, err := os.Stat(info.MovedTo); err != nil {
				t.Errorf("corrupt file not kept: %v", err)
			}
			if keys, err := s.Keys(); err != nil || len(keys) != 0 || !s.Created() {
				t.Errorf("rebuilt store Keys = %q, %v, Created %t; want empty and created", keys, err, s.Created())
			}
		})
	}
}

func TestOpenOrRebuildHealthy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	writeStore(t, path)
	s, info, err := OpenOrRebuild(path, Options{})
	if err != nil || info.Rebuilt {
		t.Fatalf("OpenOrRebuild = %+v, %v; want the store as it is", info, err)
	}
	defer s.Close()
	if keys, _ := s.Keys(); len(keys) != 4 || s.Created() {
		t.Errorf("Keys = %q, Created %t; want 4 keys from the existing file", keys, s.Created())
	}
}

func TestMoveAsideKeepsEarlierCopies(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	now := func() time.Time { return time.Unix(42, 0) }
	for range 2 {
		writeFile(t, path, []byte("not a database, definitely not"))
		s, _, err := OpenOrRebuild(path, Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"state.db.corrupt-42", "state.db.corrupt-42-1"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name    string
		path    func(t *testing.T) string
		opts    Options
		wantIs  error
		wantMsg string
	}{
		{"missing directory", func(*testing.T) string { return filepath.Join(dir, "nope", "state.db") },
			Options{}, fs.ErrNotExist, "does not exist"},
		{"parent is a file", func(t *testing.T) string {
			p := filepath.Join(dir, "file")
			writeFile(t, p, nil)
			return filepath.Join(p, "state.db")
		}, Options{}, nil, "not a directory"},
		{"path is a directory", func(*testing.T) string { return dir }, Options{}, nil, "is a directory"},
		{"negative retention", func(*testing.T) string { return filepath.Join(dir, "r.db") },
			Options{Retention: -time.Hour}, nil, "retention"},
		{"foreign bbolt file", func(t *testing.T) string {
			p := filepath.Join(dir, "foreign.db")
			db, err := bolt.Open(p, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			_ = db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
			db.Close()
			return p
		}, Options{}, ErrCorrupt, "not a prescale store"},
		{"newer schema", func(t *testing.T) string {
			p := filepath.Join(dir, "newer.db")
			setSchema(t, p, schemaVersion+1)
			return p
		}, Options{}, ErrNewerSchema, "version 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			s, err := Open(path, tc.opts)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if (tc.wantIs != nil && !errors.Is(err, tc.wantIs)) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("Open = %v; want errors.Is %v and %q", err, tc.wantIs, tc.wantMsg)
			}
		})
	}
}

func TestNewerSchemaNotRebuilt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	setSchema(t, path, schemaVersion+1)
	if _, info, err := OpenOrRebuild(path, Options{}); !errors.Is(err, ErrNewerSchema) || info.Rebuilt {
		t.Fatalf("OpenOrRebuild = %+v, %v; want ErrNewerSchema and the file left alone", info, err)
	}
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(path, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Open = %v, want ErrLocked naming the file", err)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond || waited > 3*time.Second {
		t.Errorf("second Open returned after %s, want about the 200ms lock timeout", waited)
	}
}

// setSchema creates a store at path and rewrites its schema version.
func setSchema(t *testing.T, path string, v uint32) {
	t.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucketMeta)).Put([]byte(recordSchema), binary.LittleEndian.AppendUint32(nil, v))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func truncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}
