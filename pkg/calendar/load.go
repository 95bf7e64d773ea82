package calendar

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// LoadOptions control how Load reads a calendar file.
type LoadOptions struct {
	// ICS is used for iCalendar files.
	ICS ICSOptions
}

// Load reads a calendar file, choosing the format by extension: ".yaml"
// and ".yml" are prescale calendars (see Parse), ".ics" iCalendar files
// (see ParseICS). Any other extension is an error wrapping
// ErrUnsupportedFormat.
func Load(path string, opts LoadOptions) (*Calendar, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".yaml", ".yml":
		data, err := readBounded(path, maxYAMLBytes)
		if err != nil {
			return nil, err
		}
		return Parse(data, path)
	case ".ics":
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("loading calendar: %w", err)
		}
		defer f.Close()
		return ParseICS(f, path, opts.ICS)
	default:
		return nil, fmt.Errorf("loading calendar %q: %w %q: want .yaml, .yml or .ics", path, ErrUnsupportedFormat, ext)
	}
}

// maxYAMLBytes bounds the size of a YAML calendar file: a calendar of
// 10,000 events is about 1 MB.
const maxYAMLBytes = 16 << 20

// readBounded reads the file at path, refusing one larger than limit
// bytes without reading past it.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loading calendar: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("loading calendar %q: %w", path, err)
	case int64(len(data)) > limit:
		return nil, &FieldError{File: path, Err: fmt.Errorf("larger than %d bytes", limit)}
	}
	return data, nil
}
