// Package programs holds the program tables pm is given.
//
// Bin (bin.go) is the table of a booted system, the one boot passes to
// pm: /sbin/init, /bin/sh, the coreutils, svc and crash, the network
// programs (netcmd), each reading and
// writing descriptors 0, 1 and 2 through the system-call library, and
// the programs a command adds with Register (cmd/mkos: /bin/mkos, the
// labs' tools).
//
// Registry is the older table of example programs — true, false, echo,
// sleep, ps, kill, svc, crash — that write to a writer the harness
// provides instead of descriptors; pm's own tests use it.
//
// Each program is a pmproto.Program: func(sys, argv, env) int, with argv[0]
// its name.
//
// Imports: ipc, ipc/pmproto, user/ulib, and the user packages whose
// programs it lists (coreutils, init, netcmd, sh, svcutil).
package programs
