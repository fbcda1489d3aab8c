// Package sysinit is init, /sbin/init, the first process (pid 1): it opens
// the console as descriptors 0, 1 and 2, runs the startup script
// /etc/rc if there is one, starts the shell — as root, or through
// /bin/login as the configured user (Options.User; boot's user: key) —
// reaps the orphans that pm
// gives it, and when the shell ends, halts: it kills every process left,
// collects them, syncs the file system and exits with the shell's status
// (with Options.Stay it syncs and stays up instead, reaping what the shell
// left running: one of several machines on a network).
// (The package is not called init: Go reserves that name.)
//
// Boot starts init with pm.Adopt, so that it is pid 1, with the Options
// the command line asks for (`mkos run -c` runs sh -c on the host's
// files; `mkos shell` runs sh on the tty).
//
// Imports: ipc, ipc/pmproto, user/ulib.
package sysinit
