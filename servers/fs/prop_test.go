package fs_test

// Property tests (pgregory.net/rapid): random sequences of operations on
// the file server and on the model (model_test.go) give the same result,
// operation by operation — on the engine directly, and through the kernel
// in every placement.

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
)

// target is what an operation runs on: the model, the engine, or a client
// of the server.
type target interface {
	Open(path string, flags int, mode uint32) (int, error)
	Close(fd int) error
	Read(fd, n int) ([]byte, error)
	Pread(fd, n int, off int64) ([]byte, error)
	Write(fd int, data []byte) (int, error)
	Pwrite(fd int, data []byte, off int64) (int, error)
	Seek(fd int, off int64, whence int) (int64, error)
	Fstat(fd int) (fsproto.Attr, error)
	Ftruncate(fd int, size int64) error
	Fsync(fd int) error
	Stat(path string) (fsproto.Attr, error)
	Lstat(path string) (fsproto.Attr, error)
	Mkdir(path string, mode uint32) error
	Rmdir(path string) error
	Unlink(path string) error
	Rename(oldpath, newpath string) error
	Link(oldpath, newpath string) error
	Symlink(target, path string) error
	Readlink(path string) (string, error)
	Truncate(path string, size int64) error
	Chmod(path string, mode uint32) error
	ReadDir(path string) ([]string, error)
}

// op is one drawn operation.
type op struct {
	kind        string
	path, path2 string
	flags       int
	mode        uint32
	fd, n       int
	off         int64
	whence      int
	data        []byte
}

func (o op) String() string {
	return fmt.Sprintf("%s(%q %q flags=%#o mode=%o fd=%d n=%d off=%d whence=%d len=%d)",
		o.kind, o.path, o.path2, o.flags, o.mode, o.fd, o.n, o.off, o.whence, len(o.data))
}

// run runs o on tg and renders the result.
func (o op) run(tg target) string {
	switch o.kind {
	case "open":
		fd, err := tg.Open(o.path, o.flags, o.mode)
		return result(err, fd)
	case "close":
		return result(tg.Close(o.fd))
	case "read":
		b, err := tg.Read(o.fd, o.n)
		return result(err, string(b))
	case "pread":
		b, err := tg.Pread(o.fd, o.n, o.off)
		return result(err, string(b))
	case "write":
		n, err := tg.Write(o.fd, o.data)
		return result(err, n)
	case "pwrite":
		n, err := tg.Pwrite(o.fd, o.data, o.off)
		return result(err, n)
	case "seek":
		pos, err := tg.Seek(o.fd, o.off, o.whence)
		return result(err, pos)
	case "fstat":
		return attrResult(tg.Fstat(o.fd))
	case "ftruncate":
		return result(tg.Ftruncate(o.fd, o.off))
	case "fsync":
		return result(tg.Fsync(o.fd))
	case "stat":
		return attrResult(tg.Stat(o.path))
	case "lstat":
		return attrResult(tg.Lstat(o.path))
	}
	return o.runName(tg)
}

func (o op) runName(tg target) string {
	switch o.kind {
	case "mkdir":
		return result(tg.Mkdir(o.path, o.mode))
	case "rmdir":
		return result(tg.Rmdir(o.path))
	case "unlink":
		return result(tg.Unlink(o.path))
	case "rename":
		return result(tg.Rename(o.path, o.path2))
	case "link":
		return result(tg.Link(o.path, o.path2))
	case "symlink":
		return result(tg.Symlink(o.path2, o.path))
	case "readlink":
		t, err := tg.Readlink(o.path)
		return result(err, t)
	case "truncate":
		return result(tg.Truncate(o.path, o.off))
	case "chmod":
		return result(tg.Chmod(o.path, o.mode))
	case "readdir":
		names, err := tg.ReadDir(o.path)
		sort.Strings(names)
		return result(err, strings.Join(names, ","))
	}
	panic("unknown op " + o.kind)
}

func result(err error, v ...any) string {
	if err != nil {
		var e linux.Errno
		if errors.As(err, &e) {
			return "error " + linux.ErrnoName(e)
		}
		return "error " + err.Error()
	}
	return fmt.Sprint(append([]any{"ok"}, v...)...)
}

func attrResult(a fsproto.Attr, err error) string {
	if err != nil {
		return result(err)
	}
	size := fmt.Sprint(a.Size)
	if a.IsDir() {
		size = "dir"
	}
	return fmt.Sprintf("ok %o nlink=%d size=%s", a.Mode, a.Nlink, size)
}

