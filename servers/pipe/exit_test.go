package pipe_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/pipe"
)

// forever is a sleep that outlasts every test.
const forever = int64(1) << 50

// killPipeHolder boots the pipe server; a holder task makes a pipe, hands
// one end to a peer task (which runs peer with it) and keeps the other
// end, without ever closing it; a killer kills the holder at killAt.
func killPipeHolder(t *testing.T, inKernel bool, peerGetsRead bool, peer func(sys ipc.Sys, c streamproto.Client, h streamproto.Handle)) *pipe.Server {
	k, srv := bootPipeServer(t, inKernel)
	var mine, theirs streamproto.Handle
	made := false
	holder := task(t, k, "holder", func(sys ipc.Sys, c streamproto.Client) {
		r, w, err := c.Pipe()
		if !assert.NoError(t, err) {
			return
		}
		mine, theirs = w, r
		if !peerGetsRead {
			mine, theirs = r, w
		}
		made = true
		_ = mine
		sys.Sleep(forever) // holds its end, never closes it
	})
	task(t, k, "peer", func(sys ipc.Sys, c streamproto.Client) {
		for !made {
			sys.Sleep(100)
		}
		peer(sys, c, theirs)
	})
	_, err := k.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
		sys.Sleep(50_000)
		assert.NoError(t, sys.Kill(holder))
	}})
	assert.NoError(t, err)
	assert.NoError(t, k.Run())
	return srv
}

// bootPipeServer is bootPipe that also returns the server.
func bootPipeServer(t *testing.T, inKernel bool) (*kernel.Kernel, *pipe.Server) {
	t.Helper()
	srv := pipe.New(pipe.Options{})
	k, err := kernel.New(kernel.Config{Seed: 1})
	assert.NoError(t, err)
	if inKernel {
		_, err = k.Place(streamproto.PipeService, srv)
	} else {
		_, err = k.Declare(streamproto.PipeService)
		assert.NoError(t, err)
		_, err = k.Spawn(ipc.TaskSpec{Name: "pipe", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, streamproto.PipeService, srv) }})
	}
	assert.NoError(t, err)
	return k, srv
}

// A reader whose writer is killed while the reader waits gets end of file
// (before, it waited forever), and the dead writer's handles are closed.
func TestReaderSeesEOFWhenWriterIsKilled(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		var n int
		var err error = ipc.ErrNoSys
		srv := killPipeHolder(t, inKernel, true, func(sys ipc.Sys, c streamproto.Client, r streamproto.Handle) {
			n, err = c.Read(r, make([]byte, 10))
		})
		assert.NoError(t, err, "Read() after the writer was killed")
		assert.Equal(t, 0, n, "Read() after the writer was killed")
		assert.Equal(t, 0, srv.Open(), "Open() handles once both tasks died")
	})
}

// A writer waiting on a full pipe whose reader is killed gets EPIPE
// (before, it waited forever).
func TestWriterGetsEPIPEWhenReaderIsKilled(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		var err error = ipc.ErrNoSys
		var written int
		killPipeHolder(t, inKernel, false, func(sys ipc.Sys, c streamproto.Client, w streamproto.Handle) {
			for {
				var n int
				if n, err = c.Write(w, make([]byte, streamproto.PipeBuf)); err != nil {
					return
				}
				written += n
			}
		})
		assert.ErrorIs(t, err, linux.EPIPE, "the Write() waiting when the reader was killed")
		assert.Equal(t, pipe.DefaultCapacityBytes, written, "bytes written before")
	})
}

// A handle used by a task is held by it: a parent that duplicated a
// handle for a child, and died after the child used it, does not take it
// with it.
func TestHandleUsedByChildOutlivesParent(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k, srv := bootPipeServer(t, inKernel)
		var r, w, wChild streamproto.Handle
		ready, used := false, false
		var got []byte
		var readErr, writeErr error
		parent := task(t, k, "parent", func(sys ipc.Sys, c streamproto.Client) {
			var err error
			r, w, err = c.Pipe()
			assert.NoError(t, err)
			wChild, err = c.Dup(w)
			assert.NoError(t, err)
			assert.NoError(t, c.Close(w))
			ready = true
			sys.Sleep(forever)
		})
		task(t, k, "child", func(sys ipc.Sys, c streamproto.Client) {
			for !ready {
				sys.Sleep(100)
			}
			_, writeErr = c.Write(wChild, []byte("a"))
			used = true
			sys.Sleep(100_000) // the parent dies meanwhile
			_, writeErr2 := c.Write(wChild, []byte("b"))
			assert.NoError(t, writeErr2, "Write() after the parent died")
			assert.NoError(t, c.Close(wChild))
		})
		task(t, k, "reader", func(sys ipc.Sys, c streamproto.Client) {
			for !ready {
				sys.Sleep(100)
			}
			got, readErr = readAll(c, r, 10)
		})
		_, err := k.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
			for !used {
				sys.Sleep(100)
			}
			assert.NoError(t, sys.Kill(parent))
		}})
		assert.NoError(t, err)
		assert.NoError(t, k.Run())
		assert.NoError(t, writeErr)
		assert.NoError(t, readErr)
		assert.Equal(t, "ab", string(got), "what the reader read")
		assert.Equal(t, 0, srv.Open(), "Open() handles at the end")
	})
}
