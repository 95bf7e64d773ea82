package store

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// killChildEnv names the store file a re-executed test binary writes to
// until it is killed.
const killChildEnv = "PRESCALE_STORE_KILL_CHILD"

// killKeys is the number of keys the child writes in turn.
const killKeys = 4

// TestKillDuringWrites SIGKILLs a process that writes in a loop, at random
// moments, and checks that every write it reported as committed survives
// and that bbolt's consistency check passes.
func TestKillDuringWrites(t *testing.T) {
	if path := os.Getenv(killChildEnv); path != "" {
		killChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	rng := rand.New(rand.NewPCG(3, 4))
	committed := map[int]bool{}
	for round := range 6 {
		for _, i := range runAndKill(t, path, round, 10+rng.IntN(100), time.Duration(rng.IntN(3000))*time.Microsecond) {
			committed[i] = true
		}
		checkCommitted(t, path, committed)
	}
}

// runAndKill starts the child, lets it report n commits, waits d, kills it
// and returns every commit it reported.
func runAndKill(t *testing.T, path string, round, n int, d time.Duration) []int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringWrites$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path, "PRESCALE_STORE_KILL_ROUND="+strconv.Itoa(round))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var done []int
	for len(done) < n && sc.Scan() {
		if i, ok := parseCommit(sc.Text()); ok {
			done = append(done, i)
		}
	}
	time.Sleep(d)
	_ = cmd.Process.Kill()
	for sc.Scan() {
		if i, ok := parseCommit(sc.Text()); ok {
			done = append(done, i)
		}
	}
	werr := cmd.Wait()
	if len(done) < n {
		t.Fatalf("child reported %d commits before exiting (%v): %s", len(done), werr, stderr.String())
	}
	t.Logf("round %d: killed after %d commits (%v)", round, len(done), werr)
	return done
}

func parseCommit(line string) (int, bool) {
	s, ok := strings.CutPrefix(line, "committed ")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	return i, err == nil
}

// killChild writes until killed: op i appends value i at step i/killKeys of
// key i%killKeys, stores a decision, and every fifth op a 20 KiB model.
// It prints "committed i" after each op's transactions. Odd rounds skip
// fsync: a killed process leaves its writes in the page cache either way,
// and the faster loop lands the kill at more varied points.
func killChild(t *testing.T, path string) { writeChild(t, path, 5, nil) }

// writeChild runs the ops of a child process: for each i, history and a
// decision for key i%killKeys, a 20 KiB model every modelEvery-th op, then
// "committed i", then after (when not nil).
func writeChild(t *testing.T, path string, modelEvery int, after func(*Store) error) {
	round, _ := strconv.Atoi(os.Getenv("PRESCALE_STORE_KILL_ROUND"))
	s, err := Open(path, Options{NoSync: round%2 == 1})
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	deadline := time.Now().Add(time.Minute)
	for i := round * 2000; i < (round+1)*2000 && time.Now().Before(deadline); i++ {
		key := killKey(i)
		if err := s.AppendHistory(key, series(i/killKeys, float64(i))); err != nil {
			t.Fatalf("child: %v", err)
		}
		if err := s.PutDecision(key, Decision{Value: float64(i), At: t0}); err != nil {
			t.Fatalf("child: %v", err)
		}
		if i%modelEvery == 0 {
			if err := s.PutModel(key, killModel(i)); err != nil {
				t.Fatalf("child: %v", err)
			}
		}
		fmt.Printf("committed %d\n", i)
		if after != nil {
			if err := after(s); err != nil {
				t.Fatalf("child: %v", err)
			}
		}
	}
}

func killKey(i int) string { return fmt.Sprintf("ns/app-%d/0", i%killKeys) }

func killModel(i int) ModelRecord {
	return ModelRecord{Name: "m", FormatVersion: uint32(i), Blob: bytes.Repeat([]byte{byte(i)}, 20<<10)}
}

// checkCommitted reopens the store and checks every committed op.
func checkCommitted(t *testing.T, path string, committed map[int]bool) {
	t.Helper()
	s, err := Open(path, Options{NoVerify: true})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if err := s.db.View(func(tx *bolt.Tx) error { return checkTx(tx) }); err != nil {
		t.Fatalf("tx.Check after kill: %v", err)
	}
	hist := map[string][]float64{}
	last := map[string]int{}
	for i := range committed {
		key := killKey(i)
		if hist[key] == nil {
			h, err := s.History(key)
			if err != nil {
				t.Fatalf("History(%s): %v", key, err)
			}
			if h.Index(t0) != 0 {
				t.Fatalf("history of %s starts at %s, want %s", key, h.Start, t0)
			}
			hist[key] = h.Values
		}
		if v := hist[key]; i/killKeys >= len(v) || v[i/killKeys] != float64(i) {
			t.Fatalf("committed op %d lost from the history of %s", i, key)
		}
		last[key] = max(last[key], i)
	}
	for key, i := range last {
		d, err := s.Decision(key)
		if err != nil || d.Value < float64(i) {
			t.Errorf("Decision(%s) = %v, %v; want at least %d", key, d.Value, err, i)
		}
		m, err := s.Model(key)
		if err != nil || int(m.FormatVersion) > i+killKeys*5 || !bytes.Equal(m.Blob, killModel(int(m.FormatVersion)).Blob) {
			t.Errorf("Model(%s): format %d, %d bytes, %v; want an intact model", key, m.FormatVersion, len(m.Blob), err)
		}
	}
}
