// Package linux is the Linux ABI the simulated system speaks, whatever the
// host: errno values and their texts, signal numbers and names, wait
// statuses, open flags, file modes, directory-entry types, seek origins,
// and the socket constants (net.go: AF_*, SOCK_*, IPPROTO_*, MSG_*,
// SHUT_*, POLL*).
//
// mkos's kernel, servers and programs take every such number from here,
// never from the host's golang.org/x/sys/unix or syscall: on macOS EAGAIN
// is 35 and O_CREAT is 0x200, on Windows and in the browser those packages
// do not exist, and a run must print the same answers and traces on every
// host. The errno numbers come from gVisor's host-independent leaf package
// gvisor.dev/gvisor/pkg/abi/linux/errno; the texts and the signal table are
// ours (errno_names.go, signal_names.go), copied from Linux and glibc.
//
// It imports nothing of ours, so every package may import it: ipc re-exports
// Errno as ipc.Errno.
package linux
