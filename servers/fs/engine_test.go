package fs_test

// Tests of the engine (FS) without IPC: limits, orphans, failed
// operations, disk failures.

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/fs/layout"
)

const proc ipc.Endpoint = 7 // the process tests open files as

// mount mounts dev, failing the test on an error.
func mount(t testing.TB, dev bdev.BlockDev) *fs.FS {
	t.Helper()
	f, err := fs.Mount(dev, fs.Options{})
	require.NoError(t, err)
	return f
}

// clean requires fsck to find nothing wrong on dev.
func clean(t testing.TB, dev bdev.BlockDev) {
	t.Helper()
	rep, err := fsck.Check(dev)
	require.NoError(t, err)
	require.True(t, rep.Clean(), "%s", rep)
}

func TestTooManyOpenFiles(t *testing.T) {
	f := mount(t, newDev(t, 1<<20))
	for i := 0; i < fs.MaxOpenPerProc; i++ {
		_, err := f.Open(proc, "/", linux.O_RDONLY, 0)
		require.NoError(t, err)
	}
	_, err := f.Open(proc, "/", linux.O_RDONLY, 0)
	assert.ErrorIs(t, err, linux.EMFILE)
	_, err = f.Open(proc+1, "/", linux.O_RDONLY, 0)
	assert.NoError(t, err, "another process has its own table")
	require.NoError(t, f.Release(proc))
	assert.Equal(t, 0, f.OpenFiles(proc))
}

func TestInodesRunOut(t *testing.T) {
	dev := bdev.NewMem(layout.BlockSize, 256)
	sb, err := layout.Plan(1<<20, 64, 0)
	require.NoError(t, err)
	require.NoError(t, layout.Format(dev, sb, 0))
	f := mount(t, dev)
	made := 0
	for ; ; made++ {
		err = f.Mkdir(fmt.Sprintf("/d%d", made), 0o755)
		if err != nil {
			break
		}
	}
	assert.ErrorIs(t, err, linux.ENOSPC)
	assert.Equal(t, 62, made, "inodes 2..63")
	require.NoError(t, f.Rmdir("/d7"))
	require.NoError(t, f.Symlink("/x", "/s"), "the freed inode is reused")
	require.NoError(t, f.Sync())
	clean(t, dev)
}

// A failed operation changes nothing: here mkdir runs out of blocks after
// it allocated its inode.
func TestFailedOperationChangesNothing(t *testing.T) {
	dev := newDev(t, 1<<20)
	f := mount(t, dev)
	fd, err := f.Open(proc, "/fill", linux.O_WRONLY|linux.O_CREAT, 0o644)
	require.NoError(t, err)
	_, err = f.Write(proc, fd, make([]byte, 2<<20))
	require.NoError(t, err, "a short write, not an error")
	before := f.Statfs()
	assert.Zero(t, before.FreeBlocks)
	assert.ErrorIs(t, f.Mkdir("/d", 0o755), linux.ENOSPC)
	assert.Equal(t, before, f.Statfs())
	_, err = f.Stat("/d")
	assert.ErrorIs(t, err, linux.ENOENT)
	require.NoError(t, f.Sync())
	clean(t, dev)
}

// An unlinked file lives while it is open; if the system crashes first,
// the next mount frees it.
func TestUnlinkedOpenFile(t *testing.T) {
	dev := newDev(t, 1<<20)
	f := mount(t, dev)
	free := f.Statfs().FreeBlocks
	fd, err := f.Open(proc, "/tmp", linux.O_RDWR|linux.O_CREAT, 0o600)
	require.NoError(t, err)
	_, err = f.Write(proc, fd, []byte("still here"))
	require.NoError(t, err)
	require.NoError(t, f.Unlink("/tmp"))
	require.NoError(t, f.Sync())

	rep, err := fsck.Check(dev)
	require.NoError(t, err)
	require.Len(t, rep.Problems, 1, "%s", rep)
	assert.Equal(t, fsck.Orphan, rep.Problems[0].Kind)

	buf := make([]byte, 20)
	n, err := f.Pread(proc, fd, buf, 0)
	require.NoError(t, err)
	assert.Equal(t, "still here", string(buf[:n]))
	assert.Less(t, f.Statfs().FreeBlocks, free)

	crashed := dev.Crash(nil)
	require.NoError(t, f.Close(proc, fd))
	assert.Equal(t, free, f.Statfs().FreeBlocks, "freed at the last close")

	g := mount(t, crashed) // the crash left an orphan: mount frees it
	assert.Equal(t, free, g.Statfs().FreeBlocks)
	require.NoError(t, g.Sync())
	clean(t, crashed)
}

// A disk that fails stops the file system: the operation and every later
// one fail with EIO; what was committed survives.
func TestDiskFailure(t *testing.T) {
	dev := newDev(t, 1<<20)
	f := mount(t, dev)
	require.NoError(t, f.Mkdir("/kept", 0o755))
	require.NoError(t, f.Sync())
	require.NoError(t, f.Mkdir("/lost", 0o755))
	dev.CutAt = dev.Writes + 3
	assert.ErrorIs(t, f.Sync(), linux.EIO)
	assert.Error(t, f.Failed())
	assert.ErrorIs(t, f.Mkdir("/after", 0o755), linux.EIO)
	g := mount(t, dev.Crash(nil))
	_, err := g.Stat("/kept")
	assert.NoError(t, err)
	_, err = g.Stat("/lost")
	assert.ErrorIs(t, err, linux.ENOENT)
}

func TestMountRefusesACorruptDisk(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func(dev *bdev.Mem, sb layout.Superblock)
		want    string
	}{
		{"not a file system", func(dev *bdev.Mem, _ layout.Superblock) {
			dev.WriteBlocks(0, make([]byte, layout.BlockSize))
		}, "bad magic number"},
		{"bad journal header", func(dev *bdev.Mem, sb layout.Superblock) {
			dev.WriteBlocks(int64(sb.JournalStart), make([]byte, layout.BlockSize))
		}, "journal header"},
		{"root is not a directory", func(dev *bdev.Mem, sb layout.Superblock) {
			b := make([]byte, layout.BlockSize)
			blk, off := sb.InodeBlock(layout.RootIno)
			dev.ReadBlocks(int64(blk), b)
			b[off+1] = 0x80 // mode S_IFREG
			dev.WriteBlocks(int64(blk), b)
		}, "root"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dev := newDev(t, 1<<20)
			sb, err := layout.ReadSuperblock(dev)
			require.NoError(t, err)
			tc.corrupt(dev, sb)
			_, err = fs.Mount(dev, fs.Options{})
			assert.ErrorIs(t, err, linux.EUCLEAN)
			assert.ErrorContains(t, err, tc.want)
			rep, err := fsck.Check(dev)
			require.NoError(t, err)
			assert.False(t, rep.Clean())
		})
	}
}
