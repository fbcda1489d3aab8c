//go:build linux && !amd64

package procplace

// Architectures of Linux's generic system-call table (arm64, riscv64)
// have no open, fork, vfork or epoll_wait: openat, clone and epoll_pwait
// stand for them.
var (
	archAllowed      []uintptr
	archOpen         []uintptr
	archSyscallNames = map[uintptr]string{}
)
