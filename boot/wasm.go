package boot

import (
	"errors"
	"fmt"
	pathpkg "path"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/user/wasi"
)

// fileLoader is pm's Loader: a path the program table does not have is a
// program when its file, on the file server, starts with the WebAssembly
// magic; user/wasi runs it. pm reads the first bytes as itself, and its
// Exec hook then asks whether the caller may execute the file.
type fileLoader struct {
	pulse *kernel.Pulse // the system's, nil without a watchdog: compiles wait on the host
}

// Load implements pm.Loader.
func (l fileLoader) Load(sys ipc.Sys, path string) (pmproto.Program, error) {
	c, err := fsproto.Dial(sys)
	if err != nil {
		return nil, linux.ENOENT // no file server: no files
	}
	fd, err := c.Open(path, linux.O_RDONLY, 0)
	if err != nil {
		if errors.Is(err, linux.EISDIR) {
			return nil, linux.EACCES // as execve(2) of a directory
		}
		return nil, err
	}
	head := make([]byte, len(wasi.Magic))
	n, err := c.Read(fd, head)
	_ = c.Close(fd)
	if err != nil {
		return nil, err
	}
	if !wasi.IsModule(head[:n]) {
		return nil, linux.ENOEXEC
	}
	return wasi.Program(path, l.pulse.HostWait), nil
}

// PutFile writes data to the file at path on the system's disk, creating
// the directories on its way (0755, root's) and the file with mode: a
// way to place programs (WebAssembly modules) and their input on a new
// disk. It mounts the disk directly, as Mkfs does, so call it before the
// kernel runs, after FormatDisk or on an image.
func (s *System) PutFile(path string, data []byte, mode uint32) error {
	dev := s.BlockDev()
	if dev == nil {
		return fmt.Errorf("put %s: the system has no disk", path)
	}
	f, err := fs.Mount(dev, fs.Options{})
	if err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	if err := mkdirAll(f, pathpkg.Dir(path)); err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	fd, err := f.Open(ipc.KernelEndpoint, path, linux.O_CREAT|linux.O_WRONLY|linux.O_TRUNC, mode)
	if err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	if _, err := f.Write(ipc.KernelEndpoint, fd, data); err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	if err := f.Close(ipc.KernelEndpoint, fd); err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	return f.Sync()
}

// mkdirAll makes dir and its parents that are missing.
func mkdirAll(f *fs.FS, dir string) error {
	if dir == "/" {
		return nil
	}
	if err := mkdirAll(f, pathpkg.Dir(dir)); err != nil {
		return err
	}
	if err := f.Mkdir(dir, 0o755); err != nil && !errors.Is(err, linux.EEXIST) {
		return err
	}
	return nil
}
