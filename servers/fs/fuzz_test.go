package fs_test

// Fuzzing the on-disk decoder: a populated image is corrupted by the
// fuzzer's patches (block, offset, byte) and then checked, mounted and
// used. Whatever the bytes: fsck reports and never panics; mount refuses
// exactly the images fsck finds problems in (bar orphans, which mount
// frees) with an EUCLEAN error that says what is wrong; and a file system
// that mounts can be used and stays consistent.
//
//	go test ./servers/fs -run '^$' -fuzz FuzzCorruptImage -fuzztime 1m

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/fs/layout"
)

// populated returns a 1 MiB image with directories, files small and
// large (indirect blocks), a hard link and symbolic links.
func populated(t testing.TB) *bdev.Mem {
	dev := newDev(t, 1<<20)
	f := mount(t, dev)
	require.NoError(t, f.Mkdir("/d", 0o755))
	require.NoError(t, f.Mkdir("/d/e", 0o700))
	require.NoError(t, put(f, "/d/small", linux.O_TRUNC, 100, 1))
	require.NoError(t, put(f, "/big", linux.O_TRUNC, 60000, 2))
	require.NoError(t, f.Link("/big", "/d/e/big"))
	require.NoError(t, f.Symlink("/d/small", "/s"))
	require.NoError(t, f.Symlink("../big", "/d/up"))
	require.NoError(t, f.Sync())
	return dev
}

// patch applies the fuzzer's bytes to dev: each 4 bytes are a block (among
// the metadata and the first data blocks), an offset in it and a byte.
func patch(dev *bdev.Mem, sb layout.Superblock, p []byte) {
	blocks := int(sb.DataStart) + 48
	b := make([]byte, layout.BlockSize)
	for ; len(p) >= 4; p = p[4:] {
		no := int64(int(p[0]) % blocks)
		off := int(binary.LittleEndian.Uint16(p[1:])) % layout.BlockSize
		dev.ReadBlocks(no, b)
		b[off] = p[3]
		dev.WriteBlocks(no, b)
	}
	dev.Flush()
}

func FuzzCorruptImage(f *testing.F) {
	base := populated(f)
	sb, err := layout.ReadSuperblock(base)
	require.NoError(f, err)
	ino := func(n uint32, field int) []byte { // a patch of inode n's byte field
		blk, off := sb.InodeBlock(n)
		o := uint16(off + field)
		return []byte{byte(blk), byte(o), byte(o >> 8), 0xff}
	}
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 'x'})                                                   // the magic number
	f.Add([]byte{0, 20, 0, 0xff})                                                 // a superblock field
	f.Add([]byte{1, 16, 0, 5})                                                    // the journal header's count
	f.Add(ino(1, 1))                                                              // the root's mode
	f.Add(ino(2, 48))                                                             // a directory's first block
	f.Add(ino(4, 96))                                                             // a file's indirect block
	f.Add(ino(3, 2))                                                              // a link count
	f.Add([]byte{byte(sb.BlockBitmapStart), 13, 0, 0})                            // block bitmap bits
	f.Add([]byte{byte(sb.InodeBitmapStart), 0, 0, 0x0f})                          // inode bitmap bits
	f.Add([]byte{byte(sb.DataStart), 64 + 4, 0, 200})                             // a directory entry's name length
	f.Add([]byte{byte(sb.DataStart + 1), 128, 0, 1, byte(sb.DataStart), 0, 0, 9}) // entries
	f.Fuzz(func(t *testing.T, p []byte) {
		dev := base.Clone()
		patch(dev, sb, p)
		rep, err := fsck.Check(dev)
		require.NoError(t, err)
		bad := 0
		for _, pr := range rep.Problems {
			if pr.Kind != fsck.Orphan {
				bad++
			}
		}
		g, err := fs.Mount(dev, fs.Options{})
		if bad > 0 {
			require.ErrorIs(t, err, linux.EUCLEAN, "fsck found:\n%s", rep)
			require.NotEmpty(t, err.Error())
			return
		}
		require.NoError(t, err, "fsck found the image clean:\n%s", rep)
		_, _ = dump(g)
		_ = put(g, "/d/new", linux.O_TRUNC, 5000, 3)
		_ = g.Rename("/big", "/d/e/moved")
		_ = g.Unlink("/s")
		require.NoError(t, g.Sync())
		after, err := fsck.Check(dev)
		require.NoError(t, err)
		require.True(t, after.Clean(), "after using a clean file system:\n%s", after)
	})
}
