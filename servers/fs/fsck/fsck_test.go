package fsck_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/fs/layout"
)

// image returns a 1 MiB file system holding /d (inode 2), /d/f (inode 3,
// two blocks) and /g (inode 4), and its superblock.
func image(t *testing.T) (*bdev.Mem, layout.Superblock) {
	dev := bdev.NewMem(layout.BlockSize, 256)
	sb, err := layout.Plan(1<<20, 0, 0)
	require.NoError(t, err)
	require.NoError(t, layout.Format(dev, sb, 0))
	f, err := fs.Mount(dev, fs.Options{})
	require.NoError(t, err)
	require.NoError(t, f.Mkdir("/d", 0o755))
	for _, w := range []struct {
		path string
		n    int
	}{{"/d/f", 5000}, {"/g", 10}} {
		fd, err := f.Open(1, w.path, linux.O_WRONLY|linux.O_CREAT, 0o644)
		require.NoError(t, err)
		_, err = f.Write(1, fd, make([]byte, w.n))
		require.NoError(t, err)
		require.NoError(t, f.Close(1, fd))
	}
	require.NoError(t, f.Sync())
	sb = f.Superblock()
	return dev, sb
}

// editBlock changes block no in place.
func editBlock(dev *bdev.Mem, no uint32, edit func(b []byte)) {
	b := make([]byte, layout.BlockSize)
	dev.ReadBlocks(int64(no), b)
	edit(b)
	dev.WriteBlocks(int64(no), b)
	dev.Flush()
}

// editInode changes inode ino in place.
func editInode(dev *bdev.Mem, sb layout.Superblock, ino uint32, edit func(d *layout.Dinode)) {
	blk, off := sb.InodeBlock(ino)
	editBlock(dev, blk, func(b []byte) {
		d := layout.DecodeDinode(b[off:])
		edit(&d)
		d.Encode(b[off:])
	})
}

// rootBlock returns the root directory's block.
func dirBlock(dev *bdev.Mem, sb layout.Superblock, ino uint32) uint32 {
	blk, off := sb.InodeBlock(ino)
	b := make([]byte, layout.BlockSize)
	dev.ReadBlocks(int64(blk), b)
	d := layout.DecodeDinode(b[off:])
	return d.Addrs[0]
}

func TestCleanImage(t *testing.T) {
	dev, _ := image(t)
	rep, err := fsck.Check(dev)
	require.NoError(t, err)
	assert.True(t, rep.Clean(), rep.String())
	assert.Equal(t, 2, rep.Files)
	assert.Equal(t, 2, rep.Dirs)
	assert.Equal(t, int64(4), rep.UsedInodes)
	assert.Contains(t, rep.String(), "clean: 2 files, 2 directories, 0 symbolic links")
}

