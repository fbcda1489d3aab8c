package pmproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
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
			assert.Equal(t, linux.EINVAL, err, "DecodeSpawn() error")
		})
	}
}

// TestDecodeSpawnHostileAttr: flags pm does not know and a negative
// process group are EINVAL (they were ignored, or passed on).
func TestDecodeSpawnHostileAttr(t *testing.T) {
	tests := []struct {
		name         string
		flags, group uint64
		want         error
	}{
		{"an unknown flag", 1 << 5, 0, linux.EINVAL},
		{"every flag", ^uint64(0), 0, linux.EINVAL},
		{"a negative group", uint64(pmproto.SpawnSetPgroup), ^uint64(0), linux.EINVAL},
		{"a group", uint64(pmproto.SpawnSetPgroup), 7, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, window, err := pmproto.EncodeSpawn(pmproto.SpawnRequest{Path: "/bin/true"})
			assert.NoError(t, err)
			req.SetWord(4, tc.flags)
			req.SetWord(5, tc.group)
			_, err = pmproto.DecodeSpawn(&req, window)
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.Equal(t, tc.want, err, "DecodeSpawn() error")
			}
		})
	}
}
