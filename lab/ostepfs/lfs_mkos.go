package ostepfs

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// lfsOnMkos replays lfs.py's commands on mkos's file server: what each
// allocates and frees there, and how many blocks it writes, where LFS
// appends new versions of the blocks to its log.
func lfsOnMkos(cmds []string, out, errw io.Writer) int {
	m, err := newMkosFS()
	if err != nil {
		fmt.Fprintln(errw, "mkos ostep lfs --mkos:", err)
		return 1
	}
	m.header(out, "the same commands (sync: at each command, as lfs.py's forced checkpoints)")
	for _, c := range cmds {
		f := strings.Split(c, ",")
		call, err := m.lfsCommand(f)
		note := ""
		if err == nil {
			note, err = m.commit()
		}
		if err != nil {
			m.writes()
			fmt.Fprintf(out, "  %-36s fails on mkos: %v\n", call, err)
			continue
		}
		fmt.Fprintf(out, "  %-36s %s\n", call, joinNote(note, m.writes()))
	}
	fmt.Fprint(out, `  LFS never writes a block in place: each command appends new versions of
  the blocks it changes (data, directory, inode, imap chunk) to the log and
  points the checkpoint region at them. mkos updates blocks in place, after
  logging them in its journal (so every block it changes is written twice).
`)
	return 0
}

// lfsCommand does one lfs.py command on m and returns it as a call.
func (m *mkosFS) lfsCommand(f []string) (string, error) {
	switch {
	case f[0] == "c" && len(f) == 2:
		fd, err := m.fs.Open(mkosCaller, f[1], linux.O_WRONLY|linux.O_CREAT|linux.O_EXCL, 0o644)
		if err == nil {
			err = m.fs.Close(mkosCaller, fd)
		}
		return fmt.Sprintf("creat(%q)", f[1]), err
	case f[0] == "d" && len(f) == 2:
		return fmt.Sprintf("mkdir(%q)", f[1]), m.fs.Mkdir(f[1], 0o755)
	case f[0] == "r" && len(f) == 2:
		return fmt.Sprintf("unlink(%q)", f[1]), m.fs.Unlink(f[1])
	case f[0] == "l" && len(f) == 3:
		return fmt.Sprintf("link(%q, %q)", f[1], f[2]), m.fs.Link(f[1], f[2])
	case f[0] == "w" && len(f) == 4:
		off, _ := pyInt(f[2])
		n, _ := pyInt(f[3])
		call := fmt.Sprintf("write(%q, block %d, %d block(s))", f[1], off, n)
		return call, m.writeAt(f[1], off, n)
	case f[0] == "s":
		return "sync()", nil
	}
	return fmt.Sprintf("%q", strings.Join(f, ",")), fmt.Errorf("not an lfs.py command")
}

// writeAt writes n blocks at block off of the file at path.
func (m *mkosFS) writeAt(path string, off, n int64) error {
	if off < 0 || off >= lfsInodePtrs || n <= 0 {
		return linux.EINVAL
	}
	n = min(n, lfsInodePtrs-off)
	fd, err := m.fs.Open(mkosCaller, path, linux.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := m.fs.Pwrite(mkosCaller, fd, bytes.Repeat([]byte{'x'}, int(n)*layout.BlockSize), off*layout.BlockSize); err != nil {
		m.fs.Close(mkosCaller, fd)
		return err
	}
	return m.fs.Close(mkosCaller, fd)
}
