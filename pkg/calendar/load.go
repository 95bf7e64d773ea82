package calendar

import (
	"fmt"
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
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("loading calendar: %w", err)
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
