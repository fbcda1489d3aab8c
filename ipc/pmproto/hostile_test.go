package pmproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
)

// TestDecodeSpawnOverflowingCounts is the attack of a Spawn whose argc and
// envc wrap around when added: the decoder must answer EINVAL, not panic
// (pm in the kernel: a kernel panic).
func TestDecodeSpawnOverflowingCounts(t *testing.T) {
	window := []byte("/bin/true\x00a\x00")
	tests := []struct {
		name       string
		argc, envc uint64
	}{
		{"argc ^0, envc 2", ^uint64(0), 2},
		{"argc 1, envc ^0", 1, ^uint64(0)},
		{"argc 1<<63, envc 1<<63+1", 1 << 63, 1<<63 + 1},
		{"argc 3", 3, 0},
		{"envc 2", 0, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := ipc.Message{Type: pmproto.Spawn}
			req.SetWord(0, uint64(len(window)))
			req.SetWord(1, tc.argc)
			req.SetWord(2, tc.envc)
			var err error
			assert.NotPanics(t, func() { _, err = pmproto.DecodeSpawn(&req, window) })
			assert.Equal(t, unix.EINVAL, err, "DecodeSpawn() error")
		})
	}
}
