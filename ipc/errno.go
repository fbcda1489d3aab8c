package ipc

import (
	"errors"

	"github.com/mkos/mkos/ipc/linux"
)

// Errno is a Linux errno value; every system call fails with one. It is
// linux.Errno, the same numbers and texts on every host, so
// errors.Is(err, linux.ESRCH) works on it.
type Errno = linux.Errno

// The errno values with a kernel-specific meaning. The system-call boundary
// returns these as they are; servers and tools wrap them with context.
const (
	// ErrDead: the destination task is dead or the endpoint is stale (its
	// slot has a newer generation). MINIX calls this EDEADSRCDST.
	ErrDead = linux.ESRCH
	// ErrDeadlock: sending would close a cycle of tasks blocked on each
	// other.
	ErrDeadlock = linux.EDEADLK
	// ErrTimeout: a Call with a timeout got no reply in time.
	ErrTimeout = linux.ETIMEDOUT
	// ErrServiceDied: the service instance serving the request died before
	// it replied. The request may or may not have taken effect.
	ErrServiceDied = linux.ECONNRESET
	// ErrNoInstance: no instance of the service registered within the
	// bus's bounded wait.
	ErrNoInstance = linux.EAGAIN
	// ErrNoService: no service has that name or id.
	ErrNoService = linux.ENOENT
	// ErrInvalid: a malformed request (bad endpoint, bad argument).
	ErrInvalid = linux.EINVAL
	// ErrFault: a bulk copy outside the buffer the peer offered.
	ErrFault = linux.EFAULT
	// ErrPerm: the task may not do this (copy from a task that is not its
	// caller, reply to a task that is not waiting for it).
	ErrPerm = linux.EPERM
	// ErrTooBig: a bulk transfer above MaxBulk.
	ErrTooBig = linux.EMSGSIZE
	// ErrNoSys: an unknown system call or request type.
	ErrNoSys = linux.ENOSYS
	// ErrHalted: the system halted (kernel panic) while the call waited.
	ErrHalted = linux.EIO
)

// Explain returns what an errno means when the kernel returns it, for error
// messages and traces; for other values it returns the libc text.
func Explain(e Errno) string {
	switch e {
	case ErrDead:
		return "dead endpoint (the task exited or the id is stale)"
	case ErrDeadlock:
		return "deadlock: the tasks would wait for each other forever"
	case ErrTimeout:
		return "call timed out"
	case ErrServiceDied:
		return "the service instance died while serving the request"
	case ErrNoInstance:
		return "no instance of the service came up in time"
	case ErrNoService:
		return "no such service"
	}
	return e.Error()
}

// ErrnoOf returns the errno inside err: err itself when it is one, the
// wrapped errno when it wraps one, EIO for any other error, 0 for nil.
func ErrnoOf(err error) Errno {
	if err == nil {
		return 0
	}
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	return linux.EIO
}
