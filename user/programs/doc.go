// Package programs holds the example programs pm can spawn — true, false,
// echo, sleep, ps, kill — and Registry, the path → program table boot
// passes to pm. Until the tty and the file server are there, a program's
// output goes to a writer the harness provides.
//
// Each program is a pmproto.Program: func(sys, argv, env) int, with argv[0]
// its name. They reach pm through ipc/pmproto's stubs.
//
// Imports: ipc, ipc/pmproto.
package programs
