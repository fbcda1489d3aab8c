package fs

import (
	"errors"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/fs/layout"
)

// FS is a mounted file system: the engine behind the server, with no IPC
// in it. Its methods are the file operations, each with Linux errno
// values as errors; descriptors are kept per process, keyed by an
// ipc.Endpoint. An FS is used by one goroutine at a time.
type FS struct {
	dev  bdev.BlockDev
	sb   layout.Superblock
	c    *cache
	j    *journal
	now  func() int64
	opts Options

	// Free space, counted from the bitmaps at mount.
	freeBlocks, freeInodes int64
	blockHint, inodeHint   uint32

	// inodes is the running operation's inode cache (see iget).
	inodes map[uint32]*inode

	// Open files: descriptor tables per process, and open descriptors per
	// inode (an unlinked inode lives while it has some).
	procs  map[ipc.Endpoint]*fdtable
	opens  map[uint32]int
	nfiles int

	// failed is the device error that stopped the file system; every
	// operation fails with EIO until it is mounted again.
	failed error

	// The caller the operations act for (perm.go): credFn gives its
	// credentials, read once into cred.
	credFn func() ipc.Cred
	cred   ipc.Cred
	credOK bool
}

// Options tune a mount. The zero value is the default.
type Options struct {
	// Now returns the time stamped on files (virtual ns); nil stamps 0.
	Now func() int64
	// CacheBlocks is how many clean blocks the cache keeps (default 2048:
	// 8 MiB).
	CacheBlocks int
	// NoCheck skips the consistency check at mount.
	NoCheck bool
	// OnCommit, when set, is called at every commit point: the moment a
	// transaction is durable. Crash tests use it.
	OnCommit func()
	// Durable commits before every reply: what the server acknowledges
	// is on the disk, so a crash of the server (or of the machine) loses
	// nothing a program was told succeeded. Without it, operations are
	// grouped and only fsync and sync are durable (faster: fewer flushes).
	Durable bool
	// MaxOpen bounds the open descriptors of all processes together
	// (ENFILE beyond it; default and most: the package's MaxOpen).
	MaxOpen int
	// Resume continues the mount of an earlier instance of the server
	// that handed over its open files in a live update (state.go): no
	// check, no orphan freed (the open files hold them), and no new
	// epoch, so the descriptors it handed out stay valid.
	Resume bool
}

// Mount mounts the file system on dev: it checks the superblock, replays
// a committed transaction left in the journal (recovery), checks the whole
// file system as fsck does (unless NoCheck) and refuses a corrupt one,
// frees the orphans a crash left (files unlinked while open), and counts
// one more mount, which becomes the epoch of the descriptors it hands out.
func Mount(dev bdev.BlockDev, opts Options) (*FS, error) {
	sb, err := layout.ReadSuperblock(dev)
	if err != nil {
		return nil, fmt.Errorf("mount: %w", err)
	}
	h, txn, err := layout.ReadJournal(dev, &sb)
	if err != nil {
		return nil, fmt.Errorf("mount: %w", err)
	}
	if txn != nil {
		if err := txn.Install(dev, &sb); err != nil {
			return nil, fmt.Errorf("mount: replaying the journal: %w", err)
		}
	}
	f := &FS{dev: dev, sb: sb, now: opts.Now, opts: opts, inodes: map[uint32]*inode{},
		procs: map[ipc.Endpoint]*fdtable{}, opens: map[uint32]int{}, credOK: true}
	if f.now == nil {
		f.now = func() int64 { return 0 }
	}
	if opts.CacheBlocks == 0 {
		opts.CacheBlocks = 2048
	}
	f.c = newCache(dev, opts.CacheBlocks)
	f.j = newJournal(dev, &f.sb, f.c, h.Seq)
	if err := f.mount(); err != nil {
		return nil, fmt.Errorf("mount: %w", err)
	}
	f.j.onCommit = opts.OnCommit
	return f, nil
}

// mount checks the file system, frees orphans and bumps the mount count,
// and commits that.
func (f *FS) mount() error {
	if f.opts.Resume {
		return f.countFree()
	}
	orphans, err := f.check()
	if err != nil {
		return err
	}
	if err := f.countFree(); err != nil {
		return err
	}
	for _, ino := range orphans { // one operation each: they may be many
		err := f.op(func() error {
			ip, err := f.iget(ino)
			if err != nil {
				return err
			}
			return f.ifree(ip)
		})
		if err != nil {
			return err
		}
	}
	err = f.op(func() error {
		b, err := f.c.get(0)
		if err != nil {
			return err
		}
		f.sb.Mounts++
		f.j.change(b)
		f.sb.Encode(b.data)
		return nil
	})
	if err != nil {
		return err
	}
	return f.j.commit()
}

