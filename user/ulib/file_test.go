package ulib_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/memdev"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
	"github.com/mkos/mkos/servers/pipe"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/ulib"
)

// runFiles boots a kernel with pm, a file server on a fresh memory disk,
// pipes and the memory devices, all in the kernel, and runs body as init
// (its descriptors closed at the end, as ulib.Main does).
func runFiles(t *testing.T, progs map[string]pmproto.Program, body func(p *ulib.Proc)) {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1, MaxTimeNs: 10_000 * ms})
	require.NoError(t, err)
	dev := bdev.NewMem(layout.BlockSize, (8<<20)/layout.BlockSize)
	sb, err := layout.Plan(8<<20, 0, 0)
	require.NoError(t, err)
	require.NoError(t, layout.Format(dev, sb, 0))
	for name, srv := range map[string]ipc.Server{
		pmproto.Name:            pm.New(pm.Options{Programs: progs}),
		fsproto.Name:            fs.NewOn(dev, fs.Options{}),
		streamproto.PipeService: pipe.New(pipe.Options{}),
		streamproto.Memdev:      memdev.New(memdev.Options{}),
	} {
		_, err = k.Place(name, srv)
		require.NoError(t, err)
	}
	_, err = k.Spawn(pm.Adopt("init", ulib.Main(func(p *ulib.Proc, _, _ []string) int { body(p); return 0 }), nil, nil))
	require.NoError(t, err)
	require.NoError(t, k.Run())
}

// upper copies its standard input to its standard output in capitals and
// says where it runs on its standard error.
var upper = ulib.Main(func(p *ulib.Proc, _, _ []string) int {
	data, err := io.ReadAll(p.File(0))
	if err != nil {
		return 1
	}
	p.Write(1, bytes.ToUpper(data))
	p.Fprintf(2, "cwd %s\n", p.Getcwd())
	return 0
})

// A child's descriptors: a file of the file server (reopened, at the
// parent's offset), a pipe's write end (a handle of its own) and a file
// for its errors; and the working directory.
func TestDescriptorsAcrossSpawn(t *testing.T) {
	var got, errs string
	var status linux.WaitStatus
	runFiles(t, map[string]pmproto.Program{"/bin/upper": upper}, func(p *ulib.Proc) {
		require.NoError(t, p.Mkdir("/d", 0o755))
		require.NoError(t, p.Chdir("/d"))
		require.NoError(t, p.WriteFile("in", []byte("skip\nhello\nworld\n"), 0o644))
		in, err := p.Open("in", linux.O_RDONLY, 0)
		require.NoError(t, err)
		_, err = p.Read(in, make([]byte, 5)) // the child starts after "skip\n"
		require.NoError(t, err)
		errFd, err := p.Create("/d/err", 0o644)
		require.NoError(t, err)
		r, w, err := p.Pipe()
		require.NoError(t, err)
		_, err = p.SpawnFiles("/bin/upper", nil, nil, []int{in, w, errFd}, nil)
		require.NoError(t, err)
		for _, fd := range []int{in, w, errFd} {
			require.NoError(t, p.Close(fd))
		}
		out, err := io.ReadAll(p.File(r))
		require.NoError(t, err)
		got = string(out)
		_, status, _ = p.Wait()
		e, err := p.ReadFile("/d/err")
		require.NoError(t, err)
		errs = string(e)
	})
	assert.Equal(t, "HELLO\nWORLD\n", got, "the pipe ends when the child's handle closes")
	assert.Equal(t, "cwd /d\n", errs)
	assert.Zero(t, status)
}

// Writers that take turns on a file passed on at its end append to it,
// the parent too.
func TestFileSharedAtItsEnd(t *testing.T) {
	var got string
	say := ulib.Main(func(p *ulib.Proc, argv, _ []string) int {
		p.Fprintf(1, "%s\n", argv[1])
		return 0
	})
	runFiles(t, map[string]pmproto.Program{"/bin/say": say}, func(p *ulib.Proc) {
		fd, err := p.Create("/log", 0o644)
		require.NoError(t, err)
		for _, word := range []string{"a", "b"} {
			_, err = p.SpawnFiles("/bin/say", []string{"say", word}, nil, []int{-1, fd, -1}, nil)
			require.NoError(t, err)
			_, _, err = p.Wait()
			require.NoError(t, err)
		}
		p.Fprintf(fd, "parent\n")
		require.NoError(t, p.Close(fd))
		data, err := p.ReadFile("/log")
		require.NoError(t, err)
		got = string(data)
	})
	assert.Equal(t, "a\nb\nparent\n", got)
}

