package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// fillKeys writes n keys of steps one-minute values each, key i holding
// the values i*1e6 + step.
func fillKeys(t testing.TB, s *Store, n, steps int) []string {
	t.Helper()
	keys := make([]string, n)
	for i := range n {
		keys[i] = fmt.Sprintf("ns/app-%d/m", i)
		v := make([]float64, steps)
		for j := range v {
			v[j] = float64(i*1e6 + j)
		}
		require.NoError(t, s.AppendHistory(keys[i], series(0, v...)))
		require.NoError(t, s.PutDecision(keys[i], Decision{Value: float64(i), At: t0}))
	}
	return keys
}

func TestCompact(t *testing.T) {
	tests := []struct {
		name      string
		keys, del int
	}{
		{"most keys deleted", 40, 36},
		{"nothing deleted", 8, 0},
		{"all deleted", 8, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			s, err := Open(path, Options{NoSync: true})
			require.NoError(t, err)
			defer s.Close()
			keys := fillKeys(t, s, tc.keys, 20_000)
			for _, k := range keys[:tc.del] {
				require.NoError(t, s.Delete(k))
			}
			before, after, err := s.Compact(context.Background())
			require.NoError(t, err)
			assert.LessOrEqual(t, after.FileBytes, before.FileBytes)
			if tc.del > tc.keys/2 {
				assert.Less(t, after.FileBytes, before.FileBytes/2, "file of %d bytes, %d free, compacted to %d", before.FileBytes, before.FreeBytes, after.FileBytes)
			}
			_, err = os.Stat(path + compactSuffix)
			assert.ErrorIs(t, err, os.ErrNotExist, "temporary file left behind")
			got, err := s.Keys()
			require.NoError(t, err)
			assert.Equal(t, len(keys)-tc.del, len(got))
			for i, k := range keys[tc.del:] {
				h, err := s.History(k)
				require.NoError(t, err)
				require.Equal(t, 20_000, h.Len())
				assert.Equal(t, float64((tc.del+i)*1e6+19_999), h.Values[19_999])
			}
			// The store stays usable, and the file is a valid store.
			require.NoError(t, s.PutDecision("ns/new/m", Decision{Value: 1, At: t0}))
			require.NoError(t, s.Close())
			s2, err := Open(path, Options{})
			require.NoError(t, err)
			require.NoError(t, s2.Close())
		})
	}
}

func TestCompactClosed(t *testing.T) {
	s := openTemp(t, Options{NoSync: true})
	require.NoError(t, s.Close())
	_, _, err := s.Compact(context.Background())
	assert.ErrorIs(t, err, ErrClosed)
	assert.ErrorIs(t, s.PutDecision("a", Decision{}), ErrClosed)
}

func TestOpenRemovesUnfinishedCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	fillKeys(t, s, 2, 100)
	require.NoError(t, s.Close())
	require.NoError(t, os.WriteFile(path+compactSuffix, []byte("half a copy"), 0o600))
	s, err = Open(path, Options{})
	require.NoError(t, err)
	defer s.Close()
	_, err = os.Stat(path + compactSuffix)
	assert.ErrorIs(t, err, os.ErrNotExist)
	keys, err := s.Keys()
	require.NoError(t, err)
	assert.Len(t, keys, 2)
}

// compactChildEnv names the store file a re-executed test binary writes
// to and compacts until it is killed.
const compactChildEnv = "PRESCALE_STORE_COMPACT_CHILD"

