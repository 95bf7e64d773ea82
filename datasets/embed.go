// Package datasets embeds the small real traces and calendars that prescale
// ships, so that its commands have a real default input on a machine with no
// cluster, no Prometheus and no files of its own.
//
// The files and their provenance are described in README.md beside this
// file; each keeps its own licence.
package datasets

import (
	"embed"
	"io/fs"
)

//go:embed README.md nasa_http_1995 m4_hourly wikipedia_pageviews calendars
var files embed.FS

// FS returns the embedded datasets as a read-only file system whose paths
// are those of this directory, such as "nasa_http_1995/nasa_requests_per_minute_edt.csv.gz".
func FS() fs.FS { return files }
