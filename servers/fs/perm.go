package fs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Permissions. LECTURE: permissions
//
// Every operation acts for a caller: the credentials (uid, gid) of the
// process that asked. The server never takes them from a request — a
// program could write any uid there — but from the kernel, which keeps
// them where no program can write (ipc.Sys.Cred); it reads them at most
// once per request, and only for a request that checks something
// (SetCaller). The checks are Unix's:
//
//   - a file's mode holds three sets of rwx bits: for its owner, for its
//     group, for everyone else; a caller gets the first set that applies
//     (owner, else group, else other). Root (uid 0) may do everything,
//     except execute a regular file that no one may execute;
//   - resolving a path needs search (x) on every directory it passes
//     through; opening needs r and/or w on the file as the flags ask;
//     creating, removing or renaming a name needs w and x on its directory;
//     listing a directory needs r on it;
//   - in a sticky directory (mode 01000, as /tmp) only the owner of a file,
//     the owner of the directory, or root may remove or rename the file
//     (EPERM otherwise);
//   - chmod is for the file's owner and root; chown's owner change is for
//     root only, its group change for the owner, to the owner's own group
//     (EPERM otherwise).
//
// Refusals by mode are EACCES, by ownership EPERM, as Linux. A process has
// one group: there are no supplementary groups.

// The permission bits asked of a file's mode (as fsproto.Access*).
const (
	permX = 1
	permW = 2
	permR = 4
)

// nobody is the caller of a request whose sender died before the server
// could read its credentials: it may do only what everyone may.
var nobody = ipc.Cred{UID: 65534, GID: 65534}

// SetCaller makes the next operations act for the credentials cred
// returns; the file system calls it at most once, when an operation first
// needs them, until the next SetCaller. nil acts as root (tools, tests).
func (f *FS) SetCaller(cred func() ipc.Cred) {
	f.credFn, f.cred, f.credOK = cred, ipc.Root, cred == nil
}

// As makes the next operations act for c: SetCaller with fixed
// credentials.
func (f *FS) As(c ipc.Cred) { f.SetCaller(func() ipc.Cred { return c }) }

// caller returns the credentials the running operation acts for.
func (f *FS) caller() ipc.Cred {
	if !f.credOK {
		f.cred, f.credOK = f.credFn(), true
	}
	return f.cred
}

// may checks that the caller may use ip as want (permR|permW|permX asks).
func (f *FS) may(ip *inode, want uint32) error {
	c, mode := f.caller(), uint32(ip.Mode)
	if c.IsRoot() {
		if want&permX != 0 && !ip.IsDir() && mode&0o111 == 0 {
			return linux.EACCES
		}
		return nil
	}
	bits := mode
	switch {
	case ip.UID == c.UID:
		bits = mode >> 6
	case ip.GID == c.GID:
		bits = mode >> 3
	}
	if bits&want != want {
		return linux.EACCES
	}
	return nil
}

// owns checks that the caller owns ip or is root.
func (f *FS) owns(ip *inode) error {
	if c := f.caller(); c.IsRoot() || c.UID == ip.UID {
		return nil
	}
	return linux.EPERM
}

// mayRemove checks that the caller may remove (or rename) ip's name in
// dir: write and search on dir, and, in a sticky directory, ownership of
// the file or of the directory.
func (f *FS) mayRemove(dir, ip *inode) error {
	if err := f.may(dir, permW|permX); err != nil {
		return err
	}
	c := f.caller()
	if dir.Mode&linux.S_ISVTX == 0 || c.IsRoot() || c.UID == ip.UID || c.UID == dir.UID {
		return nil
	}
	return linux.EPERM
}

// mayAdd checks that the caller may add a name to dir.
func (f *FS) mayAdd(dir *inode) error { return f.may(dir, permW|permX) }

// Access checks that the caller may use the file path names as mode asks
// (fsproto.AccessR|AccessW|AccessX; 0: that it exists), as access(2).
func (f *FS) Access(path string, mode uint32) error {
	if mode&^7 != 0 {
		return linux.EINVAL
	}
	return f.op(func() error {
		ip, err := f.resolve(path, true)
		if err != nil || mode == 0 {
			return err
		}
		return f.may(ip, mode)
	})
}

// Chown sets the owner and group of the file path names (fsproto.KeepID
// leaves one as it is). Only root may give a file away; its owner may
// change its group to the owner's own. A change clears the set-user-ID
// and set-group-ID bits of a regular file, as Linux.
func (f *FS) Chown(path string, uid, gid uint32) error {
	return f.op(func() error {
		ip, err := f.resolve(path, true)
		if err != nil {
			return err
		}
		if err := f.mayChown(ip, uid, gid); err != nil {
			return err
		}
		if uid != fsproto.KeepID {
			ip.UID = uid
		}
		if gid != fsproto.KeepID {
			ip.GID = gid
		}
		if !ip.IsDir() {
			ip.Mode &^= linux.S_ISUID | linux.S_ISGID
		}
		ip.Ctime = f.now()
		return f.iput(ip)
	})
}

// mayChown checks chown's rules.
func (f *FS) mayChown(ip *inode, uid, gid uint32) error {
	c := f.caller()
	switch {
	case c.IsRoot():
		return nil
	case c.UID != ip.UID:
		return linux.EPERM
	case uid != fsproto.KeepID && uid != ip.UID:
		return linux.EPERM
	case gid != fsproto.KeepID && gid != ip.GID && gid != c.GID:
		return linux.EPERM
	}
	return nil
}
