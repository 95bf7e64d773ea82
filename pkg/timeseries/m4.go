package timeseries

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readM4 reads the M4 wide layout: a header row, then per row a series id
// and its values. Rows may have different lengths and empty trailing cells
// (padding up to the longest series) are not values; an empty cell before
// the last value is a missing value. Series keep the file's order.
func readM4(r io.Reader, file string, o ReadOptions) ([]Series, error) {
	br := newBoundedReader(r, o.Limits, true)
	cr := newCSVReader(br)
	header, err := readHeader(cr, br, file)
	if err != nil {
		return nil, err
	}
	var out []Series
	seen := make(map[string]int) // id -> line
	for values := int64(0); ; {
		br.mark = cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(br, file, err)
		}
		if values += int64(len(rec) - 1); values > o.Limits.MaxRows {
			return nil, &ParseError{File: file, Line: fieldLine(cr, 0), Err: &LimitError{Limit: LimitRows, Max: o.Limits.MaxRows}}
		}
		s, err := m4Row(cr, rec, header, file, o, seen)
		if err != nil {
			return nil, br.cut(file, err)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading trace %q: %w", file, ErrNoData)
	}
	return out, nil
}

// m4Row parses one row into a Series, checking its id is new.
func m4Row(cr *csv.Reader, rec, header []string, file string, o ReadOptions, seen map[string]int) (Series, error) {
	line, _ := cr.FieldPos(0)
	fail := func(field int, err error) error {
		return &ParseError{File: file, Line: fieldLine(cr, field), Column: fieldName(header, field), Err: err}
	}
	id := strings.Clone(strings.TrimSpace(rec[0])) // rec shares one string per row
	if id == "" {
		return Series{}, fail(0, errors.New("empty series id"))
	}
	if prev, ok := seen[id]; ok {
		return Series{}, fail(0, fmt.Errorf("duplicate series id %s (also on line %d)", excerpt(id), prev))
	}
	seen[id] = line
	cells := rec[1:]
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	if len(cells) == 0 {
		return Series{}, fail(0, fmt.Errorf("series %s: %w", excerpt(id), ErrNoData))
	}
	values := make([]float64, len(cells))
	for i, c := range cells {
		v, err := parseValue(c)
		if err != nil {
			return Series{}, fail(i+1, err)
		}
		values[i] = v
	}
	if err := checkEnd(file, o, len(values)); err != nil {
		return Series{}, err
	}
	return Series{Name: id, Start: o.Start.UTC(), Step: o.Step, Values: values}, nil
}

// fieldName names field i by the header, or by position past its end.
func fieldName(header []string, i int) string {
	if i < len(header) && header[i] != "" {
		return header[i]
	}
	return fmt.Sprintf("field %d", i+1)
}
