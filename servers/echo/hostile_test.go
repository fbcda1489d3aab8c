package echo_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel/kerneltest"
	"github.com/mkos/mkos/servers/echo"
)

// TestHostileBulkLength: a bulk echo whose length, Word(0), no window
// holds is EMSGSIZE; ^0 made the server, placed in the kernel, slice
// its buffer with -1: a kernel panic.
func TestHostileBulkLength(t *testing.T) {
	for _, n := range []uint64{^uint64(0), 1 << 63, ipc.MaxBulk + 1} {
		var got ipc.Errno = 1
		err := kerneltest.Placed(echoproto.Name, echo.New(), func(sys ipc.Sys) {
			dst, _ := ipc.Dial(sys, echoproto.Name)
			req := ipc.Message{Type: echoproto.Echo}
			req.SetWord(0, n)
			var rep ipc.Message
			if sys.CallWith(dst, &req, &rep, &ipc.Extra{Send: make([]byte, 8), Recv: make([]byte, 8)}) == nil {
				got = ipc.Errno(rep.Errno)
			}
		})
		assert.NoError(t, err, "the run, Word(0) = %#x", n)
		assert.Equal(t, linux.EMSGSIZE, got, "Errno, Word(0) = %#x", n)
	}
}
