// Package wasi runs WebAssembly programs (WASI preview 1, as Go's
// GOOS=wasip1 and wasi-libc compilers make them) as mkos processes, with
// wazero (github.com/tetratelabs/wazero, pure Go). pm finds such a
// program through boot's Loader — any file whose first bytes are the
// wasm magic — and runs Program(path) in the new process's task like any
// built-in program.
//
// Everything the module asks of its system is a system call of its
// process, through the system-call library (user/ulib), so each is a
// message visible in the trace:
//
//   - files (fs.go, file.go): an experimental/sys.FS mounted at "/" over
//     the process's descriptors; open, read, write, readdir, stat, rename,
//     unlink, mkdir … go to the file server (and /dev to the stream
//     services), with the process's credentials, retried across a restart
//     of the file server as for native programs;
//   - descriptors 0, 1 and 2 are the process's own: the console, pipes,
//     redirections;
//   - argv and the environment are the spawn's; the working directory is
//     the process's (given to the module as $PWD, where Go and wasi-libc
//     look for it);
//   - the clocks are the kernel's virtual time, random_get the kernel's
//     seeded generator, sched_yield Sys.Yield and sleeps (poll_oneoff on a
//     clock) a Sleep in virtual time (clock.go), so a run is the same for
//     the same seed;
//   - CPU time is charged by counting function calls (cpu.go).
//
// errno.go maps Linux errno values to WASI's; cache.go keeps compiled
// modules for the host process's lifetime.
//
// Imports: ipc, ipc/fsproto, ipc/linux, ipc/pmproto, user/ulib, and
// wazero.
package wasi
