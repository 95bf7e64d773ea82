package metricsource

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigAnswer serves a valid instant-query answer of about size bytes: one
// series whose label is padded, announced with or without its length.
func bigAnswer(size int, chunked bool) http.HandlerFunc {
	body := fmt.Sprintf(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pad":"%s"},"value":[1736121600,"7"]}]}}`,
		strings.Repeat("p", size))
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !chunked {
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		}
		for b := body; len(b) > 0; {
			n := min(len(b), 64<<10)
			_, _ = w.Write([]byte(b[:n]))
			if f, ok := w.(http.Flusher); ok && chunked {
				f.Flush()
			}
			b = b[n:]
		}
	}
}

func TestMaxResponseBytes(t *testing.T) {
	cases := []struct {
		name    string
		size    int
		chunked bool
		limit   int64
		tooBig  bool
	}{
		{name: "small answer", size: 100, limit: 1 << 20},
		{name: "announced over the limit", size: 2 << 20, limit: 1 << 20, tooBig: true},
		{name: "streamed over the limit", size: 2 << 20, chunked: true, limit: 1 << 20, tooBig: true},
		{name: "default limit", size: 20 << 20, chunked: true, tooBig: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(bigAnswer(c.size, c.chunked))
			defer srv.Close()
			p, err := NewPrometheus(PrometheusConfig{Address: srv.URL, MaxResponseBytes: c.limit})
			require.NoError(t, err)
			smp, err := p.Instant(context.Background(), "x", time.Unix(1736121600, 0))
			if c.tooBig {
				require.ErrorIs(t, err, ErrTooLarge, "answer of %d bytes, limit %d", c.size, c.limit)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 7.0, smp.Value)
		})
	}
	_, err := NewPrometheus(PrometheusConfig{Address: "http://x", MaxResponseBytes: -1})
	assert.Error(t, err)
}

// TestInstantRespectsTimeout checks that a slow answer ends the call at
// the configured timeout, not when the server finishes.
func TestInstantRespectsTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[`))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	p, err := NewPrometheus(PrometheusConfig{Address: srv.URL, Timeout: 200 * time.Millisecond})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := p.Instant(context.Background(), "x", time.Unix(1736121600, 0))
		done <- err
	}()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.DeadlineExceeded)
	case <-time.After(10 * time.Second):
		t.Fatal("Instant did not return 10 s after its 200 ms timeout")
	}
}