// The pools operations draw from: few names, so that they collide. rapid
// draws small indices more often, so each pool starts with its most useful
// entries.
var (
	propPaths = []string{"/a", "/d", "/d/a", "/b", "/s", "/d/e", "/d/e/f", "/d/s", "/a/", "/d/", "/",
		"/d/.", "/d/..", "/d/../a", "b", "/nx/a", "/a/x", "/s/a", "/" + strings.Repeat("n", 59)}
	propTargets = []string{"/a", "a", "/d", "../a", "/s", "e", "/nowhere", "d/e/f", ""}
	propKinds   = []string{"open", "open", "open", "write", "write", "write", "read", "read", "close",
		"mkdir", "stat", "pwrite", "pread", "rename", "rename", "unlink", "symlink", "link", "seek", "fstat",
		"readdir", "truncate", "ftruncate", "rmdir", "lstat", "readlink", "fsync", "chmod"}
	propFlags = []int{
		linux.O_RDWR | linux.O_CREAT, linux.O_RDONLY, linux.O_WRONLY | linux.O_CREAT | linux.O_TRUNC,
		linux.O_WRONLY | linux.O_APPEND | linux.O_CREAT, linux.O_RDWR, linux.O_WRONLY,
		linux.O_RDONLY | linux.O_DIRECTORY, linux.O_RDWR | linux.O_CREAT | linux.O_EXCL, linux.O_RDONLY | linux.O_NOFOLLOW,
		linux.O_RDWR | linux.O_TRUNC, linux.O_WRONLY | linux.O_CREAT | linux.O_NOFOLLOW, linux.O_RDONLY | linux.O_TRUNC,
		linux.O_RDWR | linux.O_APPEND, linux.O_ACCMODE, linux.O_CREAT | linux.O_DIRECTORY, linux.O_WRONLY | linux.O_DIRECTORY,
	}
)

func drawOp(t *rapid.T) op {
	o := op{kind: rapid.SampledFrom(propKinds).Draw(t, "kind")}
	o.path = rapid.SampledFrom(propPaths).Draw(t, "path")
	switch o.kind {
	case "rename", "link":
		o.path2 = rapid.SampledFrom(propPaths).Draw(t, "path2")
	case "symlink":
		o.path2 = rapid.SampledFrom(propTargets).Draw(t, "target")
	case "open":
		o.flags = rapid.SampledFrom(propFlags).Draw(t, "flags")
	}
	o.mode = uint32(rapid.SampledFrom([]int{0o644, 0o755, 0o600, 0o1777}).Draw(t, "mode"))
	o.fd = rapid.SampledFrom([]int{3, 4, 5, 3, 6, 2}).Draw(t, "fd")
	o.n = rapid.SampledFrom([]int{100, 9000, 1, 0, 4096, 5000}).Draw(t, "n")
	o.off = rapid.SampledFrom([]int64{0, 100, 4096, 1, 5000, 4095, 50000, -1, 1 << 22}).Draw(t, "off")
	o.whence = rapid.IntRange(0, 3).Draw(t, "whence")
	if o.kind == "write" || o.kind == "pwrite" {
		size := rapid.SampledFrom([]int{10, 5000, 1, 4096, 9000, 0}).Draw(t, "size")
		fill := rapid.Byte().Draw(t, "fill")
		o.data = []byte(strings.Repeat(string(rune(fill%26+'a')), size))
	}
	return o
}

// setupOps start every sequence with a small tree and open files, so that
// the drawn operations find something to work on.
var setupOps = []op{
	{kind: "mkdir", path: "/d", mode: 0o755},
	{kind: "mkdir", path: "/d/e", mode: 0o755},
	{kind: "open", path: "/a", flags: linux.O_RDWR | linux.O_CREAT, mode: 0o644},
	{kind: "write", fd: 3, data: []byte(strings.Repeat("x", 6000))},
	{kind: "symlink", path: "/s", path2: "/a"},
	{kind: "open", path: "/d/a", flags: linux.O_WRONLY | linux.O_CREAT, mode: 0o600},
}

// drawOps draws a sequence of operations after setupOps.
func drawOps(t *rapid.T, lo, hi int) []op {
	return append(append([]op(nil), setupOps...), rapid.SliceOfN(rapid.Custom(drawOp), lo, hi).Draw(t, "ops")...)
}

// checkAgainstModel runs ops on tg and the model, comparing each result.
func checkAgainstModel(t interface{ Fatalf(string, ...any) }, ops []op, results []string) {
	m := newModel()
	for i, o := range ops {
		want := o.run(m)
		if want == result(errDirEnd) {
			continue
		}
		if results[i] != want {
			t.Fatalf("op %d %v: server %q, model %q", i, o, results[i], want)
		}
	}
}

func TestPropertyEngineMatchesModel(t *testing.T) {
	fresh := newDev(t, 16<<20)
	rapid.Check(t, func(rt *rapid.T) {
		ops := drawOps(rt, 1, 80)
		f, err := fs.Mount(fresh.Clone(), fs.Options{})
		if err != nil {
			rt.Fatalf("mount: %v", err)
		}
		tg := &engineTarget{f: f, fds: map[int]fsproto.FD{}}
		results := make([]string, len(ops))
		for i, o := range ops {
			results[i] = o.run(tg)
		}
		checkAgainstModel(rt, ops, results)
	})
}

func TestPropertyServerMatchesModel(t *testing.T) {
	fresh := newDev(t, 16<<20)
	rapid.Check(t, func(rt *rapid.T) {
		ops := drawOps(rt, 1, 40)
		for _, p := range placements {
			results := make([]string, len(ops))
			b := boot(t, sysConf{placement: p, dev: fresh.Clone()}, func(sys ipc.Sys) {
				tg := &clientTarget{c: client(sys), fds: map[int]fsproto.FD{}}
				for i, o := range ops {
					results[i] = o.run(tg)
				}
			})
			if err := b.k.Run(); err != nil {
				rt.Fatalf("%s: %v", p, err)
			}
			checkAgainstModel(rt, ops, results)
		}
	})
}
