package timeseries

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bomb is a gzip stream made on the fly: it decompresses to head followed
// by body repeated to about size bytes, without holding either. It is
// a sequence of gzip members (read as one stream by gzip.Reader): one of
// head, then one of 1 MiB of body again and again. sent counts the
// compressed bytes handed out.
type bomb struct {
	head, member []byte
	left         int // body members still to send
	cur          []byte
	sent         int64
}

func newBomb(t testing.TB, head, body string, size int64) *bomb {
	t.Helper()
	const mib = 1 << 20
	return &bomb{
		head:   gzipOf(t, []byte(head)),
		member: gzipOf(t, bytes.Repeat([]byte(body), mib/len(body))),
		left:   int(size / mib),
	}
}

func gzipOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func (b *bomb) Read(p []byte) (int, error) {
	for len(b.cur) == 0 {
		switch {
		case b.head != nil:
			b.cur, b.head = b.head, nil
		case b.left > 0:
			b.cur = b.member
			b.left--
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, b.cur)
	b.cur = b.cur[n:]
	b.sent += int64(n)
	return n, nil
}

// TestReadLimits reads generated gzip bombs and oversized rows: each must
// fail with a *LimitError naming the limit, having read little of the
// stream, allocating little, with a short message.
func TestReadLimits(t *testing.T) {
	const gib = int64(1) << 30
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	lines := ReadOptions{Format: FormatLines, Start: start, Step: time.Minute}
	m4 := ReadOptions{Format: FormatM4, Start: start, Step: time.Hour}
	withLimits := func(o ReadOptions, l Limits) ReadOptions { o.Limits = l; return o }
	tests := []struct {
		name       string
		head, body string
		size       int64 // decompressed bytes of body
		opts       ReadOptions
		limit      string
		maxSent    int64 // compressed bytes read at most
		maxAlloc   uint64
	}{
		// A 10 MB .csv.gz that expands to one 10 GiB line.
		{"csv one 10 GiB line", "timestamp,value\n1,", "0", 10 * gib, ReadOptions{}, LimitLineBytes, 64 << 10, 128 << 20},
		{"csv one 10 GiB quoted cell of line breaks", "timestamp,value\n1,\"", "\n", 10 * gib, ReadOptions{}, LimitLineBytes, 64 << 10, 128 << 20},
		// An 18 MB .gz of 4 GiB in --format lines, at a lower row limit to
		// keep the test short; the default only moves where it stops.
		{"lines 4 GiB of short lines", "", "0\n", 4 * gib, withLimits(lines, Limits{MaxRows: 1_000_000}), LimitRows, 64 << 10, 256 << 20},
		{"lines 4 GiB without a break", "", "0", 4 * gib, lines, LimitLineBytes, 64 << 10, 128 << 20},
		{"lines over the byte limit", "", "7 ", 4 * gib, withLimits(lines, Limits{MaxBytes: 8 << 20}), LimitBytes, 64 << 10, 256 << 20},
		{"csv over the row limit", "timestamp,value\n", "1,2\n", gib, withLimits(ReadOptions{Aggregate: AggSum}, Limits{MaxRows: 100_000}), LimitRows, 64 << 10, 256 << 20},
		{"csv over the byte limit", "timestamp,value\n", "1,2\n", gib, withLimits(ReadOptions{Aggregate: AggSum}, Limits{MaxBytes: 4 << 20}), LimitBytes, 64 << 10, 256 << 20},
		{"m4 one 10 GiB row", "id,v1\nH1,", "1,", 10 * gib, m4, LimitLineBytes, 64 << 10, 128 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := newBomb(t, tc.head, tc.body, tc.size)
			zr, err := gzip.NewReader(src)
			require.NoError(t, err)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err = Read(zr, "bomb.gz", tc.opts)
			runtime.ReadMemStats(&after)
			var le *LimitError
			require.ErrorAs(t, err, &le, "read of %s: got %v, want a limit error", tc.name, err)
			assert.Equal(t, tc.limit, le.Limit)
			assert.ErrorIs(t, err, ErrLimit)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Positive(t, pe.Line)
			assert.Less(t, len(err.Error()), 200, "message: %.300s", err)
			assert.LessOrEqual(t, src.sent, tc.maxSent, "compressed bytes read")
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, tc.maxAlloc, "bytes allocated")
		})
	}
}

