package fsproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// oCreate are the flags of creat(2).
const oCreate = linux.O_WRONLY | linux.O_CREAT | linux.O_TRUNC

// Client makes file requests to the file server at Dst. It keeps no state:
// descriptors live in the server, keyed by the calling task.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
}

// Dial looks up the file service and returns a client of it.
func Dial(sys ipc.Sys) (Client, error) {
	dst, err := ipc.Dial(sys, Name)
	return Client{Sys: sys, Dst: dst}, err
}

// call makes one request and returns the reply, or the error of the call
// or of the reply (an errno the protocol does not document is EIO).
func (c Client) call(req *ipc.Message, x *ipc.Extra) (ipc.Message, error) {
	return ipc.Do(c.Sys, c.Dst, req, x, Errnos)
}

// pathCall makes a request that names one path, with recv as the receive
// window (nil for none).
func (c Client) pathCall(t ipc.Type, path string, recv []byte, words ...uint64) (ipc.Message, error) {
	req := ipc.Message{Type: t}
	for i, w := range words {
		req.SetWord(i, w)
	}
	req.SetWord(PathWord, uint64(len(path)))
	return c.call(&req, &ipc.Extra{Send: []byte(path), Recv: recv})
}

// twoPaths makes a request that names two paths.
func (c Client) twoPaths(t ipc.Type, a, b string) error {
	req := ipc.Message{Type: t}
	req.SetWord(0, uint64(len(a)))
	req.SetWord(1, uint64(len(b)))
	_, err := c.call(&req, &ipc.Extra{Send: []byte(a + b)})
	return err
}

// fdCall makes a request on descriptor fd with the given further words.
func (c Client) fdCall(t ipc.Type, fd FD, x *ipc.Extra, words ...uint64) (ipc.Message, error) {
	req := ipc.Message{Type: t}
	req.SetWord(0, uint64(fd))
	for i, w := range words {
		req.SetWord(i+1, w)
	}
	return c.call(&req, x)
}

// Open opens path with flags (linux.O_RDONLY, O_WRONLY, O_RDWR, O_CREAT,
// O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW) and, for a file it
// creates, permission bits mode.
func (c Client) Open(path string, flags int, mode uint32) (FD, error) {
	rep, err := c.pathCall(Open, path, nil, uint64(flags), uint64(mode))
	return FD(rep.Word(0)), err
}

// Create opens path for writing, creating or truncating it, as creat(2).
func (c Client) Create(path string, mode uint32) (FD, error) {
	return c.Open(path, oCreate, mode)
}

// Read reads up to len(buf) bytes (at most ipc.MaxBulk) at the
// descriptor's offset; 0 bytes and no error is the end of the file.
func (c Client) Read(fd FD, buf []byte) (int, error) {
	buf = buf[:min(len(buf), ipc.MaxBulk)]
	rep, err := c.fdCall(Read, fd, &ipc.Extra{Recv: buf}, uint64(len(buf)))
	return count(rep.Word(0), len(buf), err)
}

// count checks a byte count a reply carries against the most it may be: a
// server that answers garbage gets EIO, never a count past the buffer.
func count(n uint64, most int, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	got, ok := ipc.Count(n, most)
	if !ok {
		return 0, ipc.ErrBadReply
	}
	return got, nil
}

// Pread reads up to len(buf) bytes (at most ipc.MaxBulk) at offset off.
func (c Client) Pread(fd FD, buf []byte, off int64) (int, error) {
	buf = buf[:min(len(buf), ipc.MaxBulk)]
	rep, err := c.fdCall(Pread, fd, &ipc.Extra{Recv: buf}, uint64(len(buf)), uint64(off))
	return count(rep.Word(0), len(buf), err)
}

