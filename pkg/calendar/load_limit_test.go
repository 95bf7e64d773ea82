package calendar

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadSizeLimit checks that Load refuses a calendar file over its size
// limit, with a short message, without reading it whole.
func TestLoadSizeLimit(t *testing.T) {
	tests := []struct {
		name string
		file string
		size int64
	}{
		{"yaml", "big.yaml", maxYAMLBytes + 1},
		{"yaml far over", "huge.yml", 8 << 30},
		{"ics", "big.ics", maxICSBytes + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			f, err := os.Create(path)
			require.NoError(t, err)
			require.NoError(t, f.Truncate(tc.size)) // sparse: no disk used
			require.NoError(t, f.Close())
			_, err = Load(path, LoadOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "larger than")
			assert.Less(t, len(err.Error()), 300)
		})
	}
}