func TestDupSharesTheOffset(t *testing.T) {
	runFiles(t, nil, func(p *ulib.Proc) {
		fd, err := p.Open("/f", linux.O_RDWR|linux.O_CREAT, 0o600)
		require.NoError(t, err)
		assert.Equal(t, 0, fd, "the lowest free number")
		_, err = p.Write(fd, []byte("0123456789"))
		require.NoError(t, err)
		dup, err := p.Dup(fd)
		require.NoError(t, err)
		pos, err := p.Lseek(dup, 2, linux.SEEK_SET)
		require.NoError(t, err)
		assert.Equal(t, int64(2), pos)
		buf := make([]byte, 3)
		n, err := p.Read(fd, buf)
		require.NoError(t, err)
		assert.Equal(t, "234", string(buf[:n]), "one open file, one offset")
		n, err = p.Pread(fd, buf, 7)
		require.NoError(t, err)
		assert.Equal(t, "789", string(buf[:n]))
		_, err = p.Dup2(fd, 9)
		require.NoError(t, err)
		require.NoError(t, p.Close(fd))
		require.NoError(t, p.Close(dup))
		a, err := p.Fstat(9)
		require.NoError(t, err)
		assert.Equal(t, int64(10), a.Size, "the file stays open while a number shares it")
		require.NoError(t, p.Close(9))
		_, err = p.Read(9, buf)
		assert.ErrorIs(t, err, linux.EBADF)
		assert.ErrorIs(t, p.Close(42), linux.EBADF)
		_, err = p.Lseek(p.File(0).Fd(), 0, 0)
		assert.ErrorIs(t, err, linux.EBADF)
	})
}

func TestPathsAndDevices(t *testing.T) {
	runFiles(t, nil, func(p *ulib.Proc) {
		require.NoError(t, p.Mkdir("/a", 0o755))
		require.NoError(t, p.Chdir("/a"))
		require.NoError(t, p.WriteFile("f", []byte("data"), 0o644))
		require.NoError(t, p.Rename("f", "../g"))
		require.NoError(t, p.Link("/g", "h"))
		require.NoError(t, p.Symlink("/g", "s"))
		target, err := p.Readlink("s")
		require.NoError(t, err)
		assert.Equal(t, "/g", target)
		a, err := p.Stat("s")
		require.NoError(t, err)
		assert.Equal(t, uint32(2), a.Nlink)
		require.NoError(t, p.Truncate("h", 2))
		require.NoError(t, p.Chmod("h", 0o600))
		a, err = p.Lstat("/g")
		require.NoError(t, err)
		assert.Equal(t, int64(2), a.Size)
		assert.Equal(t, uint32(0o600), a.Mode&0o777)
		es, err := p.ReadDir(".")
		require.NoError(t, err)
		var names []string
		for _, e := range es {
			names = append(names, e.Name)
		}
		assert.ElementsMatch(t, []string{".", "..", "h", "s"}, names)
		require.NoError(t, p.Unlink("h"))
		require.NoError(t, p.Unlink("s"))
		require.NoError(t, p.Chdir(".."))
		require.NoError(t, p.Rmdir("a"))
		assert.ErrorIs(t, p.Chdir("/g"), linux.ENOTDIR)
		_, err = p.Open("", linux.O_RDONLY, 0)
		assert.ErrorIs(t, err, linux.ENOENT)

		es, err = p.ReadDir("/dev")
		require.NoError(t, err)
		names = nil
		for _, e := range es {
			names = append(names, e.Name)
		}
		assert.Equal(t, []string{".", "..", "full", "null", "random", "zero"}, names, "no tty in this system")
		null, err := p.Open("/dev/null", linux.O_RDWR, 0)
		require.NoError(t, err)
		n, err := p.Read(null, make([]byte, 8))
		assert.NoError(t, err)
		assert.Zero(t, n, "/dev/null reads as end of file")
		zero, err := p.Open("/dev/zero", linux.O_RDONLY, 0)
		require.NoError(t, err)
		buf := []byte("xxxx")
		n, _ = p.Read(zero, buf)
		assert.Equal(t, []byte{0, 0, 0, 0}, buf[:n])
		_, err = p.Open("/dev/tty", linux.O_RDWR, 0)
		assert.ErrorIs(t, err, linux.ENXIO)
		_, err = p.Open("/dev/nope", linux.O_RDWR, 0)
		assert.ErrorIs(t, err, linux.ENOENT)
		assert.ErrorIs(t, p.Unlink("/dev/null"), linux.EPERM)
		assert.False(t, p.Isatty(null))
		_, err = p.Lseek(null, 0, linux.SEEK_SET)
		assert.ErrorIs(t, err, linux.ESPIPE)
	})
}

func TestStrerror(t *testing.T) {
	assert.Equal(t, "no such file or directory", ulib.Strerror(linux.ENOENT))
	assert.True(t, strings.HasPrefix(ulib.Strerror(linux.ESTALE), "stale file handle (the file server restarted"))
	assert.Equal(t, "unexpected EOF", ulib.Strerror(io.ErrUnexpectedEOF))
}
