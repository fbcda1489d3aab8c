package ulib

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Streams from the file server (fsproto's ReadDirStream and Follow): a
// directory read as one stream of frames with credit, and a file followed
// as it grows. Both survive a restart or live update of the file server
// the way requests do (file_fs.go): a stream its server's death ended
// (ECONNRESET) is opened again.

// ReadDirStreamed returns the entries of the directory at path, as
// ReadDir, read as one stream: for directories of thousands of entries
// (ls). /dev lists the devices whose services are there.
func (p *Proc) ReadDirStreamed(path string) ([]fsproto.DirEntry, error) {
	abs, err := p.abs(path)
	if err != nil {
		return nil, err
	}
	if name, ok := devPath(abs); ok {
		return p.readDevDir(name)
	}
	var es []fsproto.DirEntry
	err = p.fsRetry(true, func(c fsproto.Client) error {
		es = es[:0]
		return c.ReadDirStreamed(abs, func(e fsproto.DirEntry) bool {
			es = append(es, e)
			return true
		})
	})
	return es, err
}

// Follower follows a file of the file server as it grows (tail -f).
type Follower struct {
	p    *Proc
	f    *openFile
	s    fsproto.Follower
	seen int64
}

// Follow follows fd's file, whose size the caller has seen to be seen;
// ESPIPE for a stream (follow it by reading).
func (p *Proc) Follow(fd int, seen int64) (*Follower, error) {
	f, err := p.fsFile(fd)
	if err != nil {
		return nil, err
	}
	fl := &Follower{p: p, f: f, seen: seen}
	return fl, fl.open()
}

// open opens the stream, reopening the file after a restart.
func (fl *Follower) open() error {
	return fl.p.fdRetry(fl.f, func(c fsproto.Client, fd fsproto.FD) error {
		var err error
		fl.s, err = c.Follow(fd, fl.seen)
		return err
	})
}

// Next blocks until the file's size changes and returns the new size.
func (fl *Follower) Next() (int64, error) {
	for try := 0; ; try++ {
		n, err := fl.s.Next()
		if err == nil {
			fl.seen = n
			return n, nil
		}
		if try == maxRetries || !errors.Is(err, ipc.ErrServiceDied) && !errors.Is(err, linux.ESTALE) {
			return 0, err
		}
		if err := fl.open(); err != nil {
			return 0, err
		}
	}
}

// Stop stops following.
func (fl *Follower) Stop() { _ = fl.s.Stop() }
