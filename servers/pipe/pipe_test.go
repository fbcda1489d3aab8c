package pipe_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/pipe"
)

// The pipe server's tests place it in user space or in the kernel and use
// it through streamproto.Client from several tasks. Task bodies use
// assert, never require: a body runs on its own coroutine. The log
// slices record the order of events, never times.

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var placements = []struct {
	name     string
	inKernel bool
}{{"user space", false}, {"kernel", true}}

// bootPipe returns a kernel with the pipe server placed as inKernel says.
func bootPipe(t *testing.T, inKernel bool, o pipe.Options) *kernel.Kernel {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1})
	require.NoError(t, err)
	srv := pipe.New(o)
	if inKernel {
		_, err = k.Place(streamproto.PipeService, srv)
	} else {
		_, err = k.Declare(streamproto.PipeService)
		require.NoError(t, err)
		_, err = k.Spawn(ipc.TaskSpec{Name: "pipe", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, streamproto.PipeService, srv) }})
	}
	require.NoError(t, err)
	return k
}

// task spawns body with a client of the pipe service.
func task(t *testing.T, k *kernel.Kernel, name string, body func(sys ipc.Sys, c streamproto.Client)) ipc.Endpoint {
	t.Helper()
	ep, err := k.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
		c, err := streamproto.Dial(sys, streamproto.PipeService)
		if assert.NoError(t, err) {
			body(sys, c)
		}
	}})
	require.NoError(t, err)
	return ep
}

// readAll reads h until end of file, in reads of up to chunk bytes.
func readAll(c streamproto.Client, h streamproto.Handle, chunk int) ([]byte, error) {
	var out []byte
	buf := make([]byte, chunk)
	for {
		n, err := c.Read(h, buf)
		if err != nil || n == 0 {
			return out, err
		}
		out = append(out, buf[:n]...)
	}
}

func forPlacements(t *testing.T, f func(t *testing.T, inKernel bool)) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) { f(t, pl.inKernel) })
	}
}

func TestReadWaitsForWriter(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k := bootPipe(t, inKernel, pipe.Options{})
		var log []string
		task(t, k, "shell", func(sys ipc.Sys, c streamproto.Client) {
			r, w, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			task(t, k, "writer", func(sys ipc.Sys, c streamproto.Client) {
				sys.Sleep(1_000_000)
				log = append(log, "write")
				_, err := c.Write(w, []byte("hello"))
				assert.NoError(t, err)
				assert.NoError(t, c.Close(w))
			})
			log = append(log, "read")
			got, err := readAll(c, r, 100)
			assert.NoError(t, err)
			log = append(log, "got "+string(got))
		})
		require.NoError(t, k.Run())
		assert.Equal(t, []string{"read", "write", "got hello"}, log)
	})
}

func TestLargeTransferThroughManyBlocks(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k := bootPipe(t, inKernel, pipe.Options{})
		data := make([]byte, 1<<20+12345)
		for i := range data {
			data[i] = byte(i*7 + i/4096)
		}
		var got []byte
		var log []string
		task(t, k, "shell", func(sys ipc.Sys, c streamproto.Client) {
			r, w, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			task(t, k, "writer", func(_ ipc.Sys, c streamproto.Client) {
				n, err := c.Write(w, data)
				assert.NoError(t, err)
				assert.Equal(t, len(data), n)
				log = append(log, "written")
				assert.NoError(t, c.Close(w))
			})
			sys.Sleep(1_000_000) // the writer fills the pipe and waits
			log = append(log, "reading")
			got, err = readAll(c, r, 10_000)
			assert.NoError(t, err)
		})
		require.NoError(t, k.Run())
		assert.True(t, bytes.Equal(data, got), "the bytes arrive whole and in order (%d of %d)", len(got), len(data))
		assert.Equal(t, []string{"reading", "written"}, log, "a write larger than the pipe waits for the reader")
	})
}

func TestEndOfFileAfterTheLastWriter(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k := bootPipe(t, inKernel, pipe.Options{})
		var log []string
		task(t, k, "shell", func(sys ipc.Sys, c streamproto.Client) {
			r, w, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			w2, err := c.Dup(w)
			assert.NoError(t, err)
			task(t, k, "closer", func(sys ipc.Sys, c streamproto.Client) {
				assert.NoError(t, c.Close(w))
				log = append(log, "closed one")
				sys.Sleep(1_000_000)
				_, err := c.Write(w2, []byte("x"))
				assert.NoError(t, err)
				assert.NoError(t, c.Close(w2))
				log = append(log, "closed both")
			})
			got, err := readAll(c, r, 100)
			assert.NoError(t, err)
			log = append(log, fmt.Sprintf("eof after %q", got))
			assert.ErrorIs(t, c.Close(w), linux.EBADF, "closed already")
		})
		require.NoError(t, k.Run())
		assert.Equal(t, []string{"closed one", "closed both", `eof after "x"`}, log)
	})
}

