package store

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Chunk and header encoding of the history (see doc.go).
const (
	// chunkSteps is the number of steps in one stored chunk. bbolt puts at
	// least two values in a leaf, and two chunks of 1,016 float64 plus their
	// element headers fill four 4 KiB pages to 99.6%; chunks of 1,024 steps
	// spill into a fifth page (80% full).
	chunkSteps = 1016
	// chunkBytes is the size of a full chunk.
	chunkBytes = chunkSteps * 8
	// headerVersion tags the header encoding.
	headerVersion = 1
	// headerLen is the size of an encoded header.
	headerLen = 1 + 4*8
)

// header places a key's history on its grid. Step i (relative to origin)
// is the interval starting at origin + i*step; the history holds steps
// [first, end). Chunk n holds steps [n*chunkSteps, n*chunkSteps+len).
type header struct {
	origin int64 // unix nanoseconds of step 0
	step   int64 // nanoseconds, positive
	first  int64 // first retained step
	end    int64 // one past the last step
}

// encode returns the stored form of h.
func (h header) encode() []byte {
	b := make([]byte, 1, headerLen)
	b[0] = headerVersion
	for _, v := range [...]int64{h.origin, h.step, h.first, h.end} {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	return b
}

// decodeHeader parses a stored header and checks its invariants.
func decodeHeader(b []byte) (header, error) {
	if len(b) != headerLen || b[0] != headerVersion {
		return header{}, fmt.Errorf("history header of %d bytes (version %d), want %d bytes (version %d)",
			len(b), firstByte(b), headerLen, headerVersion)
	}
	le := binary.LittleEndian
	h := header{
		origin: int64(le.Uint64(b[1:])), step: int64(le.Uint64(b[9:])),
		first: int64(le.Uint64(b[17:])), end: int64(le.Uint64(b[25:])),
	}
	if h.step <= 0 || h.first >= h.end {
		return header{}, fmt.Errorf("history header with step %d and steps [%d, %d)", h.step, h.first, h.end)
	}
	_, okFirst := h.nanos(h.first)
	_, okEnd := h.nanos(h.end)
	if !okFirst || !okEnd {
		return header{}, fmt.Errorf("history header with steps [%d, %d) out of the time range", h.first, h.end)
	}
	return h, nil
}

// nanos returns the unix nanoseconds of step i; ok is false on overflow.
func (h header) nanos(i int64) (int64, bool) { return mulAdd(i, h.step, h.origin) }

// mulAdd returns a*b + c for b > 0; ok is false on overflow.
func mulAdd(a, b, c int64) (int64, bool) {
	p := a * b
	if a != 0 && p/a != b {
		return 0, false
	}
	s := p + c
	if (c > 0 && s < p) || (c < 0 && s > p) {
		return 0, false
	}
	return s, true
}

// encodeChunk returns the stored form of v: little-endian float64 bits.
func encodeChunk(v []float64) []byte {
	b := make([]byte, 0, 8*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// decodeChunk parses a stored chunk; nil or empty input gives an empty chunk.
func decodeChunk(b []byte) ([]float64, error) {
	if err := checkChunk(b); err != nil {
		return nil, err
	}
	v := make([]float64, len(b)/8, chunkSteps)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return v, nil
}

// checkChunk validates the length of a stored chunk.
func checkChunk(b []byte) error {
	if len(b)%8 != 0 || len(b) > chunkBytes {
		return fmt.Errorf("history chunk of %d bytes, want a multiple of 8 up to %d", len(b), chunkBytes)
	}
	return nil
}

// chunkKey returns the bbolt key of chunk n; keys sort in the order of n.
func chunkKey(n int64) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(n)^(1<<63))
}

// chunkNumber parses a chunk key.
func chunkNumber(k []byte) (int64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("history chunk key %x is not 8 bytes", k)
	}
	return int64(binary.BigEndian.Uint64(k) ^ (1 << 63)), nil
}

// floorDiv returns a/b rounded towards minus infinity, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}
