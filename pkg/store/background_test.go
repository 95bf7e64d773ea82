package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	t.Run("healthy", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.db")
		writeStore(t, path)
		s, err := Open(path, Options{NoVerify: true})
		require.NoError(t, err)
		defer s.Close()
		require.NoError(t, s.VerifyKeys(context.Background()))
	})
	t.Run("garbled data pages", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.db")
		writeStore(t, path)
		overwrite(t, path, 4*4096, random)
		s, err := Open(path, Options{NoVerify: true})
		if err == nil {
			defer s.Close()
			err = s.VerifyKeys(context.Background())
		}
		var ce *CorruptError
		require.True(t, errors.As(err, &ce), "Open with NoVerify, then VerifyKeys: %v; want a *CorruptError", err)
		assert.Equal(t, path, ce.Path)
	})
	t.Run("cancelled", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.db")
		writeStore(t, path)
		s, err := Open(path, Options{NoVerify: true})
		require.NoError(t, err)
		defer s.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		assert.ErrorIs(t, s.VerifyKeys(ctx), context.Canceled)
	})
}
