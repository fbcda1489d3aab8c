// Package svcutil holds the service utilities: svc, which talks to the
// reincarnation server (list, restart, stop, start and replace services,
// read the restart log), and crash, which injects a fault into a service
// through the kernel. Each is a pmproto.Program writing to the writer it
// is made with, like the programs of user/programs, which lists them.
//
// Imports: ipc, ipc/rsproto, ipc/pmproto.
package svcutil
