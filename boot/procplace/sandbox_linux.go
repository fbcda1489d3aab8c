//go:build linux

package procplace

import (
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/seccomp"
)

// The sandbox a server process enters before it runs server code: resource
// limits, then a seccomp allow-list of what the Go runtime and flipcall
// need. Opening a file fails with EACCES; anything else — exec, a socket,
// ptrace, kill — traps: the process dies by SIGSYS, and its proxy names
// the call.

// allowed are the system calls a server process may make: memory, threads
// and signals for the Go runtime, futex for flipcall, read and write on
// the descriptors it has, and exiting.
var allowed = append([]uintptr{
	unix.SYS_READ, unix.SYS_WRITE, unix.SYS_CLOSE, unix.SYS_FSTAT, unix.SYS_LSEEK,
	unix.SYS_MMAP, unix.SYS_MUNMAP, unix.SYS_MPROTECT, unix.SYS_MADVISE, unix.SYS_MREMAP, unix.SYS_MINCORE,
	unix.SYS_BRK, unix.SYS_FUTEX, unix.SYS_NANOSLEEP, unix.SYS_CLOCK_GETTIME, unix.SYS_CLOCK_NANOSLEEP,
	unix.SYS_GETTIMEOFDAY, unix.SYS_SCHED_YIELD, unix.SYS_SCHED_GETAFFINITY,
	unix.SYS_RT_SIGACTION, unix.SYS_RT_SIGPROCMASK, unix.SYS_RT_SIGRETURN, unix.SYS_SIGALTSTACK,
	unix.SYS_CLONE, unix.SYS_GETTID, unix.SYS_GETPID, unix.SYS_TGKILL, unix.SYS_SET_ROBUST_LIST,
	unix.SYS_EXIT, unix.SYS_EXIT_GROUP, unix.SYS_RESTART_SYSCALL, unix.SYS_GETRANDOM,
	unix.SYS_EPOLL_CTL, unix.SYS_EPOLL_PWAIT, unix.SYS_EPOLL_CREATE1, unix.SYS_EVENTFD2, unix.SYS_FCNTL,
	unix.SYS_PRLIMIT64, unix.SYS_GETRLIMIT, unix.SYS_SETITIMER, unix.SYS_TIMER_CREATE,
	unix.SYS_TIMER_SETTIME, unix.SYS_TIMER_DELETE, unix.SYS_RSEQ, unix.SYS_PREAD64,
	unix.SYS_PIPE2, unix.SYS_MEMBARRIER, unix.SYS_WRITEV, unix.SYS_GETRUSAGE,
	unix.SYS_CLOCK_GETRES, unix.SYS_RT_SIGTIMEDWAIT, unix.SYS_SYSINFO, unix.SYS_GETUID, unix.SYS_MLOCK,
	unix.SYS_MUNLOCK, unix.SYS_SCHED_SETAFFINITY, unix.SYS_GETITIMER, unix.SYS_TIMER_GETTIME,
}, archAllowed...)

// Limits are the resource limits of a server process.
type Limits struct {
	AddressBytes uint64 // RLIMIT_AS (0: unlimited; the race detector needs it so)
	OpenFiles    uint64 // RLIMIT_NOFILE
	CPUSeconds   uint64 // RLIMIT_CPU
}

// DefaultLimits are the limits boot gives a server process.
var DefaultLimits = Limits{AddressBytes: 4 << 30, OpenFiles: 16, CPUSeconds: 3600}

