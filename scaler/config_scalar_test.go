package scaler

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/prescale-dev/prescale/pkg/scalar"
)

// TestConfigUnquoted checks that names YAML 1.1 reads as booleans, numbers
// or null are errors naming the field, line and column, each reported once.
func TestConfigUnquoted(t *testing.T) {
	_, err := LoadConfig(filepath.Join("testdata", "config", "unquoted.bad.yaml"))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrConfig)
	assert.ErrorIs(t, err, scalar.ErrNotString)
	want := []string{
		`unquoted.bad.yaml:6:9: prometheus[0].name: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`,
		`unquoted.bad.yaml:9:9: replays[0].name: must be a string, but YAML 1.1 reads 1995 as a number: quote it ("1995")`,
		`unquoted.bad.yaml:11:13: replays[0].timeZone: must be a string, but YAML 1.1 reads ~ as null: quote it ("~")`,
	}
	for _, w := range want {
		assert.Equal(t, 1, strings.Count(err.Error(), w), "error does not name %q once:\n%v", w, err)
	}
	var ce *ConfigError
	require.True(t, errors.As(err, &ce))
}

func TestConfigQuotedNames(t *testing.T) {
	c, err := ParseConfig([]byte("apiVersion: prescale.dev/v1alpha1\nkind: ScalerConfig\nprometheus:\n- name: \"off\"\n  address: http://prometheus:9090\n"), "quoted.yaml")
	require.NoError(t, err)
	assert.Equal(t, "off", c.Prometheus[0].Name)
}

// TestConfigPositions checks that unknown fields and wrongly typed values
// name their line and column, and unknown fields the known field they most
// likely mean.
func TestConfigPositions(t *testing.T) {
	const head = "apiVersion: prescale.dev/v1alpha1\nkind: ScalerConfig\nprometheus:\n- name: main\n  address: http://prometheus:9090\n"
	tests := []struct {
		name    string
		yaml    string
		want    string
		unknown bool // errors.Is(err, scalar.ErrUnknownField)
	}{
		{"unknown field close to a known one", head + "refitWorker: 2\n",
			"s.yaml:6:1: refitWorker: unknown field: did you mean refitWorkers?", true},
		{"unknown field close to none", head + "colour: blue\n",
			"s.yaml:6:1: colour: unknown field (known: apiVersion, calendars, grpc, http, idleAfter, kind, limits, prometheus, queryTimeout, refitWorkers, replays, store)", true},
		{"nested unknown field", head + "  timout: 3s\n",
			"s.yaml:6:3: prometheus[0].timout: unknown field: did you mean timeout?", true},
		{"wrong type", head + "refitWorkers: many\n",
			"s.yaml:6:15: refitWorkers: a string does not fit: want an integer", false},
		{"wrong type nested", head + "grpc: {maxConcurrentStreams: [1]}\n",
			"s.yaml:6:30: grpc.maxConcurrentStreams: an array does not fit: want an integer", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.yaml), "s.yaml")
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, ErrConfig)
			assert.Equal(t, tt.unknown, errors.Is(err, scalar.ErrUnknownField))
			var ce *ConfigError
			require.True(t, errors.As(err, &ce))
			assert.Positive(t, ce.Line)
			assert.Positive(t, ce.Column)
		})
	}
}