// ReadFile opens path, reads it to the end and closes it.
func (c Client) ReadFile(path string) ([]byte, error) {
	fd, err := c.Open(path, linux.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer c.Close(fd)
	var out []byte
	buf := make([]byte, ipc.MaxBulk)
	for {
		n, err := c.Read(fd, buf)
		out = append(out, buf[:n]...)
		if err != nil || n == 0 {
			return out, err
		}
	}
}

// Write writes all of data at the descriptor's offset (at the end with
// O_APPEND), in requests of at most ipc.MaxBulk bytes, and returns the
// bytes written; fewer than len(data) only with an error.
func (c Client) Write(fd FD, data []byte) (int, error) {
	return c.writeAll(Write, fd, data, 0)
}

// Pwrite writes all of data at offset off.
func (c Client) Pwrite(fd FD, data []byte, off int64) (int, error) {
	return c.writeAll(Pwrite, fd, data, off)
}

func (c Client) writeAll(t ipc.Type, fd FD, data []byte, off int64) (int, error) {
	done := 0
	for {
		chunk := data[done:min(len(data), done+ipc.MaxBulk)]
		rep, err := c.fdCall(t, fd, &ipc.Extra{Send: chunk}, uint64(len(chunk)), uint64(off+int64(done)))
		n, err := count(rep.Word(0), len(chunk), err)
		done += n
		if err != nil || done == len(data) {
			return done, err
		}
		if n == 0 {
			return done, ipc.ErrBadReply // no progress: a correct server never does this
		}
	}
}

// Seek sets the descriptor's offset as lseek(2) does and returns it.
func (c Client) Seek(fd FD, off int64, whence int) (int64, error) {
	rep, err := c.fdCall(Seek, fd, nil, uint64(off), uint64(whence))
	if err != nil {
		return 0, err
	}
	if int64(rep.Word(0)) < 0 {
		return 0, ipc.ErrBadReply // an offset is never negative
	}
	return int64(rep.Word(0)), nil
}

// Close closes the descriptor.
func (c Client) Close(fd FD) error {
	_, err := c.fdCall(Close, fd, nil)
	return err
}

// Fsync returns when everything written so far is on the disk.
func (c Client) Fsync(fd FD) error {
	_, err := c.fdCall(Fsync, fd, nil)
	return err
}

// Ftruncate sets the size of the descriptor's file.
func (c Client) Ftruncate(fd FD, size int64) error {
	_, err := c.fdCall(Ftruncate, fd, nil, uint64(size))
	return err
}

// Fstat describes the descriptor's file.
func (c Client) Fstat(fd FD) (Attr, error) {
	var b [AttrSize]byte
	_, err := c.fdCall(Fstat, fd, &ipc.Extra{Recv: b[:]})
	return DecodeAttr(b[:]), err
}

// Stat describes the file at path, following symbolic links.
func (c Client) Stat(path string) (Attr, error) { return c.stat(Stat, path) }

// Lstat describes the file at path; a final symbolic link is not followed.
func (c Client) Lstat(path string) (Attr, error) { return c.stat(Lstat, path) }

func (c Client) stat(t ipc.Type, path string) (Attr, error) {
	var b [AttrSize]byte
	_, err := c.pathCall(t, path, b[:])
	return DecodeAttr(b[:]), err
}

// Mkdir creates the directory path.
func (c Client) Mkdir(path string, mode uint32) error {
	_, err := c.pathCall(Mkdir, path, nil, uint64(mode))
	return err
}

// Rmdir removes the empty directory path.
func (c Client) Rmdir(path string) error {
	_, err := c.pathCall(Rmdir, path, nil)
	return err
}

// Unlink removes the name path of a file that is not a directory.
func (c Client) Unlink(path string) error {
	_, err := c.pathCall(Unlink, path, nil)
	return err
}

// Rename renames oldpath to newpath atomically, replacing newpath.
func (c Client) Rename(oldpath, newpath string) error { return c.twoPaths(Rename, oldpath, newpath) }

// Link makes newpath a new name of oldpath.
func (c Client) Link(oldpath, newpath string) error { return c.twoPaths(Link, oldpath, newpath) }

// Symlink makes path a symbolic link to target.
func (c Client) Symlink(target, path string) error { return c.twoPaths(Symlink, target, path) }

// Readlink returns the target of the symbolic link path.
func (c Client) Readlink(path string) (string, error) {
	buf := make([]byte, PathMax)
	rep, err := c.pathCall(Readlink, path, buf)
	n, err := count(rep.Word(0), len(buf), err)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// Truncate sets the size of the file at path.
func (c Client) Truncate(path string, size int64) error {
	_, err := c.pathCall(Truncate, path, nil, uint64(size))
	return err
}

// Chmod sets the permission bits of the file at path.
func (c Client) Chmod(path string, mode uint32) error {
	_, err := c.pathCall(Chmod, path, nil, uint64(mode))
	return err
}

// Chown sets the owner and group of the file at path (KeepID leaves one
// as it is).
func (c Client) Chown(path string, uid, gid uint32) error {
	_, err := c.pathCall(Chown, path, nil, uint64(uid), uint64(gid))
	return err
}

// Access checks that the caller may use the file at path as mode
// (AccessR|AccessW|AccessX; 0: that it exists), as access(2).
func (c Client) Access(path string, mode uint32) error {
	_, err := c.pathCall(Access, path, nil, uint64(mode))
	return err
}

// AccessAs checks what cred may do with the file at path: only a root
// caller may ask for other credentials than its own.
func (c Client) AccessAs(path string, mode uint32, cred ipc.Cred) error {
	_, err := c.pathCall(Access, path, nil, uint64(mode), 1, uint64(cred.UID), uint64(cred.GID))
	return err
}

// Sync returns when every change made so far is on the disk.
func (c Client) Sync() error {
	_, err := c.call(&ipc.Message{Type: Sync}, nil)
	return err
}

// Release closes every descriptor of the calling task.
func (c Client) Release() error {
	_, err := c.call(&ipc.Message{Type: Release}, nil)
	return err
}

// Statfs returns the file system's sizes and free space.
func (c Client) Statfs() (Fsinfo, error) {
	rep, err := c.call(&ipc.Message{Type: Statfs}, nil)
	if err != nil {
		return Fsinfo{}, err
	}
	fi := Fsinfo{BlockSize: int(int32(rep.Word(0))), Blocks: int64(rep.Word(1)), FreeBlocks: int64(rep.Word(2)),
		Inodes: int64(rep.Word(3)), FreeInodes: int64(rep.Word(4)), NameMaxSize: int(int32(rep.Word(5)))}
	if !fi.believable() || rep.Word(0)>>31 != 0 || rep.Word(5)>>31 != 0 {
		return Fsinfo{}, ipc.ErrBadReply
	}
	return fi, nil
}

// ReadDir returns every entry of the directory at path, "." and ".."
// included, in the directory's order.
func (c Client) ReadDir(path string) ([]DirEntry, error) {
	buf := make([]byte, 8<<10)
	var out []DirEntry
	var cookie uint64
	for {
		rep, err := c.pathCall(ReadDir, path, buf, cookie, uint64(len(buf)))
		used, err := count(rep.Word(2), len(buf), err)
		if err != nil {
			return out, err
		}
		out = append(out, DecodeDirEntries(buf[:used])...)
		if rep.Word(3) == 1 || rep.Word(1) == 0 {
			return out, nil
		}
		cookie = rep.Word(0)
	}
}
