package store

import (
	"bytes"
	"math"
	"testing"
	"time"
)

// FuzzDecodeChunk checks that any accepted chunk re-encodes to the same bytes.
func FuzzDecodeChunk(f *testing.F) {
	f.Add([]byte{})
	f.Add(encodeChunk([]float64{1, math.NaN(), math.Inf(-1)}))
	f.Add(make([]byte, chunkBytes))
	f.Add(make([]byte, chunkBytes+8))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decodeChunk(b)
		if err != nil {
			return
		}
		if len(v) > chunkSteps {
			t.Fatalf("decoded %d steps, limit %d", len(v), chunkSteps)
		}
		if got := encodeChunk(v); !bytes.Equal(got, b) {
			t.Fatalf("re-encoded %x, want %x", got, b)
		}
	})
}

// FuzzDecodeHeader checks that any accepted header re-encodes identically
// and satisfies the invariants History relies on.
func FuzzDecodeHeader(f *testing.F) {
	f.Add(header{origin: t0.UnixNano(), step: int64(time.Minute), first: -5, end: 40320}.encode())
	f.Add([]byte{headerVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := decodeHeader(b)
		if err != nil {
			return
		}
		if h.step <= 0 || h.first >= h.end {
			t.Fatalf("accepted header %+v", h)
		}
		if !bytes.Equal(h.encode(), b) {
			t.Fatalf("re-encoded %x, want %x", h.encode(), b)
		}
	})
}

// FuzzDecodeModel checks that decoding never panics and that an accepted
// record survives a round trip.
func FuzzDecodeModel(f *testing.F) {
	f.Add(encodeModel(ModelRecord{Name: "hw", FormatVersion: 2, FittedAt: t0, HistoryEnd: t0, Blob: []byte("x")}))
	f.Add(encodeModel(ModelRecord{}))
	f.Add([]byte{recordVersion, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeModel(b)
		if err != nil {
			return
		}
		again, err := decodeModel(encodeModel(m))
		if err != nil || again.Name != m.Name || again.FormatVersion != m.FormatVersion ||
			!again.FittedAt.Equal(m.FittedAt) || !again.HistoryEnd.Equal(m.HistoryEnd) || !bytes.Equal(again.Blob, m.Blob) {
			t.Fatalf("round trip of %+v gave %+v, %v", m, again, err)
		}
	})
}

// FuzzDecodeDecision checks that decoding never panics and round-trips.
func FuzzDecodeDecision(f *testing.F) {
	f.Add(encodeDecision(Decision{Value: 3, At: t0}))
	f.Add([]byte{recordVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeDecision(b)
		if err != nil {
			return
		}
		if !bytes.Equal(encodeDecision(d), b) {
			t.Fatalf("re-encoded %x, want %x", encodeDecision(d), b)
		}
	})
}
