package mm_test

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel/kerneltest"
	"github.com/mkos/mkos/servers/mm"
)

// TestResidentHostileCounts is the attack of a Resident request with a
// count no window holds (Word(0) = ^0): mm, placed in the kernel, must
// copy what fits the window and answer, not panic the kernel.
func TestResidentHostileCounts(t *testing.T) {
	tests := []struct {
		name      string
		most      uint64
		wantCount uint64
	}{
		{"^0", ^uint64(0), 2},
		{"1<<63", 1 << 63, 2},
		{"MaxBulk", ipc.MaxBulk, 2},
		{"one", 1, 1},
		{"none", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rep ipc.Message
			var callErr error
			window := make([]byte, 64)
			err := kerneltest.Placed(mmproto.Name, mm.New(), func(sys ipc.Sys) {
				c, err := mmproto.Dial(sys)
				if err != nil {
					callErr = err
					return
				}
				if _, err := c.Brk(mmproto.HeapBase + 2*4096); err != nil {
					callErr = err
					return
				}
				_ = sys.Store(mmproto.HeapBase, []byte{1})
				_ = sys.Store(mmproto.HeapBase+4096, []byte{2})
				req := ipc.Message{Type: mmproto.Resident}
				req.SetWord(0, tc.most)
				callErr = sys.CallWith(c.Dst, &req, &rep, &ipc.Extra{Recv: window})
			})
			assert.NoError(t, err, "the run")
			assert.NoError(t, callErr, "the call")
			assert.Equal(t, uint16(0), rep.Errno, "Errno")
			assert.Equal(t, tc.wantCount, rep.Word(0), "Word(0), the pages copied")
			if tc.wantCount > 0 {
				assert.Equal(t, mmproto.HeapBase, binary.LittleEndian.Uint64(window)&^4095, "the first page")
			}
		})
	}
}

// TestMmapUnknownFlags: an Mmap with a flag mm does not know is EINVAL
// (it was ignored).
func TestMmapUnknownFlags(t *testing.T) {
	for _, flags := range []uint64{1 << 3, 1 << 63, ^uint64(0)} {
		var got ipc.Errno
		err := kerneltest.Placed(mmproto.Name, mm.New(), func(sys ipc.Sys) {
			dst, _ := ipc.Dial(sys, mmproto.Name)
			req := ipc.Message{Type: mmproto.Mmap}
			req.SetWord(1, ipc.PageSize)
			req.SetWord(2, uint64(ipc.ProtRead))
			req.SetWord(3, flags|uint64(mmproto.MapAnonymous))
			var rep ipc.Message
			if sys.Call(dst, &req, &rep) == nil {
				got = ipc.Errno(rep.Errno)
			}
		})
		assert.NoError(t, err, "the run")
		assert.Equal(t, ipc.ErrInvalid, got, "Errno, flags %#x", flags)
	}
}
