package ostepfs

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/osteptool"
)

// The sizes of lfs.py's file system: a checkpoint region of 16 imap
// pointers, imap chunks of 16 inodes, inodes of 8 block pointers,
// directory blocks of 8 entries.
const (
	lfsImapPtrs   = 16
	lfsChunkInums = 16
	lfsInodePtrs  = 8
	lfsInodes     = lfsImapPtrs * lfsChunkInums
	lfsDirents    = 8
)

// The kinds of block in the log.
const (
	lfsCheckpoint = iota
	lfsDirBlock
	lfsDataBlock
	lfsInode
	lfsImap
)

// lfsDirent is a directory entry; a free one is ("-", -1).
type lfsDirent struct {
	name string
	inum int
}

// lfsBlock is one block of the log. Arrays, not slices, so that a block
// copied is a block copied (the script's deepcopy).
type lfsBlock struct {
	kind     int
	entries  [lfsImapPtrs]int // a checkpoint's imap pointers, an imap chunk's inode addresses
	dir      [lfsDirents]lfsDirent
	contents string
	dirType  bool // an inode of a directory (else of a regular file)
	size     int
	refs     int
	ptrs     [lfsInodePtrs]int
}

// lfs is lfs.py's LFS object: the log (disk), the checkpoint region and
// the inode map in memory.
type lfs struct {
	out                 io.Writer
	r                   *pyrand.Rand
	useDiskCR, noForce  bool
	randomInodes, solve bool
	disk                []lfsBlock
	cr                  [lfsImapPtrs]int
	imap                [lfsInodes]int
	dumpLast            int
	errors              []string
}

func newLFS(out io.Writer, r *pyrand.Rand) *lfs {
	l := &lfs{out: out, r: r, dumpLast: 1}
	for i := range l.cr {
		l.cr[i] = -1
	}
	l.cr[0] = 3
	l.log(lfsBlock{kind: lfsCheckpoint, entries: l.cr})
	l.log(newDirBlock(0, 0))
	root := newInode(true, 1, 2)
	root.ptrs[0] = 1
	for i := range l.imap {
		l.imap[i] = -1
	}
	l.imap[0] = l.log(root)
	l.log(l.imapChunk(0))
	return l
}

func (l *lfs) log(b lfsBlock) int {
	l.disk = append(l.disk, b)
	return len(l.disk) - 1
}

func newInode(dir bool, size, refs int) lfsBlock {
	b := lfsBlock{kind: lfsInode, dirType: dir, size: size, refs: refs}
	for i := range b.ptrs {
		b.ptrs[i] = -1
	}
	return b
}

func emptyDirBlock() lfsBlock {
	b := lfsBlock{kind: lfsDirBlock}
	for i := range b.dir {
		b.dir[i] = lfsDirent{"-", -1}
	}
	return b
}

func newDirBlock(parent, self int) lfsBlock {
	b := emptyDirBlock()
	b.dir[0], b.dir[1] = lfsDirent{".", self}, lfsDirent{"..", parent}
	return b
}

// imapChunk is chunk c of the inode map, as a block to log.
func (l *lfs) imapChunk(c int) lfsBlock {
	b := lfsBlock{kind: lfsImap}
	copy(b.entries[:], l.imap[c*lfsChunkInums:])
	return b
}

// block is disk[i] with Python's negative indexing.
func (l *lfs) block(i int) (*lfsBlock, error) {
	if i < 0 {
		i += len(l.disk)
	}
	if i < 0 || i >= len(l.disk) {
		return nil, osteptool.PyError("IndexError: list index out of range")
	}
	return &l.disk[i], nil
}

var errLFSAssert = osteptool.PyError("AssertionError")

// errLFSParent is the script's crash when an operation uses the parent
// directory a failed path walk returned (an empty string).
var errLFSParent = osteptool.PyError("TypeError: string indices must be integers")

// live is determine_liveness: the checkpoint, the imap chunks it points
// to, the inodes the inode map points to, and the blocks they point to.
func (l *lfs) live() []bool {
	live := make([]bool, len(l.disk))
	mark := func(i int) {
		if i >= 0 && i < len(live) {
			live[i] = true
		}
	}
	mark(0)
	for _, p := range l.cr {
		mark(p)
	}
	for _, a := range l.imap {
		if a == -1 {
			continue
		}
		mark(a)
		for _, p := range l.disk[a].ptrs {
			mark(p)
		}
	}
	return live
}

