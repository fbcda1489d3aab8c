package ostepfs

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/ipc/linux"
)

// vsfsOnMkos replays ops on mkos's file server and says what each one
// allocated and freed there.
func vsfsOnMkos(ops []vsfsOp, out, errw io.Writer) int {
	m, err := newMkosFS()
	if err != nil {
		fmt.Fprintln(errw, "mkos ostep vsfs --mkos:", err)
		return 1
	}
	m.header(out, "the same operations")
	for _, op := range ops {
		name := op.target // whose links the note counts
		if op.kind == "unlink" {
			name = m.otherName(op.path, ops)
		}
		call, err := m.vsfsOp(op)
		note := ""
		if err == nil {
			note, err = m.commit()
		}
		if err != nil {
			fmt.Fprintf(out, "  %-42s fails on mkos: %v; the replay stops here\n", call, err)
			break
		}
		if op.kind == "link" || op.kind == "unlink" {
			note = joinNote(note, m.links(name))
		}
		fmt.Fprintf(out, "  %-42s %s\n", call, orNothing(note))
	}
	fmt.Fprint(out, `  Unlike vsfs, mkos numbers inodes from 1, allocates inodes and blocks from
  where its last allocation ended (next fit, so a file's blocks stay
  together), gives a directory a block of 64-byte entries that grows as it
  fills, and logs every operation in its journal before the bitmaps change.
`)
	return 0
}

// vsfsOp does one vsfs operation on m and returns it as a call.
func (m *mkosFS) vsfsOp(op vsfsOp) (string, error) {
	switch op.kind {
	case "creat":
		fd, err := m.fs.Open(mkosCaller, op.path, linux.O_WRONLY|linux.O_CREAT|linux.O_EXCL, 0o644)
		if err == nil {
			err = m.fs.Close(mkosCaller, fd)
		}
		return fmt.Sprintf("creat(%q)", op.path), err
	case "mkdir":
		return fmt.Sprintf("mkdir(%q)", op.path), m.fs.Mkdir(op.path, 0o755)
	case "link":
		return fmt.Sprintf("link(%q, %q)", op.target, op.path), m.fs.Link(op.target, op.path)
	case "unlink":
		return fmt.Sprintf("unlink(%q)", op.path), m.fs.Unlink(op.path)
	}
	return fmt.Sprintf("write(%q, 4 KiB of %q)", op.path, op.target), m.writeBlock(op.path, op.target[0])
}

// otherName is a name, other than path, that the file at path still has
// (a hard link made before), or "".
func (m *mkosFS) otherName(path string, ops []vsfsOp) string {
	a, err := m.fs.Stat(path)
	if err != nil || a.Nlink < 2 {
		return ""
	}
	for _, op := range ops {
		for _, n := range []string{op.path, op.target} {
			if n == "" || n == path {
				continue
			}
			if b, err := m.fs.Stat(n); err == nil && b.Ino == a.Ino {
				return n
			}
		}
	}
	return ""
}

// joinNote and orNothing put a note together.
func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

func orNothing(note string) string {
	if note == "" {
		return "allocates and frees nothing"
	}
	return note
}