// TestReadLimitsBoundary checks that a trace exactly at a limit reads and
// one unit over fails.
func TestReadLimitsBoundary(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	csv := "timestamp,value\n0,1\n60,2\n120,3\n" // 33 bytes, 3 rows, longest row 16 bytes
	linesOpts := func(l Limits) ReadOptions {
		return ReadOptions{Format: FormatLines, Start: start, Step: time.Minute, Limits: l}
	}
	tests := []struct {
		name  string
		in    string
		opts  ReadOptions
		limit string // "" when the read succeeds
	}{
		{"csv rows at limit", csv, ReadOptions{Limits: Limits{MaxRows: 3}}, ""},
		{"csv rows over", csv, ReadOptions{Limits: Limits{MaxRows: 2}}, LimitRows},
		{"csv bytes at limit", csv, ReadOptions{Limits: Limits{MaxBytes: int64(len(csv))}}, ""},
		{"csv bytes over", csv, ReadOptions{Limits: Limits{MaxBytes: int64(len(csv)) - 1}}, LimitBytes},
		{"lines values at limit", "1\n2\n3\n", linesOpts(Limits{MaxRows: 3}), ""},
		{"lines values over", "1\n2\n3\n", linesOpts(Limits{MaxRows: 2}), LimitRows},
		{"lines value at limit", "12345 1", linesOpts(Limits{MaxLineBytes: 5}), ""},
		{"lines value over", "123456 1", linesOpts(Limits{MaxLineBytes: 5}), LimitLineBytes},
		{"m4 values at limit", "id,v1,v2\nA,1,2\nB,3,4\n", ReadOptions{Format: FormatM4, Start: start, Step: time.Hour, Limits: Limits{MaxRows: 4}}, ""},
		{"m4 values over", "id,v1,v2\nA,1,2\nB,3,4\n", ReadOptions{Format: FormatM4, Start: start, Step: time.Hour, Limits: Limits{MaxRows: 3}}, LimitRows},
		{"csv row at limit", "timestamp,value\n0,1." + strings.Repeat("0", 1020) + "\n60,2\n", ReadOptions{Limits: Limits{MaxLineBytes: 1 << 10}}, ""},
		{"csv row over", "timestamp,value\n0," + strings.Repeat("1", 8<<10) + "\n", ReadOptions{Limits: Limits{MaxLineBytes: 1 << 10}}, LimitLineBytes},
		{"lines one long line of short values", strings.Repeat("1 ", 10_000), linesOpts(Limits{MaxLineBytes: 16}), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "t.csv", tc.opts)
			if tc.limit == "" {
				require.NoError(t, err)
				return
			}
			var le *LimitError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tc.limit, le.Limit)
		})
	}
}

// TestReadExcerpts checks that an error quotes at most an excerpt of a
// long cell, however long the cell.
func TestReadExcerpts(t *testing.T) {
	long := strings.Repeat("x", 512<<10)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   string
		opts ReadOptions
	}{
		{"csv value", "timestamp,value\n0," + long + "\n", ReadOptions{}},
		{"csv time", "timestamp,value\n" + long + ",1\n", ReadOptions{}},
		{"csv dated time", "timestamp,value\n2024-01-01" + long + ",1\n", ReadOptions{}},
		{"csv header", long + ",b\n1,2\n", ReadOptions{}},
		{"lines value", "1\n" + long + "\n", ReadOptions{Format: FormatLines, Start: start, Step: time.Minute}},
		{"m4 value", "id,v1\nH1," + long + "\n", ReadOptions{Format: FormatM4, Start: start, Step: time.Hour}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "t.csv", tc.opts)
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 400, "message: %.500s", err)
			assert.False(t, errors.Is(err, ErrLimit), "got a limit error: %v", err)
		})
	}
}

func TestLimitsValidate(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		want   string
	}{
		{"bytes", Limits{MaxBytes: -1}, "limits.maxBytes"},
		{"line", Limits{MaxLineBytes: -1}, "limits.maxLineBytes"},
		{"rows", Limits{MaxRows: -1}, "limits.maxRows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ReadOptions{Limits: tc.limits}.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
