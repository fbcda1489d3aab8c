package mm

import (
	"errors"
	"sort"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Files behind mappings. LECTURE: mmap-file
//
// mm reaches a mapped file the way any program does: through the file
// server's protocol (fsproto), by path. It opens the file when it is
// mapped (checking the access mode and that it is a regular file) and
// remembers it by inode and access mode (fileRef): the path is how it
// opens the file again, the inode how it checks that the name still
// names the same file.
//
//   - A fault on a file page reads it (Pread) into the new frame: a major
//     fault. Bytes past the end of the file read as zeros.
//   - A shared file mapping's pages belong to the file's object (one per
//     inode, whoever maps it): a written page is written back (Pwrite)
//     when it is evicted, by msync (which also fsyncs), and when the
//     last mapping of it goes (munmap, Release). Never past the end of
//     the file: a mapping does not grow its file, as in POSIX.
//   - A private file mapping reads the file until a page is written;
//     written pages go to swap like anonymous ones, never to the file.
//
// How mm knows a page was written: the kernel sets the entry's dirty bit.
// Writing a page back, mm first makes every entry of it read-only (so no
// write slips in during the I/O), and afterwards maps the frame again in
// place, which clears the dirty bit.
//
// Descriptors. In its own task mm keeps one descriptor per file and
// access mode, opened on first use, again after the file server restarts
// (ESTALE), and closed when the last mapping of the file goes. Placed in
// the kernel, mm has no descriptor table of its own: its calls are made
// on behalf of the task in whose trap it runs, so it opens the file for
// each transfer and closes it after (a file therefore cannot be paged
// once its name is gone; see "What needs the kernel" in doc.go).
//
// Not done: the page cache is not shared with read(2) and write(2). A
// write(2) to a file is not seen by a resident page of a mapping of it,
// and a written mapped page overwrites it when written back — as in the
// Unix systems before a unified buffer cache.

// fileRef is a file that mappings are backed by.
type fileRef struct {
	path  string // the name it was last mapped by
	ino   uint64
	write bool       // opened O_RDWR: its pages may be written back
	fd    fsproto.FD // mm's descriptor, when open is set (mm in its own task)
	open  bool
}

// fileKey names a fileRef: one per file and access mode.
type fileKey struct {
	ino   uint64
	write bool
}

// inKernel reports whether mm runs placed in the kernel.
func inKernel(sys ipc.Sys) bool { return sys.Self() == ipc.KernelEndpoint }

// fsClient returns a client of the file server; ENODEV when there is
// none.
func (s *Server) fsClient(sys ipc.Sys) (fsproto.Client, error) {
	if !s.fsKnown {
		id, err := sys.Lookup(fsproto.Name)
		if err != nil {
			return fsproto.Client{}, linux.ENODEV
		}
		s.fsDst, s.fsKnown = ipc.ServiceEndpoint(id), true
	}
	return fsproto.Client{Sys: sys, Dst: s.fsDst}, nil
}

// openFile opens path read-only or read-write and describes it.
func openFile(c fsproto.Client, path string, write bool) (fsproto.FD, fsproto.Attr, error) {
	flags := linux.O_RDONLY
	if write {
		flags = linux.O_RDWR
	}
	fd, err := c.Open(path, flags, 0)
	if err != nil {
		return 0, fsproto.Attr{}, err
	}
	a, err := c.Fstat(fd)
	if err != nil {
		_ = c.Close(fd)
	}
	return fd, a, err
}

// mapFile opens path for a new mapping and returns mm's reference to the
// file: ENODEV for a file that is not a regular one.
func (s *Server) mapFile(sys ipc.Sys, path string, write bool) (*fileRef, ipc.Errno) {
	c, err := s.fsClient(sys)
	if err != nil {
		return nil, ipc.ErrnoOf(err)
	}
	fd, a, err := openFile(c, path, write)
	if err != nil {
		return nil, ipc.ErrnoOf(err)
	}
	if !a.IsRegular() {
		_ = c.Close(fd)
		return nil, linux.ENODEV
	}
	key := fileKey{a.Ino, write}
	f := s.files[key]
	if f == nil {
		f = &fileRef{ino: a.Ino, write: write}
		s.files[key] = f
	}
	f.path = path
	if inKernel(sys) || f.open {
		_ = c.Close(fd)
	} else {
		f.fd, f.open = fd, true
	}
	return f, 0
}

// reopen opens f by its path and checks that the name still names it.
func reopen(c fsproto.Client, f *fileRef) (fsproto.FD, error) {
	fd, a, err := openFile(c, f.path, f.write)
	if err != nil {
		return 0, err
	}
	if a.Ino != f.ino {
		_ = c.Close(fd)
		return 0, linux.ESTALE
	}
	return fd, nil
}

// withFile runs op on a descriptor of f (see Descriptors above).
func (s *Server) withFile(sys ipc.Sys, f *fileRef, op func(c fsproto.Client, fd fsproto.FD) error) error {
	c, err := s.fsClient(sys)
	if err != nil {
		return err
	}
	if inKernel(sys) {
		fd, err := reopen(c, f)
		if err != nil {
			return err
		}
		defer func() { _ = c.Close(fd) }()
		return op(c, fd)
	}
	for try := 0; ; try++ {
		if !f.open {
			fd, err := reopen(c, f)
			if err != nil {
				return err
			}
			f.fd, f.open = fd, true
		}
		err := op(c, f.fd)
		if try > 0 || !stale(err) {
			return err
		}
		f.open = false // the file server restarted: open it again, once
	}
}

// stale reports whether err says mm's descriptor is gone with a file
// server instance.
func stale(err error) bool {
	return errors.Is(err, linux.ESTALE) || errors.Is(err, linux.EBADF) || errors.Is(err, ipc.ErrServiceDied)
}

// backing returns the file that holds the page at va of r, and the
// page's index in it; nil for anonymous memory.
func backing(r *region, va uint64) (*fileRef, uint64) {
	switch {
	case r.obj != nil && r.obj.file != nil:
		return r.obj.file, r.objPage + (va-r.start)/ipc.PageSize
	case r.file != nil:
		return r.file, r.filePage + (va-r.start)/ipc.PageSize
	}
	return nil, 0
}

// readPage fills frame with page idx of f.
func (s *Server) readPage(sys ipc.Sys, f *fileRef, idx uint64, frame uint32) ipc.Errno {
	buf := s.pageBuf()
	n := 0
	err := s.withFile(sys, f, func(c fsproto.Client, fd fsproto.FD) error {
		for n < len(buf) {
			k, err := c.Pread(fd, buf[n:], int64(idx*ipc.PageSize)+int64(n))
			if err != nil || k == 0 {
				return err
			}
			n += k
		}
		return nil
	})
	if err != nil {
		return ioErr(err)
	}
	if n == 0 {
		return 0 // the frame is zero-filled already
	}
	return ipc.ErrnoOf(sys.VM(&ipc.VMRequest{Op: ipc.VMWriteFrame, Frame: frame, Buf: buf[:n]}))
}

// writePage writes frame, page idx of f, to the file, up to its end.
func (s *Server) writePage(sys ipc.Sys, f *fileRef, idx uint64, frame uint32) ipc.Errno {
	buf := s.pageBuf()
	if err := sys.VM(&ipc.VMRequest{Op: ipc.VMReadFrame, Frame: frame, Buf: buf}); err != nil {
		return ipc.ErrnoOf(err)
	}
	err := s.withFile(sys, f, func(c fsproto.Client, fd fsproto.FD) error {
		a, err := c.Fstat(fd)
		if err != nil {
			return err
		}
		off := int64(idx * ipc.PageSize)
		n := min(int64(ipc.PageSize), a.Size-off)
		if n <= 0 {
			return nil // wholly past the end of the file: never written
		}
		_, err = c.Pwrite(fd, buf[:n], off)
		return err
	})
	if err != nil {
		return ioErr(err)
	}
	return 0
}

// writeProtect makes every entry that maps the page named key read-only
// and reports the live ones and whether any was written.
func (s *Server) writeProtect(sys ipc.Sys, key Page) (live []target, dirty bool) {
	for _, t := range s.targets(key) {
		req := ipc.VMRequest{Op: ipc.VMProtect, Task: t.task, VA: t.va, Prot: ipc.ProtRead}
		if err := sys.VM(&req); err != nil {
			s.noteDead(t.task, err)
			continue
		}
		live = append(live, t)
		q, err := vm(sys, ipc.VMQuery, t.task, t.va)
		dirty = dirty || err == nil && q.Flags&ipc.PTEDirty != 0
	}
	return live, dirty
}

// cleanPage writes the resident page idx of file object o back if it was
// written, and leaves it resident and mapped as before, clean. It reports
// whether it wrote.
func (s *Server) cleanPage(sys ipc.Sys, o *object, idx uint64, pg *page) (bool, ipc.Errno) {
	live, dirty := s.writeProtect(sys, Page{Space: sharedSpace | o.id, VPN: idx})
	dirty = dirty || pg.dirty
	var e ipc.Errno
	if dirty && len(live) > 0 {
		e = s.writePage(sys, o.file, idx, pg.frame)
	}
	wrote := dirty && len(live) > 0 && e == 0
	if wrote {
		pg.dirty = false
	}
	for _, t := range live {
		prot := s.spaces[t.task].find(t.va).prot
		if wrote {
			s.mapInto(sys, t.task, t.va, pg.frame, prot, shareName(o)) // in place: clears the dirty bit
			continue
		}
		req := ipc.VMRequest{Op: ipc.VMProtect, Task: t.task, VA: t.va, Prot: prot}
		s.noteDead(t.task, sys.VM(&req))
	}
	return wrote, e
}

// fileGone notes that a mapping of a file went: its descriptor may be
// closed at the end of the request.
func (s *Server) fileGone(r *region) {
	if r.file != nil || r.obj != nil && r.obj.file != nil {
		s.filesChanged = true
	}
}

// closeUnused forgets the files no mapping uses any more and closes mm's
// descriptors of them.
func (s *Server) closeUnused(sys ipc.Sys) {
	s.filesChanged = false
	used := map[*fileRef]bool{}
	for _, sp := range s.spaces {
		for _, r := range sp.regions {
			used[r.file] = true
		}
	}
	for _, o := range s.shared {
		used[o.file] = true
	}
	keys := make([]fileKey, 0, len(s.files))
	for k, f := range s.files {
		if !used[f] {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].ino < keys[j].ino || keys[i].ino == keys[j].ino && !keys[i].write && keys[j].write
	})
	for _, k := range keys {
		f := s.files[k]
		delete(s.files, k)
		if f.open {
			if c, err := s.fsClient(sys); err == nil {
				_ = c.Close(f.fd)
			}
		}
	}
}