// check runs the consistency check through the cache and returns the
// orphans, the only problem a mount repairs. Without the check, it scans
// the inode table for them.
func (f *FS) check() ([]uint32, error) {
	if f.opts.NoCheck {
		return f.scanOrphans()
	}
	rep, err := fsck.Check(readThrough{f.c})
	if err != nil {
		return nil, err
	}
	var orphans []uint32
	var bad []fsck.Problem
	for _, p := range rep.Problems {
		if p.Kind == fsck.Orphan {
			orphans = append(orphans, p.Ino)
			continue
		}
		bad = append(bad, p)
	}
	if len(bad) > 0 {
		return nil, &layout.CorruptError{What: fmt.Sprintf("%d problems (run mkos fsck): %s", len(bad), bad[0].Text)}
	}
	return orphans, nil
}

// scanOrphans returns the inodes in use with no links.
func (f *FS) scanOrphans() ([]uint32, error) {
	var out []uint32
	if err := f.c.prefetchRange(f.sb.InodeTableStart, int(f.sb.InodeTableBlocks)); err != nil {
		return nil, err
	}
	for ino := uint32(layout.RootIno + 1); ino < f.sb.Inodes; ino++ {
		d, err := f.rawInode(ino)
		if err != nil {
			return nil, err
		}
		if d.Mode != 0 && d.Nlink == 0 {
			out = append(out, ino)
		}
	}
	return out, nil
}

// countFree counts the clear bits of both bitmaps.
func (f *FS) countFree() error {
	var err error
	if f.freeBlocks, err = f.countClear(f.sb.BlockBitmapStart, f.sb.DataStart, f.sb.Blocks); err != nil {
		return err
	}
	f.freeInodes, err = f.countClear(f.sb.InodeBitmapStart, layout.RootIno+1, f.sb.Inodes)
	return err
}

func (f *FS) countClear(start, lo, hi uint32) (int64, error) {
	var n int64
	for i := lo; i < hi; i++ {
		blk, k := layout.BitmapBlock(i)
		b, err := f.c.get(start + blk)
		if err != nil {
			return 0, err
		}
		if !layout.BitGet(b.data, k) {
			n++
		}
	}
	return n, nil
}

// op runs fn as one operation: all its changes stay, or, when it fails,
// none. A device error stops the file system (see failed).
func (f *FS) op(fn func() error) error {
	if f.failed != nil {
		return f.failed
	}
	if err := f.j.beginOp(); err != nil {
		return f.fail(err)
	}
	freeB, freeI := f.freeBlocks, f.freeInodes
	err := fn()
	switch {
	case err == nil:
		f.j.endOp()
	case isIO(err):
		f.j.endOp()
		err = f.fail(err)
	default:
		f.j.abortOp()
		f.freeBlocks, f.freeInodes = freeB, freeI
	}
	clear(f.inodes)
	f.c.trim()
	return err
}

// isIO reports whether err is a device error.
func isIO(err error) bool {
	var e *ioError
	return errors.As(err, &e)
}

// fail stops the file system after device error err.
func (f *FS) fail(err error) error {
	if f.failed == nil {
		f.failed = &ioError{err}
	}
	return f.failed
}

// Failed returns the device error that stopped the file system, or nil.
// A stopped file system must be mounted again: what was not committed is
// lost, as in a crash.
func (f *FS) Failed() error { return f.failed }

// Epoch returns the mount count, which descriptors carry.
func (f *FS) Epoch() uint32 { return f.sb.Mounts }

// Superblock returns the mounted file system's superblock.
func (f *FS) Superblock() layout.Superblock { return f.sb }

// Commits returns the number of transactions committed since mount.
func (f *FS) Commits() int64 { return f.j.commits }

// Sync commits the running transaction: when it returns, every operation
// so far is on the disk.
func (f *FS) Sync() error {
	if f.failed != nil {
		return f.failed
	}
	if err := f.j.commit(); err != nil {
		return f.fail(err)
	}
	return nil
}

// Statfs returns the sizes and free space.
func (f *FS) Statfs() fsproto.Fsinfo {
	return fsproto.Fsinfo{BlockSize: layout.BlockSize, Blocks: int64(f.sb.Blocks), FreeBlocks: f.freeBlocks,
		Inodes: int64(f.sb.Inodes) - 1, FreeInodes: f.freeInodes, NameMaxSize: layout.NameMax}
}
