package scaler

import (
	"context"
	"fmt"
	"testing"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestTriggerCaps registers triggers up to the caps: the next one is
// ResourceExhausted, naming the limit, while known triggers, edits of
// them and other namespaces still answer.
func TestTriggerCaps(t *testing.T) {
	e := newTestEnv(t, beforeRamp, func(o *Options) { o.MaxTriggers, o.MaxTriggersPerNamespace = 5, 3 })
	c := grpcClient(t, e.srv)
	spec := func(ns, name string, kv ...string) error {
		_, err := c.GetMetricSpec(context.Background(), &externalscaler.ScaledObjectRef{Namespace: ns, Name: name, ScalerMetadata: fastMeta(kv...)})
		return err
	}
	for i := range 3 {
		require.NoError(t, spec("team-a", fmt.Sprint("web-", i)))
	}
	err := spec("team-a", "web-3")
	require.Equal(t, codes.ResourceExhausted, status.Code(err), "error %v", err)
	assert.Contains(t, status.Convert(err).Message(), "limits.maxTriggersPerNamespace")
	require.NoError(t, spec("team-a", "web-0"), "a known trigger")
	require.NoError(t, spec("team-a", "web-0", "targetPerPod", "50"), "an edited policy of a known trigger")
	err = spec("team-a", "web-0", "query", "sum(other)")
	require.Equal(t, codes.ResourceExhausted, status.Code(err), "a second query: %v", err)

	require.NoError(t, spec("team-b", "web-0"))
	require.NoError(t, spec("team-b", "web-1"))
	err = spec("team-c", "web-0")
	require.Equal(t, codes.ResourceExhausted, status.Code(err), "error %v", err)
	assert.Contains(t, status.Convert(err).Message(), "limits.maxTriggers")

	e.clock.Advance(2 * DefaultIdleAfter)
	e.srv.evictIdle(e.clock.Now())
	require.NoError(t, spec("team-c", "web-0"), "after the idle triggers were forgotten")
}
