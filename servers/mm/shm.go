package mm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
)

// Shared anonymous memory: segments named by a share id, each with an
// owner and a mode, as System V shared memory has. LECTURE: shm
//
// The task that maps an id no task maps yet creates the segment: it is
// owned by that task's uid and gid (Sys.Cred, which the kernel keeps and
// no program can forge) and gets the mode the Mmap asked for (0600 when
// none). Every attach, the creator's included, is checked against them:
// the caller needs read permission, and write permission for a writable
// mapping (or, later, an mprotect that adds write). Root may attach any
// segment. A refusal is EACCES. The segment, its owner and its mode go
// with its last mapping.
//
// A shared file mapping is not a segment: the file server checked the
// caller's right to open the file, and mm opens it with the same access.

// shmPerm is a segment's owner and mode.
type shmPerm struct {
	UID, GID uint32
	Mode     uint32 // permission bits, 0o777 at most
}

// Permission bits, as in a file's mode.
const (
	permRead  = 4
	permWrite = 2
)

// bits returns the permission bits of p that apply to credentials c.
func (p shmPerm) bits(c ipc.Cred) uint32 {
	switch {
	case c.IsRoot():
		return permRead | permWrite
	case c.UID == p.UID:
		return p.Mode >> 6 & 7
	case c.GID == p.GID:
		return p.Mode >> 3 & 7
	}
	return p.Mode & 7
}

// shmAccess checks that the caller may attach segment id with prot: as
// its owner and mode say, or, for a new segment, as the caller's own
// credentials and mode will. It returns the segment's owner and mode and
// whether the caller may ever write it.
func (s *Server) shmAccess(ctx *ipc.Ctx, id uint64, mode uint32, prot ipc.Prot) (shmPerm, bool, ipc.Errno) {
	c, err := ctx.Sys.Cred(ctx.Caller)
	if err != nil {
		return shmPerm{}, false, ipc.ErrnoOf(err)
	}
	perm := shmPerm{UID: c.UID, GID: c.GID, Mode: mode}
	if perm.Mode == 0 {
		perm.Mode = mmproto.DefaultShmMode
	}
	if o := s.shared[id]; o != nil {
		perm = o.perm
	}
	b := perm.bits(c)
	if b&permRead == 0 || prot&ipc.ProtWrite != 0 && b&permWrite == 0 {
		return perm, false, linux.EACCES
	}
	return perm, b&permWrite != 0, 0
}
