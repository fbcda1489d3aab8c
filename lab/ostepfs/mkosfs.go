package ostepfs

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
)

// mkosFS is mkos's own file server (servers/fs) mounted on a fresh 1 MiB
// disk in memory, driven by direct calls (no kernel, no IPC), with what
// its bitmaps hold after each operation: the --mkos notes of the file
// system simulators say what it allocated and freed.
type mkosFS struct {
	dev            *countingDev
	sb             layout.Superblock
	fs             *fs.FS
	inodes, blocks []bool // the bitmaps on the disk at the last commit
}

// mkosFSBytes is the size of the disk the notes use: 4 MiB, room for
// what the simulators' runs create.
const mkosFSBytes = 4 << 20

// mkosFSInodes is its number of inodes: more than the simulators' runs
// create.
const mkosFSInodes = 256

// mkosCaller is the process the operations act for.
var mkosCaller = ipc.Endpoint(1)

func newMkosFS() (*mkosFS, error) {
	sb, err := layout.Plan(mkosFSBytes, mkosFSInodes, 0)
	if err != nil {
		return nil, err
	}
	m := &mkosFS{dev: &countingDev{Mem: bdev.NewMem(layout.BlockSize, mkosFSBytes/layout.BlockSize), sb: sb}, sb: sb}
	if err := layout.Format(m.dev, sb, 0); err != nil {
		return nil, err
	}
	if m.fs, err = fs.Mount(m.dev, fs.Options{}); err != nil {
		return nil, err
	}
	m.inodes, m.blocks, err = m.bitmaps()
	m.dev.journal, m.dev.home = 0, 0
	return m, err
}

// countingDev is the memory disk, counting the blocks written to the
// journal and to their homes.
type countingDev struct {
	*bdev.Mem
	sb            layout.Superblock
	journal, home int
}

func (d *countingDev) WriteBlocks(block int64, buf []byte) error {
	for i := int64(0); i < int64(len(buf)/layout.BlockSize); i++ {
		if b := block + i; b >= int64(d.sb.JournalStart) && b < int64(d.sb.JournalStart+d.sb.JournalBlocks) {
			d.journal++
		} else {
			d.home++
		}
	}
	return d.Mem.WriteBlocks(block, buf)
}

// writes returns the blocks written since it was last called, as a note.
func (m *mkosFS) writes() string {
	j, h := m.dev.journal, m.dev.home
	m.dev.journal, m.dev.home = 0, 0
	return fmt.Sprintf("writes %d block(s) to the journal and %d in place", j, h)
}

// bitmaps reads the inode and block bitmaps from the disk.
func (m *mkosFS) bitmaps() (inodes, blocks []bool, err error) {
	read := func(start, n uint32) ([]bool, error) {
		bits := make([]bool, n)
		buf := make([]byte, layout.BlockSize)
		for i := uint32(0); i < n; i++ {
			blk, k := layout.BitmapBlock(i)
			if k == 0 {
				if err := m.dev.ReadBlocks(int64(start+blk), buf); err != nil {
					return nil, err
				}
			}
			bits[i] = layout.BitGet(buf, k)
		}
		return bits, nil
	}
	if inodes, err = read(m.sb.InodeBitmapStart, m.sb.Inodes); err != nil {
		return nil, nil, err
	}
	blocks, err = read(m.sb.BlockBitmapStart, m.sb.Blocks)
	return inodes, blocks, err
}

// commit syncs the file system and returns what the operation since the
// last commit allocated and freed: "inode 3, block 45", "frees inode 3".
func (m *mkosFS) commit() (string, error) {
	if err := m.fs.Sync(); err != nil {
		return "", err
	}
	inodes, blocks, err := m.bitmaps()
	if err != nil {
		return "", err
	}
	var got, freed []string
	diff := func(kind string, was, now []bool) {
		var on, off []int
		for i := range now {
			switch {
			case now[i] && !was[i]:
				on = append(on, i)
			case was[i] && !now[i]:
				off = append(off, i)
			}
		}
		if len(on) > 0 {
			got = append(got, kind+plural(len(on))+" "+ranges(on))
		}
		if len(off) > 0 {
			freed = append(freed, kind+plural(len(off))+" "+ranges(off))
		}
	}
	diff("inode", m.inodes, inodes)
	diff("block", m.blocks, blocks)
	m.inodes, m.blocks = inodes, blocks
	var parts []string
	if len(got) > 0 {
		parts = append(parts, "allocates "+strings.Join(got, ", "))
	}
	if len(freed) > 0 {
		parts = append(parts, "frees "+strings.Join(freed, ", "))
	}
	return strings.Join(parts, "; "), nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ranges writes sorted numbers as runs: "7, 9-12".
func ranges(ns []int) string {
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, fmt.Sprint(ns[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", ns[i], ns[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// links is path's link count, for the notes of link and unlink.
func (m *mkosFS) links(path string) string {
	a, err := m.fs.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("inode %d has %d link(s)", a.Ino, a.Nlink)
}

// writeBlock writes one block of c at the end of the file at path.
func (m *mkosFS) writeBlock(path string, c byte) error {
	fd, err := m.fs.Open(mkosCaller, path, linux.O_WRONLY|linux.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := m.fs.Write(mkosCaller, fd, bytes.Repeat([]byte{c}, layout.BlockSize)); err != nil {
		return err
	}
	return m.fs.Close(mkosCaller, fd)
}

// header is the first lines of a --mkos note.
func (m *mkosFS) header(w io.Writer, what string) {
	fmt.Fprintf(w, "mkos (--mkos): %s on mkos's own file system (servers/fs), a fresh %d KiB disk:\n", what, mkosFSBytes>>10)
	fmt.Fprintf(w, "  blocks 0..%d hold the superblock, the journal, the bitmaps and %d inodes; data blocks are %d..%d.\n",
		m.sb.DataStart-1, m.sb.Inodes, m.sb.DataStart, m.sb.Blocks-1)
	fmt.Fprintln(w, "  Inode 1 is the root (0 is never used); what each operation allocates and frees, read from the bitmaps after it commits:")
}
