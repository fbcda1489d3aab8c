package echoproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Stream asks for a request/stream (ipc/bus.go): W0 = the stream's id, W1
// = the number of frames, at most MaxFrames. The server accepts the
// stream, replies, and emits frame i (W0 = i, W1 = the count) for i = 1..n
// as the client grants credit, then the end frame. It is numbered apart
// from the types above, which other work extends.
const Stream ipc.Type = 16

// MaxFrames bounds a Stream request's count.
const MaxFrames = 1 << 20

// OpenStream opens a stream with credits frames of credit and asks the
// service at dst for n frames on it.
func OpenStream(sys ipc.Sys, dst ipc.Endpoint, n, credits int) (ipc.Stream, error) {
	if n < 0 || n > MaxFrames {
		return ipc.Stream{}, linux.EINVAL
	}
	s, err := ipc.OpenStream(sys, credits)
	if err != nil {
		return s, err
	}
	req := ipc.Message{Type: Stream}
	req.SetWord(0, uint64(s.ID))
	req.SetWord(1, uint64(n))
	if _, err := ipc.Do(sys, dst, &req, nil, Errnos); err != nil {
		_ = s.Cancel()
		return ipc.Stream{}, err
	}
	return s, nil
}
