package fscmd

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// The commands that list and describe files, and those on descriptors.

func (r *Runner) ls(args []string) error {
	all, long, path := false, false, "/"
	for _, a := range args {
		switch a {
		case "-a":
			all = true
		case "-l":
			long = true
		default:
			path = a
		}
	}
	es, err := r.C.ReadDir(path)
	if err != nil {
		return err
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Name < es[j].Name })
	for _, e := range es {
		if !all && (e.Name == "." || e.Name == "..") {
			continue
		}
		if !long {
			fmt.Fprintln(r.Out, e.Name+suffix(e.Type))
			continue
		}
		a, err := r.C.Lstat(strings.TrimSuffix(path, "/") + "/" + e.Name)
		if err != nil {
			return err
		}
		fmt.Fprintf(r.Out, "%s %2d %6d %s\n", ModeString(a.Mode), a.Nlink, a.Size, e.Name+suffix(e.Type))
	}
	return nil
}

// suffix marks directories with "/" and symbolic links with "@".
func suffix(t uint8) string {
	switch t {
	case linux.DT_DIR:
		return "/"
	case linux.DT_LNK:
		return "@"
	}
	return ""
}

// ModeString renders a mode as ls -l does: drwxr-xr-x.
func ModeString(mode uint32) string {
	b := []byte("?---------")
	switch mode & linux.S_IFMT {
	case linux.S_IFREG:
		b[0] = '-'
	case linux.S_IFDIR:
		b[0] = 'd'
	case linux.S_IFLNK:
		b[0] = 'l'
	}
	for i, c := range "rwxrwxrwx" {
		if mode&(1<<(8-i)) != 0 {
			b[1+i] = byte(c)
		}
	}
	return string(b)
}

// typeName names a file type for stat.
func typeName(a *fsproto.Attr) string {
	switch {
	case a.IsDir():
		return "directory"
	case a.IsSymlink():
		return "symbolic link"
	case a.IsRegular():
		return "regular file"
	}
	return "unknown file"
}

// describeAttr renders an Attr on one line (no times: they depend on the
// placement, and transcripts must not).
func describeAttr(name string, a fsproto.Attr) string {
	return fmt.Sprintf("%s: %s, %d bytes, mode %04o, %d links, inode %d, %d blocks",
		name, typeName(&a), a.Size, a.Mode&0o7777, a.Nlink, a.Ino, a.Blocks)
}

func (r *Runner) stat(args []string) error {
	stat := r.C.Stat
	if r.cmdIs("lstat") {
		stat = r.C.Lstat
	}
	a, err := stat(args[0])
	if err == nil {
		fmt.Fprintln(r.Out, describeAttr(args[0], a))
	}
	return err
}

// openFlags maps the flag words of open to O_ flags.
var openFlags = map[string]int{
	"rdonly": linux.O_RDONLY, "wronly": linux.O_WRONLY, "rdwr": linux.O_RDWR,
	"creat": linux.O_CREAT, "excl": linux.O_EXCL, "trunc": linux.O_TRUNC, "append": linux.O_APPEND,
	"directory": linux.O_DIRECTORY, "nofollow": linux.O_NOFOLLOW,
}

func (r *Runner) open(args []string) error {
	flags := 0
	for _, w := range strings.Split(args[1], ",") {
		f, ok := openFlags[w]
		if !ok {
			return fmt.Errorf("%q is not an open flag (rdonly, wronly, rdwr, creat, excl, trunc, append, directory, nofollow)", w)
		}
		flags |= f
	}
	mode := int64(0o644)
	if len(args) == 3 {
		m, err := number("0o" + args[2])
		if err != nil {
			return err
		}
		mode = m
	}
	fd, err := r.C.Open(args[0], flags, uint32(mode))
	if err == nil {
		r.fds[fd.Num()] = fd
		fmt.Fprintf(r.Out, "fd %v\n", fd)
	}
	return err
}

func (r *Runner) close(args []string) error {
	fd, err := r.fd(args[0])
	if err != nil {
		return err
	}
	return r.C.Close(fd)
}

// read serves read and pread.
func (r *Runner) read(args []string) error {
	fd, err := r.fd(args[0])
	if err != nil {
		return err
	}
	n, err := number(args[1])
	if err != nil || n < 0 || n > ipc.MaxBulk {
		return fmt.Errorf("%q is not a count up to %d", args[1], ipc.MaxBulk)
	}
	buf := make([]byte, n)
	var got int
	if r.cmdIs("pread") {
		off, perr := number(args[2])
		if perr != nil {
			return perr
		}
		got, err = r.C.Pread(fd, buf, off)
	} else {
		got, err = r.C.Read(fd, buf)
	}
	if err == nil {
		fmt.Fprintf(r.Out, "%q (%d bytes)\n", buf[:got], got)
	}
	return err
}

// fdwrite serves fdwrite and pwrite.
func (r *Runner) fdwrite(args []string) error {
	fd, err := r.fd(args[0])
	if err != nil {
		return err
	}
	var n int
	if r.cmdIs("pwrite") {
		off, perr := number(args[1])
		if perr != nil {
			return perr
		}
		n, err = r.C.Pwrite(fd, []byte(args[2]), off)
	} else {
		n, err = r.C.Write(fd, []byte(args[1]))
	}
	if err == nil {
		fmt.Fprintf(r.Out, "wrote %d bytes\n", n)
	}
	return err
}

func (r *Runner) seek(args []string) error {
	fd, err := r.fd(args[0])
	if err != nil {
		return err
	}
	off, err := number(args[1])
	if err != nil {
		return err
	}
	whence, ok := map[string]int{"set": linux.SEEK_SET, "cur": linux.SEEK_CUR, "end": linux.SEEK_END}[args[2]]
	if !ok {
		whence = 99 // the server answers EINVAL
	}
	pos, err := r.C.Seek(fd, off, whence)
	if err == nil {
		fmt.Fprintf(r.Out, "offset %d\n", pos)
	}
	return err
}

func (r *Runner) fstat(args []string) error {
	fd, err := r.fd(args[0])
	if err != nil {
		return err
	}
	a, err := r.C.Fstat(fd)
	if err == nil {
		fmt.Fprintln(r.Out, describeAttr("fd "+args[0], a))
	}
	return err
}

func (r *Runner) ftruncate(args []string) error {
	fd, err := r.fd(args[0])
	if err != nil {
		return err
	}
	size, err := number(args[1])
	if err != nil {
		return err
	}
	return r.C.Ftruncate(fd, size)
}

func (r *Runner) fsync(args []string) error {
	fd, err := r.fd(args[0])
	if err != nil {
		return err
	}
	return r.C.Fsync(fd)
}
