package timeseries

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// columns holds the indexes of the csv columns Read uses; series is -1
// without a series column.
type columns struct {
	time, value, series int
	names               []string // the header, for error messages
	need                int      // fields a row must have
}

func readCSV(r io.Reader, file string, o ReadOptions) ([]Series, error) {
	br := newBoundedReader(r, o.Limits, true)
	cr := newCSVReader(br)
	header, err := readHeader(cr, br, file)
	if err != nil {
		return nil, err
	}
	cols, err := findColumns(header, file, o)
	if err != nil {
		return nil, err
	}
	var groups []*group
	index := make(map[string]*group)
	for rows := int64(0); ; rows++ {
		br.mark = cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(br, file, err)
		}
		if rows == o.Limits.MaxRows {
			return nil, &ParseError{File: file, Line: fieldLine(cr, 0), Err: &LimitError{Limit: LimitRows, Max: o.Limits.MaxRows}}
		}
		p, key, err := parseRow(cr, rec, cols, file, o)
		if err != nil {
			return nil, br.cut(file, err) // a row cut by a limit fails to parse
		}
		g := index[key]
		if g == nil {
			g = &group{name: strings.Clone(key)}
			index[g.name] = g
			groups = append(groups, g)
		}
		g.pts = append(g.pts, p)
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("reading trace %q: %w", file, ErrNoData)
	}
	slices.SortFunc(groups, func(a, b *group) int { return cmp.Compare(a.name, b.name) })
	o.TimeCol = cols.names[cols.time] // as spelt in the header, for errors
	return gridSeries(groups, file, o)
}

func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // rows are checked against the columns in use
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	return cr
}

// readHeader reads the header row, trimming blanks and a UTF-8 byte order
// mark, and returns a copy the reader will not reuse.
func readHeader(cr *csv.Reader, br *boundedReader, file string) ([]string, error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading trace %q: %w", file, ErrEmpty)
	}
	if err != nil {
		return nil, csvError(br, file, err)
	}
	header := make([]string, len(rec))
	for i, h := range rec {
		header[i] = strings.TrimSpace(h)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	return header, nil
}

func findColumns(header []string, file string, o ReadOptions) (columns, error) {
	c := columns{series: -1, names: header}
	for _, f := range []struct {
		name string
		dst  *int
	}{{o.TimeCol, &c.time}, {o.ValueCol, &c.value}, {o.SeriesCol, &c.series}} {
		if f.name == "" {
			continue
		}
		i := columnIndex(header, f.name)
		if i < 0 {
			return c, &ParseError{File: file, Line: 1, Column: f.name,
				Err: fmt.Errorf("%w: header is %s", ErrMissingColumn, quoteAll(header))}
		}
		*f.dst = i
		c.need = max(c.need, i+1)
	}
	return c, nil
}

// columnIndex finds name in header, exactly or else ignoring case.
func columnIndex(header []string, name string) int {
	if i := slices.Index(header, name); i >= 0 {
		return i
	}
	return slices.IndexFunc(header, func(h string) bool { return strings.EqualFold(h, name) })
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = excerpt(n)
	}
	return strings.Join(q, ", ")
}

// parseRow parses one data row into a point and its series key.
func parseRow(cr *csv.Reader, rec []string, c columns, file string, o ReadOptions) (point, string, error) {
	line, _ := cr.FieldPos(0)
	if len(rec) < c.need {
		missing := max(c.time, c.value, c.series)
		for _, i := range []int{c.time, c.value, c.series} {
			if i >= len(rec) {
				missing = min(missing, i)
			}
		}
		return point{}, "", &ParseError{File: file, Line: line, Column: c.names[missing],
			Err: fmt.Errorf("row has %d fields, header has %d", len(rec), len(c.names))}
	}
	t, err := ParseTime(rec[c.time], o.Location)
	if err != nil {
		return point{}, "", &ParseError{File: file, Line: fieldLine(cr, c.time), Column: c.names[c.time], Err: err}
	}
	v, err := parseValue(rec[c.value])
	if err != nil {
		return point{}, "", &ParseError{File: file, Line: fieldLine(cr, c.value), Column: c.names[c.value], Err: err}
	}
	key := o.Name
	if c.series >= 0 {
		key = rec[c.series]
	}
	return point{t: t.UnixNano(), v: v, line: line}, key, nil
}

func fieldLine(cr *csv.Reader, field int) int {
	line, _ := cr.FieldPos(field)
	return line
}

// csvError turns an encoding/csv error, or a read limit met under it,
// into a *ParseError.
func csvError(br *boundedReader, file string, err error) error {
	if le := br.limitError(file, err); le != nil {
		return le
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: file, Line: pe.Line, Err: pe.Err}
	}
	return fmt.Errorf("reading trace %q: %w", file, err)
}
