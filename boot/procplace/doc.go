// Package procplace runs a server in a host process of its own: process
// placement. The server process is the mkos binary started again with a
// hidden subcommand (SubCommand); inside the kernel the server is an
// ordinary task whose body is a proxy (Body).
//
// # How a system call crosses
//
//  1. The server, in its process, calls a method of its ipc.Sys: the
//     process side (sys.go) writes the op and its arguments into the
//     shared window (wire.go), bulk data included, up to ipc.MaxBulk.
//  2. It hands the window to the proxy with a flipcall round trip (gVisor
//     pkg/flipcall: a futex handoff on shared memory) and blocks.
//  3. The proxy task, blocked on the host on its coroutine while holding
//     its virtual CPU, wakes, copies the request out of the window, and
//     makes the same system call on its own ipc.Sys, inside the kernel
//     (kernelside.go). A call that blocks in virtual time blocks the
//     proxy task like any task; other tasks run meanwhile.
//  4. The proxy writes the result into the window and hands it back; the
//     process returns from the method.
//
// Virtual time is charged from the cost profile (ProcessCrossNs per
// crossing), never from host time, and nothing else runs while the proxy
// waits for its process on the host: a run with process placement is as
// deterministic as one without, as long as the process does only what the
// kernel asks it to.
//
// # Death and hangs
//
// A goroutine per process reaps it and shuts the window down, so a proxy
// waiting for a dead process returns; the proxy then ends its task with an
// ipc.Fault whose cause names the death ("killed by SIGKILL", "exited
// with status 2: panic: …", "killed by SIGSYS (seccomp: openat)"). A
// watchdog goroutine kills a process that keeps its proxy waiting for one
// answer longer than Options.Watchdog in host time; the cause says
// "hang". Both goroutines live here, outside the kernel.
//
// # The sandbox
//
// Before it runs server code, the process sets resource limits and
// installs a seccomp allow-list (sandbox_linux.go); its environment is
// empty, it holds no descriptor but stdin, stdout, stderr and the window,
// and it dies with mkos (parent-death signal; Linux sends it when the
// thread that started the child exits, and Go's runtime keeps its threads
// unless a goroutine exits locked to one, which mkos never does). Linux
// only: elsewhere Supported is false and boot refuses process placement.
//
// # Files
//
//	wire.go          ops and the window's encoding
//	sys.go           the process side: an ipc.Sys over the window
//	kernelside.go    the proxy side: executing a request in the kernel
//	spawn.go         Spawn by recipe (ipc.Recipe): the proxy makes the body
//	proxy_linux.go   starting the process, the proxy loop, reaping, the watchdog
//	child_linux.go   the process's main
//	sandbox_linux.go rlimits and the seccomp filter
//	sandbox_linux_amd64.go, sandbox_linux_generic.go  the calls only
//	                 amd64 has (open, fork, epoll_wait); arm64 has none
//	options.go       Options and reading a death's cause
//	hostfault.go     the host faults a test or `--host-fault` injects
//	race.go, norace.go  whether the race detector is on (no RLIMIT_AS then)
//	other.go         the stubs for other systems: ErrUnsupported names
//	                 the feature and the platform
//
// Imports: ipc only of ours; gvisor.dev/gvisor's flipcall and seccomp,
// and x/sys/unix.
package procplace
