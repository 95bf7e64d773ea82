package timeseries

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// chunkSize is the initial buffer of the lines reader; a single value may
// not exceed Limits.MaxLineBytes.
const chunkSize = 64 << 10

// readLines reads values separated by white space (spaces, tabs, line
// breaks), so a file with one value per line and a file with all values on
// one line read alike; blank lines are skipped, not missing values.
//
// A bufio.Scanner hands over chunks that end in white space, so no value
// is cut in two, and valueParser walks each chunk in a tight loop.
func readLines(r io.Reader, file string, o ReadOptions) ([]Series, error) {
	br := newBoundedReader(r, o.Limits, false)
	sc := bufio.NewScanner(br)
	maxChunk := o.Limits.MaxLineBytes + 1 // a value and the white space that ends it
	sc.Buffer(make([]byte, 0, min(chunkSize, maxChunk)), maxChunk)
	sc.Split(splitChunks)
	p := valueParser{file: file, line: 1, maxRows: o.Limits.MaxRows}
	for sc.Scan() {
		if err := p.parse(sc.Bytes()); err != nil {
			return nil, br.cut(file, err) // the last chunk before a limit may end mid-value
		}
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return nil, &ParseError{File: file, Line: p.line, Err: &LimitError{Limit: LimitLineBytes, Max: int64(o.Limits.MaxLineBytes)}}
	case err != nil:
		if le := br.limitError(file, err); le != nil {
			return nil, le
		}
		return nil, &ParseError{File: file, Line: p.line, Err: err}
	}
	values := p.values.slice()
	switch {
	case !p.seen:
		return nil, fmt.Errorf("reading trace %q: %w", file, ErrEmpty)
	case len(values) == 0:
		return nil, fmt.Errorf("reading trace %q: %w", file, ErrNoData)
	}
	if err := checkEnd(file, o, len(values)); err != nil {
		return nil, err
	}
	return []Series{{Name: o.Name, Start: o.Start.UTC(), Step: o.Step, Values: values}}, nil
}

// splitChunks is a bufio.SplitFunc yielding the longest prefix of data that
// ends in white space (all of it at EOF).
func splitChunks(data []byte, atEOF bool) (int, []byte, error) {
	if atEOF {
		if len(data) == 0 {
			return 0, nil, nil
		}
		return len(data), data, nil
	}
	for i := len(data) - 1; i >= 0; i-- {
		if isSpace(data[i]) {
			return i + 1, data[:i+1], nil
		}
	}
	return 0, nil, nil // one value fills the buffer: read more
}

// valueParser parses chunks of white-space separated values, tracking the
// line and the position on the line for errors.
type valueParser struct {
	file    string
	line    int // 1-based line of the next byte
	col     int // values seen on the current line
	seen    bool
	values  floats
	maxRows int64 // values accepted
}

func (p *valueParser) parse(chunk []byte) error {
	p.seen = true
	for i := 0; i < len(chunk); {
		c := chunk[i]
		if isSpace(c) {
			if c == '\n' {
				p.line++
				p.col = 0
			}
			i++
			continue
		}
		j := i + 1
		for j < len(chunk) && !isSpace(chunk[j]) {
			j++
		}
		p.col++
		if int64(p.values.n) >= p.maxRows {
			return &ParseError{File: p.file, Line: p.line, Err: &LimitError{Limit: LimitRows, Max: p.maxRows}}
		}
		v, err := parseToken(chunk[i:j])
		if err != nil {
			return &ParseError{File: p.file, Line: p.line, Column: fmt.Sprintf("value %d", p.col), Err: err}
		}
		p.values.add(v)
		i = j
	}
	return nil
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\v' || b == '\f'
}

// parseToken parses one value, with a fast path for small unsigned
// integers, the common case of request counts.
func parseToken(tok []byte) (float64, error) {
	if len(tok) <= 15 {
		var n int64
		for _, c := range tok {
			if c < '0' || c > '9' {
				return parseValue(string(tok))
			}
			n = n*10 + int64(c-'0')
		}
		return float64(n), nil
	}
	return parseValue(string(tok))
}

// floats collects values in chunks and joins them once, which copies and
// allocates far less than growing one slice by append for millions of
// values.
type floats struct {
	done [][]float64
	cur  []float64
	n    int
}

func (f *floats) add(v float64) {
	if len(f.cur) == cap(f.cur) {
		if f.cur != nil {
			f.done = append(f.done, f.cur)
		}
		f.cur = make([]float64, 0, min(max(1024, 2*cap(f.cur)), 1<<20))
	}
	f.cur = append(f.cur, v)
	f.n++
}

// slice returns all values in one slice.
func (f *floats) slice() []float64 {
	if len(f.done) == 0 {
		return f.cur
	}
	out := make([]float64, 0, f.n)
	for _, c := range f.done {
		out = append(out, c...)
	}
	return append(out, f.cur...)
}
