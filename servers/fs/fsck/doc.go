// Package fsck checks an mkos file system image for consistency and, when
// asked, repairs it. It reads the disk through the on-disk format of
// servers/fs/layout only, so it runs offline on a host image (mkos fsck)
// as well as inside the file server, which checks every file system it
// mounts with it and refuses a corrupt one.
//
// The check, in passes:
//
//  1. the superblock: without a good one nothing else can be checked;
//  2. the journal: a corrupt header, or a committed transaction not yet
//     installed (not a problem: recovery replays it; the rest of the
//     check sees the disk as it will be after the replay);
//  3. every inode: marked in use exactly when its mode is set, a known
//     type, a size its type allows, block addresses inside the data
//     region and claimed by no other inode, no blocks past the end of the
//     file, a block count that matches; for directories, entries with
//     good names, "." first and ".." second;
//  4. the tree from the root: every entry names a good inode of the
//     type it says, every directory has one name and a ".." naming its
//     parent, every link count is the number of names (for a directory,
//     2 + its subdirectories), every inode in use is reachable — or is an
//     orphan (in use with no links: a file unlinked while open, which the
//     next mount frees);
//  5. the bitmaps against what the inodes claim.
//
// Imports: servers/fs/layout, servers/fs/bdev, ipc/fsproto (file types).
package fsck

import (
	"fmt"
	"sort"
	"strings"
)

// Kind classifies a problem.
type Kind int

// The kinds of problems, in the order of the passes that find them.
const (
	// Superblock: the superblock is unreadable; nothing else was checked.
	Superblock Kind = iota
	// Journal: the journal's header or log fails its checksum.
	Journal
	// Inode: an inode in use is malformed (type, size, addresses).
	Inode
	// Blocks: a block is claimed twice, past the end of its file, or
	// miscounted.
	Blocks
	// Dir: a directory entry is wrong (name, target, type, "." or "..").
	Dir
	// Links: a link count differs from the names found.
	Links
	// Lost: an inode in use with links is in no directory.
	Lost
	// Orphan: an inode in use with no links: unlinked while open before a
	// crash. The next mount frees it.
	Orphan
	// InodeBitmap: the inode bitmap disagrees with the inode table.
	InodeBitmap
	// BlockBitmap: the block bitmap disagrees with what inodes claim.
	BlockBitmap
)

var kindNames = [...]string{"superblock", "journal", "inode", "blocks", "directory", "links", "lost", "orphan",
	"inode bitmap", "block bitmap"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind%d", int(k))
}

// Problem is one inconsistency.
type Problem struct {
	Kind Kind
	Ino  uint32 // the inode concerned, 0 if none
	Text string // what is wrong, for people
}

// String is "KIND: TEXT", or TEXT alone when it names the kind already
// ("journal header: bad magic number", not "journal: journal header: …").
func (p Problem) String() string {
	if strings.HasPrefix(p.Text, p.Kind.String()) {
		return p.Text
	}
	return p.Kind.String() + ": " + p.Text
}

// Report is the outcome of a check.
type Report struct {
	Problems []Problem
	// Notes are facts worth knowing that are not problems.
	Notes []string
	// Counts of what was found.
	Files, Dirs, Symlinks int
	UsedBlocks, Blocks    int64
	UsedInodes, Inodes    int64
	// Fixed lists what Repair changed.
	Fixed []string
}

// Clean reports whether the check found no problem.
func (r *Report) Clean() bool { return len(r.Problems) == 0 }

// String renders the report for people: the problems, one per line, then
// a summary line.
func (r *Report) String() string {
	var b strings.Builder
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, f := range r.Fixed {
		fmt.Fprintf(&b, "fixed: %s\n", f)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "%s\n", p)
	}
	verdict := "clean"
	if !r.Clean() {
		verdict = Count(len(r.Problems))
	}
	fmt.Fprintf(&b, "%s: %d files, %d directories, %d symbolic links; %d/%d blocks, %d/%d inodes in use\n",
		verdict, r.Files, r.Dirs, r.Symlinks, r.UsedBlocks, r.Blocks, r.UsedInodes, r.Inodes)
	return b.String()
}

// Count says how many problems there are: "1 problem", "3 problems".
func Count(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return fmt.Sprintf("%d problems", n)
}

// sortProblems orders problems by kind, then inode, then text: a stable
// order for people and tests.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Kind != ps[j].Kind {
			return ps[i].Kind < ps[j].Kind
		}
		if ps[i].Ino != ps[j].Ino {
			return ps[i].Ino < ps[j].Ino
		}
		return ps[i].Text < ps[j].Text
	})
}
