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
// or null are errors naming the field and line, each reported once.
func TestConfigUnquoted(t *testing.T) {
	_, err := LoadConfig(filepath.Join("testdata", "config", "unquoted.bad.yaml"))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrConfig)
	assert.ErrorIs(t, err, scalar.ErrNotString)
	want := []string{
		`prometheus[0].name: line 6: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`,
		`replays[0].name: line 9: must be a string, but YAML 1.1 reads 1995 as a number: quote it ("1995")`,
		`replays[0].timeZone: line 11: must be a string, but YAML 1.1 reads ~ as null: quote it ("~")`,
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
