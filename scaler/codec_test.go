package scaler

import (
	"context"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// rawCodec sends wire bytes as they are, so that a test can send what a
// well-behaved client would refuse to encode.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }
func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}
func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}

// rawRef encodes a ScaledObjectRef field by field, strings unchecked.
func rawRef(ns, name string, md map[string]string) []byte {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendString(b, name)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendString(b, ns)
	for k, v := range md {
		var e []byte
		e = protowire.AppendTag(e, 1, protowire.BytesType)
		e = protowire.AppendString(e, k)
		e = protowire.AppendTag(e, 2, protowire.BytesType)
		e = protowire.AppendString(e, v)
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendBytes(b, e)
	}
	return b
}

func TestInvalidUTF8(t *testing.T) {
	run := serveConfig(t, DefaultConfig(), nil)
	conn := dial(t, run.svc.GRPCAddr().String(), nil)
	md := demoMeta()
	cases := []struct {
		name, ns, obj string
		md            map[string]string
		field         string
	}{
		{name: "name", ns: "shop", obj: "web\xff", md: md, field: "name"},
		{name: "namespace", ns: "sh\xc3op", obj: "web", md: md, field: "namespace"},
		{name: "metadata value", ns: "shop", obj: "web", md: map[string]string{"query": "x\xfe", "targetPerPod": "1"}, field: "scalerMetadata.value"},
		{name: "metadata key", ns: "shop", obj: "web", md: map[string]string{"\xfe": "1"}, field: "scalerMetadata.key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := rawRef(tc.ns, tc.obj, tc.md)
			var out []byte
			err := conn.Invoke(context.Background(), "/externalscaler.ExternalScaler/IsActive", &in, &out, grpc.ForceCodecV2(rawCodec{}))
			require.Equal(t, codes.InvalidArgument, status.Code(err), "error %v", err)
			assert.Contains(t, status.Convert(err).Message(), tc.field)

			desc := &grpc.StreamDesc{ServerStreams: true}
			st, err := conn.NewStream(context.Background(), desc, "/externalscaler.ExternalScaler/StreamIsActive", grpc.ForceCodecV2(rawCodec{}))
			require.NoError(t, err)
			require.NoError(t, st.SendMsg(&in))
			require.NoError(t, st.CloseSend())
			err = st.RecvMsg(&out)
			require.Equal(t, codes.InvalidArgument, status.Code(err), "stream error %v", err)
		})
	}
	t.Run("valid request through the codec", func(t *testing.T) {
		in, err := proto.Marshal(&externalscaler.ScaledObjectRef{Namespace: "shop", Name: "web", ScalerMetadata: md})
		require.NoError(t, err)
		var out []byte
		err = conn.Invoke(context.Background(), "/externalscaler.ExternalScaler/IsActive", &in, &out, grpc.ForceCodecV2(rawCodec{}))
		require.NoError(t, err)
	})
}

// TestMaxConcurrentStreams opens one stream more than a connection may
// hold: the extra stream waits (here until its deadline) while the others
// are answered.
func TestMaxConcurrentStreams(t *testing.T) {
	cfg := DefaultConfig()
	cfg.GRPC.MaxConcurrentStreams = 4
	run := serveConfig(t, cfg, nil)
	c := externalscaler.NewExternalScalerClient(dial(t, run.svc.GRPCAddr().String(), nil))
	r := &externalscaler.ScaledObjectRef{Namespace: "shop", Name: "web", ScalerMetadata: demoMeta()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range cfg.GRPC.MaxConcurrentStreams {
		st, err := c.StreamIsActive(ctx, r)
		require.NoError(t, err)
		_, err = st.Recv()
		require.NoError(t, err, "stream %d", i)
	}
	extra, cancelExtra := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancelExtra()
	st, err := c.StreamIsActive(extra, r)
	if err == nil {
		_, err = st.Recv()
	}
	assert.Equal(t, codes.DeadlineExceeded, status.Code(err), "the stream over the limit: %v", err)
}