// TestKillDuringCompact SIGKILLs a process that compacts its store after
// every write, at random moments (mostly inside a compaction, which takes
// most of its time), and checks that every write it reported survives, the
// file passes bbolt's check and no temporary file stays after Open.
func TestKillDuringCompact(t *testing.T) {
	if path := os.Getenv(compactChildEnv); path != "" {
		compactChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	keys := fillKeys(t, s, 24, 10_000)
	for _, k := range keys[:12] {
		require.NoError(t, s.Delete(k))
	}
	require.NoError(t, s.Close())
	rng := rand.New(rand.NewPCG(5, 6))
	committed := map[int]bool{}
	compactions := 0
	for round := range 6 {
		done, n := runCompactChild(t, path, round, 2+rng.IntN(6), time.Duration(rng.IntN(20_000))*time.Microsecond)
		for _, i := range done {
			committed[i] = true
		}
		compactions += n
		checkCommitted(t, path, committed)
		_, err := os.Stat(path + compactSuffix)
		assert.ErrorIs(t, err, os.ErrNotExist, "round %d: temporary file left after Open", round)
		s, err := Open(path, Options{NoVerify: true})
		require.NoError(t, err)
		for _, k := range keys[12:] {
			h, err := s.History(k)
			require.NoError(t, err, "round %d", round)
			require.Equal(t, 10_000, h.Len())
		}
		require.NoError(t, s.Close())
	}
	assert.Positive(t, compactions, "no compaction finished: the test did not exercise one")
}

// runCompactChild starts the child, waits for n reported compactions and
// d more, kills it, and returns the writes it reported and the
// compactions it finished.
func runCompactChild(t *testing.T, path string, round, n int, d time.Duration) ([]int, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringCompact$", "-test.count=1")
	cmd.Env = append(os.Environ(), compactChildEnv+"="+path, "PRESCALE_STORE_KILL_ROUND="+strconv.Itoa(round))
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(out)
	var done []int
	compacted := 0
	read := func() {
		if i, ok := parseCommit(sc.Text()); ok {
			done = append(done, i)
		} else if strings.HasPrefix(sc.Text(), "compacted") {
			compacted++
		}
	}
	for compacted < n && sc.Scan() {
		read()
	}
	time.Sleep(d)
	_ = cmd.Process.Kill()
	for sc.Scan() {
		read()
	}
	werr := cmd.Wait()
	if compacted < n {
		t.Fatalf("child reported %d compactions before exiting (%v): %s", compacted, werr, stderr.String())
	}
	return done, compacted
}

// compactChild writes as killChild does (a model at every op) and
// compacts after every write,
// printing "committed i" and "compacted".
func compactChild(t *testing.T, path string) {
	writeChild(t, path, 1, func(s *Store) error {
		if _, _, err := s.Compact(context.Background()); err != nil {
			return err
		}
		fmt.Println("compacted")
		return nil
	})
}

func TestKeyInfosAndTrim(t *testing.T) {
	now := t0.Add(48 * time.Hour)
	s := openTemp(t, Options{NoSync: true, Now: func() time.Time { return now }})
	require.NoError(t, s.AppendHistory("a", series(0, make([]float64, 3000)...)))
	require.NoError(t, s.PutDecision("b", Decision{Value: 1, At: t0}))
	infos, err := s.KeyInfos(context.Background())
	require.NoError(t, err)
	require.Len(t, infos, 2)
	assert.Equal(t, KeyInfo{Key: "a", Written: now, Bytes: 3000 * 8, History: 3000 * time.Minute}, infos[0])
	assert.Equal(t, KeyInfo{Key: "b", Written: now, Bytes: decisionLen}, infos[1])

	require.NoError(t, s.TrimHistory("a", 1000*time.Minute))
	h, err := s.History("a")
	require.NoError(t, err)
	assert.Equal(t, 1000, h.Len())
	assert.Equal(t, t0.Add(2000*time.Minute), h.Start)
	assert.ErrorIs(t, s.TrimHistory("b", time.Minute), ErrNotFound)
	assert.ErrorIs(t, s.TrimHistory("c", time.Minute), ErrNotFound)
	var chunks int
	require.NoError(t, s.view(func(tx *bolt.Tx) error {
		chunks = tx.Bucket([]byte(bucketSeries)).Bucket([]byte("a")).Bucket([]byte(bucketChunks)).Stats().KeyN
		return nil
	}))
	assert.Equal(t, 2, chunks, "chunks wholly before the kept steps are freed")
}
