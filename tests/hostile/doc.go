// Package hostile is the hostile-program suite: every attack a program
// tried on mkos, each as a test that boots a whole system, runs the attack
// from an ordinary program (the user's privileges, from pm; nothing but
// ipc and the protocol stubs) and checks that the system refused it
// cleanly — an errno, a denial in the trace — and lost nothing: the file
// server still answers, the victims still live, fsck is clean.
//
// Each file holds one family of attacks:
//
//   - privileges_test.go: names, kernel calls and services a program may
//     not use (Register of a server's name, Kill, Supervise, Inject, VM,
//     Spawn, Notify, SetCred, the disk service).
//   - users_test.go: users and permissions: root's uid written into fs
//     and pm messages, kills of other users' processes and of init.
//   - memory_test.go: another user's shared segment by id, and the pager
//     keeping private frames private.
//   - harness_test.go: the system the attacks run on and how an attack
//     program is started.
//
// docs/security.md is the threat model this suite is the evidence for.
//
// The package has no non-test code besides this file.
//
// Imports: anything; nothing imports hostile.
package hostile
