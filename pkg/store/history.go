package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// AppendHistory merges s into the stored history of key. The first append
// fixes the key's grid (s.Start and s.Step); later series must use the same
// step and start a whole number of steps from it (else ErrGrid). Values
// past the stored end extend it, values inside it overwrite (NaN included),
// values before it extend it backwards, and steps left between are missing
// (NaN). Steps older than the retention (Options.Retention before the end)
// are dropped. An empty s changes nothing. The write is one transaction.
func (s *Store) AppendHistory(key string, in timeseries.Series) error {
	if err := s.appendHistory(key, in); err != nil {
		return fmt.Errorf("appending history of %q: %w", key, err)
	}
	return nil
}

func (s *Store) appendHistory(key string, in timeseries.Series) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if in.Step <= 0 {
		return fmt.Errorf("step %s is not positive", in.Step)
	}
	if len(in.Values) == 0 {
		return nil
	}
	start := in.Start.UnixNano()
	if !time.Unix(0, start).Equal(in.Start) {
		return fmt.Errorf("start %s outside the years 1678 to 2261", in.Start)
	}
	return s.update(func(tx *bolt.Tx) error {
		kb, err := s.keyBucket(tx, key, true)
		if err != nil {
			return err
		}
		h, found, err := s.readHeader(kb)
		if err != nil {
			return err
		}
		if !found {
			h = header{origin: start, step: int64(in.Step)}
		}
		a, b, err := h.span(start, int64(in.Step), len(in.Values))
		if err != nil {
			return err
		}
		h, lo, changed := h.extend(a, b, s.capSteps(in.Step), found)
		if !changed {
			return nil
		}
		if err := s.writeChunks(kb, h.first, lo, in.Values[lo-a:]); err != nil {
			return err
		}
		if err := kb.Put([]byte(recordHeader), h.encode()); err != nil {
			return err
		}
		return s.stamp(kb)
	})
}

// capSteps is the number of steps of the given size that retention keeps.
func (s *Store) capSteps(step time.Duration) int64 {
	return max(1, int64(s.retention/step))
}

// span places n values starting at unix nanosecond start with the given
// step on h's grid, returning steps [a, b).
func (h header) span(start, step int64, n int) (a, b int64, err error) {
	if step != h.step {
		return 0, 0, fmt.Errorf("%w: step %s, stored step %s (delete the key to change it)",
			ErrGrid, time.Duration(step), time.Duration(h.step))
	}
	d := start - h.origin
	if (start > h.origin) != (d > 0) || d%h.step != 0 {
		return 0, 0, fmt.Errorf("%w: start %s is not a whole number of %s steps from the grid origin %s",
			ErrGrid, time.Unix(0, start).UTC(), time.Duration(h.step), time.Unix(0, h.origin).UTC())
	}
	a = d / h.step
	if a > math.MaxInt64-int64(n) {
		return 0, 0, fmt.Errorf("%w: series ends outside the representable time range", ErrGrid)
	}
	if _, ok := h.nanos(a + int64(n)); !ok {
		return 0, 0, fmt.Errorf("%w: series ends outside the representable time range", ErrGrid)
	}
	return a, a + int64(n), nil
}

// extend returns h grown to cover steps [a, b) and cut to the last capSteps
// steps, and the first step of [a, b) that is kept; changed is false (and
// h unchanged) when retention drops all of [a, b).
func (h header) extend(a, b, capSteps int64, found bool) (_ header, lo int64, changed bool) {
	end := b
	if found {
		end = max(h.end, b)
	}
	lo = max(a, end-capSteps)
	if lo >= b {
		return h, lo, false
	}
	if !found || lo < h.first {
		h.first = lo
	}
	h.end = end
	h.first = max(h.first, end-capSteps)
	return h, lo, true
}

// readHeader returns the history header of a key bucket; found is false
// when the key has no history.
func (s *Store) readHeader(kb *bolt.Bucket) (h header, found bool, err error) {
	raw := kb.Get([]byte(recordHeader))
	if raw == nil {
		return header{}, false, nil
	}
	if h, err = decodeHeader(raw); err != nil {
		return header{}, false, s.corrupt(err)
	}
	return h, true, nil
}

