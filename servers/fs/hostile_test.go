package fs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// TestHostileFields: a request whose count, flags, mode or whence no
// correct client sends is refused with EINVAL (it was clamped or cut to
// fit), and the file server, in the kernel, goes on.
func TestHostileFields(t *testing.T) {
	tests := []struct {
		name  string
		t     ipc.Type
		words map[int]uint64
		path  string
		want  ipc.Errno
	}{
		{"read past MaxBulk", fsproto.Read, map[int]uint64{0: 0, 1: ipc.MaxBulk + 1}, "", linux.EINVAL},
		{"read ^0", fsproto.Read, map[int]uint64{1: ^uint64(0)}, "", linux.EINVAL},
		{"write 1<<63", fsproto.Write, map[int]uint64{1: 1 << 63}, "", linux.EINVAL},
		{"open flags past 32 bits", fsproto.Open, map[int]uint64{0: 1<<40 | linux.O_CREAT, 1: 0o644}, "/f", linux.EINVAL},
		{"open mode past 0o7777", fsproto.Open, map[int]uint64{0: linux.O_CREAT | linux.O_WRONLY, 1: 0o170644}, "/f", linux.EINVAL},
		{"mkdir mode ^0", fsproto.Mkdir, map[int]uint64{0: ^uint64(0)}, "/d", linux.EINVAL},
		{"readdir window ^0", fsproto.ReadDir, map[int]uint64{1: ^uint64(0)}, "/", linux.EINVAL},
		{"a correct mkdir", fsproto.Mkdir, map[int]uint64{0: 0o755}, "/d", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got ipc.Errno = 1
			err := boottest.Mono(func(sys ipc.Sys) {
				dst, err := ipc.Dial(sys, fsproto.Name)
				if err != nil {
					return
				}
				req := ipc.Message{Type: tc.t}
				for i, w := range tc.words {
					req.SetWord(i, w)
				}
				if tc.path != "" {
					req.SetWord(fsproto.PathWord, uint64(len(tc.path)))
				}
				var rep ipc.Message
				if sys.CallWith(dst, &req, &rep, &ipc.Extra{Send: []byte(tc.path), Recv: make([]byte, 64)}) == nil {
					got = ipc.Errno(rep.Errno)
				}
			})
			assert.NoError(t, err, "the system")
			assert.Equal(t, tc.want, got, "Errno")
		})
	}
}
