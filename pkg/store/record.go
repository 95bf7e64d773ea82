package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ModelRecord is a fitted forecasting model as the scaler serialised it.
// The store keeps Blob opaque; FormatVersion lets its owner reject blobs
// written by an incompatible encoder.
type ModelRecord struct {
	// Name is the model's name (forecast.Model.Name), e.g. "holt-winters".
	Name string
	// FormatVersion is the version of Blob's encoding, chosen by the caller.
	FormatVersion uint32
	// FittedAt is when the model was fitted.
	FittedAt time.Time
	// HistoryEnd is the end of the history the model was fitted on (the
	// instant one step after its last value).
	HistoryEnd time.Time
	// Blob is the serialised fit.
	Blob []byte
}

// Decision is the last value the scaler served for a key.
type Decision struct {
	// Value is the served metric value (in the trigger's units).
	Value float64
	// At is when it was served.
	At time.Time
}

// recordVersion tags the encodings of ModelRecord and Decision.
const recordVersion = 1

// timeLen is the size of an encoded time: unix seconds and nanoseconds.
const timeLen = 12

// decisionLen is the size of an encoded Decision.
const decisionLen = 1 + 8 + timeLen

// PutModel stores m as the fitted model of key, replacing any previous one.
func (s *Store) PutModel(key string, m ModelRecord) error {
	if err := s.putRecord(key, recordModel, encodeModel(m)); err != nil {
		return fmt.Errorf("storing model of %q: %w", key, err)
	}
	return nil
}

// Model returns the fitted model of key, or an error wrapping ErrNotFound.
func (s *Store) Model(key string) (ModelRecord, error) {
	var m ModelRecord
	err := s.getRecord(key, recordModel, func(b []byte) (err error) {
		m, err = decodeModel(b)
		return err
	})
	if err != nil {
		return ModelRecord{}, fmt.Errorf("reading model of %q: %w", key, err)
	}
	return m, nil
}

// PutDecision stores d as the last decision served for key.
func (s *Store) PutDecision(key string, d Decision) error {
	if err := s.putRecord(key, recordDecided, encodeDecision(d)); err != nil {
		return fmt.Errorf("storing decision of %q: %w", key, err)
	}
	return nil
}

// Decision returns the last decision served for key, or an error wrapping
// ErrNotFound.
func (s *Store) Decision(key string) (Decision, error) {
	var d Decision
	err := s.getRecord(key, recordDecided, func(b []byte) (err error) {
		d, err = decodeDecision(b)
		return err
	})
	if err != nil {
		return Decision{}, fmt.Errorf("reading decision of %q: %w", key, err)
	}
	return d, nil
}

// putRecord stores val under name in the bucket of key.
func (s *Store) putRecord(key, name string, val []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		kb, err := s.keyBucket(tx, key, true)
		if err != nil {
			return err
		}
		if err := kb.Put([]byte(name), val); err != nil {
			return err
		}
		return s.stamp(kb)
	})
}

// getRecord passes the record name of key to decode (inside the read
// transaction: decode must copy what it keeps).
func (s *Store) getRecord(key, name string, decode func([]byte) error) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return s.view(func(tx *bolt.Tx) error {
		kb, err := s.keyBucket(tx, key, false)
		if err != nil {
			return err
		}
		var raw []byte
		if kb != nil {
			raw = kb.Get([]byte(name))
		}
		if raw == nil {
			return ErrNotFound
		}
		if err := decode(raw); err != nil {
			return s.corrupt(err)
		}
		return nil
	})
}

// encodeModel returns the stored form of m: version, name, format version,
// two times, then the blob, lengths as uvarints.
func encodeModel(m ModelRecord) []byte {
	b := make([]byte, 0, 1+2*binary.MaxVarintLen64+len(m.Name)+5+2*timeLen+len(m.Blob))
	b = append(b, recordVersion)
	b = binary.AppendUvarint(b, uint64(len(m.Name)))
	b = append(b, m.Name...)
	b = binary.AppendUvarint(b, uint64(m.FormatVersion))
	b = appendTime(appendTime(b, m.FittedAt), m.HistoryEnd)
	b = binary.AppendUvarint(b, uint64(len(m.Blob)))
	return append(b, m.Blob...)
}

// decodeModel parses a stored ModelRecord; it copies what it returns.
func decodeModel(b []byte) (ModelRecord, error) {
	r := reader{b: b}
	if v := r.byte(); v != recordVersion {
		return ModelRecord{}, fmt.Errorf("model record version %d, want %d", v, recordVersion)
	}
	var m ModelRecord
	m.Name = string(r.bytes())
	format := r.uvarint()
	if format > math.MaxUint32 {
		r.fail(fmt.Errorf("format version %d exceeds 32 bits", format))
	}
	m.FormatVersion = uint32(format)
	m.FittedAt, m.HistoryEnd = r.time(), r.time()
	m.Blob = append([]byte(nil), r.bytes()...)
	if r.err == nil && len(r.b) > 0 {
		r.fail(fmt.Errorf("%d trailing bytes", len(r.b)))
	}
	if r.err != nil {
		return ModelRecord{}, fmt.Errorf("model record: %w", r.err)
	}
	return m, nil
}

// encodeDecision returns the stored form of d.
func encodeDecision(d Decision) []byte {
	b := make([]byte, 0, decisionLen)
	b = append(b, recordVersion)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(d.Value))
	return appendTime(b, d.At)
}

// decodeDecision parses a stored Decision.
func decodeDecision(b []byte) (Decision, error) {
	if len(b) != decisionLen || b[0] != recordVersion {
		return Decision{}, fmt.Errorf("decision record of %d bytes (version %d), want %d bytes (version %d)",
			len(b), firstByte(b), decisionLen, recordVersion)
	}
	r := reader{b: b[9:]}
	d := Decision{Value: math.Float64frombits(binary.LittleEndian.Uint64(b[1:])), At: r.time()}
	return d, r.err
}

// appendTime appends t as unix seconds (int64) and nanoseconds (uint32).
func appendTime(b []byte, t time.Time) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(t.Unix()))
	return binary.LittleEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

// reader decodes a record, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *reader) byte() byte {
	if len(r.b) < 1 {
		r.fail(errors.New("record ends early"))
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(errors.New("bad length or version field"))
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail(fmt.Errorf("field of %d bytes in %d remaining", n, len(r.b)))
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// time decodes what appendTime wrote; the zero time comes back as the zero
// time.Time, others in UTC.
func (r *reader) time() time.Time {
	if len(r.b) < timeLen {
		r.fail(errors.New("record ends early"))
		return time.Time{}
	}
	sec, nsec := int64(binary.LittleEndian.Uint64(r.b)), binary.LittleEndian.Uint32(r.b[8:])
	r.b = r.b[timeLen:]
	if nsec >= 1e9 {
		r.fail(fmt.Errorf("nanoseconds %d out of range", nsec))
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec)).UTC()
	if t.IsZero() {
		return time.Time{}
	}
	return t
}
