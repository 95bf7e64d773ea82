package scaler

import (
	"cmp"
	"strings"
	"sync"
	"unicode/utf8"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	grpcproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// utf8Codec is gRPC's proto codec, except for requests holding invalid
// UTF-8 in a string field: gRPC would answer them Internal before any
// interceptor runs. utf8Codec decodes them with the bad bytes replaced and
// marks the message; the interceptors answer a marked message
// InvalidArgument, naming the field.
type utf8Codec struct {
	base  encoding.CodecV2
	marks sync.Map // proto.Message -> the name of the first bad field
}

// newUTF8Codec returns a utf8Codec over gRPC's registered proto codec.
func newUTF8Codec() *utf8Codec { return &utf8Codec{base: encoding.GetCodecV2(grpcproto.Name)} }

// Name returns "proto": the codec replaces gRPC's own.
func (c *utf8Codec) Name() string { return grpcproto.Name }

// Marshal encodes v as gRPC's proto codec does.
func (c *utf8Codec) Marshal(v any) (mem.BufferSlice, error) { return c.base.Marshal(v) }

// Unmarshal decodes data into v; see utf8Codec.
func (c *utf8Codec) Unmarshal(data mem.BufferSlice, v any) error {
	err := c.base.Unmarshal(data, v)
	msg, ok := v.(proto.Message)
	if err == nil || !ok || !strings.Contains(err.Error(), "invalid UTF-8") {
		return err
	}
	fixed, field := sanitize(data.Materialize(), msg.ProtoReflect().Descriptor())
	if field == "" {
		return err
	}
	if err := proto.Unmarshal(fixed, msg); err != nil {
		return err
	}
	c.marks.Store(v, field)
	return nil
}

// check returns InvalidArgument for a message Unmarshal marked, forgetting
// the mark.
func (c *utf8Codec) check(v any) error {
	field, bad := c.marks.LoadAndDelete(v)
	if !bad {
		return nil
	}
	return status.Errorf(codes.InvalidArgument, "field %s: invalid UTF-8", field)
}

// maxSanitizeDepth bounds the nesting sanitize follows.
const maxSanitizeDepth = 8

// sanitize returns the wire bytes b of a message of type md with invalid
// UTF-8 in its string fields (nested messages and maps included) replaced
// by U+FFFD, and the name of the first such field; "" when none or when b
// does not parse.
func sanitize(b []byte, md protoreflect.MessageDescriptor) ([]byte, string) {
	return sanitizeDepth(b, md, 0)
}

func sanitizeDepth(b []byte, md protoreflect.MessageDescriptor, depth int) ([]byte, string) {
	var out []byte
	bad := ""
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 || depth > maxSanitizeDepth {
			return nil, ""
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return nil, ""
		}
		field := b[:n+m]
		b = b[n+m:]
		fd := md.Fields().ByNumber(num)
		if typ != protowire.BytesType || fd == nil {
			out = append(out, field...)
			continue
		}
		v, _ := protowire.ConsumeBytes(field[n:])
		switch {
		case fd.Kind() == protoreflect.StringKind && !utf8.Valid(v):
			v = []byte(strings.ToValidUTF8(string(v), "\uFFFD"))
			bad = cmp.Or(bad, string(fd.Name()))
		case fd.Kind() == protoreflect.MessageKind:
			inner, name := sanitizeDepth(v, fd.Message(), depth+1)
			if name != "" {
				v, bad = inner, cmp.Or(bad, string(fd.Name())+"."+name)
			}
		}
		out = protowire.AppendTag(out, num, typ)
		out = protowire.AppendBytes(out, v)
	}
	return out, bad
}

// utf8Stream checks each message a stream receives.
type utf8Stream struct {
	grpc.ServerStream
	codec *utf8Codec
}

// RecvMsg implements grpc.ServerStream.
func (s *utf8Stream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return s.codec.check(m)
}