func TestBrokenPipe(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k := bootPipe(t, inKernel, pipe.Options{CapacityBytes: 8192})
		var n int
		var blocked error
		task(t, k, "shell", func(sys ipc.Sys, c streamproto.Client) {
			r, w, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			task(t, k, "writer", func(_ ipc.Sys, c streamproto.Client) {
				n, blocked = c.Write(w, make([]byte, 20000))
			})
			sys.Sleep(1_000_000) // the writer has put 8192 bytes in and waits
			assert.NoError(t, c.Close(r))
			_, err = c.Write(w, []byte("x"))
			assert.ErrorIs(t, err, linux.EPIPE, "no reader left")
		})
		require.NoError(t, k.Run())
		assert.Equal(t, 8192, n, "the count that got in before the reader left")
		assert.ErrorIs(t, blocked, linux.EPIPE)
	})
}

func TestSmallWritesAreAtomic(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k := bootPipe(t, inKernel, pipe.Options{CapacityBytes: 10_000})
		const records = 50
		var got []byte
		task(t, k, "shell", func(sys ipc.Sys, c streamproto.Client) {
			r, w, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			for _, letter := range []byte("ab") {
				task(t, k, "writer "+string(letter), func(_ ipc.Sys, c streamproto.Client) {
					rec := bytes.Repeat([]byte{letter}, streamproto.PipeBuf)
					for i := 0; i < records; i++ {
						_, err := c.Write(w, rec)
						assert.NoError(t, err)
					}
				})
			}
			want := 2 * records * streamproto.PipeBuf
			buf := make([]byte, 3000) // reads that cut records
			for len(got) < want {
				n, err := c.Read(r, buf)
				if !assert.NoError(t, err) || n == 0 {
					return
				}
				got = append(got, buf[:n]...)
			}
		})
		require.NoError(t, k.Run())
		require.Len(t, got, 2*records*streamproto.PipeBuf)
		for off := 0; off < len(got); off += streamproto.PipeBuf {
			rec := got[off : off+streamproto.PipeBuf]
			assert.Equal(t, bytes.Repeat(rec[:1], len(rec)), rec, "record at %d is one writer's", off)
		}
	})
}

// A child killed while it holds the write end it inherited (and used):
// the server closes it, though the parent that made it lives on, and the
// reader sees the end of file.
func TestAKilledChildsEndIsClosed(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k := bootPipe(t, inKernel, pipe.Options{})
		var got []byte
		var readErr error
		task(t, k, "shell", func(sys ipc.Sys, c streamproto.Client) {
			r, w, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			child, err := c.Dup(w) // the descriptor the child inherits
			assert.NoError(t, err)
			assert.NoError(t, c.Close(w))
			victim := task(t, k, "victim", func(sys ipc.Sys, c streamproto.Client) {
				_, err := c.Write(child, []byte("last words"))
				assert.NoError(t, err)
				sys.Sleep(1 << 40) // never closes: killed
			})
			task(t, k, "killer", func(sys ipc.Sys, c streamproto.Client) {
				sys.Sleep(1_000_000)
				assert.NoError(t, sys.Kill(victim))
			})
			got, readErr = readAll(c, r, 100)
		})
		require.NoError(t, k.Run())
		assert.NoError(t, readErr)
		assert.Equal(t, "last words", string(got), "then end of file")
	})
}

func TestBadRequests(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k := bootPipe(t, inKernel, pipe.Options{MaxHandles: 4})
		task(t, k, "prober", func(_ ipc.Sys, c streamproto.Client) {
			r, w, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			_, err = c.Read(w, make([]byte, 1))
			assert.ErrorIs(t, err, linux.EBADF, "read on the write end")
			_, err = c.Write(r, []byte("x"))
			assert.ErrorIs(t, err, linux.EBADF, "write on the read end")
			_, err = c.Read(streamproto.Handle(77), make([]byte, 1))
			assert.ErrorIs(t, err, linux.EBADF)
			_, err = c.OpenStream("fifo", linux.O_RDONLY)
			assert.ErrorIs(t, err, linux.ENOENT, "pipes have no names")
			_, err = c.Mode(r)
			assert.ErrorIs(t, err, linux.ENOTTY)
			_, _, err = c.Pipe()
			assert.NoError(t, err)
			_, _, err = c.Pipe()
			assert.ErrorIs(t, err, linux.ENFILE, "the handle limit")
			n, err := c.Read(r, nil)
			assert.NoError(t, err)
			assert.Zero(t, n, "a read of nothing returns at once")
		})
		require.NoError(t, k.Run())
	})
}