// Each corruption is found as the kind of problem it is, and Repair
// leaves a clean file system.
func TestCorruptionsAreFoundAndRepaired(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func(dev *bdev.Mem, sb layout.Superblock)
		kind    fsck.Kind
		text    string
	}{
		{"inode bitmap zeroed", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, sb.InodeBitmapStart, func(b []byte) { clear(b) })
		}, fsck.InodeBitmap, "inode 2 is in use (mode 040755) but free in the bitmap"},
		{"used block marked free", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, sb.BlockBitmapStart, func(b []byte) { layout.BitClear(b, int(sb.DataStart)) })
		}, fsck.BlockBitmap, "in use but free in the bitmap"},
		{"free blocks marked used", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, sb.BlockBitmapStart, func(b []byte) { layout.BitSet(b, 200); layout.BitSet(b, 201) })
		}, fsck.BlockBitmap, "blocks 200-201 are free but marked in use (leaked)"},
		{"wrong link count", func(dev *bdev.Mem, sb layout.Superblock) {
			editInode(dev, sb, 4, func(d *layout.Dinode) { d.Nlink = 3 })
		}, fsck.Links, "inode 4 has 3 links, 1 names point at it"},
		{"entry names a free inode", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, dirBlock(dev, sb, 1), func(b []byte) {
				(&layout.Dirent{Ino: 9, Type: linux.DT_REG, Name: "ghost"}).Encode(b[10*layout.DirentSize:])
			})
		}, fsck.Dir, `"ghost" names inode 9, which is not a good inode in use`},
		{"block claimed twice", func(dev *bdev.Mem, sb layout.Superblock) {
			var a uint32
			editInode(dev, sb, 3, func(d *layout.Dinode) { a = d.Addrs[0] })
			editInode(dev, sb, 4, func(d *layout.Dinode) { d.Addrs[1] = a; d.Blocks++; d.Size = 5000 })
		}, fsck.Blocks, "is claimed by inodes 3 and 4"},
		{"bad block address", func(dev *bdev.Mem, sb layout.Superblock) {
			editInode(dev, sb, 3, func(d *layout.Dinode) { d.Addrs[1] = 5 })
		}, fsck.Inode, "block address 5 outside the data region"},
		{"orphan", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, dirBlock(dev, sb, 1), func(b []byte) { clear(b[3*layout.DirentSize : 4*layout.DirentSize]) })
			editInode(dev, sb, 4, func(d *layout.Dinode) { d.Nlink = 0 })
		}, fsck.Orphan, "inode 4 is in use with no links"},
		{"lost", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, dirBlock(dev, sb, 1), func(b []byte) { clear(b[3*layout.DirentSize : 4*layout.DirentSize]) })
		}, fsck.Lost, "inode 4 is in use with 1 links but in no directory"},
		{"unknown type", func(dev *bdev.Mem, sb layout.Superblock) {
			editInode(dev, sb, 4, func(d *layout.Dinode) { d.Mode = 0o10644 })
		}, fsck.Inode, "inode 4: unknown file type"},
		{"wrong dotdot", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, dirBlock(dev, sb, 2), func(b []byte) {
				(&layout.Dirent{Ino: 2, Type: linux.DT_DIR, Name: ".."}).Encode(b[layout.DirentSize:])
			})
		}, fsck.Dir, `".." names 2, its parent is 1`},
		{"journal header garbled", func(dev *bdev.Mem, sb layout.Superblock) {
			editBlock(dev, sb.JournalStart, func(b []byte) { b[30] ^= 1 })
		}, fsck.Journal, "journal header: checksum"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dev, sb := image(t)
			tc.corrupt(dev, sb)
			rep, err := fsck.Check(dev)
			require.NoError(t, err)
			require.False(t, rep.Clean())
			found := false
			for _, p := range rep.Problems {
				found = found || (p.Kind == tc.kind && contains(p.Text, tc.text))
			}
			assert.True(t, found, "want a %s problem with %q in:\n%s", tc.kind, tc.text, rep)
			fixed, err := fsck.Repair(dev)
			require.NoError(t, err)
			assert.True(t, fixed.Clean(), "after repair:\n%s", fixed)
			assert.NotEmpty(t, fixed.Fixed)
			_, err = fs.Mount(dev, fs.Options{})
			assert.NoError(t, err, "a repaired file system mounts")
		})
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}

func TestBadSuperblockCannotBeRepaired(t *testing.T) {
	dev, _ := image(t)
	editBlock(dev, 0, func(b []byte) { b[40] ^= 0xff })
	rep, err := fsck.Check(dev)
	require.NoError(t, err)
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, fsck.Superblock, rep.Problems[0].Kind)
	assert.Contains(t, rep.Problems[0].Text, "checksum")
	_, err = fsck.Repair(dev)
	assert.ErrorContains(t, err, "cannot be repaired")
}

// A committed transaction not yet installed is a note, not a problem: the
// check sees the disk as after the replay, and Repair installs it.
func TestCommittedJournalIsCheckedAsReplayed(t *testing.T) {
	dev, _ := image(t)
	f, err := fs.Mount(dev, fs.Options{})
	require.NoError(t, err)
	var atCommit *bdev.Mem
	dev2 := dev.Clone()
	f, err = fs.Mount(dev2, fs.Options{OnCommit: func() {
		if atCommit == nil {
			atCommit = dev2.Clone()
		}
	}})
	require.NoError(t, err)
	atCommit = nil
	require.NoError(t, f.Mkdir("/new", 0o755))
	require.NoError(t, f.Sync())
	require.NotNil(t, atCommit)
	rep, err := fsck.Check(atCommit)
	require.NoError(t, err)
	assert.True(t, rep.Clean(), rep.String())
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "committed transaction")
	assert.Equal(t, 3, rep.Dirs, "the replayed mkdir is counted")
	fixed, err := fsck.Repair(atCommit)
	require.NoError(t, err)
	assert.True(t, fixed.Clean())
	again, err := fsck.Check(atCommit)
	require.NoError(t, err)
	assert.Empty(t, again.Notes, "installed")
}

// A problem's text that names its kind already is not prefixed twice.
func TestProblemString(t *testing.T) {
	for _, c := range []struct {
		name string
		p    fsck.Problem
		want string
	}{
		{"kind added", fsck.Problem{Kind: fsck.Journal, Text: "3 blocks logged twice"}, "journal: 3 blocks logged twice"},
		{"kind named by the text", fsck.Problem{Kind: fsck.Journal, Text: "journal header: bad magic number"}, "journal header: bad magic number"},
		{"superblock", fsck.Problem{Kind: fsck.Superblock, Text: "superblock: bad magic"}, "superblock: bad magic"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%s: String() = %q, want %q", c.name, got, c.want)
		}
	}
}
