package procplace

import "golang.org/x/sys/unix"

// archAllowed are the allowed system calls amd64 has and arm64 does not.
var archAllowed = []uintptr{unix.SYS_EPOLL_WAIT}

// archOpen are amd64's calls that open a file besides openat.
var archOpen = []uintptr{unix.SYS_OPEN}

// archSyscallNames names amd64's calls that arm64 does not have.
var archSyscallNames = map[uintptr]string{unix.SYS_OPEN: "open", unix.SYS_FORK: "fork", unix.SYS_VFORK: "vfork"}
