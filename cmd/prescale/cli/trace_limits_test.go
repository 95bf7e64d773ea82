package cli

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeBomb writes a .gz file that decompresses to head followed by body
// repeated to mib MiB: the same gzip member over and over, so a file of a
// few KB stands for a large trace.
func writeBomb(t *testing.T, name, head, body string, mib int) string {
	t.Helper()
	member := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		require.NoError(t, err)
		_, err = zw.Write(b)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		return buf.Bytes()
	}
	data := member([]byte(head))
	m := member(bytes.Repeat([]byte(body), (1<<20)/len(body)))
	for range mib {
		data = append(data, m...)
	}
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// TestTraceLimits checks that the verbs reading a trace stop at the read
// limits with a short error naming the flag that raises the limit.
func TestTraceLimits(t *testing.T) {
	oneLine := writeBomb(t, "line.csv.gz", "timestamp,value\n0,", "0", 64)
	shortLines := writeBomb(t, "zeros.txt.gz", "", "0\n", 64)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"forecast one 64 MiB line", []string{"forecast", "--horizon", "1h", "--trace", oneLine}, "--max-trace-line-bytes 1048576"},
		{"backtest one 64 MiB line", []string{"backtest", "--horizon", "1h", "--trace", oneLine}, "--max-trace-line-bytes"},
		{"forecast lines over the rows", []string{"forecast", "--horizon", "1h", "--trace", shortLines, "--format", "lines", "--start", "2024-01-01", "--step", "1m", "--max-trace-rows", "1000"}, "--max-trace-rows 1000"},
		{"forecast lines over the bytes", []string{"forecast", "--horizon", "1h", "--trace", shortLines, "--format", "lines", "--start", "2024-01-01", "--step", "1m", "--max-trace-bytes", "1048576"}, "--max-trace-bytes 1048576"},
		{"forecast a limit that is not positive", []string{"forecast", "--horizon", "1h", "--trace", shortLines, "--max-trace-rows", "0"}, "--max-trace-rows: 0 is not positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, len(err.Error()), 300, "message: %.400s", err)
		})
	}
}
