package kernel_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Bulk-copy requests: word 0 is the offset, word 1 the length. The reply
// carries the byte count in word 0 and the copy's errno.
const (
	tCopyIn  ipc.Type = 20 // the server copies the caller's send window into its buffer
	tCopyOut ipc.Type = 21 // the server copies its pattern into the caller's receive window
)

// bulkServer serves tCopyIn and tCopyOut; what CopyIn read is kept in got.
type bulkServer struct{ got []byte }

func (s *bulkServer) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	off, n := int(int64(req.Word(0))), int(req.Word(1))
	var (
		done int
		err  error
	)
	switch req.Type {
	case tCopyIn:
		buf := make([]byte, n)
		done, err = ctx.CopyIn(off, buf)
		s.got = buf[:done]
	case tCopyOut:
		done, err = ctx.CopyOut(off, pattern(n))
	default:
		return ipc.ErrorReply(req, ipc.ErrNoSys)
	}
	r := ipc.Reply(req)
	r.SetWord(0, uint64(done))
	if e, ok := err.(ipc.Errno); ok {
		r.Errno = uint16(e)
	} else if err != nil {
		r.Errno = uint16(ipc.ErrNoSys)
	}
	return r
}

// pattern returns n bytes 'a', 'b', … 'z', 'a', ….
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}

// placements boot the same server in the kernel or in a task of its own.
var placements = []struct {
	name  string
	place func(t *testing.T, k *kernel.Kernel, name string, srv ipc.Server)
}{
	{"in-kernel", func(t *testing.T, k *kernel.Kernel, name string, srv ipc.Server) {
		_, err := k.Place(name, srv)
		require.NoError(t, err)
	}},
	{"user-space", func(t *testing.T, k *kernel.Kernel, name string, srv ipc.Server) {
		spawn(t, k, name, serve(name, srv))
	}},
}

// CopyIn and CopyOut move bytes through the caller's windows, checked
// against the windows' bounds and MaxBulk, the same in either placement.
func TestBulkCopy(t *testing.T) {
	send := []byte("hello, world")
	big := make([]byte, ipc.MaxBulk)
	neg := ^uint64(0) // offset -1
	tests := []struct {
		name     string
		typ      ipc.Type
		off, n   uint64
		x        *ipc.Extra // nil: a plain Call
		want     ipc.Errno
		wantN    int
		wantIn   []byte // CopyIn: the bytes the server read
		wantRecv []byte // CopyOut: the caller's receive window afterwards
	}{
		{"in: whole window", tCopyIn, 0, 12, &ipc.Extra{Send: send}, 0, 12, send, nil},
		{"in: at an offset", tCopyIn, 7, 5, &ipc.Extra{Send: send}, 0, 5, []byte("world"), nil},
		{"in: short at the end", tCopyIn, 7, 100, &ipc.Extra{Send: send}, 0, 5, []byte("world"), nil},
		{"in: at the end", tCopyIn, 12, 4, &ipc.Extra{Send: send}, 0, 0, []byte{}, nil},
		{"in: past the end", tCopyIn, 13, 1, &ipc.Extra{Send: send}, ipc.ErrFault, 0, []byte{}, nil},
		{"in: negative offset", tCopyIn, neg, 1, &ipc.Extra{Send: send}, ipc.ErrFault, 0, []byte{}, nil},
		{"in: MaxBulk", tCopyIn, 0, ipc.MaxBulk, &ipc.Extra{Send: big}, 0, ipc.MaxBulk, big, nil},
		{"in: over MaxBulk", tCopyIn, 0, ipc.MaxBulk + 1, &ipc.Extra{Send: big}, ipc.ErrTooBig, 0, []byte{}, nil},
		{"in: no window", tCopyIn, 1, 4, nil, ipc.ErrFault, 0, []byte{}, nil},
		{"out: whole window", tCopyOut, 0, 8, &ipc.Extra{Recv: make([]byte, 8)}, 0, 8, nil, []byte("abcdefgh")},
		{"out: at an offset", tCopyOut, 2, 3, &ipc.Extra{Recv: make([]byte, 8)}, 0, 3, nil, []byte("\x00\x00abc\x00\x00\x00")},
		{"out: truncated at the end", tCopyOut, 6, 5, &ipc.Extra{Recv: make([]byte, 8)}, 0, 2, nil, []byte("\x00\x00\x00\x00\x00\x00ab")},
		{"out: past the end", tCopyOut, 9, 1, &ipc.Extra{Recv: make([]byte, 8)}, ipc.ErrFault, 0, nil, make([]byte, 8)},
		{"out: negative offset", tCopyOut, neg, 1, &ipc.Extra{Recv: make([]byte, 8)}, ipc.ErrFault, 0, nil, make([]byte, 8)},
		{"out: MaxBulk", tCopyOut, 0, ipc.MaxBulk, &ipc.Extra{Recv: make([]byte, ipc.MaxBulk)}, 0, ipc.MaxBulk, nil, pattern(ipc.MaxBulk)},
		{"out: over MaxBulk", tCopyOut, 0, ipc.MaxBulk + 1, &ipc.Extra{Recv: make([]byte, ipc.MaxBulk+1)}, ipc.ErrTooBig, 0, nil, make([]byte, ipc.MaxBulk+1)},
		{"out: no window", tCopyOut, 0, 4, nil, ipc.ErrFault, 0, nil, nil},
	}
	for _, pl := range placements {
		for _, tt := range tests {
			t.Run(pl.name+"/"+tt.name, func(t *testing.T) {
				k := boot(t, kernel.Config{})
				srv := &bulkServer{}
				pl.place(t, k, "bulk", srv)
				var (
					rep ipc.Message
					err error
				)
				var x *ipc.Extra
				if tt.x != nil {
					c := *tt.x
					c.Send, c.Recv = bytes.Clone(c.Send), bytes.Clone(c.Recv)
					x = &c
				}
				spawn(t, k, "client", func(sys ipc.Sys) {
					sys.Sleep(1000)
					req := word(tt.typ, tt.off)
					req.SetWord(1, tt.n)
					if x == nil {
						err = sys.Call(service(t, sys, "bulk"), req, &rep)
					} else {
						err = sys.CallWith(service(t, sys, "bulk"), req, &rep, x)
					}
				})
				before := k.Stats().BulkBytes
				run(t, k)
				require.NoError(t, err, "the call itself")
				assertErrno(t, tt.want, rep.Err(), "the copy")
				assert.Equal(t, uint64(tt.wantN), rep.Word(0), "bytes copied")
				assert.Equal(t, int64(tt.wantN), k.Stats().BulkBytes-before, "Stats().BulkBytes")
				if tt.typ == tCopyIn {
					assert.True(t, bytes.Equal(tt.wantIn, srv.got), "CopyIn read %q, want %q", trim(srv.got), trim(tt.wantIn))
				} else if x != nil {
					assert.True(t, bytes.Equal(tt.wantRecv, x.Recv), "receive window %q, want %q", trim(x.Recv), trim(tt.wantRecv))
				}
			})
		}
	}
}