// sandbox applies l and installs the seccomp filter. It must run before
// any server code, and after the process has everything it needs opened.
func sandbox(l Limits) error {
	lims := []struct {
		res int
		v   uint64
	}{{unix.RLIMIT_NOFILE, l.OpenFiles}, {unix.RLIMIT_CPU, l.CPUSeconds}, {unix.RLIMIT_CORE, 0}}
	if l.AddressBytes > 0 && !raceEnabled {
		lims = append(lims, struct {
			res int
			v   uint64
		}{unix.RLIMIT_AS, l.AddressBytes})
	}
	for _, r := range lims {
		if err := unix.Setrlimit(r.res, &unix.Rlimit{Cur: r.v, Max: r.v}); err != nil {
			return fmt.Errorf("setrlimit %d: %w", r.res, err)
		}
	}
	rules := seccomp.NewSyscallRules()
	for _, nr := range allowed {
		rules.Set(nr, seccomp.MatchAll{})
	}
	// In a binary linked with cgo, new threads are glibc's: pthread_create
	// tries clone3 first and falls back to clone on ENOSYS, and a thread's
	// first malloc reads /sys/devices/system/cpu/online. Answer those with
	// errors, as container runtimes do, rather than kill a thread the Go
	// runtime cannot report for: no file is opened either way.
	clone3 := seccomp.MakeSyscallRules(map[uintptr]seccomp.SyscallRule{unix.SYS_CLONE3: seccomp.MatchAll{}})
	open := seccomp.MakeSyscallRules(map[uintptr]seccomp.SyscallRule{unix.SYS_OPENAT: seccomp.MatchAll{}})
	for _, nr := range archOpen {
		open.Set(nr, seccomp.MatchAll{})
	}
	prog := seccomp.Program{
		RuleSets: []seccomp.RuleSet{
			{Rules: rules, Action: seccomp.Allow},
			{Rules: clone3, Action: seccomp.ReturnError.Code(uint16(unix.ENOSYS))},
			{Rules: open, Action: seccomp.ReturnError.Code(uint16(unix.EACCES))},
		},
		Options: seccomp.ProgramOptions{DefaultAction: seccomp.Trap, BadArchAction: seccomp.KillProcess},
	}
	instrs, _, err := prog.Build()
	if err != nil {
		return fmt.Errorf("seccomp: %w", err)
	}
	if err := seccomp.SetFilter(instrs); err != nil {
		return fmt.Errorf("seccomp: %w", err)
	}
	threadsAfterSandbox()
	return nil
}

// syscallNames names the calls a misbehaving server is likely to try.
var syscallNames = map[uintptr]string{
	unix.SYS_OPENAT: "openat", unix.SYS_EXECVE: "execve", unix.SYS_EXECVEAT: "execveat",
	unix.SYS_SOCKET: "socket", unix.SYS_CONNECT: "connect", unix.SYS_PTRACE: "ptrace", unix.SYS_KILL: "kill",
	unix.SYS_CLONE3: "clone3", unix.SYS_UNLINKAT: "unlinkat",
	unix.SYS_MKDIRAT: "mkdirat", unix.SYS_GETPPID: "getppid", unix.SYS_UNAME: "uname", unix.SYS_CHDIR: "chdir",
	unix.SYS_NEWFSTATAT: "newfstatat", unix.SYS_STATX: "statx", unix.SYS_SETSID: "setsid", unix.SYS_BIND: "bind",
	unix.SYS_PRCTL: "prctl", unix.SYS_SECCOMP: "seccomp", unix.SYS_MOUNT: "mount",
}

// syscallName names system call number nr.
func syscallName(nr uintptr) string {
	if n, ok := syscallNames[nr]; ok {
		return n
	}
	if n, ok := archSyscallNames[nr]; ok {
		return n
	}
	return fmt.Sprintf("system call %d", nr)
}

// limitMemory lowers the address-space limit to 512 MiB, so that the OOM
// fault dies of it at once instead of taking the host's memory.
func limitMemory() {
	_ = unix.Setrlimit(unix.RLIMIT_AS, &unix.Rlimit{Cur: 512 << 20, Max: 512 << 20})
}

// KillPID sends SIGKILL to a host process: `kill -9`.
func KillPID(pid int) error { return unix.Kill(pid, unix.SIGKILL) }

// threadsAfterSandbox makes the Go runtime start new threads under the
// filter at once, the way it will later when a system call blocks: a
// filter that refuses how this binary makes threads (glibc's clone3, in
// a binary linked with cgo) then kills the process at its start, not
// hundreds of requests into a run.
func threadsAfterSandbox() {
	const n = 8
	var wg sync.WaitGroup
	release := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			runtime.LockOSThread() // each holds a thread of its own
			wg.Done()
			<-release
			runtime.UnlockOSThread()
		}()
	}
	wg.Wait()
	close(release)
}

// forbidden makes a system call the filter traps: a socket.
func forbidden() { _, _ = unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0) }
