package gatewayproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/gatewayproto"
)

func sample() (gatewayproto.Request, gatewayproto.Reply) {
	q := gatewayproto.Request{
		Header:    gatewayproto.Header{Kind: gatewayproto.KindRequest, Seq: 7, SentNs: 1234, From: "a"},
		TimeoutNs: 5000, Service: "fs", Send: []byte("hello"), RecvLen: 16,
	}
	q.Msg.Type = 3
	q.Msg.SetBytes([]byte("payload"))
	p := gatewayproto.Reply{Header: gatewayproto.Header{Kind: gatewayproto.KindReply, Seq: 7, SentNs: 2000, From: "b"}, Recv: []byte("world")}
	p.Msg.Type = 3
	p.Msg.SetWord(0, 42)
	return q, p
}

// A frame decodes to what was encoded.
func TestRoundTrip(t *testing.T) {
	q, p := sample()
	gotQ, err := gatewayproto.DecodeRequest(gatewayproto.AppendRequest(nil, &q))
	require.NoError(t, err)
	assert.Equal(t, q, gotQ)
	gotP, err := gatewayproto.DecodeReply(gatewayproto.AppendReply(nil, &p), 16)
	require.NoError(t, err)
	assert.Equal(t, p, gotP)
	h, err := gatewayproto.DecodeHeader(gatewayproto.AppendReply(nil, &p))
	require.NoError(t, err)
	assert.Equal(t, p.Header, h)
}

// Hostile frames are ErrFrame, never a panic.
func TestHostileFrames(t *testing.T) {
	q, p := sample()
	req := gatewayproto.AppendRequest(nil, &q)
	rep := gatewayproto.AppendReply(nil, &p)
	kernelType := q
	kernelType.Msg.Type = ipc.Notification
	tests := []struct {
		name  string
		frame []byte
		reply bool
		recv  int
	}{
		{"empty", nil, false, 0},
		{"bad magic", append([]byte{'x'}, req[1:]...), false, 0},
		{"truncated request", req[:len(req)-1], false, 0},
		{"trailing bytes", append(append([]byte(nil), req...), 0), false, 0},
		{"a reply as a request", rep, false, 0},
		{"a request as a reply", req, true, 16},
		{"a reply overrunning the window", rep, true, 2},
		{"a kernel message type", gatewayproto.AppendRequest(nil, &kernelType), false, 0},
		{"a huge window length", append(append([]byte(nil), req[:len(req)-9]...), 0xff, 0xff, 0xff, 0xff), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.reply {
				_, err = gatewayproto.DecodeReply(tt.frame, tt.recv)
			} else {
				_, err = gatewayproto.DecodeRequest(tt.frame)
			}
			assert.ErrorIs(t, err, gatewayproto.ErrFrame)
		})
	}
}

func TestValidName(t *testing.T) {
	for s, want := range map[string]bool{"fs": true, "": false, "a.b": false, "a*": false, "a>": false, "a b": false, "node-1": true} {
		assert.Equal(t, want, gatewayproto.ValidName(s), "ValidName(%q)", s)
	}
}

// FuzzDecode: no frame makes a decoder panic, and what decodes encodes
// back to the same bytes.
func FuzzDecode(f *testing.F) {
	q, p := sample()
	f.Add(gatewayproto.AppendRequest(nil, &q))
	f.Add(gatewayproto.AppendReply(nil, &p))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if q, err := gatewayproto.DecodeRequest(b); err == nil {
			assert.Equal(t, b, gatewayproto.AppendRequest(nil, &q))
		}
		if p, err := gatewayproto.DecodeReply(b, gatewayproto.MaxWindow); err == nil {
			assert.Equal(t, b, gatewayproto.AppendReply(nil, &p))
		}
		_, _ = gatewayproto.DecodeHeader(b)
	})
}