// writeChunks stores vals at steps lo… and drops chunks wholly before first.
func (s *Store) writeChunks(kb *bolt.Bucket, first, lo int64, vals []float64) error {
	cb, err := kb.CreateBucketIfNotExists([]byte(bucketChunks))
	if err != nil {
		return err
	}
	for len(vals) > 0 {
		n := floorDiv(lo, chunkSteps)
		off := int(lo - n*chunkSteps)
		m := min(len(vals), chunkSteps-off)
		key := chunkKey(n)
		cur, err := decodeChunk(cb.Get(key))
		if err != nil {
			return s.corrupt(err)
		}
		for len(cur) < off+m {
			cur = append(cur, math.NaN())
		}
		copy(cur[off:], vals[:m])
		if err := cb.Put(key, encodeChunk(cur)); err != nil {
			return err
		}
		lo, vals = lo+int64(m), vals[m:]
	}
	return s.trimChunks(cb, first)
}

// trimChunks deletes the chunks that hold only steps before first.
func (s *Store) trimChunks(cb *bolt.Bucket, first int64) error {
	limit := floorDiv(first, chunkSteps)
	var old [][]byte
	c := cb.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n, err := chunkNumber(k)
		if err != nil {
			return s.corrupt(err)
		}
		if n >= limit {
			break
		}
		old = append(old, k)
	}
	for _, k := range old {
		if err := cb.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// History returns the stored history of key: Name is key, Start the first
// retained step, missing steps NaN. It returns an error wrapping
// ErrNotFound when key has no history.
func (s *Store) History(key string) (timeseries.Series, error) {
	var out timeseries.Series
	err := checkKey(key)
	if err == nil {
		err = s.view(func(tx *bolt.Tx) error {
			var err error
			out, err = s.readHistory(tx, key)
			return err
		})
	}
	if err != nil {
		return timeseries.Series{}, fmt.Errorf("reading history of %q: %w", key, err)
	}
	return out, nil
}

func (s *Store) readHistory(tx *bolt.Tx, key string) (timeseries.Series, error) {
	kb, err := s.keyBucket(tx, key, false)
	if err != nil {
		return timeseries.Series{}, err
	}
	if kb == nil {
		return timeseries.Series{}, ErrNotFound
	}
	h, found, err := s.readHeader(kb)
	if err != nil {
		return timeseries.Series{}, err
	}
	if !found {
		return timeseries.Series{}, ErrNotFound
	}
	vals := make([]float64, h.end-h.first)
	for i := range vals {
		vals[i] = math.NaN()
	}
	if cb := kb.Bucket([]byte(bucketChunks)); cb != nil {
		if err := readChunks(cb, h, vals); err != nil {
			return timeseries.Series{}, s.corrupt(err)
		}
	}
	t0, _ := h.nanos(h.first)
	return timeseries.Series{Name: key, Start: time.Unix(0, t0).UTC(), Step: time.Duration(h.step), Values: vals}, nil
}

// readChunks copies the stored values of steps [h.first, h.end) into vals.
func readChunks(cb *bolt.Bucket, h header, vals []float64) error {
	c := cb.Cursor()
	for k, v := c.Seek(chunkKey(floorDiv(h.first, chunkSteps))); k != nil; k, v = c.Next() {
		n, err := chunkNumber(k)
		if err != nil {
			return err
		}
		base := n * chunkSteps
		if base >= h.end {
			break
		}
		if err := checkChunk(v); err != nil {
			return fmt.Errorf("chunk %d: %w", n, err)
		}
		lo, hi := max(0, h.first-base), min(int64(len(v)/8), h.end-base)
		for j := lo; j < hi; j++ {
			vals[base+j-h.first] = math.Float64frombits(binary.LittleEndian.Uint64(v[8*j:]))
		}
	}
	return nil
}
