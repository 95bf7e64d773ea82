package cli

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServePortInUse checks that an address already taken is reported
// with the address and not blamed on the configuration.
func TestServePortInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	addr := taken.Addr().String()
	tests := []struct {
		name string
		flag string
	}{
		{"gRPC", "--grpc-address"},
		{"HTTP", "--http-address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"serve", "--store", filepath.Join(t.TempDir(), "store.db"),
				"--grpc-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0", tc.flag, addr}
			_, err := run(t, args...)
			require.Error(t, err)
			msg := err.Error()
			assert.Contains(t, msg, addr)
			assert.Contains(t, msg, "another process listens there")
			assert.False(t, strings.Contains(msg, "default configuration"), "blames the configuration: %s", msg)
		})
	}
}
