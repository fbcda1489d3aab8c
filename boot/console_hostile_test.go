package boot_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// rawStream sends a stream request with count as Word(1) on handle h, as
// a hostile program would, and returns the reply.
func rawStream(sys ipc.Sys, t ipc.Type, h streamproto.Handle, count uint64, x *ipc.Extra) (ipc.Message, error) {
	dst, err := ipc.Dial(sys, boot.ConsoleService)
	if err != nil {
		return ipc.Message{}, err
	}
	req := ipc.Message{Type: t}
	req.SetWord(0, uint64(h))
	req.SetWord(1, count)
	var rep ipc.Message
	err = sys.CallWith(dst, &req, &rep, x)
	return rep, err
}

// TestConsoleHostileCounts is the attack of a console Write or Read with
// a huge count (Word(1) = ^0): the console, placed in the kernel as `run
// -c` places it, must answer EINVAL, not panic the kernel.
func TestConsoleHostileCounts(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		op     ipc.Type
		count  uint64
		want   ipc.Errno
	}{
		{"write ^0", "stdout", streamproto.Write, ^uint64(0), linux.EINVAL},
		{"write past MaxBulk", "stderr", streamproto.Write, ipc.MaxBulk + 1, linux.EINVAL},
		{"read ^0", "stdin", streamproto.Read, ^uint64(0), linux.EINVAL},
		{"read 1<<63", "stdin", streamproto.Read, 1 << 63, linux.EINVAL},
		{"write 3 bytes", "stdout", streamproto.Write, 3, 0},
		{"read 2 bytes", "stdin", streamproto.Read, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			con := &boot.Console{In: strings.NewReader("hello\n"), Out: &out, Err: &out}
			var got ipc.Message
			var callErr error
			err := kerneltest.Placed(boot.ConsoleService, con, func(sys ipc.Sys) {
				c, err := streamproto.Dial(sys, boot.ConsoleService)
				if err != nil {
					callErr = err
					return
				}
				h, err := c.OpenStream(tc.stream, linux.O_RDWR)
				if err != nil {
					callErr = err
					return
				}
				buf := []byte("abc")
				got, callErr = rawStream(sys, tc.op, h, tc.count, &ipc.Extra{Send: buf, Recv: buf})
			})
			assert.NoError(t, err, "the run")
			assert.NoError(t, callErr, "the call")
			assert.Equal(t, tc.want, ipc.Errno(got.Errno), "Errno")
		})
	}
}
