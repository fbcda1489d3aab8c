package ipc

import (
	"slices"

	"github.com/mkos/mkos/ipc/linux"
)

// Checking replies. A client stub believes nothing a reply says that it
// can check: the errno must be one its protocol documents, and every count
// must fit the buffer it offered. A reply that fails a check is garbage —
// a buggy or hostile server, a scrambled message — and the program gets
// ErrBadReply, never a panic and never an errno its protocol does not
// document. LECTURE: distrust

// Errnos is the set of errno values a protocol documents for its replies:
// what its servers may answer, and so (with CallErrnos, the kernel's own)
// what a program calling it may see. Each protocol package has one, named
// Errnos.
type Errnos []Errno

// Has reports whether e is in s.
func (s Errnos) Has(e Errno) bool { return slices.Contains(s, e) }

// CallErrnos are the errnos the kernel itself fails a call to a service
// with, whatever its protocol: the instance died, none came up in time,
// the call timed out, the system halted, the caller may not call it, no
// such service, a dead endpoint, a deadlock.
var CallErrnos = Errnos{ErrServiceDied, ErrNoInstance, ErrTimeout, ErrHalted, ErrPerm, ErrNoService, ErrDead, ErrDeadlock}

// ErrBadReply is what a stub returns for a reply it cannot believe: EIO,
// the errno of a device that answered nonsense.
const ErrBadReply = linux.EIO

// ReplyErr returns the errno rep carries as an error: nil for none, the
// errno itself when set or CallErrnos documents it (a server may pass on
// what the kernel told it of a peer), ErrBadReply otherwise.
func ReplyErr(rep *Message, set Errnos) error {
	if rep.Errno == 0 {
		return nil
	}
	if e := Errno(rep.Errno); set.Has(e) || CallErrnos.Has(e) {
		return e
	}
	return ErrBadReply
}

// Count returns the count w that a reply carries as an int, and whether
// it is believable: at most most (the size of the buffer it counts into,
// or the most the request asked for).
func Count(w uint64, most int) (int, bool) {
	if most < 0 || w > uint64(most) {
		return 0, false
	}
	return int(w), true
}
