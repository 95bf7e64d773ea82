package capacity

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeadroomSpellings(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    float64
		wantErr string
	}{
		{name: "Kubernetes spelling", json: `{"utilizationTarget": 0.8}`, want: 0.8},
		{name: "British spelling", json: `{"utilisationTarget": 0.6, "zoneLoss": true}`, want: 0.6},
		{name: "both", json: `{"utilizationTarget": 0.8, "utilisationTarget": 0.6}`, wantErr: "give one"},
		{name: "unknown field", json: `{"utilizationTargets": 0.8}`, wantErr: "utilizationTargets: unknown field"},
		{name: "wrong type", json: `{"utilisationTarget": "high"}`, wantErr: "utilizationTarget: json: cannot unmarshal string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h HeadroomSpec
			err := json.Unmarshal([]byte(tc.json), &h)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, h.UtilizationTarget)
			assert.Equal(t, tc.want, *h.UtilizationTarget)
		})
	}
}

// TestConfigBritishSpelling decodes a whole plan file written with
// utilisationTarget and checks it means what utilizationTarget means.
func TestConfigBritishSpelling(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "config", "full.good.yaml"))
	require.NoError(t, err)
	dir := os.DirFS(filepath.Join("testdata", "config"))
	want, err := ParseConfig(data, dir)
	require.NoError(t, err)
	british := bytes.ReplaceAll(data, []byte("utilizationTarget"), []byte("utilisationTarget"))
	require.NotEqual(t, data, british, "the file has no utilizationTarget")
	got, err := ParseConfig(british, dir)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