// trim shortens b for failure messages.
func trim(b []byte) []byte {
	if len(b) > 32 {
		return b[:32]
	}
	return b
}

// Only the task serving a call may copy through its windows, and only
// while the call waits for the reply.
func TestBulkCopyNeedsToServeTheCaller(t *testing.T) {
	type result struct {
		in, out error
	}
	k := boot(t, kernel.Config{})
	var (
		client            ipc.Endpoint
		third, afterReply result
		sentOnly          result
		serving           result
		rep               ipc.Message
		recv              = make([]byte, 4)
	)
	try := func(sys ipc.Sys, ep ipc.Endpoint) result {
		var r result
		_, r.in = sys.CopyIn(ep, 0, make([]byte, 4))
		_, r.out = sys.CopyOut(ep, 0, []byte("XXXX"))
		return r
	}
	srv := spawn(t, k, "server", func(sys ipc.Sys) {
		var req ipc.Message
		if sys.Receive(ipc.Any, &req) != nil {
			return
		}
		client = req.Source
		sys.Sleep(10_000) // the third task tries meanwhile
		serving = try(sys, client)
		assert.NoError(t, sys.Reply(client, &req))
		afterReply = try(sys, client)
		if sys.Receive(ipc.Any, &req) != nil { // a plain Send
			return
		}
		sentOnly = try(sys, req.Source)
	})
	spawn(t, k, "client", func(sys ipc.Sys) {
		x := &ipc.Extra{Send: []byte("data"), Recv: recv}
		assert.NoError(t, sys.CallWith(srv, word(tPing, 1), &rep, x))
		assert.NoError(t, sys.Send(srv, word(tPing, 2)))
		sys.Sleep(1_000_000) // stay alive while the server tries
	})
	spawn(t, k, "third", func(sys ipc.Sys) {
		sys.Sleep(1000)
		third = try(sys, client)
	})
	run(t, k)
	assert.Equal(t, result{ipc.ErrPerm, ipc.ErrPerm}, third, "a task that did not receive the call")
	assert.Equal(t, result{nil, nil}, serving, "the server while serving")
	assert.Equal(t, result{ipc.ErrPerm, ipc.ErrPerm}, afterReply, "the server after its reply")
	assert.Equal(t, result{ipc.ErrPerm, ipc.ErrPerm}, sentOnly, "the receiver of a Send")
	assert.Equal(t, []byte("XXXX"), recv)
}

// A server placed in the kernel can reach only the window of the call it
// is serving.
func TestInKernelCopyNeedsToServeTheCaller(t *testing.T) {
	k := boot(t, kernel.Config{})
	var other ipc.Endpoint
	var inErr, outErr error
	_, err := k.Place("bulk", handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
		_, inErr = ctx.Sys.CopyIn(other, 0, make([]byte, 4))
		_, outErr = ctx.Sys.CopyOut(other, 0, []byte("XXXX"))
		return ipc.Reply(req)
	}))
	require.NoError(t, err)
	recv := make([]byte, 4)
	other = spawn(t, k, "other", func(sys ipc.Sys) { sys.Sleep(forever) })
	spawn(t, k, "client", func(sys ipc.Sys) {
		var rep ipc.Message
		x := &ipc.Extra{Send: []byte("data"), Recv: recv}
		assert.NoError(t, sys.CallWith(service(t, sys, "bulk"), word(tPing, 1), &rep, x))
		assert.NoError(t, sys.Kill(other))
	})
	run(t, k)
	assert.ErrorIs(t, inErr, ipc.ErrPerm)
	assert.ErrorIs(t, outErr, ipc.ErrPerm)
	assert.Equal(t, make([]byte, 4), recv)
}
