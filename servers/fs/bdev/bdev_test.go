package bdev_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/bdev"
)

func block(b byte) []byte {
	p := make([]byte, 512)
	p[0] = b
	return p
}

// Writes sit in the volatile cache until Flush; a crash keeps the medium
// and the pending writes the policy says, in order.
func TestMemPowerCut(t *testing.T) {
	m := bdev.NewMem(512, 8)
	require.NoError(t, m.WriteBlocks(1, block(1)))
	require.NoError(t, m.Flush())
	require.NoError(t, m.WriteBlocks(2, append(block(2), block(3)...)))
	require.NoError(t, m.WriteBlocks(1, block(4)))
	assert.Len(t, m.Pending(), 3)
	got := make([]byte, 512)
	require.NoError(t, m.ReadBlocks(1, got))
	assert.Equal(t, byte(4), got[0], "a read sees the cache")

	tests := []struct {
		name       string
		keep       func(int, bdev.Write) bool
		b1, b2, b3 byte
	}{
		{"power cut", nil, 1, 0, 0},
		{"all kept", bdev.KeepAll, 4, 2, 3},
		{"torn", func(i int, _ bdev.Write) bool { return i == 0 }, 1, 2, 0},
	}
	for _, tc := range tests {
		c := m.Crash(tc.keep)
		for no, want := range map[int64]byte{1: tc.b1, 2: tc.b2, 3: tc.b3} {
			require.NoError(t, c.ReadBlocks(no, got))
			assert.Equal(t, want, got[0], "%s: block %d", tc.name, no)
		}
	}
}

func TestMemCutAt(t *testing.T) {
	m := bdev.NewMem(512, 8)
	m.CutAt = 2
	err := m.WriteBlocks(0, make([]byte, 3*512))
	assert.ErrorIs(t, err, linux.EIO)
	assert.True(t, m.Dead())
	assert.Len(t, m.Pending(), 2, "the write was torn after two blocks")
	assert.ErrorIs(t, m.Flush(), linux.EIO)
	assert.ErrorIs(t, m.ReadBlocks(0, make([]byte, 512)), linux.EIO)
}

func TestBounds(t *testing.T) {
	m := bdev.NewMem(512, 8)
	assert.ErrorIs(t, m.WriteBlocks(8, block(1)), linux.EINVAL)
	assert.ErrorIs(t, m.ReadBlocks(-1, block(1)), linux.EINVAL)
	assert.ErrorIs(t, m.ReadBlocks(0, make([]byte, 100)), linux.EINVAL)
}

func TestFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "img")
	f, err := bdev.CreateFile(path, 4096*4, 4096)
	require.NoError(t, err)
	assert.Equal(t, int64(4), f.Blocks())
	p := make([]byte, 4096)
	p[7] = 7
	require.NoError(t, f.WriteBlocks(3, p))
	require.NoError(t, f.Flush())
	require.NoError(t, f.Close())
	g, err := bdev.OpenFile(path, 4096)
	require.NoError(t, err)
	defer g.Close()
	got := make([]byte, 4096)
	require.NoError(t, g.ReadBlocks(3, got))
	assert.Equal(t, p, got)
	_, err = bdev.OpenFile(path, 3000)
	assert.ErrorContains(t, err, "whole number")
}
