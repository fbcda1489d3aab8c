package ostepfs

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/ipc/linux"
)

// ffsOnMkos replays the command file on mkos's file server: where mkos
// puts each file's inode and blocks, where FFS's groups keep a directory's
// files near it.
func ffsOnMkos(cmds [][]string, out, errw io.Writer) int {
	m, err := newMkosFS()
	if err != nil {
		fmt.Fprintln(errw, "mkos ostep ffs --mkos:", err)
		return 1
	}
	m.header(out, "the same command file")
	for _, c := range cmds {
		if c[0] == "dump" {
			continue
		}
		call, err := m.ffsCommand(c)
		note := ""
		if err == nil {
			note, err = m.commit()
		}
		if err != nil {
			fmt.Fprintf(out, "  %-30s fails on mkos: %v\n", call, err)
			continue
		}
		fmt.Fprintf(out, "  %-30s %s\n", call, orNothing(note))
	}
	fmt.Fprint(out, `  mkos has no cylinder groups: one inode table and one data region, both
  allocated next fit from where the last allocation ended, so files made
  one after another sit together whatever their directory.
`)
	return 0
}

// ffsCommand does one line of the command file on m.
func (m *mkosFS) ffsCommand(c []string) (string, error) {
	switch c[0] {
	case "dir":
		return fmt.Sprintf("mkdir(%q)", c[1]), m.fs.Mkdir(c[1], 0o755)
	case "delete":
		return fmt.Sprintf("unlink(%q)", c[1]), m.fs.Unlink(c[1])
	}
	n, _ := pyInt(c[2])
	call := fmt.Sprintf("creat(%q), %d block(s)", c[1], n)
	fd, err := m.fs.Open(mkosCaller, c[1], linux.O_WRONLY|linux.O_CREAT|linux.O_EXCL, 0o644)
	if err != nil {
		return call, err
	}
	for i := int64(0); i < n && err == nil; i++ {
		_, err = m.fs.Write(mkosCaller, fd, make([]byte, 4096))
	}
	if cerr := m.fs.Close(mkosCaller, fd); err == nil {
		err = cerr
	}
	return call, err
}