// dump prints blocks [start, end) of the log.
func (l *lfs) dump(start, end int, showLive bool) {
	live := l.live()
	var b strings.Builder
	for i := start; i < end; i++ {
		fmt.Fprintf(&b, "[ %3d ]", i)
		switch {
		case !showLive && !l.solve:
			b.WriteString(" ?    ")
		case live[i]:
			b.WriteString(" live ")
		default:
			b.WriteString("      ")
		}
		blk := &l.disk[i]
		switch blk.kind {
		case lfsCheckpoint, lfsImap:
			b.WriteString(map[bool]string{true: "checkpoint: ", false: "chunk(imap): "}[blk.kind == lfsCheckpoint])
			for _, e := range blk.entries {
				b.WriteString(dashOr(e))
			}
		case lfsDirBlock:
			for _, e := range blk.dir {
				if e.inum != -1 {
					fmt.Fprintf(&b, "[%s,%d] ", e.name, e.inum)
				} else {
					b.WriteString("-- ")
				}
			}
		case lfsDataBlock:
			b.WriteString(blk.contents)
		case lfsInode:
			t := "reg"
			if blk.dirType {
				t = "dir"
			}
			fmt.Fprintf(&b, "type:%s size:%d refs:%d ptrs: ", t, blk.size, blk.refs)
			for _, p := range blk.ptrs {
				b.WriteString(dashOr(p))
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprint(l.out, b.String())
}

func dashOr(n int) string {
	if n == -1 {
		return "-- "
	}
	return fmt.Sprintf("%d ", n)
}

// dumpPartial is dump_partial: the checkpoint (when it was forced or
// asked for) and the blocks logged since the last dump.
func (l *lfs) dumpPartial(showLive, showCheckpoint bool) {
	if showCheckpoint || !l.noForce {
		l.dump(0, 1, showLive)
	}
	if !l.noForce {
		fmt.Fprintln(l.out, "...")
	}
	l.dump(l.dumpLast, len(l.disk), showLive)
	l.dumpLast = len(l.disk)
}

func (l *lfs) crSync() { l.disk[0] = lfsBlock{kind: lfsCheckpoint, entries: l.cr} }

// allocInode is allocate_inode: the first free inode number, or a random
// free one.
func (l *lfs) allocInode() int {
	free := -1
	for i, a := range l.imap {
		if a == -1 {
			free = i
			break
		}
	}
	if free == -1 {
		return -1
	}
	if l.randomInodes {
		for {
			if i := int(l.r.Random() * lfsInodes); l.imap[i] == -1 {
				free = i
				break
			}
		}
	}
	l.imap[free] = 1
	return free
}

// inode is get_inode_from_inumber: through the inode map in memory, or
// through the checkpoint on the disk (-D), which may be old.
func (l *lfs) inode(inum int) (*lfsBlock, error) {
	addr := l.imap[inum]
	if l.useDiskCR {
		cp := &l.disk[0]
		if cp.kind != lfsCheckpoint {
			return nil, errLFSAssert
		}
		chunk, err := l.block(cp.entries[inum/lfsChunkInums])
		if err != nil {
			return nil, err
		}
		if chunk.kind != lfsImap {
			return nil, errLFSAssert
		}
		addr = chunk.entries[inum%lfsChunkInums]
	}
	if addr == -1 {
		return nil, errLFSAssert
	}
	b, err := l.block(addr)
	if err != nil {
		return nil, err
	}
	if b.kind != lfsInode {
		return nil, errLFSAssert
	}
	return b, nil
}

func (l *lfs) errorf(format string, a ...any) { l.errors = append(l.errors, fmt.Sprintf(format, a...)) }

var errLFSIndex = osteptool.PyError("IndexError: list index out of range")

// splitAll is Python's str.split(sep): n+1 fields for n separators.
func splitAll(s, sep string) []string { return strings.Split(s, sep) }
