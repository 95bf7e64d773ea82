package timeseries

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Default read limits, applied by Read to zero Limits fields. They admit
// every real trace prescale has met (the largest bundled one is 3 MB and
// 90,000 rows; the M4 competition's largest file is about 10 million
// values, with rows under 100 KB) while bounding the time and memory a
// hostile or mistaken file can take: at DefaultMaxRows, Read held 1.8 GB
// (csv rows of about 80 bytes of heap each, garbage collector included)
// or 0.2 GB (lines and m4 values).
const (
	// DefaultMaxBytes bounds the bytes read from one trace, after
	// decompression: 1 GiB.
	DefaultMaxBytes int64 = 1 << 30
	// DefaultMaxLineBytes bounds one csv or m4 row (its quoted line breaks
	// included) and one value of the lines format: 1 MiB.
	DefaultMaxLineBytes = 1 << 20
	// DefaultMaxRows bounds the observations of one trace: csv data rows,
	// values of the lines and m4 formats. 20 million is 38 years of
	// one-minute data, or two weeks of it for 1,000 series.
	DefaultMaxRows int64 = 20_000_000
)

// Limits bound what Read accepts from one trace, so that a file that is
// hostile or a mistake (a gzip bomb, a file without line breaks) fails
// fast, in bounded memory, with an error naming the limit. The zero value
// selects the defaults.
type Limits struct {
	// MaxBytes bounds the bytes read, after decompression; zero means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxLineBytes bounds one csv or m4 row, quoted line breaks included
	// (to within the 4 KiB the csv parser reads ahead), and one value of
	// the lines format (whose line may hold any number of values); zero
	// means DefaultMaxLineBytes.
	MaxLineBytes int
	// MaxRows bounds the observations: csv data rows, values of the lines
	// and m4 formats; zero means DefaultMaxRows.
	MaxRows int64
}

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes == 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxLineBytes == 0 {
		l.MaxLineBytes = DefaultMaxLineBytes
	}
	if l.MaxRows == 0 {
		l.MaxRows = DefaultMaxRows
	}
	return l
}

// validate reports a negative limit, naming its field.
func (l Limits) validate() error {
	switch {
	case l.MaxBytes < 0:
		return fmt.Errorf("limits.maxBytes: must not be negative, got %d", l.MaxBytes)
	case l.MaxLineBytes < 0:
		return fmt.Errorf("limits.maxLineBytes: must not be negative, got %d", l.MaxLineBytes)
	case l.MaxRows < 0:
		return fmt.Errorf("limits.maxRows: must not be negative, got %d", l.MaxRows)
	}
	return nil
}

// The limits a LimitError names, as the fields of Limits.
const (
	LimitBytes     = "MaxBytes"
	LimitLineBytes = "MaxLineBytes"
	LimitRows      = "MaxRows"
)

// LimitError reports a trace over one of its Limits; errors.Is(err,
// ErrLimit) holds for it. It reaches the caller inside a *ParseError
// locating where reading stopped.
type LimitError struct {
	// Limit is the exceeded field of Limits: LimitBytes, LimitLineBytes or
	// LimitRows.
	Limit string
	// Max is its value (bytes, or rows).
	Max int64
}

// Error implements error.
func (e *LimitError) Error() string {
	switch e.Limit {
	case LimitBytes:
		return fmt.Sprintf("%v: more than %d bytes (decompressed)", ErrLimit, e.Max)
	case LimitLineBytes:
		return fmt.Sprintf("%v: a row or value longer than %d bytes", ErrLimit, e.Max)
	}
	return fmt.Sprintf("%v: more than %d rows", ErrLimit, e.Max)
}

// Is reports whether target is ErrLimit.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// csvBuffer is the read-ahead of encoding/csv's bufio.Reader: how far the
// bytes read may run ahead of the row being parsed.
const csvBuffer = 4096

// boundedReader reads at most max bytes from r and, once mark is in use,
// at most maxLine bytes (plus the csv read-ahead) past mark, the offset
// where the current row began. It counts line breaks to locate its errors.
type boundedReader struct {
	r       io.Reader
	max     int64
	maxLine int64 // 0: rows are not checked here
	n       int64 // bytes read
	mark    int64 // offset where the current row began
	lines   int   // line breaks read
	err     error
}

func newBoundedReader(r io.Reader, l Limits, checkRows bool) *boundedReader {
	b := &boundedReader{r: r, max: l.MaxBytes}
	if checkRows {
		b.maxLine = int64(l.MaxLineBytes)
	}
	return b
}

// Read implements io.Reader; past a limit it returns a *LimitError.
func (b *boundedReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if room := b.max - b.n + 1; int64(len(p)) > room {
		p = p[:room] // one byte more than allowed tells an exact fit from an overrun
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	b.lines += bytes.Count(p[:n], []byte{'\n'})
	switch {
	case b.n > b.max:
		b.err = &LimitError{Limit: LimitBytes, Max: b.max}
	case b.maxLine > 0 && b.n-b.mark > b.maxLine+csvBuffer:
		b.err = &LimitError{Limit: LimitLineBytes, Max: b.maxLine}
	}
	if b.err != nil {
		return 0, b.err
	}
	return n, err
}

// line is the 1-based line reading has reached.
func (b *boundedReader) line() int { return b.lines + 1 }

// limitError returns err located at the line reading reached when err is
// (or wraps) a *LimitError, and nil otherwise.
func (b *boundedReader) limitError(file string, err error) error {
	var le *LimitError
	if !errors.As(err, &le) {
		return nil
	}
	return &ParseError{File: file, Line: b.line(), Err: le}
}

// cut returns the limit error that stopped reading, if any, in place of
// err: the error of parsing what the limit cut short.
func (b *boundedReader) cut(file string, err error) error {
	if b.err != nil {
		return b.limitError(file, b.err)
	}
	return err
}

// maxExcerpt is the most of a cell an error message quotes.
const maxExcerpt = 64

// excerpt quotes s for an error message, cut to maxExcerpt bytes (at a
// character boundary) with its full length when longer.
func excerpt(s string) string {
	if len(s) <= maxExcerpt {
		return fmt.Sprintf("%q", s)
	}
	cut := maxExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:cut], len(s))
}
